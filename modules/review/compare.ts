/**
 * Offline review of a change: the plan of the base configuration and the plan
 * of the changed one, both made from empty state, compared address by address.
 * Known planned values are compared directly; a value known only after apply
 * is compared through its configuration template (the expression text), so a
 * changed user-data template is seen even though neither plan knows the bytes.
 * Whether a change replaces the resource comes from the committed ForceNew list.
 */
import { forcingAttributes } from "./force-new";
import { changedAttributes as diffKnown, changesOfPlan, ResourceChange, same, TfPlan } from "./plan";

export function comparePlans(base: TfPlan, next: TfPlan): ResourceChange[] {
  const before = new Map(changesOfPlan(base).filter((c) => c.after).map((c) => [c.address, c]));
  const after = new Map(changesOfPlan(next).filter((c) => c.after).map((c) => [c.address, c]));
  const out: ResourceChange[] = [];
  for (const [address, n] of after) {
    const b = before.get(address);
    if (!b) {
      out.push({ ...n, action: "create", before: null });
      continue;
    }
    const changed = new Set<string>(
      // changedAttributes skips attributes unknown on the new side; compare those separately.
      diffKnown(b.after!, n.after!, [...b.unknownAfter, ...n.unknownAfter]),
    );
    for (const attr of new Set([...b.unknownAfter, ...n.unknownAfter])) {
      const bKnown = !b.unknownAfter.includes(attr);
      const nKnown = !n.unknownAfter.includes(attr);
      if (bKnown !== nKnown) changed.add(attr);
      else if (!bKnown && !same(b.expressions[attr], n.expressions[attr])) changed.add(attr);
    }
    const changedAttributes = [...changed].sort();
    if (changedAttributes.length === 0) {
      out.push({ ...n, action: "no-op", before: b.after, beforeExpressions: b.expressions, changedAttributes });
      continue;
    }
    const forced = forcingAttributes(n.type, changedAttributes, n.after!);
    const action = forced && forced.length > 0 ? "replace" : "update";
    out.push({
      ...n,
      action,
      before: b.after,
      beforeExpressions: b.expressions,
      changedAttributes,
      forcedBy: forced ?? [],
      reason: forced === undefined
        ? `${n.type} is not in the ForceNew list: whether this update replaces it is undetermined (check a plan against real state)`
        : action === "replace" ? `${forced.join(", ")} cannot be updated in place` : undefined,
    });
  }
  for (const [address, b] of before) {
    if (!after.has(address)) out.push({ ...b, action: "delete", before: b.after, beforeExpressions: b.expressions, after: null, unknownAfter: [], changedAttributes: [] });
  }
  return out;
}
