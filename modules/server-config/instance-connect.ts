/**
 * EC2 Instance Connect on Debian 12, which packages neither `ec2-instance-connect`
 * nor `amazon-ssm-agent`: sshd asks a small script for the keys an operator pushed
 * with `ec2-instance-connect:SendSSHPublicKey` (each valid for 60 s), which it reads
 * from instance metadata with an IMDSv2 token. No key pair, no agent, nothing
 * downloaded at boot. Pure: no cdktf import.
 *
 * Modelled on AWS's own `eic_curl_authorized_keys` (aws/aws-ec2-instance-connect-config,
 * Apache-2.0). Kept: IMDSv2 token first, the user must exist, a 1 s timeout per
 * metadata call, and per key the `#Instance=` line must name this instance and the
 * `#Timestamp=` expiry must lie in the future. Left out, on purpose: the signer
 * certificate chain, its OCSP staples and the per-key signature (about 350 lines
 * of shell and openssl calls, too large for the 16 KB user data of the load
 * balancers). They guard against a forged metadata service; here the metadata
 * service is reachable only from the host itself (IMDSv2 only, hop limit 1) and
 * forging it needs root on the host, which already owns sshd. Also left out:
 * the hypervisor/DMI "is this EC2?" check — these files are only ever rendered
 * into EC2 user data.
 */
import { CloudConfig } from "../core/cloud-config";
import { check } from "../core/validation";
import { INSTANCE_CONNECT_KEYS_SCRIPT_PATH, INSTANCE_CONNECT_SSHD_CONFIG_PATH } from "./paths";

/** The login user of Debian's cloud images; operators connect as this user. */
export const DEBIAN_ADMIN_USER = "admin";

/** Unprivileged user sshd runs the keys command as (it only reads metadata). */
export const INSTANCE_CONNECT_COMMAND_USER = "nobody";

export interface InstanceConnectParams {
  /** Instance metadata base URL (tests point it at a fake). @default "http://169.254.169.254" */
  readonly imdsEndpoint?: string;
}

/** The AuthorizedKeysCommand: prints this instance's unexpired pushed keys for user $1. */
export function renderInstanceConnectKeysScript(params: InstanceConnectParams = {}): string {
  const imds = params.imdsEndpoint ?? "http://169.254.169.254";
  check(/^http:\/\/[0-9a-z.:-]+$/.test(imds), "instanceConnect.imdsEndpoint", imds, "an http:// URL without path, e.g. http://169.254.169.254");
  // Only plain user names go into the metadata path. The keys come in blocks: #Key=value lines, the key, its
  // signature lines, a blank line; a key is printed (and its IAM caller logged) only for this instance, unexpired.
  return `#!/bin/sh
# EC2 Instance Connect keys for sshd (AuthorizedKeysCommand %u), from IMDSv2.
set -u
user="\${1:-}"
case "$user" in ''|*[!a-z0-9_-]*) exit 0 ;; esac
id -u "$user" >/dev/null 2>&1 || exit 0
md=${imds}/latest
token="$(curl -sf -m 1 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 5' "$md/api/token")" || exit 0
get() { curl -sf -m 1 -H "X-aws-ec2-metadata-token: $token" "$md/meta-data/$1"; }
instance="$(get instance-id)" || exit 0
keys="$(get "managed-ssh-keys/active-keys/$user/")" || exit 0
printf '%s\\n' "$keys" | awk -v id="$instance" -v now="$(date +%s)" -v user="$user" '
/^$/ { ts = 0; inst = ""; who = ""; done = 0; next }
done { next }
/^#Timestamp=/ { ts = substr($0, 12) + 0; next }
/^#Instance=/ { inst = substr($0, 11); next }
/^#Caller=/ { who = substr($0, 9); next }
/^#/ { next }
/^ssh-/ && inst == id && ts > now {
  print
  print "key for " user " from " who | "logger -p authpriv.info -t ec2-instance-connect"
}
{ done = 1 }'
`;
}

/** sshd drop-in: sshd asks the keys script for every login. */
export function renderInstanceConnectSshdConfig(scriptPath: string = INSTANCE_CONNECT_KEYS_SCRIPT_PATH): string {
  check(/^\/[A-Za-z0-9._/-]+$/.test(scriptPath), "instanceConnect.scriptPath", scriptPath, "an absolute path without spaces");
  // Passwords are already off on Debian's cloud images (cloud-init's 50-cloud-init.conf); every byte counts on the load balancers.
  return `# EC2 Instance Connect (platform renderer)
AuthorizedKeysCommand ${scriptPath} %u
AuthorizedKeysCommandUser ${INSTANCE_CONNECT_COMMAND_USER}
`;
}

/**
 * Adds EC2 Instance Connect to a role's cloud-config (idempotent): the keys
 * script, the sshd drop-in (cloud-init writes files before sshd first starts)
 * and curl. Files only, no boot command.
 */
export function withInstanceConnect(config: CloudConfig): CloudConfig {
  const files = config.writeFiles ?? [];
  if (files.some((f) => f.path === INSTANCE_CONNECT_KEYS_SCRIPT_PATH)) return config;
  const packages = config.packages ?? [];
  return {
    ...config,
    packages: packages.includes("curl") ? packages : [...packages, "curl"],
    writeFiles: [
      ...files,
      // Compressed: the load balancers' user data is close to the 16 KB limit.
      { path: INSTANCE_CONNECT_KEYS_SCRIPT_PATH, content: renderInstanceConnectKeysScript(), permissions: "0755", compress: true },
      { path: INSTANCE_CONNECT_SSHD_CONFIG_PATH, content: renderInstanceConnectSshdConfig() },
    ],
  };
}
