/**
 * How suppressions live in the synthesized JSON: a list under the block's `//`
 * comment object (Terraform ignores `//`; reviewers and the engine read it):
 *
 *   "//": { "metadata": {...}, "policy_suppressions": [ { "rule_id": "SG-NO-PUBLIC-INGRESS",
 *           "reason": "public entry point: the load balancer serves 80/443 to everyone",
 *           "applied_at": "stage3/lb/sg" } ] }
 *
 * Pure: shared by the cdktf `suppress()` API (writer) and the engine (reader).
 */
import { metadataOf } from "./document";
import type { TfSubject } from "./types";
import { isObject } from "./values";

export const SUPPRESSIONS_KEY = "policy_suppressions";
export const MIN_REASON_LENGTH = 10;

export interface SuppressionEntry {
  readonly rule_id: string;
  readonly reason: string;
  /** Construct path the suppression was attached to (may be an ancestor of the resource). */
  readonly applied_at?: string;
}

export interface ReadSuppressions {
  readonly entries: SuppressionEntry[];
  /** Malformed entries, described for an error finding. */
  readonly problems: string[];
}

export function readSuppressions(subject: TfSubject): ReadSuppressions {
  const raw = metadataOf(subject.config)?.[SUPPRESSIONS_KEY];
  if (raw === undefined) return { entries: [], problems: [] };
  if (!Array.isArray(raw)) return { entries: [], problems: [`"//".${SUPPRESSIONS_KEY} must be a list`] };
  const entries: SuppressionEntry[] = [];
  const problems: string[] = [];
  raw.forEach((item, index) => {
    if (!isObject(item) || typeof item.rule_id !== "string" || typeof item.reason !== "string") {
      problems.push(`${SUPPRESSIONS_KEY}[${index}] must be {rule_id: string, reason: string}`);
      return;
    }
    entries.push({
      rule_id: item.rule_id,
      reason: item.reason,
      applied_at: typeof item.applied_at === "string" ? item.applied_at : undefined,
    });
  });
  return { entries, problems };
}

/** Null when acceptable, otherwise what is wrong with the reason. */
export function reasonProblem(reason: unknown): string | null {
  if (typeof reason !== "string") return "reason must be a string";
  if (reason.trim().length < MIN_REASON_LENGTH) {
    return `reason ${JSON.stringify(reason)} is too short; explain why in at least ${MIN_REASON_LENGTH} characters`;
  }
  return null;
}
