/**
 * The policy engine: runs every rule over every block of one stack's synthesized
 * Terraform JSON, applies the suppressions written into the JSON, and reports.
 * Pure: no cdktf import.
 */
import { TfDocument } from "./document";
import { ALL_RULES } from "./rules";
import { readSuppressions, reasonProblem, SuppressionEntry } from "./suppression-records";
import type { Finding, PolicyRule, RuleResult, TfSubject } from "./types";

/** Engine-level ids: problems with suppressions themselves. These cannot be suppressed. */
export const INVALID_SUPPRESSION_ID = "POLICY-INVALID-SUPPRESSION";
export const STALE_SUPPRESSION_ID = "POLICY-STALE-SUPPRESSION";
export const RULE_ERROR_PREFIX = "the rule itself failed";

export interface EvaluateOptions {
  /** Stack name, copied into every finding. */
  readonly stackName: string;
  /** @default ALL_RULES */
  readonly rules?: readonly PolicyRule[];
}

/** One suppression found in the JSON and whether it silenced anything. */
export interface SuppressionUse {
  readonly stackName: string;
  readonly address: string;
  readonly constructPath?: string;
  readonly ruleId: string;
  readonly reason: string;
  readonly appliedAt?: string;
  /** False when no finding of that rule exists on the resource (stale). */
  readonly used: boolean;
}

export interface StackEvaluation {
  readonly stackName: string;
  /** Number of resource, data and provider blocks inspected. */
  readonly blockCount: number;
  readonly ruleCount: number;
  readonly findings: Finding[];
  readonly suppressions: SuppressionUse[];
}

/** Findings (violations, suppressed or not, plus suppression problems) for one stack. */
export function evaluateStack(tfJson: unknown, options: EvaluateOptions): Finding[] {
  return evaluateStackDetailed(tfJson, options).findings;
}

export function evaluateStackDetailed(tfJson: unknown, options: EvaluateOptions): StackEvaluation {
  const rules = options.rules ?? ALL_RULES;
  const stackName = options.stackName;
  const doc = new TfDocument(tfJson);
  const knownIds = new Set(rules.map((r) => r.id));
  const findings: Finding[] = [];
  const suppressions: SuppressionUse[] = [];

  for (const subject of doc.subjects()) {
    const raw: { rule: PolicyRule; message: string; threw: boolean }[] = [];
    for (const rule of rules) {
      if (!appliesTo(rule, subject)) continue;
      const outcome = runRule(rule, subject, doc);
      if (outcome) raw.push({ rule, ...outcome });
    }

    const { entries, problems } = readSuppressions(subject);
    const byRule = new Map<string, SuppressionEntry>();
    for (const entry of entries) {
      const problem = !knownIds.has(entry.rule_id)
        ? `suppression names unknown rule id ${JSON.stringify(entry.rule_id)}`
        : reasonProblem(entry.reason);
      if (problem) problems.push(problem);
      else byRule.set(entry.rule_id, entry);
    }

    for (const { rule, message, threw } of raw) {
      const suppression = byRule.get(rule.id);
      findings.push({
        stackName,
        ruleId: rule.id,
        severity: threw ? "error" : rule.severity,
        address: subject.address,
        constructPath: subject.constructPath,
        message,
        fix: threw ? `fix the rule or report it to the policy owners; ${rule.fix}` : rule.fix,
        suppressed: suppression !== undefined,
        suppressionReason: suppression?.reason,
      });
    }

    for (const problem of problems) {
      findings.push(engineFinding(stackName, subject, INVALID_SUPPRESSION_ID, "error", problem,
        `use suppress(construct, ruleId, reason) with a known rule id and a reason of at least 10 characters`));
    }
    for (const entry of byRule.values()) {
      const used = raw.some((r) => r.rule.id === entry.rule_id);
      suppressions.push({
        stackName,
        address: subject.address,
        constructPath: subject.constructPath,
        ruleId: entry.rule_id,
        reason: entry.reason,
        appliedAt: entry.applied_at,
        used,
      });
      if (!used) {
        findings.push(engineFinding(stackName, subject, STALE_SUPPRESSION_ID, "warning",
          `suppression of ${entry.rule_id} matches no finding on this resource (stale)`,
          `remove the suppress(…, "${entry.rule_id}", …) call${entry.applied_at ? ` on ${entry.applied_at}` : ""} or narrow it to the resource that needs it`));
      }
    }
  }

  return { stackName, blockCount: doc.subjects().length, ruleCount: rules.length, findings, suppressions };
}

/** Error thrown by assertCompliant; `findings` holds the unsuppressed errors. */
export class PolicyViolationError extends Error {
  constructor(public readonly findings: readonly Finding[]) {
    super(describeViolations(findings));
    this.name = "PolicyViolationError";
  }
}

/** Throws one Error listing every unsuppressed error finding; warnings never throw. */
export function assertCompliant(findings: readonly Finding[]): void {
  const blocking = unsuppressedErrors(findings);
  if (blocking.length > 0) throw new PolicyViolationError(blocking);
}

export function unsuppressedErrors(findings: readonly Finding[]): Finding[] {
  return findings.filter((f) => f.severity === "error" && !f.suppressed);
}

function describeViolations(findings: readonly Finding[]): string {
  const stacks = [...new Set(findings.map((f) => f.stackName))].join(", ");
  const lines = [`Security policy failed for stack ${stacks}: ${findings.length} unsuppressed error finding(s)`];
  findings.forEach((f, i) => {
    lines.push(`  ${i + 1}. [${f.ruleId}] ${f.address} (construct ${f.constructPath ?? "unknown"})`);
    lines.push(`     problem: ${f.message}`);
    lines.push(`     fix: ${f.fix}`);
  });
  lines.push(`If a finding is intended, call suppress(construct, ruleId, reason) from modules/policy with a reason a reviewer would accept.`);
  return lines.join("\n");
}

function appliesTo(rule: PolicyRule, subject: TfSubject): boolean {
  const kinds = rule.kinds ?? ["resource"];
  if (!kinds.includes(subject.kind)) return false;
  return rule.appliesTo === "*" || rule.appliesTo.includes(subject.type);
}

/** Null when compliant or not applicable; a throwing or malformed rule counts as a violation. */
function runRule(rule: PolicyRule, subject: TfSubject, doc: TfDocument): { message: string; threw: boolean } | null {
  let result: RuleResult;
  try {
    result = rule.evaluate(subject, doc);
  } catch (error) {
    const text = error instanceof Error ? error.message : String(error);
    return { message: `${RULE_ERROR_PREFIX} (${text}); treated as a violation`, threw: true };
  }
  if (result?.status === "compliant" || result?.status === "not-applicable") return null;
  if (result?.status === "non-compliant" && typeof result.message === "string" && result.message.length > 0) {
    return { message: result.message, threw: false };
  }
  return { message: `${RULE_ERROR_PREFIX} (returned ${JSON.stringify(result)}); treated as a violation`, threw: true };
}

function engineFinding(stackName: string, subject: TfSubject, ruleId: string, severity: "error" | "warning",
  message: string, fix: string): Finding {
  return { stackName, ruleId, severity, address: subject.address, constructPath: subject.constructPath, message, fix, suppressed: false };
}
