/**
 * The failover script keepalived runs on the transition to MASTER: it asks the
 * instance metadata service (IMDSv2) who we are and associates the Elastic IP
 * with this instance. Terraform allocates the EIP but never associates it, so
 * a failover leaves no drift for `terraform plan` to revert.
 * Pure: no cdktf import.
 */
import { check, isToken, requireConcrete } from "../core/validation";
import { checkAbsolutePath, checkIntegerRange, checkRegion } from "./inputs";

export const DEFAULT_IMDS_ENDPOINT = "http://169.254.169.254";

export interface FailoverScriptParams {
  /** Allocation id of the Elastic IP (eipalloc-…); Terraform writes it at apply time. */
  readonly allocationId: string;
  /** Region of the EIP and the instances. */
  readonly region: string;
  /** Attempts per step; waits 1, 2, 4, … s between them. @default 5 (gives up after ~15 s) */
  readonly attempts?: number;
  /**
   * Command run after the EIP moved (e.g. pull the current certificate); its
   * failure is logged but does not fail the failover.
   * @default undefined (nothing)
   */
  readonly afterAssociateCommand?: string;
  /** Metadata endpoint; the environment variable IMDS_ENDPOINT overrides it (drills use that). @default "http://169.254.169.254" */
  readonly imdsEndpoint?: string;
}

export function renderFailoverScript(params: FailoverScriptParams): string {
  // The allocation id may be a Terraform reference: it is only pasted, never computed with.
  check(
    /^eipalloc-[0-9a-f]{8,17}$/.test(params.allocationId) || isToken(params.allocationId) || /^\$\{[a-z0-9_.]+\}$/.test(params.allocationId),
    "failover.allocationId",
    params.allocationId,
    "an Elastic IP allocation id such as eipalloc-0123456789abcdef0 (or a Terraform reference to one)",
  );
  requireConcrete("failover.region", params.region);
  checkRegion("failover.region", params.region);
  const attempts = params.attempts ?? 5;
  checkIntegerRange("failover.attempts", attempts, 1, 10);
  if (params.afterAssociateCommand !== undefined) checkAbsolutePath("failover.afterAssociateCommand", params.afterAssociateCommand);
  const imds = params.imdsEndpoint ?? DEFAULT_IMDS_ENDPOINT;
  check(/^http:\/\/[0-9.]+(:\d+)?$/.test(imds), "failover.imdsEndpoint", imds, "http://<ip>[:port], e.g. http://169.254.169.254");

  const after = params.afterAssociateCommand === undefined
    ? ""
    : `
# Best effort: serve the newest certificate; its own timer retries on failure.
if ! "${params.afterAssociateCommand}"; then
  log "${params.afterAssociateCommand} failed; continuing (the EIP moved)"
fi
`;
  return `#!/bin/bash
# Moves the Elastic IP to this instance. Run by keepalived on the transition to
# MASTER; each step is retried with backoff; exits non-zero when it gives up.
set -uo pipefail

ALLOCATION_ID="${params.allocationId}"
REGION="${params.region}"
IMDS_ENDPOINT="\${IMDS_ENDPOINT:-${imds}}"
ATTEMPTS=${attempts}

log() {
  logger -t eip-failover -- "$*" 2>/dev/null || true
  printf 'eip-failover: %s\\n' "$*" >&2
}

# Runs "$@" until it succeeds, sleeping 1, 2, 4, ... seconds between attempts.
retry() {
  local attempt=1 delay=1
  until "$@"; do
    if [ "$attempt" -ge "$ATTEMPTS" ]; then
      log "$1 failed $attempt times; giving up"
      return 1
    fi
    log "$1 failed (attempt $attempt of $ATTEMPTS); retrying in \${delay}s"
    sleep "$delay"
    attempt=$((attempt + 1))
    delay=$((delay * 2))
  done
}

# IMDSv2: a session token first, then the instance id.
fetch_instance_id() {
  local token
  token="$(curl -sSf -m 2 -X PUT -H 'X-aws-ec2-metadata-token-ttl-seconds: 60' "$IMDS_ENDPOINT/latest/api/token")" || return 1
  INSTANCE_ID="$(curl -sSf -m 2 -H "X-aws-ec2-metadata-token: $token" "$IMDS_ENDPOINT/latest/meta-data/instance-id")" || return 1
  if ! [[ "$INSTANCE_ID" =~ ^i-[0-9a-f]{8,17}$ ]]; then
    log "metadata returned an unexpected instance id '$INSTANCE_ID'"
    return 1
  fi
}

associate_address() {
  aws ec2 associate-address --region "$REGION" --allocation-id "$ALLOCATION_ID" \\
    --instance-id "$INSTANCE_ID" --allow-reassociation --output text >/dev/null
}

INSTANCE_ID=""
log "became MASTER; taking over $ALLOCATION_ID"
retry fetch_instance_id || exit 1
log "this instance is $INSTANCE_ID"
retry associate_address || exit 2
log "associated $ALLOCATION_ID with $INSTANCE_ID in $REGION"
${after}`;
}
