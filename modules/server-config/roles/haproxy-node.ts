/**
 * cloud-configs of HAProxy load balancers: one node of the keepalived pair
 * (stage 3), or a single load balancer (stages 1–2, with or without TLS).
 * Both nodes of a pair get the same files except keepalived's own/peer
 * addresses and priority. Pure: no cdktf import.
 */
import { CloudConfig, CloudConfigFile } from "../../core/cloud-config";
import { renderBackendSyncScript } from "../backend-sync-script";
import {
  CertificateParams,
  renderCertDeployHook,
  renderCertPullScript,
  renderCertRenewScript,
  renderPlaceholderCertScript,
} from "../certificates";
import { renderFailoverScript } from "../failover-script";
import {
  HaproxyHealthCheck,
  renderHaproxyBackendsHeader,
  renderHaproxyConfig,
  renderHaproxyDefaults,
} from "../haproxy";
import { masterMarkerAddress, renderKeepalivedConfig } from "../keepalived";
import { renderKeepalivedStateMetricScript } from "../keepalived-state-metric";
import { withNodeExporter } from "../node-exporter";
import { withInstanceConnect } from "../instance-connect";
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
  KEEPALIVED_STATE_SCRIPT_PATH,
  HAPROXY_BACKEND_TRUST_PATH,
  TLS_TRUST_SYNC_SCRIPT_PATH,
} from "../paths";
import { renderPeriodicJob } from "../systemd";
import { TlsTrustParams, renderTrustSyncScript } from "../tier-tls";

/** What every HAProxy load balancer of the platform needs. */
export interface HaproxyBaseParams {
  /** This node's private IPv4 (the exporter binds to it). */
  readonly privateIp: string;
  /** Region of the node and its SSM parameters. */
  readonly region: string;
  /**
   * SSM parameter listing the web servers (kept current by Terraform). The node
   * reads it at first boot and on a timer: the fleet is not part of the user
   * data, so resizing it never replaces a load balancer.
   */
  readonly backendsParameterName: string;
  /** Sources allowed to scrape HAProxy's exporter (monitoring host / VPC CIDRs). */
  readonly exporterAllowedCidrs: readonly string[];
  /** Health checks of the web servers. @default { path: "/healthz", intervalMs: 1000, fall: 2, rise: 2 } */
  readonly healthCheck?: HaproxyHealthCheck;
  /** Seconds between backend syncs from SSM. @default 60 */
  readonly backendSyncIntervalSeconds?: number;
  /**
   * TLS to the web servers, verified against the certificates they publish
   * (the backend sync pins those of the listed servers). @default undefined (plain HTTP to the web servers)
   */
  readonly backendTls?: TlsTrustParams;
}

/** Let's Encrypt settings of a load balancer that terminates TLS. */
export interface HaproxyTlsParams {
  /** Public DNS name of the site. */
  readonly domain: string;
  /** Further names the certificate covers (e.g. "www.example.com"). @default [] */
  readonly additionalNames?: readonly string[];
  /** Let's Encrypt contact address. */
  readonly letsEncryptEmail: string;
  /** Use Let's Encrypt's staging CA. @default false */
  readonly letsEncryptStaging?: boolean;
}

export interface HaproxyNodeParams extends HaproxyBaseParams, HaproxyTlsParams {
  /** Name of this node (keepalived router_id), e.g. "lb-a". */
  readonly nodeName: string;
  /** The peer's fixed private IPv4. */
  readonly peerPrivateIp: string;
  /** keepalived priority; give the preferred first MASTER the higher one. */
  readonly priority: number;
  /** Allocation id of the Elastic IP the MASTER associates. */
  readonly eipAllocationId: string;
  /** SSM SecureString parameter carrying the combined certificate PEM. */
  readonly certificateParameterName: string;
  /** Interface carrying the private IP. @default "ens5" */
  readonly vrrpInterface?: string;
  /** VRRP router id of the pair. @default 51 */
  readonly virtualRouterId?: number;
}

export interface HaproxySingleNodeParams extends HaproxyBaseParams {
  /** Terminate TLS with a Let's Encrypt certificate. @default undefined: plain HTTP on port 80 (stage 1 only) */
  readonly tls?: HaproxyTlsParams;
}

const executable = (path: string, content: string): CloudConfigFile => ({ path, content, permissions: "0750" });
/** Scripts known whole at synth travel compressed: a pair node's user data is close to the 16 KB limit. */
const compressedExecutable = (path: string, content: string): CloudConfigFile => ({ ...executable(path, content), compress: true });

/** One node of the active/passive pair: HAProxy + keepalived + EIP failover + shared certificate. */
export function haproxyNode(params: HaproxyNodeParams): CloudConfig {
  const vrid = params.virtualRouterId ?? 51;
  const certificates: CertificateParams = {
    domain: params.domain,
    additionalNames: params.additionalNames,
    email: params.letsEncryptEmail,
    staging: params.letsEncryptStaging,
    sharing: { parameterName: params.certificateParameterName, region: params.region, masterMarkerAddress: masterMarkerAddress(vrid) },
  };
  const keepalived: CloudConfigFile[] = [
    {
      path: KEEPALIVED_CONF_PATH,
      compress: true,
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
    compressedExecutable(CERT_PULL_SCRIPT_PATH, renderCertPullScript(certificates)),
    compressedExecutable(KEEPALIVED_STATE_SCRIPT_PATH, renderKeepalivedStateMetricScript()),
  ];
  return loadBalancer(params, certificates, keepalived, ["keepalived"], [
    // Last: the first MASTER transition associates the EIP, once everything above is ready.
    ["systemctl", "restart", "keepalived"],
  ]);
}

/** A single load balancer (no failover): plain HTTP, or TLS with its own Let's Encrypt certificate. */
export function haproxySingleNode(params: HaproxySingleNodeParams): CloudConfig {
  const certificates: CertificateParams | undefined = params.tls && {
    domain: params.tls.domain,
    additionalNames: params.tls.additionalNames,
    email: params.tls.letsEncryptEmail,
    staging: params.tls.letsEncryptStaging,
  };
  return loadBalancer(params, certificates, [], [], []);
}

function loadBalancer(
  params: HaproxyBaseParams,
  certificates: CertificateParams | undefined,
  extraFiles: CloudConfigFile[],
  extraPackages: string[],
  lastCommands: string[][],
): CloudConfig {
  const backendTls = params.backendTls && { caFile: HAPROXY_BACKEND_TRUST_PATH, verifyHost: params.backendTls.serverName };
  const trustFiles: CloudConfigFile[] = params.backendTls
    ? [{ ...executable(TLS_TRUST_SYNC_SCRIPT_PATH, renderTrustSyncScript({
      ...params.backendTls,
      bundlePath: HAPROXY_BACKEND_TRUST_PATH,
      checkCommand: ["haproxy", "-c", "-q", "-f", HAPROXY_CFG_PATH, "-f", HAPROXY_BACKENDS_PATH],
      reloadCommand: ["systemctl", "try-reload-or-restart", "haproxy"],
    })), compress: true }]
    : [];
  const files: CloudConfigFile[] = [
    // The largest files travel compressed: a pair node's user data is close to the 16 KB limit.
    { path: HAPROXY_CFG_PATH, content: renderHaproxyConfig({ privateIp: params.privateIp, exporterAllowedCidrs: params.exporterAllowedCidrs, tls: certificates !== undefined }), compress: true },
    // No servers until the first sync below: a backend without servers is valid and answers 503.
    { path: HAPROXY_BACKENDS_PATH, content: renderHaproxyBackendsHeader(params.healthCheck, backendTls) },
    { path: HAPROXY_DEFAULTS_PATH, content: renderHaproxyDefaults() },
    { ...executable(BACKEND_SYNC_SCRIPT_PATH, renderBackendSyncScript({
      parameterName: params.backendsParameterName,
      region: params.region,
      healthCheck: params.healthCheck,
      tls: backendTls && { ...backendTls, trustParameterPrefix: params.backendTls!.parameterPrefix },
    })), compress: true },
    ...trustFiles,
    ...renderPeriodicJob({
      name: "haproxy-backend-sync",
      description: "Sync HAProxy web backends from SSM",
      command: BACKEND_SYNC_SCRIPT_PATH,
      firstRunAfterBootSeconds: 30,
      everySeconds: params.backendSyncIntervalSeconds ?? 60,
    }),
    ...extraFiles,
  ];
  const timers = ["haproxy-backend-sync.timer"];
  const firstCommands: string[][] = [];
  if (certificates) {
    files.push(
      compressedExecutable(CERT_PLACEHOLDER_SCRIPT_PATH, renderPlaceholderCertScript(certificates)),
      compressedExecutable(CERT_DEPLOY_HOOK_PATH, renderCertDeployHook(certificates)),
      compressedExecutable(CERT_RENEW_SCRIPT_PATH, renderCertRenewScript(certificates)),
      ...renderPeriodicJob({
        name: "haproxy-cert-renew",
        description: "Obtain, renew or pull the HAProxy certificate",
        command: CERT_RENEW_SCRIPT_PATH,
        firstRunAfterBootSeconds: 90,
        everySeconds: 3600,
        randomDelaySeconds: 300,
      }),
    );
    timers.push("haproxy-cert-renew.timer");
    firstCommands.push([CERT_PLACEHOLDER_SCRIPT_PATH]);
  }
  return withInstanceConnect(withNodeExporter({
    packages: ["haproxy", ...extraPackages, "awscli", ...(certificates ? ["certbot"] : []), ...(certificates || params.backendTls ? ["openssl"] : []), "curl"],
    writeFiles: files,
    runcmd: [
      ...firstCommands,
      // A loadable (anchor-only) bundle before anything checks the backends file that names it.
      ...(params.backendTls ? [[TLS_TRUST_SYNC_SCRIPT_PATH]] : []),
      ["systemctl", "daemon-reload"],
      // Our renew timer replaces certbot's: on a pair only the EIP holder can answer HTTP-01.
      ...(certificates ? [["systemctl", "disable", "--now", "certbot.timer"]] : []),
      [BACKEND_SYNC_SCRIPT_PATH],
      ["systemctl", "enable", "--now", ...timers],
      ["systemctl", "restart", "haproxy"],
      ...lastCommands,
    ],
  }));
}
