/**
 * TLS between the tiers without a private CA (stage 3: HAProxy → Nginx → app).
 *
 * Each server of a called tier makes its own key at first boot (it never leaves
 * the host: not in user data, not in Terraform) and a self-signed certificate
 * for the tier's name (CA:FALSE, so it can vouch for nothing else), and
 * publishes only the certificate into its SSM slot `<prefix>/<its private IP>`.
 * Each caller pins exactly the published certificates of the servers it calls:
 * a trust sync rebuilds its bundle from those slots, checks the daemon's config
 * and reloads on change. A server whose certificate is not in the bundle — a
 * stranger, or a host whose slot was never written — fails verification.
 *
 * Rotation (tls-identity --rotate, or by itself when fewer than `renewDays`
 * remain): a new key and certificate are made, published next to the current
 * one, the host waits `overlapSeconds` (longer than the callers' sync interval)
 * so every caller trusts both, switches, and publishes the new one alone.
 * Pure: no cdktf import.
 */
import { check } from "../core/validation";
import { checkAbsolutePath, checkDomainName, checkIntegerRange, checkRegion, checkSsmParameterName, isIpv4 } from "./inputs";
import { TLS_CERT_PATH, TLS_IDENTITY_DIR, TLS_KEY_PATH } from "./paths";

/** A host's TLS identity as a server of its tier. */
export interface TlsIdentityParams {
  /** Name in the certificate, the name callers verify (e.g. "web.webplat-dev-stage3.internal"). */
  readonly serverName: string;
  /** SSM path of the tier's slots; the host publishes to `<parameterPrefix>/<its private IP>`. */
  readonly parameterPrefix: string;
  /** Region of the slots. */
  readonly region: string;
  /** Command that makes the local server pick up a new key (argv). */
  readonly reloadCommand: readonly string[];
  /** Certificate lifetime in days. @default 90 */
  readonly validityDays?: number;
  /** Rotate when fewer days than this remain. @default 30 */
  readonly renewDays?: number;
  /** Seconds the next certificate is published beside the current one before the host switches (callers sync every 60 s). @default 150 */
  readonly overlapSeconds?: number;
}

/** How a caller pins the certificates of the tier it calls. */
export interface TlsTrustParams {
  /** Name the called servers' certificates carry (verified on every connection). */
  readonly serverName: string;
  /** SSM path of the called tier's slots (`<prefix>/<server IP>`). */
  readonly parameterPrefix: string;
  /** Region of the slots. */
  readonly region: string;
}

export interface TrustSyncScriptParams extends TlsTrustParams {
  /** Where the bundle goes (the daemon's ca-file / trusted certificate). */
  readonly bundlePath: string;
  /** Config check run with the new bundle in place; a failure restores the old bundle (argv). */
  readonly checkCommand: readonly string[];
  /** Reload of the daemon when the bundle changed (argv; must be a no-op while the daemon is stopped). */
  readonly reloadCommand: readonly string[];
  /** Server IPs whose slots are read when the script gets no arguments. @default [] (names come as arguments) */
  readonly serverIps?: readonly string[];
}

/** The tier name certificates carry: "<tier>.<prefix>.internal" (never resolved; only verified). */
export function tierServerName(tier: string, prefix: string): string {
  const name = `${tier}.${prefix.toLowerCase()}.internal`;
  checkDomainName("tierTls.serverName", name);
  return name;
}

/** SSM slot of one server: `<prefix>/<ip>`. */
export function tlsSlotName(parameterPrefix: string, ip: string): string {
  checkSsmParameterName("tierTls.parameterPrefix", parameterPrefix);
  check(isIpv4(ip), "tierTls.serverIp", ip, "a dotted IPv4 address");
  return `${parameterPrefix}/${ip}`;
}

function checkTrust(field: string, params: TlsTrustParams): void {
  checkDomainName(`${field}.serverName`, params.serverName);
  checkSsmParameterName(`${field}.parameterPrefix`, params.parameterPrefix);
  checkRegion(`${field}.region`, params.region);
}

const argv = (command: readonly string[]): string => command.map((a) => (/^[A-Za-z0-9._\/=:-]+$/.test(a) ? a : `'${a.replace(/'/g, "'\\''")}'`)).join(" ");

const LOG = (tag: string): string => `log() {
  logger -t ${tag} -- "$*" 2>/dev/null || true
  printf '${tag}: %s\\n' "$*" >&2
}`;

/** Keeps only certificate blocks (a slot not published yet holds a placeholder). */
const CERT_BLOCKS = "sed -n '/^-----BEGIN CERTIFICATE-----$/,/^-----END CERTIFICATE-----$/p'";

/** First boot and a daily timer: create the identity, rotate it when due (or with --rotate), keep the slot current. */
export function renderTlsIdentityScript(params: TlsIdentityParams): string {
  checkDomainName("tlsIdentity.serverName", params.serverName);
  checkSsmParameterName("tlsIdentity.parameterPrefix", params.parameterPrefix);
  checkRegion("tlsIdentity.region", params.region);
  check(params.reloadCommand.length > 0, "tlsIdentity.reloadCommand", params.reloadCommand, "a command");
  const validity = params.validityDays ?? 90;
  const renew = params.renewDays ?? 30;
  const overlap = params.overlapSeconds ?? 150;
  checkIntegerRange("tlsIdentity.validityDays", validity, 2, 825);
  checkIntegerRange("tlsIdentity.renewDays", renew, 1, validity - 1);
  checkIntegerRange("tlsIdentity.overlapSeconds", overlap, 0, 3600);
  return `#!/bin/bash
# This host's TLS identity as a ${params.serverName} server: a key made here (it never
# leaves the host) and a self-signed certificate, published to SSM for the callers to pin.
#   tls-identity           create it if missing, rotate it when due, keep the SSM slot current
#   tls-identity --rotate  rotate now (e.g. after a suspected key compromise)
set -euo pipefail
NAME="${params.serverName}"
PARAMETER_PREFIX="${params.parameterPrefix}"
REGION="${params.region}"
TLS_DIR="\${TLS_DIR:-${TLS_IDENTITY_DIR}}"
VALIDITY_DAYS=${validity}
RENEW_DAYS=${renew}
OVERLAP_SECONDS="\${OVERLAP_SECONDS:-${overlap}}"
${LOG("tls-identity")}

# The slot is named after this host's private IP (the address callers connect to).
ip="$(ip -4 -o route get 192.0.2.1 | sed -n 's/.* src \\([0-9.]*\\).*/\\1/p')"
[ -n "$ip" ] || { log "cannot tell this host's private IP"; exit 1; }
SLOT="$PARAMETER_PREFIX/$ip"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A key and a self-signed certificate that can vouch for nothing but NAME (CA:FALSE).
new_identity() {
  (umask 077 && openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days "$VALIDITY_DAYS" \\
    -subj "/CN=$NAME" -addext "subjectAltName=DNS:$NAME" -addext "basicConstraints=critical,CA:FALSE" \\
    -addext "keyUsage=critical,digitalSignature" -addext "extendedKeyUsage=serverAuth" \\
    -keyout "$1" -out "$2" 2>/dev/null)
}

# Writes these certificates into the slot unless it already holds exactly them.
publish() {
  cat "$@" | ${CERT_BLOCKS} >"$work/wanted.pem"
  if aws ssm get-parameter --region "$REGION" --name "$SLOT" --query Parameter.Value --output text 2>/dev/null |
    ${CERT_BLOCKS} | cmp -s - "$work/wanted.pem"; then
    return 0
  fi
  aws ssm put-parameter --region "$REGION" --name "$SLOT" --type String --overwrite --value "file://$work/wanted.pem" >/dev/null
  log "published $(grep -c 'BEGIN CERTIFICATE' "$work/wanted.pem") certificate(s) to $SLOT"
}

install -d -m 0755 "$TLS_DIR"
if [ ! -s "$TLS_DIR/key.pem" ] || [ ! -s "$TLS_DIR/cert.pem" ]; then
  new_identity "$work/key.pem" "$work/cert.pem"
  install -m 0600 "$work/key.pem" "$TLS_DIR/key.pem"
  install -m 0644 "$work/cert.pem" "$TLS_DIR/cert.pem"
  log "created the TLS identity for $NAME"
elif [ "\${1:-}" = "--rotate" ] || ! openssl x509 -in "$TLS_DIR/cert.pem" -noout -checkend $((RENEW_DAYS * 86400)) >/dev/null; then
  new_identity "$work/next-key.pem" "$work/next-cert.pem"
  # Callers trust the current and the next certificate before this host switches.
  publish "$TLS_DIR/cert.pem" "$work/next-cert.pem"
  log "next certificate published beside the current one; switching in $OVERLAP_SECONDS s"
  sleep "$OVERLAP_SECONDS"
  install -m 0600 "$work/next-key.pem" "$TLS_DIR/key.pem"
  install -m 0644 "$work/next-cert.pem" "$TLS_DIR/cert.pem"
  ${argv(params.reloadCommand)}
  log "now serving the new certificate"
fi
publish "$TLS_DIR/cert.pem"
`;
}

/**
 * Timer job on the callers (and run by HAProxy's backend sync with the current
 * servers' slot names as arguments): bundle = a local anchor nobody holds the
 * key of (keeps the file loadable before any server published) + every
 * certificate published in the named slots. Installs it only when it changed
 * and the daemon's check passes, then reloads.
 */
export function renderTrustSyncScript(params: TrustSyncScriptParams): string {
  checkTrust("tlsTrust", params);
  checkAbsolutePath("tlsTrust.bundlePath", params.bundlePath);
  check(params.checkCommand.length > 0, "tlsTrust.checkCommand", params.checkCommand, "a command");
  check(params.reloadCommand.length > 0, "tlsTrust.reloadCommand", params.reloadCommand, "a command");
  const names = (params.serverIps ?? []).map((ip) => tlsSlotName(params.parameterPrefix, ip));
  return `#!/bin/bash
# Pins the certificates ${params.serverName} servers published in SSM: rebuilds the trust bundle
# from their slots and reloads when it changed. Arguments: slot names (default: the list below).
set -euo pipefail
REGION="${params.region}"
BUNDLE="\${TRUST_BUNDLE:-${params.bundlePath}}"
DEFAULT_SLOTS=(${names.join(" ")})
${LOG("tls-trust-sync")}

slots=("$@")
[ "\${#slots[@]}" -gt 0 ] || slots=("\${DEFAULT_SLOTS[@]}")
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT

# A certificate nobody holds the key of: the bundle is never empty (the daemons refuse an empty one).
if [ ! -s "$BUNDLE.anchor" ]; then
  install -d -m 0755 "$(dirname "$BUNDLE")"
  openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 3650 \\
    -subj "/CN=no server holds this key" -keyout /dev/null -out "$BUNDLE.anchor" 2>/dev/null
fi
cp "$BUNDLE.anchor" "$work/bundle.pem"
: >"$work/values"
for ((i = 0; i < \${#slots[@]}; i += 10)); do
  if ! aws ssm get-parameters --region "$REGION" --names "\${slots[@]:i:10}" \\
    --query 'Parameters[].Value' --output text >>"$work/values"; then
    log "cannot read the published certificates; keeping the current bundle"
    exit 1
  fi
done
tr '\\t' '\\n' <"$work/values" | ${CERT_BLOCKS} >>"$work/bundle.pem"

if cmp -s "$work/bundle.pem" "$BUNDLE"; then
  exit 0
fi
if [ -f "$BUNDLE" ]; then cp -p "$BUNDLE" "$work/previous.pem"; fi
install -m 0644 "$work/bundle.pem" "$BUNDLE"
if ! ${argv(params.checkCommand)}; then
  if [ -f "$work/previous.pem" ]; then install -m 0644 "$work/previous.pem" "$BUNDLE"; fi
  log "the new bundle fails the config check; keeping the previous one"
  exit 1
fi
log "pinned $(($(grep -c 'BEGIN CERTIFICATE' "$BUNDLE") - 1)) certificate(s) of ${params.serverName}; reloading"
${argv(params.reloadCommand)}
`;
}

/** The TLS listener paths a server of a tier uses (its own key and certificate). */
export const TLS_IDENTITY_FILES = { key: TLS_KEY_PATH, cert: TLS_CERT_PATH } as const;
