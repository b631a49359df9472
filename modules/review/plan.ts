/**
 * The saved plan (`terraform show -json`) as the review reads it, and its
 * resource changes normalized to one action each. Pure: no cdktf import.
 */

/** One entry of a plan's `resource_changes`, as Terraform writes it. */
export interface PlanResourceChange {
  readonly address: string;
  readonly mode: "managed" | "data";
  readonly type: string;
  readonly name: string;
  readonly provider_name?: string;
  readonly change: {
    readonly actions: readonly string[];
    readonly before: Record<string, unknown> | null;
    readonly after: Record<string, unknown> | null;
    readonly after_unknown?: Record<string, unknown>;
    readonly replace_paths?: readonly (readonly (string | number)[])[];
  };
  readonly action_reason?: string;
}

/** An attribute's expression in the plan's `configuration` block. */
export interface PlanExpression {
  readonly constant_value?: unknown;
  readonly references?: readonly string[];
}

export interface PlanConfigResource {
  readonly address: string;
  readonly type: string;
  readonly provider_config_key?: string;
  readonly expressions?: Record<string, unknown>;
}

export interface TfPlan {
  readonly format_version: string;
  readonly resource_changes?: readonly PlanResourceChange[];
  readonly configuration?: {
    readonly provider_config?: Record<string, { readonly alias?: string; readonly expressions?: Record<string, PlanExpression | undefined> }>;
    readonly root_module?: { readonly resources?: readonly PlanConfigResource[] };
  };
}

export type Action = "create" | "update" | "replace" | "delete" | "no-op";
export const ACTIONS: readonly Action[] = ["create", "update", "replace", "delete", "no-op"];

/** One managed resource's change, whichever way it was derived (real plan or two plans compared). */
export interface ResourceChange {
  readonly address: string;
  readonly type: string;
  readonly action: Action;
  /** Values before (null when created); unknown values are absent. */
  readonly before: Record<string, unknown> | null;
  /** Values after (null when deleted); unknown values are absent. */
  readonly after: Record<string, unknown> | null;
  /** Top-level attributes whose value is known only after apply. */
  readonly unknownAfter: readonly string[];
  /** Attributes that change (top level, or `block.attr` one level into a block). */
  readonly changedAttributes: readonly string[];
  /** For a replacement: the attributes that force it (`replace_paths`, or the ForceNew list). */
  readonly forcedBy: readonly string[];
  /** Why Terraform replaces it, in words. */
  readonly reason?: string;
  /** Provider configuration key (`aws`, `aws.secondary`): its region places the resource. */
  readonly providerKey: string;
  /** Attribute expressions from the plan's configuration (templates of values unknown until apply). */
  readonly expressions: Record<string, unknown>;
  /** The same for the "before" side, when it comes from another plan (two plans compared). */
  readonly beforeExpressions?: Record<string, unknown>;
}

/** Parses and checks a plan document; throws naming what is wrong. */
export function parsePlan(text: string, source: string): TfPlan {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new Error(`${source}: not JSON (${(error as Error).message}); expected the output of \`terraform show -json <planfile>\``);
  }
  const plan = doc as Partial<TfPlan>;
  if (typeof plan !== "object" || plan === null || typeof plan.format_version !== "string" || !Array.isArray(plan.resource_changes ?? [])) {
    throw new Error(`${source}: not a Terraform plan (no format_version/resource_changes); expected the output of \`terraform show -json <planfile>\``);
  }
  return plan as TfPlan;
}

const REASONS: Record<string, string> = {
  replace_because_cannot_update: "an attribute that cannot be updated in place changed",
  replace_because_tainted: "the resource is tainted",
  replace_by_request: "replacement was requested (-replace)",
  replace_by_triggers: "a replace_triggered_by reference changed",
};

export function actionOf(actions: readonly string[]): Action | "read" {
  if (actions.includes("delete") && actions.includes("create")) return "replace";
  const [first] = actions;
  if (first === "create" || first === "update" || first === "delete" || first === "read") return first;
  return "no-op";
}

/** Managed-resource changes of a plan made against real state (Terraform decided every action). */
export function changesOfPlan(plan: TfPlan): ResourceChange[] {
  const config = configIndex(plan);
  const out: ResourceChange[] = [];
  for (const rc of plan.resource_changes ?? []) {
    if (rc.mode !== "managed") continue;
    const action = actionOf(rc.change.actions);
    if (action === "read") continue;
    const before = rc.change.before;
    const after = rc.change.after;
    const unknownAfter = unknownKeys(rc.change.after_unknown);
    out.push({
      address: rc.address,
      type: rc.type,
      action,
      before,
      after,
      unknownAfter,
      changedAttributes: action === "update" || action === "replace" ? changedAttributes(before, after, unknownAfter) : [],
      forcedBy: (rc.change.replace_paths ?? []).map((path) => path.filter((p) => typeof p === "string").join(".")),
      reason: rc.action_reason ? REASONS[rc.action_reason] ?? rc.action_reason : undefined,
      providerKey: config.get(rc.address)?.provider_config_key ?? "aws",
      expressions: config.get(rc.address)?.expressions ?? {},
    });
  }
  return out;
}

export function configIndex(plan: TfPlan): Map<string, PlanConfigResource> {
  return new Map((plan.configuration?.root_module?.resources ?? []).map((r) => [r.address, r]));
}

/** Region of each provider configuration key, from the plan's configuration. */
export function providerRegions(plan: TfPlan): Record<string, string> {
  const out: Record<string, string> = {};
  for (const [key, provider] of Object.entries(plan.configuration?.provider_config ?? {})) {
    const region = provider.expressions?.region?.constant_value;
    if (typeof region === "string") out[key] = region;
  }
  return out;
}

/** Top-level keys marked wholly unknown (`true`) in `after_unknown`. */
export function unknownKeys(afterUnknown: Record<string, unknown> | undefined): string[] {
  return Object.entries(afterUnknown ?? {}).filter(([, v]) => v === true).map(([k]) => k);
}

/**
 * Attributes whose known values differ: top level, and one level into single
 * blocks (`root_block_device.encrypted`) so a ForceNew nested field is named.
 */
export function changedAttributes(before: Record<string, unknown> | null, after: Record<string, unknown> | null, unknownAfter: readonly string[] = []): string[] {
  const b = before ?? {};
  const a = after ?? {};
  const out: string[] = [];
  for (const key of new Set([...Object.keys(b), ...Object.keys(a)])) {
    if (unknownAfter.includes(key)) continue;
    if (same(b[key], a[key])) continue;
    const nb = singleBlock(b[key]);
    const na = singleBlock(a[key]);
    if (nb && na) {
      for (const sub of new Set([...Object.keys(nb), ...Object.keys(na)])) if (!same(nb[sub], na[sub])) out.push(`${key}.${sub}`);
    } else {
      out.push(key);
    }
  }
  return out.sort();
}

function singleBlock(value: unknown): Record<string, unknown> | undefined {
  if (Array.isArray(value) && value.length === 1 && typeof value[0] === "object" && value[0] !== null && !Array.isArray(value[0])) return value[0] as Record<string, unknown>;
  return undefined;
}

export function same(a: unknown, b: unknown): boolean {
  return canonical(a) === canonical(b);
}

/** JSON with sorted keys; null and absent compare equal. */
export function canonical(value: unknown): string {
  return JSON.stringify(value ?? null, (_k, v: unknown) => (v && typeof v === "object" && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).sort(([x], [y]) => x.localeCompare(y))) : v));
}

/** A value known now, else the attribute's configuration template (e.g. `"${aws_eip.x.arn}"` inside a policy). */
export function valueOrTemplate(values: Record<string, unknown> | null, expressions: Record<string, unknown>, attr: string): unknown {
  const value = values?.[attr];
  if (value !== undefined && value !== null) return value;
  const expr = expressions[attr] as PlanExpression | undefined;
  if (expr && typeof expr === "object" && !Array.isArray(expr)) {
    if (expr.constant_value !== undefined) return expr.constant_value;
    if (expr.references?.length) return `\${${expr.references[0]}}`;
  }
  return undefined;
}
