import { renderPrometheusConfig } from "../../modules/server-config/prometheus";
import { InvalidInputError } from "../../modules/core/validation";
import { PROMETHEUS_CONFIG_PATH } from "../../modules/server-config";
import { renderedFile } from "../support/rendered-files";

const base = { regions: ["eu-west-1", "eu-central-1"], projectTagKey: "Project", projectTagValue: "webplatform" };

describe("prometheus.yml facts", () => {
  const conf = renderPrometheusConfig({ ...base, haproxyExporterTargets: ["10.0.1.10:8405", "10.0.2.10:8405"] });
  it("discovers instances per region filtered on the project tag", () => {
    expect(conf.match(/- region: \S+/g)).toEqual(["- region: eu-west-1", "- region: eu-central-1"]);
    expect(conf.match(/name: "tag:Project"\n\s+values: \["webplatform"\]/g)).toHaveLength(2);
  });
  it("discovers only the instances carrying every extra tag (environment and stack in the stacks)", () => {
    const filtered = renderPrometheusConfig({ ...base, extraTagFilters: [{ key: "Environment", value: "prod" }, { key: "Stack", value: "stage3-scale-up" }] });
    expect(filtered.match(/name: "tag:Environment"\n\s+values: \["prod"\]/g)).toHaveLength(2);
    expect(filtered.match(/name: "tag:Stack"\n\s+values: \["stage3-scale-up"\]/g)).toHaveLength(2);
  });
  it("the stage 2 and 3 monitoring hosts filter on project, environment and stack", () => {
    for (const [role, stack] of [["monitoring", "stage3-scale-up"], ["stage2-monitoring", "stage2-secured-monitored"]]) {
      const rendered = renderedFile(role, PROMETHEUS_CONFIG_PATH);
      for (const [key, value] of [["Project", "webplat"], ["Environment", "dev"], ["Stack", stack]]) expect(rendered).toContain(`name: "tag:${key}"\n            values: ["${value}"]`);
    }
  });
  it("scrapes node_exporter on the private IP and keeps name, region and role", () => {
    expect(conf).toMatch(/source_labels: \[__meta_ec2_private_ip\][\s\S]*target_label: __address__\n\s+replacement: "\$\{1\}:9100"/);
    for (const label of ["name", "region", "role"]) expect(conf).toContain(`target_label: ${label}`);
    expect(conf).toContain("source_labels: [__meta_ec2_tag_Role]");
  });
  it("scrapes the HAProxy exporters and itself", () => {
    expect(conf).toMatch(/job_name: haproxy[\s\S]*targets: \["10\.0\.1\.10:8405"\]\n\s+labels:\n\s+host: 10\.0\.1\.10\n[\s\S]*targets: \["10\.0\.2\.10:8405"\]/);
    expect(conf).toContain('targets: ["localhost:9090"]');
    expect(renderPrometheusConfig(base)).not.toContain("job_name: haproxy");
  });
});

describe("prometheus rejected inputs", () => {
  it.each([
    ["bad region", { ...base, regions: ["mars-1"] }, /prometheus\.regions\[0\]/],
    ["duplicate region", { ...base, regions: ["eu-west-1", "eu-west-1"] }, /prometheus\.regions/],
    ["tag value with a space", { ...base, projectTagValue: "web platform" }, /prometheus\.projectTagValue/],
    ["exporter target host name", { ...base, haproxyExporterTargets: ["lb:8405"] }, /haproxyExporterTargets\[0\]/],
    ["scrape interval 0", { ...base, scrapeIntervalSeconds: 0 }, /prometheus\.scrapeIntervalSeconds/],
    ["refresh 1 s", { ...base, discoveryRefreshSeconds: 1 }, /prometheus\.discoveryRefreshSeconds/],
    ["extra tag with a space in its value", { ...base, extraTagFilters: [{ key: "Stack", value: "a b" }] }, /prometheus\.extraTagFilters\[0\]\.value/],
    ["the project tag again as extra tag", { ...base, extraTagFilters: [{ key: "Project", value: "x" }] }, /prometheus\.extraTagFilters/],
  ])("rejects %s", (_name, p, message) => {
    expect(() => renderPrometheusConfig(p)).toThrow(InvalidInputError);
    expect(() => renderPrometheusConfig(p)).toThrow(message);
  });
});
