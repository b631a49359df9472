/**
 * Shared vocabulary of the policy pack. Pure: no cdktf import, so the engine runs
 * on any synthesized Terraform JSON (ours, another team's, or a future non-cdktf one).
 */
import type { TfDocument } from "./document";

export type Severity = "error" | "warning";

/** Which top-level block of the Terraform JSON a subject comes from. */
export type SubjectKind = "resource" | "data" | "provider";

/** One block of the synthesized JSON, as a rule sees it. */
export interface TfSubject {
  readonly kind: SubjectKind;
  /** Resource or data source type (`aws_instance`), or provider name (`aws`). */
  readonly type: string;
  /** Logical name (`web_instance_1A2B3C`), or provider alias (`default` when none). */
  readonly name: string;
  /** Terraform address: `aws_instance.web`, `data.aws_iam_policy_document.x`, `provider.aws.west`. */
  readonly address: string;
  /** cdktf construct path from `//.metadata.path`, when the JSON carries one. */
  readonly constructPath?: string;
  /** The block's attributes exactly as synthesized (snake_case, blocks as objects or arrays). */
  readonly config: Readonly<Record<string, unknown>>;
}

export type RuleResult =
  | { readonly status: "compliant" }
  | { readonly status: "non-compliant"; readonly message: string }
  | { readonly status: "not-applicable" };

export interface PolicyRule {
  /** Stable id used in findings and suppressions, e.g. "EC2-IMDSv2". */
  readonly id: string;
  readonly severity: Severity;
  /** One line: what the rule demands. */
  readonly title: string;
  /** How to fix a violation (module prop or Terraform attribute). */
  readonly fix: string;
  /** Types the rule inspects, or "*" for every subject of the listed kinds. */
  readonly appliesTo: readonly string[] | "*";
  /** @default ["resource"] */
  readonly kinds?: readonly SubjectKind[];
  /** Pure function of one subject; `doc` gives read-only access for cross-resource facts. */
  evaluate(subject: TfSubject, doc: TfDocument): RuleResult;
}

export interface Finding {
  readonly stackName: string;
  readonly ruleId: string;
  readonly severity: Severity;
  readonly address: string;
  readonly constructPath?: string;
  readonly message: string;
  readonly fix: string;
  readonly suppressed: boolean;
  /** Reviewer-facing reason, present when suppressed. */
  readonly suppressionReason?: string;
}

export const COMPLIANT: RuleResult = Object.freeze({ status: "compliant" as const });
export const NOT_APPLICABLE: RuleResult = Object.freeze({ status: "not-applicable" as const });

export function nonCompliant(message: string): RuleResult {
  return { status: "non-compliant", message };
}

/** Compliant when there are no problems, otherwise one finding listing all of them. */
export function fromProblems(problems: readonly string[]): RuleResult {
  return problems.length === 0 ? COMPLIANT : nonCompliant(problems.join("; "));
}
