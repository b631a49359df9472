/**
 * What the "Platform overview" dashboard shows has to be right, not only
 * parse: each query is PromQL promtool accepts, each legend names labels its
 * query keeps, each unit fits what the query measures, and the panels tile
 * the grid without overlap or holes. Grafana itself has no Debian package
 * here, so these are the checks a reviewer would make by eye.
 */
import {
  PROMETHEUS_DATASOURCE_UID,
  renderGrafanaDashboard,
  renderGrafanaDatasources,
} from "../../modules/server-config/grafana";
import { checkAlertRules } from "../support/validators";

interface Target { refId: string; expr: string; legendFormat?: string; instant?: boolean; format?: string; datasource: { type: string; uid: string } }
interface Panel {
  id: number;
  type: string;
  title: string;
  gridPos: { h: number; w: number; x: number; y: number };
  fieldConfig: { defaults: { unit?: string } };
  options: Record<string, unknown>;
  targets: Target[];
  transformations?: { id: string; options: { excludeByName: Record<string, boolean> } }[];
}

const GRID_WIDTH = 24;
const plain = () => JSON.parse(renderGrafanaDashboard()) as { panels: Panel[] } & Record<string, unknown>;
const withAlerts = () => JSON.parse(renderGrafanaDashboard({ firingAlerts: true })) as { panels: Panel[] };
const timeseries = (panels: Panel[]) => panels.filter((p) => p.type === "timeseries");

/** The unit a query's result is measured in, read from the query itself. */
function expectedUnit(expr: string): string {
  if (/rate\([a-z_]*_bytes_total/.test(expr)) return "Bps";
  if (/rate\([a-z_]*_requests_total/.test(expr)) return "reqps";
  if (expr.includes(" / ") || expr.startsWith("1 - ")) return "percentunit";
  return "short";
}

/** Labels that survive the query's outermost aggregation (all of them without one). */
function keptLabels(expr: string): string[] | "all" {
  const by = /^(?:1 - )?(?:sum|avg|max|min|count) by \(([^)]*)\)/.exec(expr);
  return by ? by[1].split(",").map((l) => l.trim()) : "all";
}

describe("Grafana dashboard \"Platform overview\"", () => {
  it("every panel's query is PromQL that promtool accepts (each checked as a recording rule)", () => {
    const exprs = withAlerts().panels.flatMap((p) => p.targets.map((t) => t.expr));
    expect(exprs.length).toBe(7);
    const rules = `groups:\n  - name: dashboard\n    rules:\n${exprs
      .map((expr, i) => `      - record: dashboard:panel_${i}\n        expr: ${JSON.stringify(expr)}`)
      .join("\n")}\n`;
    const result = checkAlertRules(rules);
    expect(result.output).toContain("SUCCESS: 7 rules found");
    expect(result.ok).toBe(true);
  });

  it("a broken query fails the promtool check (the check can fail)", () => {
    const result = checkAlertRules(`groups:\n  - name: dashboard\n    rules:\n      - record: dashboard:broken\n        expr: "sum by (proxy (up)"\n`);
    expect(result.ok).toBe(false);
  });

  it("each legend names only labels its query keeps, and names at least one", () => {
    for (const panel of timeseries(plain().panels)) {
      const [target] = panel.targets;
      const named = [...(target.legendFormat ?? "").matchAll(/\{\{(\w+)\}\}/g)].map((m) => m[1]);
      expect({ title: panel.title, named: named.length > 0 }).toEqual({ title: panel.title, named: true });
      const kept = keptLabels(target.expr);
      if (kept !== "all") for (const label of named) expect({ title: panel.title, label, kept: kept.includes(label) }).toEqual({ title: panel.title, label, kept: true });
    }
  });

  it("each unit fits what its query measures (requests/s, bytes/s, a ratio, a count)", () => {
    // The whole field config: no override shows another unit than the one set.
    for (const panel of timeseries(plain().panels)) {
      expect({ title: panel.title, fieldConfig: panel.fieldConfig }).toEqual({ title: panel.title, fieldConfig: { defaults: { unit: expectedUnit(panel.targets[0].expr) }, overrides: [] } });
    }
    expect(timeseries(plain().panels).map((p) => p.fieldConfig.defaults.unit).sort()).toEqual(["Bps", "percentunit", "percentunit", "reqps", "short", "short"]);
  });

  it("titles are unique and each timeseries panel has one query on the local Prometheus, with its legend at the bottom", () => {
    const panels = withAlerts().panels;
    expect(new Set(panels.map((p) => p.title)).size).toBe(panels.length);
    for (const panel of timeseries(panels)) {
      expect(panel.targets).toHaveLength(1);
      expect(panel.targets[0]).toMatchObject({ refId: "A", datasource: { type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID } });
      expect(panel.options).toEqual({ legend: { displayMode: "list", placement: "bottom" } });
    }
  });

  it.each([
    ["without", plain],
    ["with", withAlerts],
  ])("panels %s the firing-alerts table tile the 24-column grid: two per row, no overlap, no hole, ids 1..n", (_, dashboard) => {
    const panels = dashboard().panels;
    expect(panels.map((p) => p.id).sort((a, b) => a - b)).toEqual(panels.map((_, i) => i + 1));
    const cells = new Set<string>();
    const problems: string[] = [];
    for (const { gridPos: g, title } of panels) {
      if (g.x < 0 || g.y < 0 || g.x + g.w > GRID_WIDTH) problems.push(`${title}: off the grid at ${JSON.stringify(g)}`);
      for (let x = g.x; x < g.x + g.w; x++) {
        for (let y = g.y; y < g.y + g.h; y++) {
          if (cells.has(`${x},${y}`)) problems.push(`${title}: overlaps at ${x},${y}`);
          cells.add(`${x},${y}`);
        }
      }
    }
    expect(problems).toEqual([]);
    const height = Math.max(...panels.map((p) => p.gridPos.y + p.gridPos.h));
    expect(cells.size).toBe(GRID_WIDTH * height);
    for (const panel of timeseries(panels)) expect(panel.gridPos.w).toBe(GRID_WIDTH / 2);
  });

  it("the firing-alerts table sits on top, full width, and shows what fires now without the columns that say nothing", () => {
    const [table, ...rest] = withAlerts().panels;
    expect(table).toMatchObject({ type: "table", title: "Firing alerts", gridPos: { x: 0, y: 0, w: GRID_WIDTH } });
    expect(table.targets).toEqual([
      { refId: "A", datasource: { type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID }, expr: 'ALERTS{alertstate="firing"}', instant: true, format: "table" },
    ]);
    const hidden = Object.entries(table.transformations![0].options.excludeByName).filter(([, hide]) => hide).map(([column]) => column);
    expect(table.transformations![0].id).toBe("organize");
    expect(hidden.sort()).toEqual(["Time", "Value", "__name__", "alertstate", "job"]);
    expect(table.options).toEqual({ showHeader: true, footer: { show: false } });
    expect(table.fieldConfig).toEqual({ defaults: {}, overrides: [] });
    expect(Math.min(...rest.map((p) => p.gridPos.y))).toBe(table.gridPos.h);
    expect(plain().panels.some((p) => p.type === "table")).toBe(false);
  });

  it("is provisioned read-only with a fixed uid, in the viewer's timezone, refreshes every 30 s, opens on the last hour and ends with a newline", () => {
    expect(plain()).toMatchObject({
      uid: "platform-overview",
      editable: false,
      refresh: "30s",
      time: { from: "now-1h", to: "now" },
      timezone: "browser",
      tags: ["platform"],
    });
    expect(renderGrafanaDashboard()).toMatch(/\n\}\n$/);
  });
});

describe("Grafana datasources", () => {
  it("the Alertmanager datasource is added only when its port is given, read-only, on localhost", () => {
    expect(renderGrafanaDatasources()).not.toContain("alertmanager");
    // Without it, the file ends with the Prometheus datasource.
    expect(renderGrafanaDatasources()).toMatch(/ {4}isDefault: true\n {4}editable: false\n$/);
    const ds = renderGrafanaDatasources({ alertmanagerPort: 9093 });
    expect(ds).toContain("    type: alertmanager\n    uid: alertmanager-local\n    access: proxy\n    url: http://localhost:9093\n    editable: false\n");
    expect(ds).toContain("      implementation: prometheus\n");
  });

  it("refuses an Alertmanager port out of range, naming the field and what is allowed", () => {
    for (const alertmanagerPort of [0, 65536, 9093.5]) {
      expect(() => renderGrafanaDatasources({ alertmanagerPort })).toThrow("grafana.alertmanagerPort");
      expect(() => renderGrafanaDatasources({ alertmanagerPort })).toThrow("an integer TCP port 1-65535");
    }
    expect(() => renderGrafanaDatasources({ alertmanagerPort: 65535 })).not.toThrow();
  });
});
