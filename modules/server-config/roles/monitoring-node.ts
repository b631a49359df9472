/**
 * cloud-config of the monitoring host: Prometheus, Alertmanager and
 * blackbox_exporter (Debian) + Grafana (upstream apt) + node_exporter.
 * Pure: no cdktf import.
 */
import { CloudConfig, CloudConfigFile } from "../../core/cloud-config";
import { AlertThresholds, renderAlertRules } from "../alert-rules";
import { ALERTMANAGER_PORT, AlertmanagerParams, renderAlertmanagerConfig } from "../alertmanager";
import { BLACKBOX_PORT, renderBlackboxConfig, renderBlackboxDefaults } from "../blackbox";
import { renderGrafanaDashboard, renderGrafanaDashboardProvider, renderGrafanaDatasources } from "../grafana";
import { withNodeExporter } from "../node-exporter";
import { withInstanceConnect } from "../instance-connect";
import {
  ALERT_RULES_PATH,
  ALERTMANAGER_CONFIG_PATH,
  ALERTMANAGER_DEFAULTS_PATH,
  BLACKBOX_CONFIG_PATH,
  BLACKBOX_DEFAULTS_PATH,
  GRAFANA_APT_SETUP_SCRIPT_PATH,
  GRAFANA_DASHBOARD_PATH,
  GRAFANA_DASHBOARD_PROVIDER_PATH,
  GRAFANA_DATASOURCES_PATH,
  PROMETHEUS_CONFIG_PATH,
} from "../paths";
import { PrometheusParams, renderPrometheusConfig } from "../prometheus";
import { GrafanaPasswordParameter, grafanaAptInstallFile } from "./grafana-apt";

export interface MonitoringAlertingParams {
  /** Alert thresholds. @default the renderer's defaults */
  readonly thresholds?: AlertThresholds;
  /** Where Alertmanager sends alerts (SNS topic, optional webhook) and how it groups them. */
  readonly alertmanager: AlertmanagerParams;
  /** The load balancers' TLS endpoints ("ip:443") and the certificate's name, for the expiry probe. @default none */
  readonly tls?: { readonly serverName: string; readonly targets: readonly string[] };
  /** Application servers ("ip:port") whose /healthz and /readyz are probed. @default [] */
  readonly appTargets?: readonly string[];
  /** A keepalived pair reports its VRRP state (LoadBalancerFailover alert). @default false */
  readonly keepalived?: boolean;
}

export interface MonitoringNodeParams extends Omit<PrometheusParams, "alerting" | "probes"> {
  /** Alert rules, Alertmanager and probes. @default none: metrics and dashboards only */
  readonly alerting?: MonitoringAlertingParams;
  /** Keep Grafana's generated admin password in this SSM SecureString too (installs awscli). @default only on the host */
  readonly grafanaPasswordParameter?: GrafanaPasswordParameter;
}

/** Alertmanager and blackbox_exporter listen on loopback only: Prometheus and Grafana on this host are their clients. */
export function renderAlertmanagerDefaults(): string {
  return `# Managed by the platform's server-config renderer.
# Loopback only, and no cluster listener (one Alertmanager).
ARGS="--web.listen-address=127.0.0.1:${ALERTMANAGER_PORT} --cluster.listen-address="
`;
}

export function monitoringNode(params: MonitoringNodeParams): CloudConfig {
  const alerting = params.alerting;
  const appTargets = alerting?.appTargets ?? [];
  const prometheus = renderPrometheusConfig({
    ...params,
    alerting: alerting && { alertmanager: `localhost:${ALERTMANAGER_PORT}`, ruleFiles: [ALERT_RULES_PATH] },
    probes: alerting && { blackbox: `127.0.0.1:${BLACKBOX_PORT}`, tlsTargets: alerting.tls?.targets ?? [], appTargets },
  });
  const alertFiles: CloudConfigFile[] = alerting
    ? [
        { path: ALERT_RULES_PATH, content: renderAlertRules({ ...alerting.thresholds, keepalived: alerting.keepalived, application: appTargets.length > 0 }), compress: true },
        // World-readable like Debian's own: it names the topic and the webhook, no credential (the role signs SNS calls).
        // cloud-init writes files before packages install, so the prometheus group would not exist yet anyway.
        { path: ALERTMANAGER_CONFIG_PATH, content: renderAlertmanagerConfig(alerting.alertmanager) },
        { path: ALERTMANAGER_DEFAULTS_PATH, content: renderAlertmanagerDefaults() },
        { path: BLACKBOX_CONFIG_PATH, content: renderBlackboxConfig({ serverName: alerting.tls?.serverName }), compress: true },
        { path: BLACKBOX_DEFAULTS_PATH, content: renderBlackboxDefaults(BLACKBOX_CONFIG_PATH) },
      ]
    : [];
  return withInstanceConnect(withNodeExporter({
    packages: ["prometheus", ...(alerting ? ["prometheus-alertmanager", "prometheus-blackbox-exporter"] : []), "curl", "openssl", ...(params.grafanaPasswordParameter ? ["awscli"] : [])],
    writeFiles: [
      // Files known at synth travel compressed (user data is limited to 16 KB); the Alertmanager config names the topic ARN, a Terraform reference, and stays plain.
      { path: PROMETHEUS_CONFIG_PATH, content: prometheus, compress: true },
      ...alertFiles,
      { path: GRAFANA_DATASOURCES_PATH, content: renderGrafanaDatasources({ alertmanagerPort: alerting ? ALERTMANAGER_PORT : undefined }) },
      { path: GRAFANA_DASHBOARD_PROVIDER_PATH, content: renderGrafanaDashboardProvider() },
      { path: GRAFANA_DASHBOARD_PATH, content: renderGrafanaDashboard({ firingAlerts: alerting !== undefined }), compress: true },
      { ...grafanaAptInstallFile(params.grafanaPasswordParameter), compress: true },
    ],
    runcmd: [
      ...(alerting ? [["systemctl", "restart", "prometheus-blackbox-exporter"], ["systemctl", "restart", "prometheus-alertmanager"]] : []),
      ["systemctl", "restart", "prometheus"],
      [GRAFANA_APT_SETUP_SCRIPT_PATH],
    ],
  }));
}
