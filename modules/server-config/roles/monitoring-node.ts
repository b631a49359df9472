/** cloud-config of the monitoring host: Prometheus (Debian) + Grafana (upstream apt) + node_exporter. Pure: no cdktf import. */
import { CloudConfig } from "../../core/cloud-config";
import { renderGrafanaDashboard, renderGrafanaDashboardProvider, renderGrafanaDatasources } from "../grafana";
import { withNodeExporter } from "../node-exporter";
import {
  GRAFANA_APT_SETUP_SCRIPT_PATH,
  GRAFANA_DASHBOARD_PATH,
  GRAFANA_DASHBOARD_PROVIDER_PATH,
  GRAFANA_DATASOURCES_PATH,
  PROMETHEUS_CONFIG_PATH,
} from "../paths";
import { PrometheusParams, renderPrometheusConfig } from "../prometheus";
import { grafanaAptInstallFile } from "./grafana-apt";

export type MonitoringNodeParams = PrometheusParams;

export function monitoringNode(params: MonitoringNodeParams): CloudConfig {
  return withNodeExporter({
    packages: ["prometheus", "curl", "openssl"],
    writeFiles: [
      { path: PROMETHEUS_CONFIG_PATH, content: renderPrometheusConfig(params) },
      { path: GRAFANA_DATASOURCES_PATH, content: renderGrafanaDatasources() },
      { path: GRAFANA_DASHBOARD_PROVIDER_PATH, content: renderGrafanaDashboardProvider() },
      { path: GRAFANA_DASHBOARD_PATH, content: renderGrafanaDashboard() },
      grafanaAptInstallFile(),
    ],
    runcmd: [
      ["systemctl", "restart", "prometheus"],
      [GRAFANA_APT_SETUP_SCRIPT_PATH],
    ],
  });
}
