/**
 * Let's Encrypt for the HAProxy pair.
 *
 * Only the node holding the Elastic IP can answer an HTTP-01 challenge, yet
 * whichever node holds it must serve a valid certificate. So:
 *  - first boot writes a self-signed placeholder so HAProxy can start;
 *  - the MASTER (it carries keepalived's marker address on `lo`) runs certbot
 *    in standalone mode on a local port that HAProxy routes
 *    /.well-known/acme-challenge/ to, with `--keep-until-expiring`, so the
 *    same command obtains the first certificate and renews it;
 *  - certbot's deploy hook rebuilds the combined PEM, reloads HAProxy and
 *    publishes the PEM to an SSM SecureString parameter (KMS-encrypted);
 *  - the BACKUP pulls that parameter on a timer and again right after it takes
 *    the EIP, so a failover never serves the placeholder.
 * All scripts are rendered here (pure functions, no cdktf import).
 */
import { check } from "../core/validation";
import {
  checkAbsolutePath,
  checkDomainName,
  checkIpv4,
  checkPort,
  checkRegion,
  checkSsmParameterName,
  checkUnique,
} from "./inputs";
import { ACME_LOCAL_PORT } from "./haproxy";
import { CERT_DEPLOY_HOOK_PATH, CERT_PULL_SCRIPT_PATH, HAPROXY_CERT_PATH } from "./paths";

/** Certificate sharing between the two nodes of a pair. */
export interface CertificateSharing {
  /**
   * SSM SecureString parameter carrying the combined PEM. Use the Advanced tier:
   * a PEM with chain and key can exceed the Standard tier's 4 KB.
   */
  readonly parameterName: string;
  /** Region of the parameter. */
  readonly region: string;
  /** keepalived's MASTER marker address (masterMarkerAddress()); its presence on `lo` means "I hold the EIP". */
  readonly masterMarkerAddress: string;
}

export interface CertificateParams {
  /** Public DNS name served by the pair (the certificate's first name and certbot's lineage). */
  readonly domain: string;
  /** Further names the certificate covers, e.g. "www.example.com" (every published host name). @default [] */
  readonly additionalNames?: readonly string[];
  /** Contact address for Let's Encrypt expiry notices. */
  readonly email: string;
  /**
   * How a pair shares the certificate. Omit for a single load balancer, which
   * obtains and renews its own certificate and publishes it nowhere.
   * @default undefined (single load balancer)
   */
  readonly sharing?: CertificateSharing;
  /** Local port of certbot's standalone server; must equal HAProxy's acmePort. @default 8888 */
  readonly acmePort?: number;
  /** Combined PEM path used by HAProxy. @default "/etc/haproxy/certs/site.pem" */
  readonly certPath?: string;
  /** Use Let's Encrypt's staging CA (untrusted certificates, generous rate limits) while testing. @default false */
  readonly staging?: boolean;
}

type ValidParams = Required<Omit<CertificateParams, "sharing">> & { readonly sharing?: CertificateSharing };

function validate(params: CertificateParams): ValidParams {
  checkDomainName("certificates.domain", params.domain);
  const additionalNames = params.additionalNames ?? [];
  additionalNames.forEach((name, i) => checkDomainName(`certificates.additionalNames[${i}]`, name));
  checkUnique("certificates.additionalNames", [params.domain, ...additionalNames]);
  check(/^[A-Za-z0-9._%+-]+@[A-Za-z0-9.-]+\.[A-Za-z]{2,}$/.test(params.email), "certificates.email", params.email, "an e-mail address such as ops@example.com");
  if (params.sharing) {
    checkSsmParameterName("certificates.sharing.parameterName", params.sharing.parameterName);
    checkRegion("certificates.sharing.region", params.sharing.region);
    checkIpv4("certificates.sharing.masterMarkerAddress", params.sharing.masterMarkerAddress);
  }
  const acmePort = params.acmePort ?? ACME_LOCAL_PORT;
  checkPort("certificates.acmePort", acmePort);
  const certPath = params.certPath ?? HAPROXY_CERT_PATH;
  checkAbsolutePath("certificates.certPath", certPath);
  return { ...params, additionalNames, acmePort, certPath, staging: params.staging ?? false };
}

const LOG_FUNCTION = (tag: string): string => `log() {
  logger -t ${tag} -- "$*" 2>/dev/null || true
  printf '${tag}: %s\\n' "$*" >&2
}`;

/** First boot: a self-signed combined PEM so HAProxy can start before certbot ran. Never overwrites a certificate. */
export function renderPlaceholderCertScript(params: CertificateParams): string {
  const p = validate(params);
  return `#!/bin/bash
# Writes a self-signed placeholder certificate unless one is already installed.
set -euo pipefail
CERT_FILE="\${CERT_FILE:-${p.certPath}}"
DOMAIN="${p.domain}"

if [ -s "$CERT_FILE" ]; then
  exit 0
fi
install -d -m 0700 "$(dirname "$CERT_FILE")"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 30 \\
  -subj "/CN=$DOMAIN" -addext "subjectAltName=${["$DOMAIN", ...p.additionalNames].map((n) => `DNS:${n}`).join(",")}" \\
  -keyout "$work/key.pem" -out "$work/cert.pem" 2>/dev/null
cat "$work/cert.pem" "$work/key.pem" >"$work/combined.pem"
install -m 0600 "$work/combined.pem" "$CERT_FILE"
echo "placeholder certificate written to $CERT_FILE"
`;
}

/**
 * certbot deploy hook (runs after each successful issue or renewal, with
 * RENEWED_LINEAGE set): combined PEM → HAProxy reload → SSM for the peer.
 */
export function renderCertDeployHook(params: CertificateParams): string {
  const p = validate(params);
  const publish = p.sharing
    ? `PARAMETER_NAME="${p.sharing.parameterName}"
REGION="${p.sharing.region}"
aws ssm put-parameter --region "$REGION" --name "$PARAMETER_NAME" --type SecureString \\
  --overwrite --value "file://$work/combined.pem" >/dev/null
log "published the certificate to $PARAMETER_NAME"
`
    : "";
  return `#!/bin/bash
# certbot deploy hook: installs the new certificate for HAProxy${p.sharing ? " and publishes it for the peer" : ""}.
set -euo pipefail
CERT_FILE="\${CERT_FILE:-${p.certPath}}"
${LOG_FUNCTION("haproxy-cert-deploy")}

: "\${RENEWED_LINEAGE:?certbot sets RENEWED_LINEAGE}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
cat "$RENEWED_LINEAGE/fullchain.pem" "$RENEWED_LINEAGE/privkey.pem" >"$work/combined.pem"
install -d -m 0700 "$(dirname "$CERT_FILE")"
install -m 0600 "$work/combined.pem" "$CERT_FILE"
systemctl reload haproxy
log "installed the certificate from $RENEWED_LINEAGE and reloaded haproxy"
${publish}`;
}

/** Installs the PEM published in SSM when it differs from the local one and is a valid certificate + key. */
export function renderCertPullScript(params: CertificateParams): string {
  const p = validate(params);
  check(p.sharing !== undefined, "certificates.sharing", p.sharing, "certificate sharing settings (only a pair pulls a published certificate)");
  const sharing = p.sharing!;
  return `#!/bin/bash
# Installs the certificate the peer published in SSM, when it is newer than ours.
set -euo pipefail
CERT_FILE="\${CERT_FILE:-${p.certPath}}"
PARAMETER_NAME="${sharing.parameterName}"
REGION="${sharing.region}"
${LOG_FUNCTION("haproxy-cert-pull")}

work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
if ! aws ssm get-parameter --region "$REGION" --name "$PARAMETER_NAME" --with-decryption \\
  --query Parameter.Value --output text >"$work/combined.pem"; then
  log "no certificate in $PARAMETER_NAME yet; keeping the current one"
  exit 0
fi
# Accept only a certificate and key that belong together and cover the next day.
if ! openssl x509 -in "$work/combined.pem" -noout -checkend 86400 >/dev/null ||
  [ "$(openssl x509 -in "$work/combined.pem" -noout -pubkey | sha256sum)" != \\
    "$(openssl pkey -in "$work/combined.pem" -pubout | sha256sum)" ]; then
  log "$PARAMETER_NAME holds no valid certificate and key; keeping the current one"
  exit 1
fi
if cmp -s "$work/combined.pem" "$CERT_FILE"; then
  exit 0
fi
install -d -m 0700 "$(dirname "$CERT_FILE")"
install -m 0600 "$work/combined.pem" "$CERT_FILE"
systemctl reload haproxy
log "installed the certificate from $PARAMETER_NAME and reloaded haproxy"
`;
}

/** Pair only: the BACKUP pulls; a fresh MASTER reuses a published certificate that is still good. */
function renderPairRole(sharing: CertificateSharing): string {
  return `MARKER_ADDRESS="${sharing.masterMarkerAddress}"
if ! ip -o addr show dev lo | grep -qF " $MARKER_ADDRESS/32 "; then
  exec "${CERT_PULL_SCRIPT_PATH}"
fi
if [ ! -d "/etc/letsencrypt/live/$DOMAIN" ]; then
  # A fresh MASTER (after a failover) reuses the peer's certificate while it is good for 30 days.
  "${CERT_PULL_SCRIPT_PATH}" || true
  if openssl x509 -in "$CERT_FILE" -noout -checkend 2592000 >/dev/null 2>&1 &&
    ! openssl x509 -in "$CERT_FILE" -noout -issuer | grep -qF "CN = $DOMAIN"; then
    exit 0
  fi
fi
`;
}

/**
 * Timer job on both nodes. MASTER: take the published certificate if it has
 * more than 30 days left, else let certbot obtain or renew one
 * (`--keep-until-expiring` makes that a no-op until 30 days before expiry).
 * BACKUP: pull the published certificate.
 */
export function renderCertRenewScript(params: CertificateParams): string {
  const p = validate(params);
  return `#!/bin/bash
# Obtains or renews the Let's Encrypt certificate on the MASTER; pulls it on the BACKUP.
set -euo pipefail
DOMAIN="${p.domain}"
EMAIL="${p.email}"
ACME_PORT=${p.acmePort}
${p.sharing ? "" : "# shellcheck disable=SC2034 # CERT_FILE documents the combined PEM the deploy hook writes\n"}CERT_FILE="\${CERT_FILE:-${p.certPath}}"
${LOG_FUNCTION("haproxy-cert-renew")}
${p.sharing ? renderPairRole(p.sharing) : ""}
log "asking Let's Encrypt for ${["$DOMAIN", ...p.additionalNames].join(" ")} (no-op unless due)"
certbot certonly --non-interactive --agree-tos --email "$EMAIL" \\
  --standalone --http-01-address 127.0.0.1 --http-01-port "$ACME_PORT" \\
  --key-type ecdsa --keep-until-expiring --expand${p.staging ? " --staging" : ""} \\
  --deploy-hook "${CERT_DEPLOY_HOOK_PATH}" -d "$DOMAIN"${p.additionalNames.map((n) => ` -d ${n}`).join("")}
`;
}
