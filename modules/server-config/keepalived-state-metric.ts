/**
 * keepalived's `notify` script on the HAProxy pair: writes the node's VRRP
 * state as a Prometheus metric into node_exporter's textfile directory, so a
 * failover (any state change) can alert. Debian 12's keepalived has no metrics
 * endpoint; node_exporter's textfile collector reads this directory by default.
 * Pure: no cdktf import.
 */
import { KEEPALIVED_STATE_VALUES } from "./alert-rules";
import { checkAbsolutePath } from "./inputs";
import { NODE_EXPORTER_TEXTFILE_DIR } from "./paths";

export interface KeepalivedStateMetricParams {
  /** node_exporter's textfile directory. @default "/var/lib/prometheus/node-exporter" (Debian's default) */
  readonly textfileDir?: string;
}

/** keepalived calls it with: INSTANCE|GROUP, name, state, priority. */
export function renderKeepalivedStateMetricScript(params: KeepalivedStateMetricParams = {}): string {
  const dir = params.textfileDir ?? NODE_EXPORTER_TEXTFILE_DIR;
  checkAbsolutePath("keepalivedStateMetric.textfileDir", dir);
  const cases = Object.entries(KEEPALIVED_STATE_VALUES).map(([state, value]) => `  ${state}) value=${value} ;;`).join("\n");
  return `#!/bin/bash
# keepalived notify hook: records the VRRP state for node_exporter's textfile collector.
set -euo pipefail
dir="${dir}"
kind="\${1:-}"
name="\${2:-}"
state="\${3:-}"
[ "$kind" = "INSTANCE" ] || exit 0
[[ "$name" =~ ^[A-Za-z0-9_.-]+$ ]] || exit 0
case "$state" in
${cases}
  *) exit 0 ;;
esac
install -d -m 0755 "$dir"
tmp="$(mktemp "$dir/.keepalived.XXXXXX")"
{
  echo "# HELP keepalived_vrrp_state VRRP state of this node (${Object.entries(KEEPALIVED_STATE_VALUES).map(([s, v]) => `${v} ${s}`).join(", ")})."
  echo "# TYPE keepalived_vrrp_state gauge"
  echo "keepalived_vrrp_state{vrrp_instance=\\"$name\\"} $value"
} >"$tmp"
chmod 0644 "$tmp"
# Atomic: the collector never reads a half-written file.
mv -f "$tmp" "$dir/keepalived.prom"
logger -t keepalived-state "$name is now $state" || true
`;
}
