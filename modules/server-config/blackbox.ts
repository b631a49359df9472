/**
 * blackbox_exporter on the monitoring host (Debian's prometheus-blackbox-exporter):
 * the TLS probe that reads the load balancers' certificate expiry, and the
 * HTTP probe of the application servers' /healthz and /readyz. It listens on
 * loopback only; Prometheus is its only client.
 * Pure: no cdktf import.
 */
import { checkDomainName } from "./inputs";

export const BLACKBOX_PORT = 9115;
export const BLACKBOX_MODULES = { tls: "tls_expiry", http: "http_200" } as const;

export interface BlackboxParams {
  /** Name the site's certificate is issued for (sent as SNI). @default none (no SNI) */
  readonly serverName?: string;
}

/** /etc/prometheus/blackbox.yml */
export function renderBlackboxConfig(params: BlackboxParams = {}): string {
  if (params.serverName !== undefined) checkDomainName("blackbox.serverName", params.serverName);
  const sni = params.serverName === undefined ? "" : `        server_name: ${params.serverName}\n`;
  return `# Managed by the platform's server-config renderer.
modules:
  # Reads the certificate's expiry; verification is Let's Encrypt's and the
  # browsers' job, and a placeholder or staging certificate must still be measured.
  ${BLACKBOX_MODULES.tls}:
    prober: tcp
    timeout: 5s
    tcp:
      preferred_ip_protocol: ip4
      tls: true
      tls_config:
${sni}        insecure_skip_verify: true
  ${BLACKBOX_MODULES.http}:
    prober: http
    timeout: 5s
    http:
      preferred_ip_protocol: ip4
      valid_status_codes: [200]
      follow_redirects: false
`;
}

/** /etc/default/prometheus-blackbox-exporter: loopback only. */
export function renderBlackboxDefaults(configPath: string): string {
  return `# Managed by the platform's server-config renderer.
ARGS="--config.file ${configPath} --web.listen-address=127.0.0.1:${BLACKBOX_PORT}"
`;
}
