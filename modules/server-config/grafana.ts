/**
 * Grafana provisioning for the monitoring host: the local Prometheus as the
 * default datasource, a file provider for dashboards, and one dashboard with
 * node metrics and HAProxy's request rate per backend (the platform's QPS).
 * Pure: no cdktf import.
 */
import { checkPort } from "./inputs";
import { GRAFANA_DASHBOARDS_DIR } from "./paths";

/** Fixed uid so the dashboard JSON can reference the datasource. */
export const PROMETHEUS_DATASOURCE_UID = "prometheus-local";

/** Alertmanager datasource: firing and silenced alerts in Grafana's Alerting view. */
export const ALERTMANAGER_DATASOURCE_UID = "alertmanager-local";

export interface GrafanaParams {
  /** Port of the local Prometheus. @default 9090 */
  readonly prometheusPort?: number;
  /** Port of the local Alertmanager, added as a datasource. @default none (no Alertmanager datasource) */
  readonly alertmanagerPort?: number;
}

/** /etc/grafana/provisioning/datasources/prometheus.yaml */
export function renderGrafanaDatasources(params: GrafanaParams = {}): string {
  const port = params.prometheusPort ?? 9090;
  checkPort("grafana.prometheusPort", port);
  if (params.alertmanagerPort !== undefined) checkPort("grafana.alertmanagerPort", params.alertmanagerPort);
  const alertmanager = params.alertmanagerPort === undefined
    ? ""
    : `  - name: Alertmanager
    type: alertmanager
    uid: ${ALERTMANAGER_DATASOURCE_UID}
    access: proxy
    url: http://localhost:${params.alertmanagerPort}
    editable: false
    jsonData:
      implementation: prometheus
      handleGrafanaManagedAlerts: false
`;
  return `# Managed by the platform's server-config renderer.
apiVersion: 1

datasources:
  - name: Prometheus
    type: prometheus
    uid: ${PROMETHEUS_DATASOURCE_UID}
    access: proxy
    url: http://localhost:${port}
    isDefault: true
    editable: false
${alertmanager}`;
}

/** /etc/grafana/provisioning/dashboards/platform.yaml */
export function renderGrafanaDashboardProvider(): string {
  return `# Managed by the platform's server-config renderer.
apiVersion: 1

providers:
  - name: platform
    orgId: 1
    folder: Platform
    type: file
    disableDeletion: true
    allowUiUpdates: false
    updateIntervalSeconds: 60
    options:
      path: ${GRAFANA_DASHBOARDS_DIR}
`;
}

interface Panel {
  title: string;
  expr: string;
  legend: string;
  unit: string;
}

const PANELS: readonly Panel[] = [
  {
    title: "Requests per second by backend (HAProxy)",
    expr: "sum by (proxy) (rate(haproxy_backend_http_requests_total[1m]))",
    legend: "{{proxy}}",
    unit: "reqps",
  },
  {
    title: "Backend servers up (HAProxy)",
    expr: "sum by (proxy) (haproxy_server_status{state=\"UP\"})",
    legend: "{{proxy}}",
    unit: "short",
  },
  {
    title: "CPU busy",
    expr: "1 - avg by (instance, name) (rate(node_cpu_seconds_total{mode=\"idle\"}[1m]))",
    legend: "{{name}} {{instance}}",
    unit: "percentunit",
  },
  {
    title: "Memory available",
    expr: "node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes",
    legend: "{{name}} {{instance}}",
    unit: "percentunit",
  },
  {
    title: "Network received",
    expr: "sum by (instance, name) (rate(node_network_receive_bytes_total{device!=\"lo\"}[1m]))",
    legend: "{{name}} {{instance}}",
    unit: "Bps",
  },
  {
    title: "Targets up",
    expr: "sum by (job) (up)",
    legend: "{{job}}",
    unit: "short",
  },
];

/** Full-width table on top of the dashboard: what fires now (Prometheus's ALERTS series). */
const FIRING_ALERTS_PANEL = {
  type: "table",
  title: "Firing alerts",
  gridPos: { h: 6, w: 24, x: 0, y: 0 },
  options: { showHeader: true, footer: { show: false } },
  fieldConfig: { defaults: {}, overrides: [] },
  transformations: [{ id: "organize", options: { excludeByName: { Time: true, Value: true, __name__: true, alertstate: true, job: true } } }],
  targets: [{ refId: "A", datasource: { type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID }, expr: 'ALERTS{alertstate="firing"}', instant: true, format: "table" }],
};

export interface GrafanaDashboardParams {
  /** Put the firing-alerts table on top. @default false */
  readonly firingAlerts?: boolean;
}

/** /var/lib/grafana/dashboards/platform-overview.json */
export function renderGrafanaDashboard(params: GrafanaDashboardParams = {}): string {
  const top = params.firingAlerts ? FIRING_ALERTS_PANEL.gridPos.h : 0;
  const dashboard = {
    uid: "platform-overview",
    title: "Platform overview",
    tags: ["platform"],
    timezone: "browser",
    schemaVersion: 39,
    version: 1,
    editable: false,
    refresh: "30s",
    time: { from: "now-1h", to: "now" },
    panels: [
      ...(params.firingAlerts ? [{ id: PANELS.length + 1, datasource: { type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID }, ...FIRING_ALERTS_PANEL }] : []),
      ...PANELS.map((panel, i) => ({
        id: i + 1,
        type: "timeseries",
        title: panel.title,
        datasource: { type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID },
        gridPos: { h: 8, w: 12, x: (i % 2) * 12, y: top + Math.floor(i / 2) * 8 },
        fieldConfig: { defaults: { unit: panel.unit }, overrides: [] },
        options: { legend: { displayMode: "list", placement: "bottom" } },
        targets: [
          {
            refId: "A",
            datasource: { type: "prometheus", uid: PROMETHEUS_DATASOURCE_UID },
            expr: panel.expr,
            legendFormat: panel.legend,
          },
        ],
      })),
    ],
  };
  return JSON.stringify(dashboard, null, 2) + "\n";
}
