/**
 * prometheus.yml for the monitoring host: node_exporter on every project
 * instance found by EC2 service discovery (one block per region, filtered on
 * the project's tag, scraped on the private IP), HAProxy's built-in exporter on
 * the load balancers, and Prometheus itself.
 * Pure: no cdktf import.
 */
import { check } from "../core/validation";
import { checkHostPort, checkIntegerRange, checkRegion, checkSimpleName, checkUnique } from "./inputs";

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
  const haproxyJob = haproxyTargets.length === 0
    ? ""
    : `
  - job_name: haproxy
    metrics_path: /metrics
    static_configs:
      - targets:
${haproxyTargets.map((t) => `          - "${t}"`).join("\n")}
        labels:
          role: loadbalancer
`;
  return `# Managed by the platform's server-config renderer.
global:
  scrape_interval: ${interval}s
  evaluation_interval: ${interval}s

scrape_configs:
  - job_name: prometheus
    static_configs:
      - targets: ["localhost:9090"]

  - job_name: node
    ec2_sd_configs:
${ec2Blocks}
    relabel_configs:
      # Scrape the private address on node_exporter's port.
      - source_labels: [__meta_ec2_private_ip]
        regex: "(.+)"
        target_label: __address__
        replacement: "\${1}:${NODE_EXPORTER_PORT}"
      - source_labels: [${tagLabel("Name")}]
        target_label: name
      - source_labels: [__meta_ec2_region]
        target_label: region
      - source_labels: [${tagLabel(roleTagKey)}]
        target_label: role
      - source_labels: [__meta_ec2_instance_id]
        target_label: instance_id
${haproxyJob}`;
}
