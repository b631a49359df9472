import {
  PROMETHEUS_DATASOURCE_UID,
  renderGrafanaDashboard,
  renderGrafanaDatasources,
} from "../../modules/server-config/grafana";
import { InvalidInputError } from "../../modules/core/validation";

describe("grafana provisioning facts", () => {
  it("\"Provisioned: Prometheus datasource (default, read-only)\"", () => {
    const ds = renderGrafanaDatasources();
    expect(ds).toContain("url: http://localhost:9090");
    expect(ds).toContain("isDefault: true");
    expect(ds).toContain("editable: false");
    expect(ds).toContain(`uid: ${PROMETHEUS_DATASOURCE_UID}`);
  });
  it("has a dashboard with HAProxy requests per backend and node metrics", () => {
    const dashboard = JSON.parse(renderGrafanaDashboard());
    const exprs = dashboard.panels.flatMap((p: { targets: { expr: string }[] }) => p.targets.map((t) => t.expr));
    expect(exprs).toContain("sum by (proxy) (rate(haproxy_backend_http_requests_total[1m]))");
    expect(exprs.some((e: string) => e.includes("node_cpu_seconds_total"))).toBe(true);
    expect(exprs.some((e: string) => e.includes("node_memory_MemAvailable_bytes"))).toBe(true);
    for (const panel of dashboard.panels) expect(panel.datasource.uid).toBe(PROMETHEUS_DATASOURCE_UID);
  });
  it("rejects a Prometheus port out of range", () => {
    expect(() => renderGrafanaDatasources({ prometheusPort: 0 })).toThrow(InvalidInputError);
    expect(() => renderGrafanaDatasources({ prometheusPort: 0 })).toThrow(/grafana\.prometheusPort/);
  });
});
