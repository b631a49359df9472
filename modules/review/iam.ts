/**
 * IAM changes statement by statement: a statement added, or one that grants
 * more than before (new actions, new resources, conditions dropped). Policy
 * documents known only after apply are read from their configuration template,
 * where references (`${aws_eip.x.arn}`) stand in for the ARNs.
 */
import { ResourceChange, valueOrTemplate } from "./plan";
import { asArray } from "./exposure";

/** Attributes holding a policy document, per resource type. */
const POLICY_ATTRIBUTES: Readonly<Record<string, readonly string[]>> = {
  aws_iam_role_policy: ["policy"],
  aws_iam_policy: ["policy"],
  aws_iam_user_policy: ["policy"],
  aws_iam_group_policy: ["policy"],
  aws_iam_role: ["assume_role_policy"],
  aws_s3_bucket_policy: ["policy"],
  aws_kms_key: ["policy"],
  aws_backup_vault_policy: ["policy"],
};

export interface Statement {
  readonly sid?: string;
  readonly effect: string;
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly principals: readonly string[];
  readonly conditions: readonly string[];
}

export interface IamChange {
  readonly address: string;
  readonly attribute: string;
  readonly change: "added" | "widened" | "removed" | "attached" | "detached" | "unreadable";
  readonly statement?: Statement;
  /** For "widened": what it grants now that it did not before. */
  readonly added?: { readonly actions: readonly string[]; readonly resources: readonly string[]; readonly conditionsDropped: readonly string[] };
  readonly detail?: string;
}

export function iamChanges(changes: readonly ResourceChange[]): IamChange[] {
  const out: IamChange[] = [];
  for (const c of changes) {
    if (c.action === "no-op") continue;
    if (c.type === "aws_iam_role_policy_attachment") {
      const arn = valueOrTemplate(c.after ?? c.before, c.expressions, "policy_arn");
      const role = valueOrTemplate(c.after ?? c.before, c.expressions, "role");
      if (c.action === "create" || c.action === "delete") out.push({ address: c.address, attribute: "policy_arn", change: c.action === "create" ? "attached" : "detached", detail: `${String(arn)} → role ${String(role)}` });
      continue;
    }
    for (const attribute of POLICY_ATTRIBUTES[c.type] ?? []) {
      const before = c.before ? statementsOf(valueOrTemplate(c.before, c.beforeExpressions ?? {}, attribute)) : [];
      const afterRaw = c.after ? valueOrTemplate(c.after, c.expressions, attribute) : undefined;
      const after = c.after ? statementsOf(afterRaw) : [];
      if (after === undefined || before === undefined) {
        out.push({ address: c.address, attribute, change: "unreadable", detail: `policy document not readable from the plan: ${String(afterRaw).slice(0, 120)}` });
        continue;
      }
      out.push(...diffStatements(c.address, attribute, before, after));
    }
  }
  return out;
}

export function diffStatements(address: string, attribute: string, before: readonly Statement[], after: readonly Statement[]): IamChange[] {
  const out: IamChange[] = [];
  const unmatched = [...before];
  for (const s of after) {
    const i = unmatched.findIndex((b) => (s.sid ? b.sid === s.sid : b.effect === s.effect && (overlap(b.actions, s.actions) || overlap(b.resources, s.resources))));
    if (i < 0) {
      out.push({ address, attribute, change: "added", statement: s });
      continue;
    }
    const [b] = unmatched.splice(i, 1);
    if (s.effect !== "Allow") continue;
    const actions = s.actions.filter((a) => !b.actions.includes(a));
    const resources = s.resources.filter((r) => !b.resources.includes(r));
    const conditionsDropped = b.conditions.filter((x) => !s.conditions.includes(x));
    if (actions.length || resources.length || conditionsDropped.length) out.push({ address, attribute, change: "widened", statement: s, added: { actions, resources, conditionsDropped } });
  }
  for (const b of unmatched) out.push({ address, attribute, change: "removed", statement: b });
  return out;
}

/** Statements of a policy document (object or JSON text); undefined when unreadable. */
export function statementsOf(doc: unknown): Statement[] | undefined {
  if (doc === undefined || doc === null || doc === "") return [];
  let parsed: unknown = doc;
  if (typeof doc === "string") {
    try {
      parsed = JSON.parse(doc);
    } catch {
      return undefined;
    }
  }
  const statements = asArray((parsed as { Statement?: unknown }).Statement);
  return statements.map((raw) => {
    const s = raw as Record<string, unknown>;
    const principal = s.Principal;
    const principals = typeof principal === "string" ? [principal] : Object.entries((principal ?? {}) as Record<string, unknown>).flatMap(([k, v]) => asArray(v).map((p) => `${k}:${String(p)}`));
    const conditions = Object.entries((s.Condition ?? {}) as Record<string, Record<string, unknown>>).flatMap(([op, keys]) => Object.entries(keys).map(([k, v]) => `${op} ${k} = ${asArray(v).map(String).join("|")}`));
    return {
      sid: typeof s.Sid === "string" && s.Sid ? s.Sid : undefined,
      effect: String(s.Effect ?? "Allow"),
      actions: asArray(s.Action).map(String).sort(),
      notActions: asArray(s.NotAction).map(String).sort(),
      resources: asArray(s.Resource).map(String).sort(),
      principals,
      conditions,
    };
  });
}

function overlap(a: readonly string[], b: readonly string[]): boolean {
  return a.some((x) => b.includes(x));
}
