/**
 * Drill D (issue 11): an alert reaches a person. Prometheus and Alertmanager
 * run with the files of the synthesized stage 3 monitoring host (prometheus.yml,
 * the rule file, alertmanager.yml and Alertmanager's ARGS from its defaults
 * file), inside a network namespace. A webhook receiver on the namespace's
 * loopback stands in for SNS: the stack is synthesized with `alerts.webhookUrl`
 * pointing at it. The SNS receiver stays in the file and fails inside the
 * namespace (no route out), which must not hold back the webhook.
 *
 * Time is compressed through the configuration (alerts.hostDownAfterSeconds: 5,
 * alerts.groupWaitSeconds: 1) and by scraping and evaluating every second (the
 * only edit to the generated prometheus.yml besides file discovery and the
 * rule file's location). node_exporter is stopped → HostDown must arrive at
 * the webhook, with its labels and first response, within the bound below.
 */
import { chmodSync, existsSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { ALERT_RULES_PATH, ALERTMANAGER_CONFIG_PATH, ALERTMANAGER_DEFAULTS_PATH, PROMETHEUS_CONFIG_PATH } from "../../modules/server-config/paths";
import { Drill, inNamespace, makeDrillDir, must, relocateRuleFiles, seconds, swapEc2ForFileDiscovery, waitFor } from "../support/drill-kit";
import { renderedFileWith, stage3Facts } from "../support/rendered-files";
import { testConfig } from "../support/synth";
import { describeWithTools, run } from "../support/tools";

const MONITORING = stage3Facts().monitoring;
const PRIVATE_IP = "10.0.11.10";
const WEBHOOK_PORT = 9099;
const CONFIG = testConfig({ alerts: { webhookUrl: `http://127.0.0.1:${WEBHOOK_PORT}/alerts`, hostDownAfterSeconds: 5, groupWaitSeconds: 1 } });
/** Scrape (1 s) + HostDown's `for` (5 s) + evaluation (1 s) + group_wait (1 s), with room for a loaded 2-core machine. */
const DELIVERY_BOUND_MS = 30000;

/** Records every POST body as one JSON line. */
const WEBHOOK_RECEIVER = `
import http.server, sys
out = sys.argv[2]
class H(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        with open(out, "ab") as f:
            f.write(body.replace(b"\\n", b" ") + b"\\n")
        self.send_response(200)
        self.end_headers()
    def log_message(self, *args):
        pass
http.server.HTTPServer(("127.0.0.1", int(sys.argv[1])), H).serve_forever()
`;

interface WebhookAlert { status: string; labels: Record<string, string>; annotations: Record<string, string> }
interface WebhookMessage { receiver: string; status: string; alerts: WebhookAlert[] }

function file(path: string): string {
  return renderedFileWith(CONFIG, "monitoring", path);
}

/** ARGS="…" of a Debian defaults file, as the unit passes them to the daemon. */
function argsOf(defaults: string): string[] {
  const m = /^ARGS="([^"]*)"$/m.exec(defaults);
  if (!m) throw new Error(`no ARGS in ${defaults}`);
  return m[1].split(/\s+/).filter(Boolean);
}

describeWithTools("Drill D: a stopped node_exporter reaches the webhook as HostDown", ["prometheus", "prometheus-alertmanager", "prometheus-node-exporter", "python3", "ip", "curl"], true, () => {
  let drill: Drill;
  let ns: string;

  beforeAll(() => {
    drill = new Drill("drilld", makeDrillDir("drill-d"));
    chmodSync(drill.dir, 0o755);
    ns = drill.namespace("mon");
    must(run("ip", ["-n", ns, "addr", "add", `${PRIVATE_IP}/32`, "dev", "lo"]), "instance address");
  });

  afterAll(async () => {
    await drill?.cleanup();
  });

  it("delivers HostDown with its first response to the receiver within the bound", async () => {
    const dir = drill.dir;
    const targets = join(dir, "targets.json");
    writeFileSync(targets, JSON.stringify([{
      targets: [`${PRIVATE_IP}:80`],
      labels: {
        __meta_ec2_private_ip: PRIVATE_IP,
        __meta_ec2_region: MONITORING.regions[0],
        __meta_ec2_instance_id: "i-0ddddddddddddddd4",
        [`__meta_ec2_tag_${MONITORING.projectTagKey}`]: MONITORING.projectTagValue,
        __meta_ec2_tag_Name: "web-1",
        __meta_ec2_tag_Role: "web",
      },
    }]));
    const generated = swapEc2ForFileDiscovery(file(PROMETHEUS_CONFIG_PATH), targets).replace(/evaluation_interval: \d+s/, "evaluation_interval: 1s");
    const prometheusYml = join(dir, "prometheus.yml");
    writeFileSync(prometheusYml, relocateRuleFiles(generated, dir, { [ALERT_RULES_PATH]: file(ALERT_RULES_PATH) }));
    must(run("promtool", ["check", "config", prometheusYml]), "promtool check config");
    const alertmanagerYml = join(dir, "alertmanager.yml");
    const alertmanagerConfig = file(ALERTMANAGER_CONFIG_PATH);
    expect(alertmanagerConfig).toContain("sns_configs:");
    expect(alertmanagerConfig).toContain(`url: "http://127.0.0.1:${WEBHOOK_PORT}/alerts"`);
    writeFileSync(alertmanagerYml, alertmanagerConfig);
    const amArgs = argsOf(file(ALERTMANAGER_DEFAULTS_PATH));
    expect(amArgs).toContain("--web.listen-address=127.0.0.1:9093");

    const received = join(dir, "webhook.jsonl");
    writeFileSync(join(dir, "receiver.py"), WEBHOOK_RECEIVER);
    drill.start("webhook", "ip", ["netns", "exec", ns, "python3", join(dir, "receiver.py"), String(WEBHOOK_PORT), received]);
    const nodeExporter = drill.start("node-exporter", "ip", ["netns", "exec", ns, "prometheus-node-exporter", `--web.listen-address=${PRIVATE_IP}:9100`]);
    drill.start("alertmanager", "ip", ["netns", "exec", ns, "prometheus-alertmanager", ...amArgs, `--config.file=${alertmanagerYml}`, `--storage.path=${join(dir, "alertmanager")}`]);
    drill.start("prometheus", "ip", ["netns", "exec", ns, "prometheus", `--config.file=${prometheusYml}`, `--storage.tsdb.path=${join(dir, "data")}`, "--web.listen-address=127.0.0.1:9090"]);

    await waitFor("node target up", 30000, () => {
      const r = inNamespace(ns, "curl", ["-sf", "-m", "2", "http://127.0.0.1:9090/api/v1/targets?state=active"]);
      if (r.code !== 0) return undefined;
      return (JSON.parse(r.stdout).data.activeTargets as { labels: Record<string, string>; health: string }[]).find((t) => t.labels.job === "node" && t.health === "up");
    }, 250);
    await waitFor("Prometheus sees Alertmanager", 30000, () => {
      const r = inNamespace(ns, "curl", ["-sf", "-m", "2", "http://127.0.0.1:9090/api/v1/alertmanagers"]);
      return r.code === 0 && (JSON.parse(r.stdout).data.activeAlertmanagers as { url: string }[]).some((a) => a.url.includes("localhost:9093"));
    }, 250);

    const stopped = Date.now();
    process.kill(nodeExporter.pid!, "SIGTERM");
    const alert = await waitFor("HostDown at the webhook", DELIVERY_BOUND_MS + 30000, () => {
      if (!existsSync(received)) return undefined;
      const messages = readFileSync(received, "utf8").split("\n").filter(Boolean).map((line) => JSON.parse(line) as WebhookMessage);
      return messages.flatMap((m) => m.alerts.map((a) => ({ ...a, receiver: m.receiver }))).find((a) => a.labels.alertname === "HostDown" && a.status === "firing" && a.labels.host === PRIVATE_IP);
    }, 100);
    const elapsed = Date.now() - stopped;
    // eslint-disable-next-line no-console
    console.log(`Drill D: node_exporter stopped → HostDown at the webhook after ${seconds(stopped)} s (bound ${DELIVERY_BOUND_MS / 1000} s)`);

    expect(elapsed).toBeLessThan(DELIVERY_BOUND_MS);
    expect(alert.receiver).toBe("operators");
    expect(alert.labels).toMatchObject({ severity: "critical", job: "node", name: "web-1", role: "web", instance_id: "i-0ddddddddddddddd4" });
    expect(alert.annotations.runbook).toMatch(/EC2 console/);
    expect(alert.annotations.summary).toBe(`web-1 (${PRIVATE_IP}, web) does not answer node_exporter scrapes`);
    // The SNS integration was tried as well (and fails: the namespace has no route out), independently of the webhook.
    const attempts = await waitFor("an SNS notification attempt", 30000, () => {
      const r = inNamespace(ns, "curl", ["-sf", "-m", "2", "http://127.0.0.1:9093/metrics"]);
      const m = /^alertmanager_notifications_total\{integration="sns"\} (\d+)/m.exec(r.stdout);
      return m && Number(m[1]) > 0 ? r.stdout : undefined;
    }, 250);
    expect(attempts).toMatch(/^alertmanager_notifications_total\{integration="webhook"\} [1-9]/m);
  }, 120000);
});
