/**
 * prometheus.yml read as Prometheus reads it (parsed YAML, not text matches):
 * which jobs exist, what each scrapes, the labels every target carries
 * (Alertmanager groups and inhibits by `host`; the rules read `job`), and how
 * a probe reaches its target through blackbox_exporter.
 */
import { renderPrometheusConfig, PrometheusParams } from "../../modules/server-config/prometheus";
import { NODE_EXPORTER_PACKAGE, withNodeExporter } from "../../modules/server-config/node-exporter";
import { ALERT_JOBS } from "../../modules/server-config/alert-rules";
import { InvalidInputError } from "../../modules/core/validation";
import { parseYaml } from "../support/validators";

interface Relabel { source_labels?: string[]; regex?: string; target_label: string; replacement?: string }
interface StaticConfig { targets: string[]; labels: Record<string, string> }
interface Job {
  job_name: string;
  metrics_path?: string;
  params?: { module: string[] };
  static_configs?: StaticConfig[];
  ec2_sd_configs?: { region: string; port: number; refresh_interval: string; filters: { name: string; values: string[] }[] }[];
  relabel_configs?: Relabel[];
}
interface Config {
  global: { scrape_interval: string; evaluation_interval: string };
  alerting?: { alertmanagers: { static_configs: { targets: string[] }[] }[] };
  rule_files?: string[];
  scrape_configs: Job[];
}

const base: PrometheusParams = { regions: ["eu-west-1", "eu-central-1"], projectTagKey: "Project", projectTagValue: "webplatform" };
const full: PrometheusParams = {
  ...base,
  haproxyExporterTargets: ["10.0.1.10:8405"],
  scrapeIntervalSeconds: 30,
  discoveryRefreshSeconds: 120,
  roleTagKey: "aws:platform/role",
  alerting: { alertmanager: "localhost:9093", ruleFiles: ["/etc/prometheus/rules/a.yml", "/etc/prometheus/rules/b.yml"] },
  probes: { blackbox: "127.0.0.1:9115", tlsTargets: ["10.0.1.10:443", "10.0.2.10:443"], appTargets: ["10.0.21.5:8080"] },
};
const parse = (params: PrometheusParams) => parseYaml(renderPrometheusConfig(params)) as Config;
const job = (config: Config, name: string) => {
  const found = config.scrape_configs.find((j) => j.job_name === name);
  if (!found) throw new Error(`no job ${name} in ${config.scrape_configs.map((j) => j.job_name).join(", ")}`);
  return found;
};

describe("prometheus.yml as Prometheus reads it", () => {
  const config = parse(full);

  it("scrapes and evaluates at the configured interval", () => {
    expect(config.global).toEqual({ scrape_interval: "30s", evaluation_interval: "30s" });
    expect(parse(base).global).toEqual({ scrape_interval: "15s", evaluation_interval: "15s" });
  });

  it("has exactly the jobs the alert rules read, and Prometheus itself", () => {
    expect(config.scrape_configs.map((j) => j.job_name)).toEqual(["prometheus", ...Object.values(ALERT_JOBS)]);
    expect(parse(base).scrape_configs.map((j) => j.job_name)).toEqual(["prometheus", ALERT_JOBS.node]);
    expect(job(config, "prometheus").static_configs).toEqual([{ targets: ["localhost:9090"] }]);
  });

  it("discovers running instances of the project in each region, refreshed at the configured interval", () => {
    const blocks = job(config, ALERT_JOBS.node).ec2_sd_configs!;
    expect(blocks.map((b) => b.region)).toEqual(["eu-west-1", "eu-central-1"]);
    for (const block of blocks) {
      expect(block.port).toBe(9100);
      expect(block.refresh_interval).toBe("120s");
      expect(block.filters).toEqual([
        { name: "tag:Project", values: ["webplatform"] },
        { name: "instance-state-name", values: ["running"] },
      ]);
    }
    expect(job(parse(base), ALERT_JOBS.node).ec2_sd_configs![0].refresh_interval).toBe("60s");
  });

  it("labels each discovered host with its private IP, Name tag, region, role tag and instance id, and scrapes the private IP", () => {
    expect(job(config, ALERT_JOBS.node).relabel_configs).toEqual([
      { source_labels: ["__meta_ec2_private_ip"], regex: "(.+)", target_label: "__address__", replacement: "${1}:9100" },
      { source_labels: ["__meta_ec2_private_ip"], target_label: "host" },
      { source_labels: ["__meta_ec2_tag_Name"], target_label: "name" },
      { source_labels: ["__meta_ec2_region"], target_label: "region" },
      // Prometheus writes every character of a tag key that is not [a-zA-Z0-9_] as _.
      { source_labels: ["__meta_ec2_tag_aws_platform_role"], target_label: "role" },
      { source_labels: ["__meta_ec2_instance_id"], target_label: "instance_id" },
    ]);
  });

  it("scrapes each HAProxy exporter with its host and role labels", () => {
    expect(job(config, ALERT_JOBS.haproxy)).toEqual({
      job_name: ALERT_JOBS.haproxy,
      metrics_path: "/metrics",
      static_configs: [{ targets: ["10.0.1.10:8405"], labels: { host: "10.0.1.10", role: "loadbalancer" } }],
    });
  });

  it("probes each load balancer's TLS certificate through the local blackbox_exporter", () => {
    expect(job(config, ALERT_JOBS.tls)).toEqual({
      job_name: ALERT_JOBS.tls,
      metrics_path: "/probe",
      params: { module: ["tls_expiry"] },
      static_configs: [
        { targets: ["10.0.1.10:443"], labels: { host: "10.0.1.10", role: "loadbalancer" } },
        { targets: ["10.0.2.10:443"], labels: { host: "10.0.2.10", role: "loadbalancer" } },
      ],
      relabel_configs: [
        { source_labels: ["__address__"], target_label: "__param_target" },
        { source_labels: ["__param_target"], target_label: "instance" },
        { target_label: "__address__", replacement: "127.0.0.1:9115" },
      ],
    });
  });

  it("probes each application server's /healthz and /readyz, labelled with the server's IP", () => {
    for (const [name, path] of [[ALERT_JOBS.appHealthz, "/healthz"], [ALERT_JOBS.appReadyz, "/readyz"]]) {
      const probe = job(config, name);
      expect(probe.params).toEqual({ module: ["http_200"] });
      expect(probe.static_configs).toEqual([{ targets: [`http://10.0.21.5:8080${path}`], labels: { host: "10.0.21.5", role: "app" } }]);
      expect(probe.relabel_configs).toEqual(job(config, ALERT_JOBS.tls).relabel_configs);
    }
    const tlsOnly = parse({ ...base, probes: { blackbox: "127.0.0.1:9115", tlsTargets: ["10.0.1.10:443"] } });
    expect(tlsOnly.scrape_configs.map((j) => j.job_name)).toEqual(["prometheus", ALERT_JOBS.node, ALERT_JOBS.tls]);
  });

  it("sends alerts to the configured Alertmanager and evaluates every rule file, and has neither without alerting", () => {
    expect(config.alerting).toEqual({ alertmanagers: [{ static_configs: [{ targets: ["localhost:9093"] }] }] });
    expect(config.rule_files).toEqual(["/etc/prometheus/rules/a.yml", "/etc/prometheus/rules/b.yml"]);
    expect(parse(base)).not.toHaveProperty("alerting");
    expect(parse(base)).not.toHaveProperty("rule_files");
  });
});

describe("prometheus.yml refuses what would scrape the wrong thing", () => {
  it.each([
    ["an extra tag key with a quote", { ...base, extraTagFilters: [{ key: 'St"ack', value: "x" }] }, "prometheus.extraTagFilters[0].key", "an EC2 tag key of letters, digits and _ . : / = + @ -"],
    ["two extra tags with one key", { ...base, extraTagFilters: [{ key: "Stack", value: "a" }, { key: "Stack", value: "b" }] }, "prometheus.extraTagFilters", "each entry at most once"],
    ["an exporter target twice", { ...base, haproxyExporterTargets: ["10.0.1.10:8405", "10.0.1.10:8405"] }, "prometheus.haproxyExporterTargets", "each entry at most once"],
    ["an Alertmanager without a port", { ...base, alerting: { alertmanager: "localhost", ruleFiles: [] } }, "prometheus.alerting.alertmanager", 'a "host:port" such as localhost:9093'],
    ["an Alertmanager given as a URL", { ...base, alerting: { alertmanager: "http://localhost:9093", ruleFiles: [] } }, "prometheus.alerting.alertmanager", 'a "host:port" such as localhost:9093'],
    ["an Alertmanager with a path", { ...base, alerting: { alertmanager: "localhost:9093/api", ruleFiles: [] } }, "prometheus.alerting.alertmanager", 'a "host:port" such as localhost:9093'],
    ["no region", { ...base, regions: [] }, "prometheus.regions", "at least one AWS region"],
    ["a project tag key with a quote", { ...base, projectTagKey: 'Pro"ject' }, "prometheus.projectTagKey", "an EC2 tag key of letters, digits and _ . : / = + @ -"],
    ["a role tag key with a space", { ...base, roleTagKey: "my role" }, "prometheus.roleTagKey", "an EC2 tag key of letters, digits and _ . : / = + @ -"],
    ["a relative rule file", { ...base, alerting: { alertmanager: "localhost:9093", ruleFiles: ["rules/a.yml"] } }, "prometheus.alerting.ruleFiles[0]", "an absolute path"],
    ["a blackbox without a port", { ...base, probes: { blackbox: "127.0.0.1", tlsTargets: [] } }, "prometheus.probes.blackbox", '"ip:port"'],
    ["a TLS target by name", { ...base, probes: { blackbox: "127.0.0.1:9115", tlsTargets: ["lb.example.com:443"] } }, "prometheus.probes.tlsTargets[0]", '"ip:port"'],
    ["an application target by name", { ...base, probes: { blackbox: "127.0.0.1:9115", tlsTargets: [], appTargets: ["app:8080"] } }, "prometheus.probes.appTargets[0]", '"ip:port"'],
    ["a scrape interval over 5 minutes", { ...base, scrapeIntervalSeconds: 301 }, "prometheus.scrapeIntervalSeconds", "301"],
    ["a discovery refresh over an hour", { ...base, discoveryRefreshSeconds: 3601 }, "prometheus.discoveryRefreshSeconds", "3601"],
  ])("refuses %s, naming the field and what is allowed", (_name, params, field, allowed) => {
    expect(() => renderPrometheusConfig(params as PrometheusParams)).toThrow(InvalidInputError);
    expect(() => renderPrometheusConfig(params as PrometheusParams)).toThrow(field);
    expect(() => renderPrometheusConfig(params as PrometheusParams)).toThrow(allowed);
  });

  it("accepts the edges: 1 s and 300 s scrapes, 10 s and 3600 s refreshes, tag keys with every allowed sign", () => {
    for (const scrapeIntervalSeconds of [1, 300]) expect(() => renderPrometheusConfig({ ...base, scrapeIntervalSeconds })).not.toThrow();
    for (const discoveryRefreshSeconds of [10, 3600]) expect(() => renderPrometheusConfig({ ...base, discoveryRefreshSeconds })).not.toThrow();
    expect(() => renderPrometheusConfig({ ...base, roleTagKey: "aws:a_b.c/d=e+f@g-h" })).not.toThrow();
  });
});

describe("node_exporter on every host (what the node job scrapes)", () => {
  it("adds Debian's prometheus-node-exporter to a role's packages once, keeping the others and the rest of the config", () => {
    const config = { packages: ["nginx"], runcmd: [["systemctl", "start", "nginx"]] };
    const once = withNodeExporter(config);
    expect(once).toEqual({ ...config, packages: ["nginx", NODE_EXPORTER_PACKAGE] });
    expect(withNodeExporter(once)).toEqual(once);
    expect(withNodeExporter({}).packages).toEqual(["prometheus-node-exporter"]);
    expect(config.packages).toEqual(["nginx"]);
  });
});
