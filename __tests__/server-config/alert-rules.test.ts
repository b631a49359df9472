/**
 * Issue 11, proof 1: `promtool test rules` on the alert rules exactly as the
 * synthesized monitoring hosts receive them. Every alert has at least one
 * case where it fires and one where it does not, built from the thresholds
 * the configuration sets (the defaults, and a second configuration with other
 * thresholds, so a threshold that did not reach the file fails here).
 *
 * promtool compares annotations exactly; the threshold cases run on a copy
 * without annotations (their templates are checked by `promtool check rules`
 * and rendered in the HostDown case, which runs on the file as shipped).
 */
import { writeFileSync } from "fs";
import { join } from "path";
import { ALERT_RULES_PATH } from "../../modules/server-config/paths";
import { DEFAULT_CONFIG, InfraConfig } from "../../stacks/config";
import { renderedFile, renderedFileWith } from "../support/rendered-files";
import { testConfig } from "../support/synth";
import { describeWithTools, run, withTempDir } from "../support/tools";
import { parseYaml } from "../support/validators";

type Thresholds = InfraConfig["alerts"];
type Labels = Record<string, string>;
interface Series { series: string; values: string }
interface Case {
  /** The alert this case is about. */
  alert: string;
  fires: boolean;
  why: string;
  input: Series[];
  /** Seconds after the start at which the alert is evaluated. */
  at: number;
  /** Labels of the alert when it fires (severity is added from the rule). */
  labels?: Labels;
}

const EVAL_SECONDS = 15; // the rendered prometheus.yml's evaluation_interval

function series(name: string, labels: Labels, values: string): Series {
  return { series: `${name}{${Object.entries(labels).map(([k, v]) => `${k}="${v}"`).join(",")}}`, values };
}

const WEB = { job: "node", host: "10.10.64.20", instance: "10.10.64.20:9100", name: "webplat-dev-stage3-web-1", role: "web" };
const LB = { job: "haproxy", host: "10.10.0.10", instance: "10.10.0.10:8405", role: "loadbalancer" };
const LB_NODE = { job: "node", host: "10.10.0.10", instance: "10.10.0.10:9100", name: "webplat-dev-stage3-lb-a", role: "loadbalancer" };
const TLS_A = { job: "tls", host: "10.10.0.10", instance: "10.10.0.10:443", role: "loadbalancer" };
const TLS_B = { job: "tls", host: "10.10.16.10", instance: "10.10.16.10:443", role: "loadbalancer" };
const app = (job: string, host: string) => ({ job, host, instance: `http://${host}:8080/${job === "app-readyz" ? "readyz" : "healthz"}`, role: "app" });
const ROOT_FS = { ...WEB, device: "/dev/nvme0n1p1", fstype: "ext4", mountpoint: "/" };
const TMP_FS = { ...WEB, device: "tmpfs", fstype: "tmpfs", mountpoint: "/run" };
const GB = 1e9;

/** Fire and no-fire cases for every alert, at the given thresholds. */
function cases(t: Thresholds): Case[] {
  const down = t.hostDownAfterSeconds;
  const disk = (freePercent: number, fs: Labels) => [
    series("node_filesystem_avail_bytes", fs, `${freePercent * GB}x40`),
    series("node_filesystem_size_bytes", fs, `${100 * GB}x40`),
  ];
  const memory = (availablePercent: number) => [
    series("node_memory_MemAvailable_bytes", WEB, `${availablePercent * GB}x40`),
    series("node_memory_MemTotal_bytes", WEB, `${100 * GB}x40`),
  ];
  // Per 15 s: `percent` 5xx out of 100 responses.
  const responses = (percent: number) => [
    series("haproxy_frontend_http_responses_total", { ...LB, proxy: "https_in", code: "5xx" }, `0+${percent}x80`),
    series("haproxy_frontend_http_responses_total", { ...LB, proxy: "https_in", code: "2xx" }, `0+${100 - percent}x80`),
  ];
  const requests = (perSecond: number) => [series("haproxy_frontend_http_requests_total", { ...LB, proxy: "https_in" }, `0+${perSecond * EVAL_SECONDS}x40`)];
  const day = 86400;
  const certificates = (newestDays: number, standbyDays: number) => [
    series("probe_ssl_earliest_cert_expiry", TLS_A, `${newestDays * day}x80`),
    series("probe_ssl_earliest_cert_expiry", TLS_B, `${standbyDays * day}x80`),
  ];
  const probes = (readyA: number, readyB: number, aliveA: number, aliveB: number) => [
    series("probe_success", app("app-readyz", "10.10.64.120"), `${readyA}x20`),
    series("probe_success", app("app-readyz", "10.10.80.120"), `${readyB}x20`),
    series("probe_success", app("app-healthz", "10.10.64.120"), `${aliveA}x20`),
    series("probe_success", app("app-healthz", "10.10.80.120"), `${aliveB}x20`),
  ];
  const vrrp = (values: string) => [series("keepalived_vrrp_state", { ...LB_NODE, vrrp_instance: "haproxy_pair" }, values)];

  return [
    { alert: "HostDown", fires: true, why: `down for ${down} s`, input: [series("up", WEB, `1 0x${Math.ceil((down + 60) / EVAL_SECONDS)}`)], at: EVAL_SECONDS + down + EVAL_SECONDS, labels: WEB },
    { alert: "HostDown", fires: false, why: `down for less than ${down} s`, input: [series("up", WEB, `1 0x${Math.ceil((down + 60) / EVAL_SECONDS)}`)], at: EVAL_SECONDS + down - EVAL_SECONDS },

    { alert: "DiskSpaceLow", fires: true, why: `${t.diskFreePercent - 1}% free`, input: disk(t.diskFreePercent - 1 || 0.5, ROOT_FS), at: 360, labels: ROOT_FS },
    { alert: "DiskSpaceLow", fires: false, why: `${t.diskFreePercent + 1}% free; a full tmpfs is ignored`, input: [...disk(t.diskFreePercent + 1, ROOT_FS), ...disk(0.5, TMP_FS)], at: 600 },

    { alert: "MemoryPressure", fires: true, why: `${t.memoryAvailablePercent - 1}% available`, input: memory(t.memoryAvailablePercent - 1 || 0.5), at: 360, labels: WEB },
    { alert: "MemoryPressure", fires: false, why: `${t.memoryAvailablePercent + 1}% available`, input: memory(t.memoryAvailablePercent + 1), at: 600 },

    { alert: "HaproxyDown", fires: true, why: "exporter unreachable for 2 minutes", input: [series("up", LB, "0x20")], at: 120, labels: LB },
    { alert: "HaproxyDown", fires: false, why: "exporter answers", input: [series("up", LB, "1x20")], at: 120 },

    { alert: "BackendNoHealthyServer", fires: true, why: "no active server in web", input: [series("haproxy_backend_active_servers", { ...LB, proxy: "web" }, "0x20")], at: 60, labels: { ...LB, proxy: "web" } },
    {
      alert: "BackendNoHealthyServer", fires: false, why: "one server left in web; the ACME backend does not count",
      input: [series("haproxy_backend_active_servers", { ...LB, proxy: "web" }, "1x20"), series("haproxy_backend_active_servers", { ...LB, proxy: "acme_certbot" }, "0x20")], at: 120,
    },

    { alert: "BackendServerDown", fires: true, why: "a server DOWN for 2 minutes", input: [series("haproxy_server_status", { ...LB, proxy: "web", server: "10.10.64.20:80", state: "DOWN" }, "1x20")], at: 120, labels: { ...LB, proxy: "web", server: "10.10.64.20:80", state: "DOWN" } },
    {
      alert: "BackendServerDown", fires: false, why: "the server is UP",
      input: [series("haproxy_server_status", { ...LB, proxy: "web", server: "10.10.64.20:80", state: "DOWN" }, "0x20"), series("haproxy_server_status", { ...LB, proxy: "web", server: "10.10.64.20:80", state: "UP" }, "1x20")], at: 120,
    },

    { alert: "HighErrorRatio", fires: true, why: `${t.errorRatioPercent + 1}% 5xx`, input: responses(t.errorRatioPercent + 1), at: 660, labels: { host: LB.host } },
    { alert: "HighErrorRatio", fires: false, why: `${t.errorRatioPercent - 1}% 5xx`, input: responses(t.errorRatioPercent - 1), at: 660 },

    { alert: "HighRequestRate", fires: true, why: `${t.requestsPerSecond + 1} requests/s`, input: requests(t.requestsPerSecond + 1), at: 300, labels: {} },
    { alert: "HighRequestRate", fires: false, why: `${t.requestsPerSecond - 1} requests/s`, input: requests(t.requestsPerSecond - 1), at: 300 },

    { alert: "CertificateExpiresSoon", fires: true, why: `newest certificate of the pair expires in ${t.certificateExpiryDays - 1} days`, input: certificates(t.certificateExpiryDays - 1, t.certificateExpiryDays - 1), at: 900, labels: {} },
    { alert: "CertificateExpiresSoon", fires: false, why: `the active node's certificate has ${t.certificateExpiryDays + 1} days left; the standby's stale copy does not count`, input: certificates(t.certificateExpiryDays + 1, 1), at: 1200 },

    { alert: "LoadBalancerFailover", fires: true, why: "BACKUP → MASTER 75 s ago", input: vrrp("1x10 2x30"), at: 240, labels: { ...LB_NODE, vrrp_instance: "haproxy_pair" } },
    { alert: "LoadBalancerFailover", fires: false, why: "steady MASTER", input: vrrp("2x40"), at: 600 },
    { alert: "LoadBalancerFailover", fires: false, why: "the transition was more than 10 minutes ago", input: vrrp("1x4 2x80"), at: 900 },

    { alert: "AppNotReady", fires: true, why: "one server fails /readyz for 3 minutes", input: probes(0, 1, 1, 1), at: 180, labels: app("app-readyz", "10.10.64.120") },
    { alert: "AppNotReady", fires: false, why: "every server ready", input: probes(1, 1, 1, 1), at: 180 },

    { alert: "DatabaseUnreachable", fires: true, why: "every server alive, none ready", input: probes(0, 0, 1, 1), at: 120, labels: {} },
    { alert: "DatabaseUnreachable", fires: false, why: "one server still ready", input: probes(0, 1, 1, 1), at: 120 },
    { alert: "DatabaseUnreachable", fires: false, why: "a server is dead, not just unready", input: probes(0, 0, 0, 1), at: 120 },
  ];
}

interface RuleFile { groups: { name: string; rules: { alert: string; labels: Labels; annotations?: Labels }[] }[] }

function alertsOf(rules: RuleFile): Map<string, Labels> {
  return new Map(rules.groups.flatMap((g) => g.rules.map((r) => [r.alert, r.labels] as [string, Labels])));
}

function promtoolTest(ruleText: string, tests: object[]): { ok: boolean; output: string } {
  return withTempDir("promtool-test", (dir) => {
    writeFileSync(join(dir, "rules.yml"), ruleText);
    writeFileSync(join(dir, "tests.yml"), JSON.stringify({ rule_files: ["rules.yml"], evaluation_interval: `${EVAL_SECONDS}s`, tests }, null, 1));
    const result = run("promtool", ["test", "rules", join(dir, "tests.yml")], { cwd: dir, timeoutMs: 60000 });
    return { ok: result.code === 0, output: result.stdout + result.stderr };
  });
}

/** promtool test cases for `cases`, against a rule file whose alerts are `alerts`. */
function testsFor(all: Case[], alerts: Map<string, Labels>): object[] {
  return all.map((c) => ({
    name: `${c.alert} ${c.fires ? "fires" : "stays silent"}: ${c.why}`,
    interval: `${EVAL_SECONDS}s`,
    input_series: c.input,
    alert_rule_test: [{
      eval_time: `${c.at}s`,
      alertname: c.alert,
      exp_alerts: c.fires ? [{ exp_labels: { ...c.labels, ...alerts.get(c.alert) } }] : [],
    }],
  }));
}

const ROLES = [
  { role: "monitoring", stack: "stage3-scale-up" },
  { role: "stage2-monitoring", stack: "stage2-secured-monitored" },
];

/** Other thresholds than the defaults, to prove they reach the rendered rules. */
const OTHER_ALERTS = { hostDownAfterSeconds: 120, errorRatioPercent: 20, requestsPerSecond: 50, diskFreePercent: 25, memoryAvailablePercent: 15, certificateExpiryDays: 30 };

describeWithTools("alert rules under promtool test rules", ["promtool", "python3"], false, () => {
  const configs: [string, InfraConfig][] = [["default thresholds", testConfig()], ["other thresholds", testConfig({ alerts: OTHER_ALERTS })]];

  for (const { role } of ROLES) {
    for (const [configName, config] of configs) {
      describe(`${role}, ${configName}`, () => {
        const text = configName === "default thresholds" ? renderedFile(role, ALERT_RULES_PATH) : renderedFileWith(config, role, ALERT_RULES_PATH);
        const rules = parseYaml(text) as RuleFile;
        const alerts = alertsOf(rules);
        const mine = cases(config.alerts).filter((c) => alerts.has(c.alert));

        it("has a firing and a silent case for every alert in the file", () => {
          expect(alerts.size).toBeGreaterThanOrEqual(role === "monitoring" ? 12 : 9);
          for (const alert of alerts.keys()) {
            expect(mine.filter((c) => c.alert === alert && c.fires).length).toBeGreaterThan(0);
            expect(mine.filter((c) => c.alert === alert && !c.fires).length).toBeGreaterThan(0);
          }
        });

        it("every case passes promtool test rules at the configured thresholds", () => {
          const withoutAnnotations: RuleFile = { groups: rules.groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _a, ...r }) => r) })) };
          const result = promtoolTest(JSON.stringify(withoutAnnotations), testsFor(mine, alerts));
          if (!result.ok) throw new Error(result.output);
          expect(result.output).toContain("SUCCESS");
        });
      });
    }
  }

  it("the default thresholds are the ones the config documents", () => {
    expect(testConfig().alerts).toMatchObject({ hostDownAfterSeconds: 60, errorRatioPercent: 5, requestsPerSecond: 500, diskFreePercent: 10, memoryAvailablePercent: 10, certificateExpiryDays: 14 });
    expect(DEFAULT_CONFIG.alerts.emails).toEqual([]);
  });

  it("a threshold case fails when the threshold does not match the file (the tests can fail)", () => {
    const text = renderedFile("monitoring", ALERT_RULES_PATH);
    const rules = parseYaml(text) as RuleFile;
    const stripped = { groups: rules.groups.map((g) => ({ ...g, rules: g.rules.map(({ annotations: _a, ...r }) => r) })) };
    const wrong = cases({ ...testConfig().alerts, requestsPerSecond: 2000 }).filter((c) => c.alert === "HighRequestRate" && !c.fires);
    const result = promtoolTest(JSON.stringify(stripped), testsFor(wrong, alertsOf(rules)));
    expect(result.ok).toBe(false);
    expect(result.output).toContain("HighRequestRate");
  });

  it("HostDown renders its summary and first response on the file as shipped", () => {
    const text = renderedFile("monitoring", ALERT_RULES_PATH);
    const down = testConfig().alerts.hostDownAfterSeconds;
    const result = promtoolTest(text, [{
      interval: `${EVAL_SECONDS}s`,
      input_series: [series("up", WEB, `1 0x${Math.ceil((down + 60) / EVAL_SECONDS)}`)],
      alert_rule_test: [{
        eval_time: `${EVAL_SECONDS + down + EVAL_SECONDS}s`,
        alertname: "HostDown",
        exp_alerts: [{
          exp_labels: { ...WEB, severity: "critical" },
          exp_annotations: {
            summary: `${WEB.name} (${WEB.host}, web) does not answer node_exporter scrapes`,
            runbook: "Check the instance state and status checks in the EC2 console; reboot or replace it. Its other alerts are held back until it answers again.",
          },
        }],
      }],
    }]);
    if (!result.ok) throw new Error(result.output);
    expect(result.ok).toBe(true);
  });
});
