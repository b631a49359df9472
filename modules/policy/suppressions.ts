/**
 * Audited suppressions: `suppress(construct, ruleId, reason)` silences one rule
 * for every Terraform resource (and data source) under `construct`, and writes
 * the decision into each affected block's `//` metadata, where reviewers read it
 * in cdk.tf.json and the engine reads it from the JSON alone.
 *
 * The only file of the policy pack that imports cdktf.
 */
import { Aspects, IAspect, TerraformDataSource, TerraformResource, TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { InvalidInputError } from "../core/validation";
import { RULE_IDS } from "./rules";
import { MIN_REASON_LENGTH, reasonProblem, SuppressionEntry, SUPPRESSIONS_KEY } from "./suppression-records";

interface Suppression {
  readonly ruleId: string;
  readonly reason: string;
  readonly appliedAt: string;
}

const suppressionsByScope = new WeakMap<IConstruct, Suppression[]>();

/**
 * Suppresses `ruleId` for every resource under `scope`.
 * @throws InvalidInputError for an unknown rule id, a reason shorter than 10 characters,
 *   or the same rule suppressed twice on one construct. A scope that ends up with no
 *   resource at synth fails validation ("missing target").
 */
export function suppress(scope: IConstruct, ruleId: string, reason: string): void {
  const path = scope.node.path || "<app>";
  if (!scope.node.scopes.some((s) => TerraformStack.isStack(s))) {
    // cdktf runs aspects and validations per stack; above a stack the suppression would silently do nothing
    throw new InvalidInputError("suppress(scope)", path, "a stack or a construct inside a stack");
  }
  if (!RULE_IDS.has(ruleId)) {
    throw new InvalidInputError(`suppress(${path}).ruleId`, ruleId, `one of the policy rule ids: ${[...RULE_IDS].join(", ")}`);
  }
  if (reasonProblem(reason) !== null) {
    throw new InvalidInputError(`suppress(${path}, ${ruleId}).reason`, reason,
      `a reason of at least ${MIN_REASON_LENGTH} characters a reviewer would accept`);
  }
  const existing = suppressionsByScope.get(scope);
  if (existing?.some((s) => s.ruleId === ruleId)) {
    throw new InvalidInputError(`suppress(${path}).ruleId`, ruleId, "a rule not already suppressed on this construct");
  }
  const entry: Suppression = { ruleId, reason: reason.trim(), appliedAt: path };
  if (existing) {
    existing.push(entry);
    return;
  }
  suppressionsByScope.set(scope, [entry]);
  Aspects.of(scope).add(SUPPRESSION_WRITER);
  scope.node.addValidation({
    validate: () => (suppressibleBlocksUnder(scope).length > 0 ? [] : [
      `policy suppression target missing: ${(suppressionsByScope.get(scope) ?? []).map((s) => s.ruleId).join(", ")} ` +
      `suppressed on ${path}, which contains no Terraform resource; remove the suppression or attach it to the construct that owns the resource`,
    ]),
  });
}

/** Suppressions that apply to `construct` (its own and its ancestors'), nearest first per rule. */
export function suppressionsFor(construct: IConstruct): SuppressionEntry[] {
  const byRule = new Map<string, SuppressionEntry>();
  for (const scope of [...construct.node.scopes].reverse()) {
    for (const s of suppressionsByScope.get(scope) ?? []) {
      if (!byRule.has(s.ruleId)) byRule.set(s.ruleId, { rule_id: s.ruleId, reason: s.reason, applied_at: s.appliedAt });
    }
  }
  return [...byRule.values()].sort((a, b) => a.rule_id.localeCompare(b.rule_id));
}

type SuppressibleBlock = TerraformResource | TerraformDataSource;

function isSuppressible(node: IConstruct): node is SuppressibleBlock {
  return TerraformResource.isTerraformResource(node) || node instanceof TerraformDataSource;
}

function suppressibleBlocksUnder(scope: IConstruct): SuppressibleBlock[] {
  return scope.node.findAll().filter(isSuppressible);
}

/** One shared aspect: cdktf runs an aspect once per node, however many scopes add it. */
class SuppressionWriter implements IAspect {
  visit(node: IConstruct): void {
    if (!isSuppressible(node)) return;
    const entries = suppressionsFor(node);
    if (entries.length > 0) node.addOverride(`//.${SUPPRESSIONS_KEY}`, entries);
  }
}

const SUPPRESSION_WRITER = new SuppressionWriter();
