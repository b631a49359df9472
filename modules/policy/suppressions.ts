/**
 * Audited suppressions: `suppress(construct, ruleId, reason)` silences one rule
 * for every Terraform resource (and data source) under `construct`, and writes
 * the decision into each affected block's `//` metadata, where reviewers read it
 * in cdk.tf.json and the engine reads it from the JSON alone.
 *
 * Works whatever copy of cdktf the app was built with (a consumer's, or this
 * package's own under a directory install): suppressions live on the construct
 * under a global symbol, blocks are recognised by cdktf's global-symbol checks
 * (never `instanceof`), and the metadata is written from a node validation —
 * which every copy of cdktf runs at synth — as well as from an aspect of this
 * copy (aspects of another copy are invisible: cdktf keeps them under a private
 * symbol). The only file of the policy pack that imports cdktf.
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

/** Global, so two copies of this package (or of cdktf) see the same suppressions on a construct. */
const SUPPRESSIONS = Symbol.for("staged-web-platform/policy-suppressions");

type WithSuppressions = IConstruct & { [SUPPRESSIONS]?: Suppression[] };

function ownSuppressions(scope: IConstruct): Suppression[] | undefined {
  return (scope as WithSuppressions)[SUPPRESSIONS];
}

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
  const existing = ownSuppressions(scope);
  if (existing?.some((s) => s.ruleId === ruleId)) {
    throw new InvalidInputError(`suppress(${path}).ruleId`, ruleId, "a rule not already suppressed on this construct");
  }
  const entry: Suppression = { ruleId, reason: reason.trim(), appliedAt: path };
  if (existing) {
    existing.push(entry);
    return;
  }
  Object.defineProperty(scope, SUPPRESSIONS, { value: [entry], enumerable: false });
  Aspects.of(scope).add(SUPPRESSION_WRITER);
  scope.node.addValidation({
    validate: () => {
      const blocks = suppressibleBlocksUnder(scope);
      if (blocks.length === 0) {
        return [
          `policy suppression target missing: ${(ownSuppressions(scope) ?? []).map((s) => s.ruleId).join(", ")} ` +
          `suppressed on ${path}, which contains no Terraform resource; remove the suppression or attach it to the construct that owns the resource`,
        ];
      }
      blocks.forEach(writeSuppressions);
      return [];
    },
  });
}

/** Suppressions that apply to `construct` (its own and its ancestors'), nearest first per rule. */
export function suppressionsFor(construct: IConstruct): SuppressionEntry[] {
  const byRule = new Map<string, SuppressionEntry>();
  for (const scope of [...construct.node.scopes].reverse()) {
    for (const s of ownSuppressions(scope) ?? []) {
      if (!byRule.has(s.ruleId)) byRule.set(s.ruleId, { rule_id: s.ruleId, reason: s.reason, applied_at: s.appliedAt });
    }
  }
  return [...byRule.values()].sort((a, b) => a.rule_id.localeCompare(b.rule_id));
}

/**
 * Writes the suppressions of every block under `root` into its `//` metadata.
 * Idempotent; the policy gate calls it before it evaluates a stack.
 */
export function writeSuppressionMetadata(root: IConstruct): void {
  suppressibleBlocksUnder(root).forEach(writeSuppressions);
}

type SuppressibleBlock = TerraformResource | TerraformDataSource;

/** cdktf's checks look for global symbols, so they recognise blocks made by any copy of cdktf. */
function isSuppressible(node: IConstruct): node is SuppressibleBlock {
  return TerraformResource.isTerraformResource(node) || TerraformDataSource.isTerraformDataSource(node);
}

function suppressibleBlocksUnder(scope: IConstruct): SuppressibleBlock[] {
  return scope.node.findAll().filter(isSuppressible);
}

function writeSuppressions(block: SuppressibleBlock): void {
  const entries = suppressionsFor(block);
  if (entries.length === 0) return;
  if (TerraformDataSource.isTerraformDataSource(block)) addToDataSourceMetadata(block, entries);
  else block.addOverride(`//.${SUPPRESSIONS_KEY}`, entries);
}

/**
 * cdktf's data sources replace their `//` with the construct metadata at synth
 * (TerraformDataSource.toTerraform), dropping an override of `//`; so for them
 * the suppressions join that metadata: an own getter on the block that extends
 * the class's `constructNodeMetadata`. Redefined on every write, so idempotent.
 */
function addToDataSourceMetadata(block: TerraformDataSource, entries: SuppressionEntry[]): void {
  const inherited = () => Reflect.get(Object.getPrototypeOf(block), "constructNodeMetadata", block) as Record<string, unknown>;
  Object.defineProperty(block, "constructNodeMetadata", {
    configurable: true,
    get: () => ({ ...inherited(), [SUPPRESSIONS_KEY]: entries }),
  });
}

/** One shared aspect: cdktf runs an aspect once per node, however many scopes add it. */
class SuppressionWriter implements IAspect {
  visit(node: IConstruct): void {
    if (isSuppressible(node)) writeSuppressions(node);
  }
}

const SUPPRESSION_WRITER = new SuppressionWriter();
