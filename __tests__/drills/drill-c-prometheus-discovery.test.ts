/**
 * Drill C (issue 3, proof 5): Prometheus runs the generated prometheus.yml,
 * with EC2 discovery swapped for file discovery that carries the same
 * __meta_ec2_* labels EC2 would produce, inside a network namespace where the
 * "instance" private IP exists. The generated relabelling must turn that into
 * a scrape of node_exporter on <private_ip>:9100 with name/region/role labels,
 * and the target must be up.
 */
import { chmodSync, writeFileSync } from "fs";
import { join } from "path";
import { ALERT_RULES_PATH, PROMETHEUS_CONFIG_PATH } from "../../modules/server-config/paths";
import { Drill, inNamespace, makeDrillDir, must, seconds, relocateRuleFiles, swapEc2ForFileDiscovery, waitFor } from "../support/drill-kit";
import { renderedFile } from "../support/rendered-files";
import { describeWithTools, run } from "../support/tools";
import { stage3Facts } from "../support/rendered-files";

const MONITORING = stage3Facts().monitoring;

const PRIVATE_IP = "10.0.11.10";

describeWithTools("Drill C: Prometheus relabels discovered instances and scrapes node_exporter", ["prometheus", "prometheus-node-exporter", "promtool", "ip", "curl"], true, () => {
  let drill: Drill;
  let ns: string;

  beforeAll(() => {
    drill = new Drill("drillc", makeDrillDir("drill-c"));
    chmodSync(drill.dir, 0o755);
    ns = drill.namespace("mon");
    must(run("ip", ["-n", ns, "addr", "add", `${PRIVATE_IP}/32`, "dev", "lo"]), "instance address");
  });

  afterAll(async () => {
    await drill?.cleanup();
  });

  it("scrapes node_exporter at private_ip:9100 with name, region and role labels", async () => {
    const dir = drill.dir;
    const targets = join(dir, "targets.json");
    writeFileSync(targets, JSON.stringify([
      {
        targets: [`${PRIVATE_IP}:80`],
        labels: {
          __meta_ec2_private_ip: PRIVATE_IP,
          __meta_ec2_region: MONITORING.regions[0],
          __meta_ec2_instance_id: "i-0ccccccccccccccc3",
          [`__meta_ec2_tag_${MONITORING.projectTagKey}`]: MONITORING.projectTagValue,
          __meta_ec2_tag_Name: "web-1",
          __meta_ec2_tag_Role: "web",
        },
      },
    ]));
    const config = join(dir, "prometheus.yml");
    const generated = swapEc2ForFileDiscovery(renderedFile("monitoring", PROMETHEUS_CONFIG_PATH), targets);
    writeFileSync(config, relocateRuleFiles(generated, dir, { [ALERT_RULES_PATH]: renderedFile("monitoring", ALERT_RULES_PATH) }));
    must(run("promtool", ["check", "config", config]), "promtool check config");

    const started = Date.now();
    drill.start("node-exporter", "ip", ["netns", "exec", ns, "prometheus-node-exporter", `--web.listen-address=${PRIVATE_IP}:9100`]);
    drill.start("prometheus", "ip", ["netns", "exec", ns, "prometheus", `--config.file=${config}`, `--storage.tsdb.path=${join(dir, "data")}`, "--web.listen-address=127.0.0.1:9090"]);

    const target = await waitFor("node target up", 20000, () => {
      const r = inNamespace(ns, "curl", ["-sf", "-m", "2", "http://127.0.0.1:9090/api/v1/targets?state=active"]);
      if (r.code !== 0) return undefined;
      const active = JSON.parse(r.stdout).data.activeTargets as { labels: Record<string, string>; health: string; scrapeUrl: string }[];
      return active.find((t) => t.labels.job === "node" && t.health === "up");
    }, 250);
    // eslint-disable-next-line no-console
    console.log(`Drill C: node target up after ${seconds(started)} s: ${target.scrapeUrl} ${JSON.stringify(target.labels)}`);
    expect(target.scrapeUrl).toBe(`http://${PRIVATE_IP}:9100/metrics`);
    expect(target.labels).toMatchObject({ name: "web-1", region: MONITORING.regions[0], role: "web", instance_id: "i-0ccccccccccccccc3" });
  });
});
