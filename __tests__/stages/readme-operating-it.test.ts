/**
 * README.md, "Operating it" (issue 16): each promise about the synthesized
 * stacks or the files their hosts receive, asserted on the synthesized JSON
 * and on the user data as the instances get it. Test names quote the README.
 * (Alert thresholds under promtool: __tests__/server-config/alert-rules.test.ts;
 * the operator role's grants: __tests__/stages/operator-access.test.ts and
 * operator-secret.test.ts; delivery end to end: Drill D.)
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { parseCloudConfig } from "../../modules/core/cloud-config";
import {
  ALERTMANAGER_CONFIG_PATH,
  ALERTMANAGER_DEFAULTS_PATH,
  ALERT_RULES_PATH,
  BACKEND_SYNC_SCRIPT_PATH,
  BLACKBOX_DEFAULTS_PATH,
  GRAFANA_APT_SETUP_SCRIPT_PATH,
  GRAFANA_ADMIN_PASSWORD_PATH,
  GRAFANA_DASHBOARD_PATH,
  GRAFANA_DATASOURCES_PATH,
  INSTANCE_CONNECT_KEYS_SCRIPT_PATH,
  KEEPALIVED_STATE_SCRIPT_PATH,
  PROMETHEUS_CONFIG_PATH,
  SYSTEMD_DIR,
  TLS_IDENTITY_SCRIPT_PATH,
  TLS_TRUST_SYNC_SCRIPT_PATH,
} from "../../modules/server-config/paths";
import { offlineEnv } from "../../scripts/offline-terraform";
import { userDataOf } from "../support/rendered-files";
import { TfJson, referenced, resourcesOf, synthStack, testConfig } from "../support/synth";

type Res = Record<string, any>;
const ALL_STACKS = ["stage0-single-server", "stage1-distributed", "stage2-secured-monitored", "stage3-scale-up", "stage4-warm-standby"];
const ALERTING_STACKS = ["stage2-secured-monitored", "stage3-scale-up"] as const;

const instanceWithRole = (json: TfJson, role: string): Res => {
  const found = resourcesOf(json, "aws_instance").filter(([, i]) => i.tags?.Role === role);
  if (found.length === 0) throw new Error(`no instance with Role ${role}`);
  return found[0][1];
};
const instancesWithRole = (json: TfJson, role: string): Res[] => resourcesOf(json, "aws_instance").filter(([, i]) => i.tags?.Role === role).map(([, i]) => i);

/** Files of a host's user data; references left as `<type.name.attr>` so a test can see what they point at. */
function filesOf(instance: Res): Record<string, string> {
  const userData = userDataOf(instance, (reference) => `<${reference}>`);
  return Object.fromEntries(parseCloudConfig(userData).write_files.map((f) => [f.path, f.content]));
}
const monitoringFiles = (stack: string, overrides?: unknown) => filesOf(instanceWithRole(synthStack(stack, testConfig(overrides)), "monitoring"));

/** The rows of the README's alert table: name, severity, stage-3-only. */
function readmeAlertTable(): { alert: string; severity: string; stage3Only: boolean }[] {
  const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
  const start = readme.indexOf("| alert | severity | fires when (default) | first response |");
  expect(start).toBeGreaterThan(0);
  const rows = readme.slice(start).split("\n").slice(2);
  return rows
    .slice(0, rows.findIndex((line) => !line.startsWith("|")))
    .map((line) => {
      const [name, severity] = line.split(" | ");
      return { alert: /`(\w+)`/.exec(name)![1], severity, stage3Only: name.includes("(stage 3)") };
    });
}

/** alert → severity of a rendered rules file. */
function rulesOf(rules: string): Record<string, string> {
  return Object.fromEntries([...rules.matchAll(/- alert: (\w+)\n[\s\S]*?severity: (\w+)/g)].map((m) => [m[1], m[2]]));
}

describe("README \"Where alerts go\"", () => {
  it.each(ALERTING_STACKS)("\"Stages 2 and 3 alert a person\": %s has the SNS topic `<project>-<environment>-<stage>-alerts` (output `alert_topic_arn`, encrypted with its own KMS key)", (stack) => {
    const json = synthStack(stack, testConfig({ project: "shop", environment: "prod" }));
    const topics = resourcesOf(json, "aws_sns_topic");
    expect(topics.map(([, t]) => t.name)).toEqual([`shop-prod-${stack.slice(0, 6)}-alerts`]);
    const [topicName, topic] = topics[0];
    expect(json.output!.alert_topic_arn.value).toBe(`\${aws_sns_topic.${topicName}.arn}`);
    const key = referenced(json, topic.kms_master_key_id);
    expect(key.type).toBe("aws_kms_key");
    // Its own: no other resource encrypts with it.
    const keyArn = `\${aws_kms_key.${key.name}.arn}`;
    const keyId = `\${aws_kms_key.${key.name}.id}`;
    const encryptingWithIt = Object.entries(json.resource!)
      .flatMap(([type, byName]) => Object.entries(byName).map(([name, r]) => [`${type}.${name}`, r] as const))
      .filter(([, r]) => [r.kms_master_key_id, r.kms_key_id, r.kms_key_arn].some((v) => v === keyArn || v === keyId));
    expect(encryptingWithIt.map(([address]) => address)).toEqual([`aws_sns_topic.${topicName}`]);
  });

  it.each(ALERTING_STACKS)("%s: \"Prometheus on the monitoring host evaluates the rules in `/etc/prometheus/rules/platform.rules.yml` every 15 s and sends what fires to Alertmanager on the same host (`127.0.0.1:9093`, … no cluster port)\"", (stack) => {
    const files = monitoringFiles(stack);
    const prometheus = files[PROMETHEUS_CONFIG_PATH];
    expect(prometheus).toMatch(/^ {2}evaluation_interval: 15s$/m);
    expect(prometheus).toContain(`rule_files:\n  - ${ALERT_RULES_PATH}\n`);
    expect(files[ALERT_RULES_PATH]).toContain("- alert: HostDown");
    // localhost is the loopback address on Debian (/etc/hosts); Alertmanager listens on nothing else.
    expect(/alertmanagers:\n\s+- static_configs:\n\s+- targets: \["(?:localhost|127\.0\.0\.1):9093"\]/.test(prometheus)).toBe(true);
    const args = /^ARGS="(.*)"$/m.exec(files[ALERTMANAGER_DEFAULTS_PATH])![1].split(" ");
    expect(args).toEqual(expect.arrayContaining(["--web.listen-address=127.0.0.1:9093", "--cluster.listen-address="]));
  });

  it.each(ALERTING_STACKS)("%s: \"Alertmanager's one receiver, `operators`, publishes to the SNS topic\" of this stack", (stack) => {
    const json = synthStack(stack);
    const [topicName] = resourcesOf(json, "aws_sns_topic")[0];
    const config = monitoringFiles(stack)[ALERTMANAGER_CONFIG_PATH];
    expect(config).toMatch(/^ {2}receiver: operators$/m);
    expect([...config.matchAll(/^ {2}- name: (\S+)$/gm)].map((m) => m[1])).toEqual(["operators"]);
    expect([...config.matchAll(/topic_arn: "([^"]*)"/g)].map((m) => m[1])).toEqual([`<aws_sns_topic.${topicName}.arn>`]);
    expect(config).not.toContain("webhook_configs");
  });

  it("\"when `alerts.webhookUrl` is set, also POSTs Alertmanager's webhook JSON there\"", () => {
    for (const stack of ALERTING_STACKS) {
      const config = monitoringFiles(stack, { alerts: { webhookUrl: "https://hooks.example.net/alerts" } })[ALERTMANAGER_CONFIG_PATH];
      expect([stack, /webhook_configs:\n\s+- url: "([^"]+)"\n\s+send_resolved: true/.exec(config)?.[1]]).toEqual([stack, "https://hooks.example.net/alerts"]);
      expect(config).toMatch(/sns_configs:/);
    }
  });

  it("\"grouped per alert and host, sent 30 s after the first alert of a group (`alerts.groupWaitSeconds`), repeated every 4 h while it still fires (`alerts.repeatIntervalHours`), and a \"RESOLVED\" message follows\"", () => {
    for (const stack of ALERTING_STACKS) {
      const defaults = monitoringFiles(stack)[ALERTMANAGER_CONFIG_PATH];
      expect(defaults).toMatch(/^ {2}group_by: \[alertname, host\]$/m);
      expect(defaults).toMatch(/^ {2}group_wait: 30s$/m);
      expect(defaults).toMatch(/^ {2}repeat_interval: 4h$/m);
      expect(defaults).toMatch(/sns_configs:[\s\S]*send_resolved: true/);
      // The status goes into subject and message: "[RESOLVED] …".
      expect(defaults).toContain("{{ .Status | toUpper }}");
      const tuned = monitoringFiles(stack, { alerts: { groupWaitSeconds: 45, repeatIntervalHours: 12 } })[ALERTMANAGER_CONFIG_PATH];
      expect([tuned.match(/^ {2}group_wait: (\S+)$/m)?.[1], tuned.match(/^ {2}repeat_interval: (\S+)$/m)?.[1]]).toEqual(["45s", "12h"]);
    }
  });

  it("\"One cause pages once: **HostDown** holds back every other alert of the same host, **HaproxyDown** its host's backend and 5xx alerts, and **DatabaseUnreachable** the per-server AppNotReady alerts\"", () => {
    const config = monitoringFiles("stage3-scale-up")[ALERTMANAGER_CONFIG_PATH];
    const rules = [...config.slice(config.indexOf("inhibit_rules:")).matchAll(/source_matchers: \['alertname = "(\w+)"'\]\n\s+target_matchers: \['alertname =~ "([^"]+)"', 'alertname != "\w+"'\]\n\s+equal: \[([^\]]*)\]/g)]
      .map((m) => ({ source: m[1], targets: new RegExp(`^(?:${m[2]})$`), equal: m[3] }));
    expect(rules.map((r) => `${r.source} [${r.equal}]`)).toEqual(["HostDown [host]", "HaproxyDown [host]", "DatabaseUnreachable []"]);
    const alerts = Object.keys(rulesOf(monitoringFiles("stage3-scale-up")[ALERT_RULES_PATH]));
    const heldBack = (source: string) => alerts.filter((a) => a !== source && rules.find((r) => r.source === source)!.targets.test(a));
    expect(heldBack("HostDown")).toEqual(alerts.filter((a) => a !== "HostDown"));
    expect(heldBack("HaproxyDown").sort()).toEqual(["BackendNoHealthyServer", "BackendServerDown", "HighErrorRatio"]);
    expect(heldBack("DatabaseUnreachable")).toEqual(["AppNotReady"]);
  });

  it("\"Each message carries the alert's summary and its first response\"", () => {
    const files = monitoringFiles("stage3-scale-up");
    const message = /message: \|-\n([\s\S]*?)\n\s+send_resolved/.exec(files[ALERTMANAGER_CONFIG_PATH])![1];
    expect(message).toContain("{{ .Annotations.summary }}");
    expect(message).toContain("First response: {{ .Annotations.runbook }}");
    const rules = files[ALERT_RULES_PATH].split("- alert: ").slice(1);
    expect(rules.length).toBeGreaterThan(10);
    for (const rule of rules) expect([rule.split("\n")[0], /\n\s+summary: \S/.test(rule), /\n\s+runbook: \S/.test(rule)]).toEqual([rule.split("\n")[0], true, true]);
  });

  it.each(ALERTING_STACKS)("%s: \"Grafana's *Platform overview* dashboard starts with a *Firing alerts* table, and the provisioned *Alertmanager* datasource\"", (stack) => {
    const files = monitoringFiles(stack);
    const dashboard = JSON.parse(files[GRAFANA_DASHBOARD_PATH]);
    expect(dashboard.title).toBe("Platform overview");
    expect([dashboard.panels[0].type, dashboard.panels[0].title, dashboard.panels[0].gridPos.y]).toEqual(["table", "Firing alerts", 0]);
    expect(files[GRAFANA_DATASOURCES_PATH]).toMatch(/- name: Alertmanager\n\s+type: alertmanager\n(?:.*\n)*?\s+url: http:\/\/(?:localhost|127\.0\.0\.1):9093\n/);
  });
});

describe("README \"What each alert means and the first response\"", () => {
  it("the table names every alert of stage 3's rules file with its severity, and only those", () => {
    const table = readmeAlertTable();
    expect(table.length).toBe(12);
    expect(rulesOf(monitoringFiles("stage3-scale-up")[ALERT_RULES_PATH])).toEqual(Object.fromEntries(table.map((r) => [r.alert, r.severity])));
  });

  it("\"fires when (default)\": the durations and windows of the table are the rules' `for` and ranges", () => {
    const blocks = Object.fromEntries(monitoringFiles("stage3-scale-up")[ALERT_RULES_PATH].split("- alert: ").slice(1).map((b) => [b.split("\n")[0], b]));
    const forOf = (alert: string) => /\n\s+for: (\S+)/.exec(blocks[alert])?.[1];
    // "has not answered for `alerts.hostDownAfterSeconds` (60 s)", "for 5 min", "for 1 min", "for 30 s", "over 5 min, for 5 min", "for 2 min", "for 10 min", "for 2 min", "for 1 min"
    expect(Object.fromEntries(Object.keys(blocks).map((a) => [a, forOf(a)]))).toEqual({
      HostDown: "60s", DiskSpaceLow: "5m", MemoryPressure: "5m", HaproxyDown: "1m", BackendNoHealthyServer: "30s", BackendServerDown: "1m",
      HighErrorRatio: "5m", HighRequestRate: "2m", CertificateExpiresSoon: "10m", LoadBalancerFailover: "0s", AppNotReady: "2m", DatabaseUnreachable: "1m",
    });
    expect(blocks.HighErrorRatio).toMatch(/code="5xx"\}\[5m\]/); // "over 5 min"
    expect(blocks.LoadBalancerFailover).toMatch(/changes\(keepalived_vrrp_state\[10m\]\) > 0/); // "within the last 10 min"
    expect(blocks.CertificateExpiresSoon).toMatch(/max\(probe_ssl_earliest_cert_expiry\{[^}]*\}\) - time\(\) < 1209600/); // "the newest certificate …, 14 days"
    expect(blocks.DiskSpaceLow).toMatch(/fstype!~"[^"]*\btmpfs\b[^"]*\bvfat\b[^"]*"/); // "(not tmpfs/EFI)"
    expect(blocks.HaproxyDown).toMatch(/up\{job=\\"haproxy\\"\} == 0/);
    expect(blocks.AppNotReady).toMatch(/probe_success\{job=\\"[^"\\]*readyz[^"\\]*\\"\} == 0/i);
  });

  it("alerts marked \"(stage 3)\" are absent from stage 2: \"Stage 2 … has no application rules\"", () => {
    const table = readmeAlertTable();
    expect(table.filter((r) => r.stage3Only).map((r) => r.alert)).toEqual(["LoadBalancerFailover", "AppNotReady", "DatabaseUnreachable"]);
    expect(rulesOf(monitoringFiles("stage2-secured-monitored")[ALERT_RULES_PATH])).toEqual(Object.fromEntries(table.filter((r) => !r.stage3Only).map((r) => [r.alert, r.severity])));
  });
});

describe("README \"TLS between the tiers: keys, pins and rotation\"", () => {
  const json = synthStack("stage3-scale-up");
  const tiers = [
    { tier: "web", hosts: instancesWithRole(json, "web"), reload: "systemctl reload nginx" },
    { tier: "app", hosts: instancesWithRole(json, "app"), reload: "platform-app" },
  ];

  it("\"each hold their own key (made on the host at first boot, never in user data, Terraform state or SSM)\"", () => {
    expect(JSON.stringify(json)).not.toMatch(/PRIVATE KEY/);
    for (const { tier, hosts } of tiers) {
      expect(hosts.length).toBeGreaterThan(1);
      for (const host of hosts) {
        const userData = parseCloudConfig(userDataOf(host));
        expect([tier, userData.runcmd?.some((c: unknown) => JSON.stringify(c) === JSON.stringify([TLS_IDENTITY_SCRIPT_PATH]))]).toEqual([tier, true]);
        expect(userData.write_files.find((f) => f.path === TLS_IDENTITY_SCRIPT_PATH)!.content).toMatch(/openssl req -x509 -newkey ec/);
      }
    }
  });

  it("\"a self-signed certificate for their tier's name (`web.<prefix>.internal`, `app.<prefix>.internal` …), valid 90 days\"", () => {
    for (const { tier, hosts } of tiers) {
      const script = filesOf(hosts[0])[TLS_IDENTITY_SCRIPT_PATH];
      expect([tier, /^NAME="(.*)"$/m.exec(script)?.[1], /^VALIDITY_DAYS=(\d+)$/m.exec(script)?.[1]]).toEqual([tier, `${tier}.webplat-dev-stage3.internal`, "90"]);
    }
  });

  it("\"Only the certificate is published, to the server's SSM slot `/<prefix>/tls/<tier>/<private IP>`\": one slot per server, none holding a key", () => {
    const slots = resourcesOf(json, "aws_ssm_parameter").map(([, p]) => p).filter((p) => /\/tls\//.test(p.name));
    const expected = tiers.flatMap(({ tier, hosts }) => hosts.map((h) => `/webplat-dev-stage3/tls/${tier}/${h.private_ip}`));
    expect(slots.map((p) => p.name).sort()).toEqual(expected.sort());
    for (const slot of slots) expect([slot.name, slot.type, /KEY/.test(String(slot.value))]).toEqual([slot.name, "String", false]);
  });

  it("\"`tls-identity.timer` runs `/usr/local/sbin/tls-identity` daily. When fewer than 30 days remain … waits 150 s (callers sync every 60 s …), switches the server to the new key (`systemctl reload nginx`, or a restart of `platform-app`)\"", () => {
    for (const { tier, hosts, reload } of tiers) {
      const files = filesOf(hosts[0]);
      expect([tier, files[`${SYSTEMD_DIR}/tls-identity.service`]]).toEqual([tier, expect.stringContaining(`ExecStart=${TLS_IDENTITY_SCRIPT_PATH}\n`)]);
      expect([tier, files[`${SYSTEMD_DIR}/tls-identity.timer`]]).toEqual([tier, expect.stringContaining("OnUnitActiveSec=86400s\n")]);
      const script = files[TLS_IDENTITY_SCRIPT_PATH];
      expect([tier, /^RENEW_DAYS=(\d+)$/m.exec(script)?.[1], /^OVERLAP_SECONDS="\$\{OVERLAP_SECONDS:-(\d+)\}"$/m.exec(script)?.[1]]).toEqual([tier, "30", "150"]);
      expect([tier, script.includes(reload)]).toEqual([tier, true]);
    }
    // The callers: the web servers pin the application tier on their own timer; the load balancers
    // pin the web tier from their backend sync, which runs the same script.
    for (const web of tiers[0].hosts) {
      const files = filesOf(web);
      expect([web.private_ip, files[`${SYSTEMD_DIR}/tls-trust-sync.timer`]]).toEqual([web.private_ip, expect.stringContaining("OnUnitActiveSec=60s\n")]);
      expect(files[TLS_TRUST_SYNC_SCRIPT_PATH]).toBeDefined();
    }
    const loadBalancers = instancesWithRole(json, "load-balancer");
    expect(loadBalancers).toHaveLength(2);
    for (const lb of loadBalancers) {
      const files = filesOf(lb);
      expect([lb.private_ip, files[`${SYSTEMD_DIR}/haproxy-backend-sync.timer`]]).toEqual([lb.private_ip, expect.stringContaining("OnUnitActiveSec=60s\n")]);
      expect(files[BACKEND_SYNC_SCRIPT_PATH]).toContain(`"${TLS_TRUST_SYNC_SCRIPT_PATH}" "\${slots[@]}"`);
      expect(files[TLS_TRUST_SYNC_SCRIPT_PATH]).toBeDefined();
    }
  });
});

describe("README \"Getting onto a host (SSH off)\"", () => {
  it("\"all five stages side by side put five in the primary region (stage 3 and stage 4 one more each in the secondary)\"", () => {
    const config = testConfig();
    const perRegion: Record<string, string[]> = {};
    for (const stack of ALL_STACKS) {
      const json = synthStack(stack);
      const regionOf = Object.fromEntries((json.provider!.aws as Res[]).map((p) => [p.alias ? `aws.${p.alias}` : "aws", p.region]));
      for (const [, endpoint] of resourcesOf(json, "aws_ec2_instance_connect_endpoint")) (perRegion[regionOf[endpoint.provider ?? "aws"]] ??= []).push(stack);
    }
    expect(perRegion).toEqual({
      [config.primaryRegion]: ALL_STACKS,
      [config.secondaryRegion]: ["stage3-scale-up", "stage4-warm-standby"],
    });
  });

  it.each(ALL_STACKS)("%s: the endpoint is \"in a private subnet — stage 0, which has only a public subnet, in that one\"", (stack) => {
    const json = synthStack(stack);
    const endpoints = resourcesOf(json, "aws_ec2_instance_connect_endpoint");
    expect(endpoints.length).toBeGreaterThan(0);
    const subnetTiers = resourcesOf(json, "aws_subnet").map(([, subnet]) => subnet.tags.Tier);
    for (const [, endpoint] of endpoints) {
      const tier: string = referenced(json, endpoint.subnet_id).config.tags.Tier;
      if (stack === "stage0-single-server") expect([tier, [...new Set(subnetTiers)]]).toEqual(["public", ["public"]]);
      else expect([stack, tier.startsWith("private")]).toEqual([stack, true]);
    }
  });

  it.each(ALL_STACKS)("%s: the operator role is \"`<project>-<environment>-<stage>-operator`\"", (stack) => {
    const json = synthStack(stack, testConfig({ project: "shop", environment: "prod" }));
    const role = referenced(json, String(json.output!.operator_role_arn.value).replace(/\.arn\}$/, ".id}"));
    expect(role.config.name).toBe(`shop-prod-${stack.slice(0, 6)}-operator`);
    expect(role.config.max_session_duration).toBe(3600);
  });
});

describe("README \"Grafana's admin password\"", () => {
  it.each(ALERTING_STACKS)("%s: \"the SSM SecureString named by the output `grafana_admin_parameter` (`/<project>-<environment>-<stage>/grafana-admin`), encrypted with a KMS key of its own\"", (stack) => {
    const json = synthStack(stack, testConfig({ project: "shop", environment: "prod" }));
    const name = `/shop-prod-${stack.slice(0, 6)}/grafana-admin`;
    expect(json.output!.grafana_admin_parameter.value).toBe(name);
    const parameters = resourcesOf(json, "aws_ssm_parameter").filter(([, p]) => p.name === name);
    expect(parameters).toHaveLength(1);
    const [, parameter] = parameters[0];
    expect(parameter.type).toBe("SecureString");
    const key = referenced(json, parameter.key_id);
    expect(key.type).toBe("aws_kms_key");
    const users = resourcesOf(json, "aws_ssm_parameter").filter(([, p]) => referencesKey(p.key_id, key.name));
    expect(users.map(([, p]) => p.name)).toEqual([name]);
    expect(resourcesOf(json, "aws_sns_topic").filter(([, t]) => referencesKey(t.kms_master_key_id, key.name))).toEqual([]);
  });
});

const referencesKey = (value: unknown, keyName: string) => typeof value === "string" && value.startsWith(`\${aws_kms_key.${keyName}.`);

describe("README \"User data size\"", () => {
  it("\"The larger files known at synth time on the monitoring host and the two largest files of each load balancer travel gzip-compressed (cloud-init's `gz+b64`)\"", () => {
    const json = synthStack("stage3-scale-up");
    const raw = (instance: Res) => JSON.parse(userDataOf(instance).replace(/^#cloud-config\n/, "")).write_files as { path: string; content: string; encoding?: string }[];
    const monitoring = raw(instanceWithRole(json, "monitoring"));
    const decoded = parseCloudConfig(userDataOf(instanceWithRole(json, "monitoring"))).write_files;
    const compressed = monitoring.filter((f) => f.encoding === "gz+b64").map((f) => f.path);
    // Known at synth: no Terraform reference in it. The largest of those are compressed; alertmanager.yml names the topic ARN and stays plain.
    const knownAtSynth = parseCloudConfig(userDataOf(instanceWithRole(json, "monitoring"), (r) => `<${r}>`)).write_files.filter((f) => !f.content.includes("<aws_"));
    const largest = [...knownAtSynth].sort((a, b) => b.content.length - a.content.length).slice(0, 4).map((f) => f.path);
    expect(largest.sort()).toEqual([ALERT_RULES_PATH, PROMETHEUS_CONFIG_PATH, GRAFANA_DASHBOARD_PATH, GRAFANA_APT_SETUP_SCRIPT_PATH].sort());
    for (const path of largest) expect(compressed).toContain(path);
    expect(compressed).not.toContain(ALERTMANAGER_CONFIG_PATH);
    expect(decoded.map((f) => f.path)).toContain(ALERTMANAGER_CONFIG_PATH);
    for (const lb of instancesWithRole(json, "load-balancer")) {
      const files = parseCloudConfig(userDataOf(lb)).write_files;
      const largestTwo = [...files].sort((a, b) => b.content.length - a.content.length).slice(0, 2).map((f) => f.path);
      const encoded = raw(lb).filter((f) => f.encoding === "gz+b64").map((f) => f.path);
      expect([lb.private_ip, largestTwo.every((p) => encoded.includes(p))]).toEqual([lb.private_ip, true]);
    }
  });
});

describe("README \"What each alert means\": where the signals come from", () => {
  it("\"`prometheus-blackbox-exporter` on the monitoring host (loopback only)\"; \"HAProxy's exporter (8405)\" scraped on each load balancer", () => {
    const json = synthStack("stage3-scale-up");
    const files = monitoringFiles("stage3-scale-up");
    expect(/^ARGS=".*--web\.listen-address=(\S+?)"?$/m.exec(files[BLACKBOX_DEFAULTS_PATH])?.[1]).toMatch(/^127\.0\.0\.1:\d+$/);
    const haproxyJob = files[PROMETHEUS_CONFIG_PATH].split("- job_name: ").find((job) => job.startsWith("haproxy"))!;
    const targets = [...haproxyJob.matchAll(/targets: \["([^"]+)"\]/g)].map((m) => m[1]).sort();
    expect(targets).toEqual(instancesWithRole(json, "load-balancer").map((lb) => `${lb.private_ip}:8405`).sort());
  });

  it("\"keepalived's `notify` hook, which writes `keepalived_vrrp_state` (1 BACKUP, 2 MASTER, 3 FAULT, 4 STOP) into node_exporter's textfile directory\" (the shipped script, run by bash)", () => {
    const script = filesOf(instanceWithRole(synthStack("stage3-scale-up"), "load-balancer"))[KEEPALIVED_STATE_SCRIPT_PATH];
    expect(script).toMatch(/^dir="\/var\/lib\/prometheus\/node-exporter"$/m);
    const dir = mkdtempSync(join(tmpdir(), "vrrp-state-"));
    writeFileSync(join(dir, "hook"), script.replace(/^dir=".*"$/m, `dir="${dir}/textfile"`));
    for (const [state, value] of [["BACKUP", 1], ["MASTER", 2], ["FAULT", 3], ["STOP", 4]] as const) {
      const run = spawnSync("bash", [join(dir, "hook"), "INSTANCE", "VI_site", state], { encoding: "utf8", env: { PATH: process.env.PATH } });
      expect([state, run.status]).toEqual([state, 0]);
      expect(readFileSync(join(dir, "textfile", "keepalived.prom"), "utf8")).toContain(`\nkeepalived_vrrp_state{vrrp_instance="VI_site"} ${value}\n`);
    }
  });

  it("\"Stage 2 runs the application behind Nginx on each web server (no port 8080)\"; stage 3's application servers admit the monitoring host's probes on 8080", () => {
    const opens8080 = (json: TfJson) => resourcesOf(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r).filter((r) => r.from_port <= 8080 && r.to_port >= 8080);
    expect(opens8080(synthStack("stage2-secured-monitored"))).toEqual([]);
    const stage3 = synthStack("stage3-scale-up");
    const rules = opens8080(stage3);
    expect(rules.length).toBeGreaterThan(0);
    const monitoringGroups = new Set<string>(instanceWithRole(stage3, "monitoring").vpc_security_group_ids);
    for (const rule of rules) expect(monitoringGroups.has(rule.referenced_security_group_id) || rule.cidr_ipv4 === `${instanceWithRole(stage3, "monitoring").private_ip}/32`).toBe(true);
  });
});

describe("README \"Grafana's admin password\": on the host", () => {
  it.each(ALERTING_STACKS)("%s: \"generates Grafana's admin password at first boot (`openssl rand`, in `/etc/grafana-admin/password`, root only)\"", (stack) => {
    const script = monitoringFiles(stack)["/usr/local/sbin/grafana-apt-install"];
    expect(script).toContain(`install -d -m 0700 "$(dirname ${GRAFANA_ADMIN_PASSWORD_PATH})"`);
    expect(script).toContain(`(umask 077 && openssl rand -base64 24 >${GRAFANA_ADMIN_PASSWORD_PATH})`);
    // First boot only: an existing password is kept.
    expect(script).toContain(`if [ ! -s ${GRAFANA_ADMIN_PASSWORD_PATH} ]; then`);
  });
});

describe("README \"TLS between the tiers\": checking it", () => {
  it("the pinned bundle has \"one extra subject, \"no server holds this key\", … a local anchor that keeps the file loadable before any server published\"", () => {
    const script = filesOf(instanceWithRole(synthStack("stage3-scale-up"), "load-balancer"))[TLS_TRUST_SYNC_SCRIPT_PATH];
    expect(script).toMatch(/-subj "\/CN=no server holds this key" -keyout \/dev\/null/);
  });
});

describe("README \"Getting onto a host\": nothing downloaded", () => {
  it.each(ALL_STACKS)("%s: the keys script asks instance metadata only (\"Nothing is downloaded at boot\" for Instance Connect)", (stack) => {
    const json = synthStack(stack);
    const host = resourcesOf(json, "aws_instance").find(([, i]) => i.user_data)?.[1] ?? resourcesOf(json, "aws_launch_template")[0][1];
    const script = parseCloudConfig(userDataOf(host)).write_files.find((f) => f.path === INSTANCE_CONNECT_KEYS_SCRIPT_PATH)!.content;
    expect([...script.matchAll(/https?:\/\/[^\s"']+/g)].map((m) => m[0])).toEqual(["http://169.254.169.254/latest"]);
  });
});

describe("README \"Reviewing a plan\" and \"Pipelines\"", () => {
  it("\"attributes under `lifecycle.ignore_changes` in the synthesized stack (the hosts' `ami`)\"", () => {
    for (const stack of ["stage0-single-server", "stage1-distributed", "stage2-secured-monitored", "stage3-scale-up"]) {
      const instances = resourcesOf(synthStack(stack), "aws_instance");
      expect(instances.length).toBeGreaterThan(0);
      for (const [name, instance] of instances) expect([name, instance.lifecycle?.ignore_changes]).toEqual([name, expect.arrayContaining(["ami"])]);
    }
  });

  it("\"`cdktf.json` runs `scripts/synth-app.js`, like `npm run synth`\"", () => {
    const root = join(__dirname, "..", "..");
    const cdktf = JSON.parse(readFileSync(join(root, "cdktf.json"), "utf8"));
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(cdktf.app).toMatch(/^node (?:--[a-z-]+ )*scripts\/synth-app\.js$/);
    expect(pkg.scripts.synth).toContain("scripts/synth-app.js");
  });
});

describe("README \"Offline plans\"", () => {
  it.each(ALL_STACKS)("%s with `INFRA_PROFILE=offline`: \"mock credentials, the provider's `skip_credentials_validation`/`skip_requesting_account_id`/`skip_metadata_api_check`, fixed AMI ids, no data source that calls AWS, Namecheap switched off\"", (stack) => {
    const json = synthStack(stack, testConfig(undefined, "offline"));
    const providers = json.provider!.aws as Res[];
    for (const provider of providers) {
      // skip_metadata_api_check is a string in hashicorp/aws 5.x ("true", "false" or unset).
      expect([provider.region, provider.skip_credentials_validation, provider.skip_requesting_account_id, provider.skip_metadata_api_check]).toEqual([provider.region, true, true, "true"]);
      // The mock credentials come from the offline Terraform environment, never from the JSON.
      expect([provider.access_key, provider.secret_key, provider.profile]).toEqual([undefined, undefined, undefined]);
    }
    // aws_iam_policy_document is rendered by the provider without an API call; any other AWS data source would call AWS.
    const dataTypes = Object.keys(json.data ?? {}).filter((type) => type.startsWith("aws_") && type !== "aws_iam_policy_document");
    expect(dataTypes).toEqual([]);
    expect(JSON.stringify(json)).not.toContain("${data.aws_ami.");
    const amis = [...resourcesOf(json, "aws_instance"), ...resourcesOf(json, "aws_launch_template")].map(([, r]) => r.ami ?? r.image_id);
    expect(amis.length).toBeGreaterThan(0);
    for (const ami of amis) expect(ami).toMatch(/^ami-0\d{16}$/);
    expect(json.provider!.namecheap ?? []).toEqual([]);
    expect(Object.keys(json.resource!).filter((type) => type.startsWith("namecheap_"))).toEqual([]);
  });
});

describe("README \"Configuration\": upgrading from 0.1.0", () => {
  it("\"stage N's VPCs moved to the N-th block after the configured CIDRs (stage 3: 10.13.0.0/16 and 10.23.0.0/16)\"", () => {
    expect(resourcesOf(synthStack("stage3-scale-up"), "aws_vpc").map(([, v]) => v.cidr_block).sort()).toEqual(["10.13.0.0/16", "10.23.0.0/16"]);
    for (const [n, stack] of ALL_STACKS.entries()) {
      expect([stack, resourcesOf(synthStack(stack), "aws_vpc").map(([, v]) => v.cidr_block)]).toEqual([stack, expect.arrayContaining([`10.1${n}.0.0/16`])]);
    }
  });
});

describe("README \"Offline plans\": the Terraform environment", () => {
  it("\"mock credentials\"; \"the script writes its own Terraform CLI config …, so the environment's `TF_CLI_CONFIG_FILE` does not matter\"", () => {
    const previous = process.env.TF_CLI_CONFIG_FILE;
    process.env.TF_CLI_CONFIG_FILE = "/somewhere/else.tfrc";
    try {
      const env = offlineEnv({ terraform: "bin/terraform", mirror: "tf-plugins", cliConfigFile: "offline.tfrc" });
      expect(env.TF_CLI_CONFIG_FILE).toBe("offline.tfrc");
      expect([env.AWS_ACCESS_KEY_ID, env.AWS_SECRET_ACCESS_KEY].every((v) => typeof v === "string" && /mock/i.test(v))).toBe(true);
      expect([env.AWS_EC2_METADATA_DISABLED, env.AWS_PROFILE, env.AWS_SHARED_CREDENTIALS_FILE]).toEqual(["true", "", "/dev/null"]);
    } finally {
      if (previous === undefined) delete process.env.TF_CLI_CONFIG_FILE;
      else process.env.TF_CLI_CONFIG_FILE = previous;
    }
  });
});
