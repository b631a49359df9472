/** cloud-config parts for TLS between the tiers: a server's own identity, a caller's pinned bundle. Pure: no cdktf import. */
import { CloudConfig, CloudConfigFile } from "../../core/cloud-config";
import { TLS_IDENTITY_SCRIPT_PATH, TLS_TRUST_SYNC_SCRIPT_PATH } from "../paths";
import { renderPeriodicJob } from "../systemd";
import { TlsTrustParams, TrustSyncScriptParams, renderTlsIdentityScript, renderTrustSyncScript } from "../tier-tls";

/** Where a server of a tier publishes its certificate, and the name it carries (same shape as what its callers pin). */
export type TlsIdentitySettings = TlsTrustParams;

const merge = (role: CloudConfig, packages: string[], files: CloudConfigFile[], first: string[][], timers: string[]): CloudConfig => {
  const all = [...(role.packages ?? [])];
  for (const p of packages) if (!all.includes(p)) all.push(p);
  return {
    packages: all,
    writeFiles: [...(role.writeFiles ?? []), ...files],
    // Before the role's own commands: the key, certificate and bundle exist before the daemon starts.
    runcmd: [...first, ["systemctl", "daemon-reload"], ["systemctl", "enable", "--now", ...timers], ...(role.runcmd ?? [])],
  };
};

/**
 * The host makes its key and certificate at first boot (before the role starts
 * its server), publishes the certificate, and a daily timer rotates it when due.
 * `reloadCommand` makes the server pick up a rotated key.
 */
export function withTlsIdentity(role: CloudConfig, settings: TlsIdentitySettings, reloadCommand: readonly string[]): CloudConfig {
  const files: CloudConfigFile[] = [
    { path: TLS_IDENTITY_SCRIPT_PATH, content: renderTlsIdentityScript({ ...settings, reloadCommand }), permissions: "0750", compress: true },
    ...renderPeriodicJob({ name: "tls-identity", description: "Rotate this host's TLS certificate when due and keep it published", command: TLS_IDENTITY_SCRIPT_PATH, firstRunAfterBootSeconds: 600, everySeconds: 86400, randomDelaySeconds: 3600 }),
  ];
  return merge(role, ["openssl", "awscli"], files, [[TLS_IDENTITY_SCRIPT_PATH]], ["tls-identity.timer"]);
}

/** The caller pins the published certificates of `serverIps` (first boot, then every minute). */
export function withTrustSync(role: CloudConfig, params: TrustSyncScriptParams & { readonly serverIps: readonly string[] }): CloudConfig {
  const files: CloudConfigFile[] = [
    { path: TLS_TRUST_SYNC_SCRIPT_PATH, content: renderTrustSyncScript(params), permissions: "0750", compress: true },
    ...renderPeriodicJob({ name: "tls-trust-sync", description: "Pin the certificates the called tier published", command: TLS_TRUST_SYNC_SCRIPT_PATH, firstRunAfterBootSeconds: 30, everySeconds: 60 }),
  ];
  return merge(role, ["openssl", "awscli"], files, [[TLS_TRUST_SYNC_SCRIPT_PATH]], ["tls-trust-sync.timer"]);
}
