/**
 * Assembles the review of one plan (or of two plans compared) into one
 * serializable object; markdown.ts renders it for a pull-request comment.
 */
import { evaluateStackDetailed } from "../policy/engine";
import { comparePlans, ignoredChanges } from "./compare";
import { estimateCost, CostEstimate } from "./cost";
import { dangerItems, DangerItem } from "./danger";
import { architectureDiagram } from "./diagram";
import { exposureChanges, ExposureChange } from "./exposure";
import { iamChanges, IamChange } from "./iam";
import { nameIndex } from "./names";
import { Action, ACTIONS, changesOfPlan, providerRegions, ResourceChange, TfPlan } from "./plan";

export interface ReviewInput {
  /** Stack name (title, policy findings). */
  readonly stack: string;
  /** The plan under review. */
  readonly plan: TfPlan;
  /** When set, the plan is compared with this one (both from empty state) instead of read as a plan against real state. */
  readonly base?: TfPlan;
  /** The synthesized stack (cdk.tf.json) the plan was made from: policy findings and the diagram. */
  readonly stackJson?: unknown;
  /** Labels for the report header. */
  readonly planLabel?: string;
  readonly baseLabel?: string;
  /** Remarks printed at the top (what the report could not cover). */
  readonly notes?: readonly string[];
}

/** Stated in a comparison made without the synthesized stack (README, "Limits"). */
export const NO_IGNORE_CHANGES_NOTE =
  "Compared without the synthesized stack: lifecycle.ignore_changes is unknown, so an ignored attribute (e.g. the hosts' ami) counts as a change here although Terraform would ignore it.";

export interface PolicySummary {
  readonly unsuppressedErrors: number;
  readonly findings: readonly { ruleId: string; severity: string; address: string; message: string; suppressed: boolean; reason?: string }[];
}

export interface Review {
  readonly stack: string;
  readonly mode: "plan" | "compare";
  readonly planLabel?: string;
  readonly baseLabel?: string;
  readonly notes: readonly string[];
  readonly counts: Record<Action, number>;
  readonly danger: readonly DangerItem[];
  readonly replacements: readonly { address: string; forcedBy: readonly string[]; reason?: string }[];
  readonly updates: readonly { address: string; attributes: readonly string[]; note?: string }[];
  readonly creates: readonly string[];
  readonly deletes: readonly string[];
  readonly exposure: readonly ExposureChange[];
  readonly iam: readonly IamChange[];
  readonly policy?: PolicySummary;
  readonly cost: CostEstimate;
  readonly mermaid?: string;
  readonly diagramNodes?: readonly { address: string; kind: string; label: string }[];
}

export function reviewChanges(input: ReviewInput): { review: Review; changes: ResourceChange[] } {
  const changes = input.base ? comparePlans(input.base, input.plan, input.stackJson ? ignoredChanges(input.stackJson) : undefined) : changesOfPlan(input.plan);
  const names = nameIndex(changes);
  const counts = Object.fromEntries(ACTIONS.map((a) => [a, changes.filter((c) => c.action === a).length])) as Record<Action, number>;
  const regions = { ...(input.base ? providerRegions(input.base) : {}), ...providerRegions(input.plan) };
  let policy: PolicySummary | undefined;
  let diagram: ReturnType<typeof architectureDiagram> | undefined;
  if (input.stackJson) {
    const planned = new Set(changes.map((c) => c.address));
    const evaluation = evaluateStackDetailed(input.stackJson, { stackName: input.stack });
    const findings = evaluation.findings.filter((f) => planned.has(f.address) || !f.address.startsWith("aws_"));
    policy = {
      unsuppressedErrors: findings.filter((f) => !f.suppressed && f.severity === "error").length,
      findings: findings.map((f) => ({ ruleId: f.ruleId, severity: f.severity, address: f.address, message: f.message, suppressed: f.suppressed, reason: f.suppressionReason })),
    };
    diagram = architectureDiagram(input.stackJson);
  }
  const review: Review = {
    stack: input.stack,
    mode: input.base ? "compare" : "plan",
    planLabel: input.planLabel,
    baseLabel: input.baseLabel,
    notes: [...(input.notes ?? []), ...(input.base && !input.stackJson ? [NO_IGNORE_CHANGES_NOTE] : [])],
    counts,
    danger: dangerItems(changes),
    replacements: changes.filter((c) => c.action === "replace").map((c) => ({ address: c.address, forcedBy: c.forcedBy, reason: c.reason })),
    updates: changes.filter((c) => c.action === "update").map((c) => ({ address: c.address, attributes: c.changedAttributes, note: c.reason })),
    creates: changes.filter((c) => c.action === "create").map((c) => c.address),
    deletes: changes.filter((c) => c.action === "delete").map((c) => c.address),
    exposure: exposureChanges(changes, names),
    iam: iamChanges(changes),
    policy,
    cost: estimateCost(changes, regions),
    mermaid: diagram?.mermaid,
    diagramNodes: diagram?.nodes.filter((n) => n.kind !== "external").map((n) => ({ address: n.address, kind: n.kind, label: n.label })),
  };
  return { review, changes };
}

export function reviewPlan(input: ReviewInput): Review {
  return reviewChanges(input).review;
}

/** Exit code for pipelines: DANGER items demand a second approval. */
export const EXIT_DANGER = 3;
