/**
 * prometheus.yml for the monitoring host: node_exporter on every project
 * instance found by EC2 service discovery (one block per region, filtered on
 * the project's tag, scraped on the private IP), HAProxy's built-in exporter on
 * the load balancers, and Prometheus itself.
 * Pure: no cdktf import.
 */
import { check } from "../core/validation";
import { checkAbsolutePath, checkHostPort, checkIntegerRange, checkRegion, checkSimpleName, checkUnique } from "./inputs";
import { ALERT_JOBS } from "./alert-rules";
import { BLACKBOX_MODULES } from "./blackbox";

export const NODE_EXPORTER_PORT = 9100;

export interface PrometheusParams {
  /** Regions whose instances are discovered (each gets its own ec2_sd_configs block). */
  readonly regions: readonly string[];
  /** Tag key that marks the project's instances, e.g. "Project". */
  readonly projectTagKey: string;
  /** Its value, e.g. "webplatform". */
  readonly projectTagValue: string;
  /** More tags a discovered instance must carry, e.g. Environment and Stack, so another environment's or stack's hosts in the same account are not scraped. @default [] */
  readonly extraTagFilters?: readonly { readonly key: string; readonly value: string }[];
  /** Tag key holding the instance's role (becomes the `role` label). @default "Role" */
  readonly roleTagKey?: string;
  /** HAProxy exporter endpoints "ip:port" (the load balancers' private IPs). @default [] */
  readonly haproxyExporterTargets?: readonly string[];
  /** Scrape interval in seconds. @default 15 */
  readonly scrapeIntervalSeconds?: number;
  /** How often EC2 discovery refreshes, in seconds. @default 60 */
  readonly discoveryRefreshSeconds?: number;
  /** Alertmanager "host:port" alerts are sent to, and the rule files evaluated. @default none (no alerting) */
  readonly alerting?: { readonly alertmanager: string; readonly ruleFiles: readonly string[] };
  /** blackbox_exporter "host:port" and what it probes. @default none */
  readonly probes?: {
    readonly blackbox: string;
    /** "ip:port" of TLS endpoints whose certificate expiry is read (module tls_expiry). */
    readonly tlsTargets: readonly string[];
    /** "ip:port" of application servers whose /healthz and /readyz are probed (module http_200). @default [] */
    readonly appTargets?: readonly string[];
  };
}

const TAG_KEY = /^[A-Za-z0-9_.:/=+@-]{1,128}$/;

/** Prometheus label names derive from tag keys: __meta_ec2_tag_<key with other chars as _>. */
function tagLabel(key: string): string {
  return `__meta_ec2_tag_${key.replace(/[^a-zA-Z0-9_]/g, "_")}`;
}

export function renderPrometheusConfig(params: PrometheusParams): string {
  check(params.regions.length > 0, "prometheus.regions", params.regions, "at least one AWS region");
  params.regions.forEach((r, i) => checkRegion(`prometheus.regions[${i}]`, r));
  checkUnique("prometheus.regions", params.regions);
  check(TAG_KEY.test(params.projectTagKey), "prometheus.projectTagKey", params.projectTagKey, "an EC2 tag key of letters, digits and _ . : / = + @ -");
  checkSimpleName("prometheus.projectTagValue", params.projectTagValue, 128);
  const tagFilters = [{ key: params.projectTagKey, value: params.projectTagValue }, ...(params.extraTagFilters ?? [])];
  (params.extraTagFilters ?? []).forEach((tag, i) => {
    check(TAG_KEY.test(tag.key), `prometheus.extraTagFilters[${i}].key`, tag.key, "an EC2 tag key of letters, digits and _ . : / = + @ -");
    checkSimpleName(`prometheus.extraTagFilters[${i}].value`, tag.value, 128);
  });
  checkUnique("prometheus.extraTagFilters", tagFilters.map((t) => t.key));
  const roleTagKey = params.roleTagKey ?? "Role";
  check(TAG_KEY.test(roleTagKey), "prometheus.roleTagKey", roleTagKey, "an EC2 tag key of letters, digits and _ . : / = + @ -");
  const haproxyTargets = params.haproxyExporterTargets ?? [];
  haproxyTargets.forEach((t, i) => checkHostPort(`prometheus.haproxyExporterTargets[${i}]`, t));
  checkUnique("prometheus.haproxyExporterTargets", haproxyTargets);
  const interval = params.scrapeIntervalSeconds ?? 15;
  checkIntegerRange("prometheus.scrapeIntervalSeconds", interval, 1, 300);
  const refresh = params.discoveryRefreshSeconds ?? 60;
  checkIntegerRange("prometheus.discoveryRefreshSeconds", refresh, 10, 3600);

  const alerting = params.alerting;
  if (alerting) {
    check(/^[A-Za-z0-9.-]+:\d{1,5}$/.test(alerting.alertmanager), "prometheus.alerting.alertmanager", alerting.alertmanager, 'a "host:port" such as localhost:9093');
    alerting.ruleFiles.forEach((f, i) => checkAbsolutePath(`prometheus.alerting.ruleFiles[${i}]`, f));
  }
  const probes = params.probes;
  if (probes) {
    checkHostPort("prometheus.probes.blackbox", probes.blackbox);
    probes.tlsTargets.forEach((t, i) => checkHostPort(`prometheus.probes.tlsTargets[${i}]`, t));
    (probes.appTargets ?? []).forEach((t, i) => checkHostPort(`prometheus.probes.appTargets[${i}]`, t));
  }

  const ec2Blocks = params.regions
    .map((region) => `      - region: ${region}
        port: ${NODE_EXPORTER_PORT}
        refresh_interval: ${refresh}s
        filters:
${tagFilters.map((tag) => `          - name: "tag:${tag.key}"
            values: ["${tag.value}"]`).join("\n")}
          - name: instance-state-name
            values: ["running"]`)
    .join("\n");
  // Every target carries `host` (its private IP): Alertmanager groups and inhibits by it.
  const staticTargets = (hostPorts: readonly string[], labels: Record<string, string>, toTarget: (hostPort: string) => string = (t) => t) =>
    hostPorts.map((t) => `      - targets: ["${toTarget(t)}"]
        labels:
${Object.entries({ host: t.split(":")[0], ...labels }).map(([k, v]) => `          ${k}: ${v}`).join("\n")}`).join("\n");
  const haproxyJob = haproxyTargets.length === 0
    ? ""
    : `
  - job_name: ${ALERT_JOBS.haproxy}
    metrics_path: /metrics
    static_configs:
${staticTargets(haproxyTargets, { role: "loadbalancer" })}
`;
  const probeJob = (job: string, module: string, targets: readonly string[], role: string, toTarget?: (hostPort: string) => string) => targets.length === 0 ? "" : `
  - job_name: ${job}
    metrics_path: /probe
    params:
      module: [${module}]
    static_configs:
${staticTargets(targets, { role }, toTarget)}
    relabel_configs:
      # Probe the target through the local blackbox_exporter.
      - source_labels: [__address__]
        target_label: __param_target
      - source_labels: [__param_target]
        target_label: instance
      - target_label: __address__
        replacement: "${probes?.blackbox}"
`;
  const probeJobs = probes
    ? probeJob(ALERT_JOBS.tls, BLACKBOX_MODULES.tls, probes.tlsTargets, "loadbalancer") +
      probeJob(ALERT_JOBS.appHealthz, BLACKBOX_MODULES.http, probes.appTargets ?? [], "app", (t) => `http://${t}/healthz`) +
      probeJob(ALERT_JOBS.appReadyz, BLACKBOX_MODULES.http, probes.appTargets ?? [], "app", (t) => `http://${t}/readyz`)
    : "";
  const alertingBlock = alerting
    ? `
alerting:
  alertmanagers:
    - static_configs:
        - targets: ["${alerting.alertmanager}"]

rule_files:
${alerting.ruleFiles.map((f) => `  - ${f}`).join("\n")}
`
    : "";
  return `# Managed by the platform's server-config renderer.
global:
  scrape_interval: ${interval}s
  evaluation_interval: ${interval}s
${alertingBlock}
scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ["localhost:9090"]

  - job_name: ${ALERT_JOBS.node}
    ec2_sd_configs:
${ec2Blocks}
    relabel_configs:
      # Scrape the private address on node_exporter's port.
      - source_labels: [__meta_ec2_private_ip]
        regex: "(.+)"
        target_label: __address__
        replacement: "\${1}:${NODE_EXPORTER_PORT}"
      - source_labels: [__meta_ec2_private_ip]
        target_label: host
      - source_labels: [${tagLabel("Name")}]
        target_label: name
      - source_labels: [__meta_ec2_region]
        target_label: region
      - source_labels: [${tagLabel(roleTagKey)}]
        target_label: role
      - source_labels: [__meta_ec2_instance_id]
        target_label: instance_id
${haproxyJob}${probeJobs}`;
}
