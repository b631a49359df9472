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

/**
 * `ignoreChanges`: per address, the attributes its `lifecycle.ignore_changes`
 * names (the plan JSON does not carry lifecycle; the synthesized stack does).
 * Terraform would not act on them with state, so neither does the comparison.
 */
export function comparePlans(base: TfPlan, next: TfPlan, ignoreChanges: ReadonlyMap<string, readonly string[]> = new Map()): ResourceChange[] {
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
    const ignored = ignoreChanges.get(address) ?? [];
    const changedAttributes = [...changed].filter((attr) => !ignored.includes(attr.split(".")[0])).sort();
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

/** address → attributes under `lifecycle.ignore_changes`, from a synthesized stack (cdk.tf.json). */
export function ignoredChanges(stackJson: unknown): Map<string, string[]> {
  const out = new Map<string, string[]>();
  const resources = (stackJson as { resource?: Record<string, Record<string, { lifecycle?: { ignore_changes?: unknown } }>> }).resource ?? {};
  for (const [type, blocks] of Object.entries(resources)) {
    for (const [name, block] of Object.entries(blocks)) {
      const ignore = block.lifecycle?.ignore_changes;
      if (Array.isArray(ignore)) out.set(`${type}.${name}`, ignore.map(String));
    }
  }
  return out;
}
