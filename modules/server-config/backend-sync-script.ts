/**
 * Bash script (run by a systemd timer on each load balancer) that keeps
 * /etc/haproxy/backends.cfg in step with the SSM parameter listing the web
 * fleet, and reloads HAProxy only when the rendered file changed.
 * Safe by construction: an empty or malformed list, or a file HAProxy rejects,
 * leaves the running configuration untouched and exits non-zero.
 * Pure: no cdktf import.
 */
import { checkAbsolutePath, checkRegion, checkSsmParameterName } from "./inputs";
import { HaproxyBackendTls, HaproxyHealthCheck, renderHaproxyBackendsHeader } from "./haproxy";
import { HAPROXY_BACKENDS_PATH, HAPROXY_CFG_PATH, TLS_TRUST_SYNC_SCRIPT_PATH } from "./paths";

export interface BackendSyncScriptParams {
  /** SSM parameter holding "ip:port,ip:port,…" (see renderBackendListParameterValue). */
  readonly parameterName: string;
  /** Region of the parameter. */
  readonly region: string;
  /** Must equal the health check used for the initial backends file. @default HAProxy defaults */
  readonly healthCheck?: HaproxyHealthCheck;
  /** @default "/etc/haproxy/backends.cfg" */
  readonly backendsPath?: string;
  /** Main config, used to validate the candidate file. @default "/etc/haproxy/haproxy.cfg" */
  readonly haproxyConfigPath?: string;
  /**
   * TLS to the web servers: must equal the initial backends file's. Before the
   * backends, the script pins the certificates the listed servers published
   * under `<trustParameterPrefix>/<ip>` (via the trust sync script).
   * @default undefined (plain HTTP)
   */
  readonly tls?: HaproxyBackendTls & { readonly trustParameterPrefix: string };
}

/**
 * Renders the sync script. BACKENDS_FILE and HAPROXY_CFG may be overridden from
 * the environment (tests do); systemd starts it with a clean environment.
 */
export function renderBackendSyncScript(params: BackendSyncScriptParams): string {
  checkSsmParameterName("backendSync.parameterName", params.parameterName);
  checkRegion("backendSync.region", params.region);
  const backendsPath = params.backendsPath ?? HAPROXY_BACKENDS_PATH;
  const haproxyConfigPath = params.haproxyConfigPath ?? HAPROXY_CFG_PATH;
  checkAbsolutePath("backendSync.backendsPath", backendsPath);
  checkAbsolutePath("backendSync.haproxyConfigPath", haproxyConfigPath);
  const header = renderHaproxyBackendsHeader(params.healthCheck, params.tls);
  if (params.tls) checkSsmParameterName("backendSync.tls.trustParameterPrefix", params.tls.trustParameterPrefix);
  const trust = params.tls
    ? `
# Pin the certificates these servers published before they are (re)listed; on failure the current bundle stays.
slots=()
for backend in "\${backends[@]}"; do
  slots+=("${params.tls.trustParameterPrefix}/\${backend%:*}")
done
"${TLS_TRUST_SYNC_SCRIPT_PATH}" "\${slots[@]}" || log "trust bundle not refreshed; keeping the current one"
`
    : "";
  return `#!/bin/bash
# Re-renders the HAProxy web backend from SSM and reloads HAProxy when it changed.
set -euo pipefail

PARAMETER_NAME="${params.parameterName}"
REGION="${params.region}"
BACKENDS_FILE="\${BACKENDS_FILE:-${backendsPath}}"
HAPROXY_CFG="\${HAPROXY_CFG:-${haproxyConfigPath}}"

log() {
  logger -t haproxy-backend-sync -- "$*" 2>/dev/null || true
  printf 'haproxy-backend-sync: %s\\n' "$*" >&2
}

value="$(aws ssm get-parameter --region "$REGION" --name "$PARAMETER_NAME" --query Parameter.Value --output text)" || {
  log "cannot read $PARAMETER_NAME; keeping the current backends"
  exit 1
}

# "ip:port" entries separated by commas or whitespace; sorted like the synth-time renderer.
mapfile -t backends < <(printf '%s\\n' "$value" | tr ',[:space:]' '\\n' | sed '/^$/d' | LC_ALL=C sort -u)
if [ "\${#backends[@]}" -eq 0 ]; then
  log "$PARAMETER_NAME is empty; keeping the current backends"
  exit 1
fi
for backend in "\${backends[@]}"; do
  if ! [[ "$backend" =~ ^([0-9]{1,3}\\.){3}[0-9]{1,3}:[0-9]{1,5}$ ]]; then
    log "invalid entry '$backend' in $PARAMETER_NAME; keeping the current backends"
    exit 1
  fi
done
${trust}
candidate="$(mktemp)"
trap 'rm -f "$candidate"' EXIT
{
  cat <<'HEADER'
${header.trimEnd()}
HEADER
  for backend in "\${backends[@]}"; do
    printf '    server %s %s\\n' "$backend" "$backend"
  done
} >"$candidate"

if cmp -s "$candidate" "$BACKENDS_FILE"; then
  exit 0
fi
if ! haproxy -c -q -f "$HAPROXY_CFG" -f "$candidate"; then
  log "HAProxy rejects the new backends; keeping the current ones"
  exit 1
fi
install -m 0644 "$candidate" "$BACKENDS_FILE"
log "backends changed to \${backends[*]}; reloading haproxy"
# At first boot HAProxy may not run yet: reload-or-restart starts it.
systemctl reload-or-restart haproxy
`;
}
