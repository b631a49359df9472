/**
 * cloud-config of one HAProxy + keepalived load balancer. Both nodes of the
 * pair get the same files except keepalived's own/peer addresses and priority.
 * Pure: no cdktf import.
 */
import { CloudConfig, CloudConfigFile } from "../../core/cloud-config";
import { renderBackendSyncScript } from "../backend-sync-script";
import {
  renderCertDeployHook,
  renderCertPullScript,
  renderCertRenewScript,
  renderPlaceholderCertScript,
} from "../certificates";
import { renderFailoverScript } from "../failover-script";
import {
  HaproxyHealthCheck,
  renderHaproxyBackends,
  renderHaproxyConfig,
  renderHaproxyDefaults,
} from "../haproxy";
import { masterMarkerAddress, renderKeepalivedConfig } from "../keepalived";
import { withNodeExporter } from "../node-exporter";
import {
  BACKEND_SYNC_SCRIPT_PATH,
  CERT_DEPLOY_HOOK_PATH,
  CERT_PLACEHOLDER_SCRIPT_PATH,
  CERT_PULL_SCRIPT_PATH,
  CERT_RENEW_SCRIPT_PATH,
  FAILOVER_SCRIPT_PATH,
  HAPROXY_BACKENDS_PATH,
  HAPROXY_CFG_PATH,
  HAPROXY_DEFAULTS_PATH,
  KEEPALIVED_CONF_PATH,
} from "../paths";
import { renderPeriodicJob } from "../systemd";

export interface HaproxyNodeParams {
  /** Name of this node (keepalived router_id), e.g. "lb-a". */
  readonly nodeName: string;
  /** This node's fixed private IPv4. */
  readonly privateIp: string;
  /** The peer's fixed private IPv4. */
  readonly peerPrivateIp: string;
  /** keepalived priority; give the preferred first MASTER the higher one. */
  readonly priority: number;
  /** Region of the pair, its EIP and SSM parameters. */
  readonly region: string;
  /** Allocation id of the Elastic IP the MASTER associates. */
  readonly eipAllocationId: string;
  /** Web servers "ip:port" at synth time (initial backends file). */
  readonly backends: readonly string[];
  /** SSM parameter listing the web servers (kept current by Terraform); the sync timer reads it. */
  readonly backendsParameterName: string;
  /** SSM SecureString parameter carrying the combined certificate PEM. */
  readonly certificateParameterName: string;
  /** Public DNS name of the site. */
  readonly domain: string;
  /** Let's Encrypt contact address. */
  readonly letsEncryptEmail: string;
  /** Sources allowed to scrape HAProxy's exporter (monitoring host / VPC CIDRs). */
  readonly exporterAllowedCidrs: readonly string[];
  /** Health checks of the web servers. @default { path: "/healthz", intervalMs: 1000, fall: 2, rise: 2 } */
  readonly healthCheck?: HaproxyHealthCheck;
  /** Interface carrying the private IP. @default "ens5" */
  readonly vrrpInterface?: string;
  /** VRRP router id of the pair. @default 51 */
  readonly virtualRouterId?: number;
  /** Seconds between backend syncs from SSM. @default 60 */
  readonly backendSyncIntervalSeconds?: number;
  /** Use Let's Encrypt's staging CA. @default false */
  readonly letsEncryptStaging?: boolean;
}

const executable = (path: string, content: string): CloudConfigFile => ({ path, content, permissions: "0750" });

export function haproxyNode(params: HaproxyNodeParams): CloudConfig {
  const vrid = params.virtualRouterId ?? 51;
  const certificates = {
    domain: params.domain,
    email: params.letsEncryptEmail,
    parameterName: params.certificateParameterName,
    region: params.region,
    masterMarkerAddress: masterMarkerAddress(vrid),
    staging: params.letsEncryptStaging,
  };
  const files: CloudConfigFile[] = [
    { path: HAPROXY_CFG_PATH, content: renderHaproxyConfig({ privateIp: params.privateIp, exporterAllowedCidrs: params.exporterAllowedCidrs }) },
    { path: HAPROXY_BACKENDS_PATH, content: renderHaproxyBackends({ backends: params.backends, healthCheck: params.healthCheck }) },
    { path: HAPROXY_DEFAULTS_PATH, content: renderHaproxyDefaults() },
    {
      path: KEEPALIVED_CONF_PATH,
      content: renderKeepalivedConfig({
        nodeName: params.nodeName,
        privateIp: params.privateIp,
        peerPrivateIp: params.peerPrivateIp,
        priority: params.priority,
        virtualRouterId: vrid,
        interface: params.vrrpInterface,
      }),
    },
    executable(FAILOVER_SCRIPT_PATH, renderFailoverScript({
      allocationId: params.eipAllocationId,
      region: params.region,
      afterAssociateCommand: CERT_PULL_SCRIPT_PATH,
    })),
    executable(BACKEND_SYNC_SCRIPT_PATH, renderBackendSyncScript({
      parameterName: params.backendsParameterName,
      region: params.region,
      healthCheck: params.healthCheck,
    })),
    executable(CERT_PLACEHOLDER_SCRIPT_PATH, renderPlaceholderCertScript(certificates)),
    executable(CERT_DEPLOY_HOOK_PATH, renderCertDeployHook(certificates)),
    executable(CERT_PULL_SCRIPT_PATH, renderCertPullScript(certificates)),
    executable(CERT_RENEW_SCRIPT_PATH, renderCertRenewScript(certificates)),
    ...renderPeriodicJob({
      name: "haproxy-backend-sync",
      description: "Sync HAProxy web backends from SSM",
      command: BACKEND_SYNC_SCRIPT_PATH,
      firstRunAfterBootSeconds: 30,
      everySeconds: params.backendSyncIntervalSeconds ?? 60,
    }),
    ...renderPeriodicJob({
      name: "haproxy-cert-renew",
      description: "Obtain, renew or pull the HAProxy certificate",
      command: CERT_RENEW_SCRIPT_PATH,
      firstRunAfterBootSeconds: 90,
      everySeconds: 3600,
      randomDelaySeconds: 300,
    }),
  ];
  return withNodeExporter({
    packages: ["haproxy", "keepalived", "awscli", "certbot", "curl", "openssl"],
    writeFiles: files,
    runcmd: [
      [CERT_PLACEHOLDER_SCRIPT_PATH],
      ["systemctl", "daemon-reload"],
      // Our renew timer replaces certbot's: only the EIP holder can answer HTTP-01.
      ["systemctl", "disable", "--now", "certbot.timer"],
      ["systemctl", "enable", "--now", "haproxy-backend-sync.timer", "haproxy-cert-renew.timer"],
      ["systemctl", "restart", "haproxy"],
      // Last: the first MASTER transition associates the EIP, once everything above is ready.
      ["systemctl", "restart", "keepalived"],
    ],
  });
}
