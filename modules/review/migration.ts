/**
 * Stage-to-stage migration view: what stage B adds, removes and changes
 * compared with stage A, from their two plans (addresses are construct paths,
 * so a component both stages build lines up). Resources are grouped by
 * component (the top-level construct: `load-balancers`, `web-fleet`, …).
 */
import { comparePlans } from "./compare";
import { estimateCost, CostEstimate } from "./cost";
import { architectureDiagram } from "./diagram";
import { exposureChanges, ExposureChange } from "./exposure";
import { iamChanges, IamChange } from "./iam";
import { nameIndex } from "./names";
import { providerRegions, ResourceChange, TfPlan } from "./plan";
import { STATEFUL_TYPES } from "./danger";

export interface ComponentChange {
  readonly component: string;
  readonly added: Record<string, number>;
  readonly removed: Record<string, number>;
  readonly changed: Record<string, number>;
}

export interface MigrationReview {
  readonly from: string;
  readonly to: string;
  readonly counts: { added: number; removed: number; changed: number; same: number };
  readonly components: readonly ComponentChange[];
  /** Stateful resources stage A has and stage B does not: their data must be moved or is lost with stage A. */
  readonly statefulRemoved: readonly { address: string; what: string }[];
  readonly changed: readonly { address: string; attributes: readonly string[] }[];
  readonly exposure: readonly ExposureChange[];
  readonly iam: readonly IamChange[];
  readonly cost: CostEstimate;
  readonly mermaidFrom?: string;
  readonly mermaidTo?: string;
}

const NAME_ATTRIBUTES = ["name", "tags", "tags_all", "volume_tags", "description", "identifier", "final_snapshot_identifier"];

export function componentOf(address: string): string {
  const name = address.split(".")[1] ?? address;
  return name.split("_")[0];
}

export function migrationReview(input: { from: string; to: string; fromPlan: TfPlan; toPlan: TfPlan; fromStackJson?: unknown; toStackJson?: unknown }): MigrationReview {
  const changes: ResourceChange[] = comparePlans(input.fromPlan, input.toPlan).map((c) => (c.action === "replace" ? { ...c, action: "update" } : c));
  const byComponent = new Map<string, ComponentChange>();
  const bump = (c: ResourceChange, key: "added" | "removed" | "changed"): void => {
    const component = componentOf(c.address);
    const entry = byComponent.get(component) ?? { component, added: {}, removed: {}, changed: {} };
    entry[key][c.type] = (entry[key][c.type] ?? 0) + 1;
    byComponent.set(component, entry);
  };
  for (const c of changes) {
    if (c.action === "create") bump(c, "added");
    else if (c.action === "delete") bump(c, "removed");
    else if (c.action === "update") bump(c, "changed");
  }
  const names = nameIndex(changes);
  return {
    from: input.from,
    to: input.to,
    counts: {
      added: changes.filter((c) => c.action === "create").length,
      removed: changes.filter((c) => c.action === "delete").length,
      changed: changes.filter((c) => c.action === "update").length,
      same: changes.filter((c) => c.action === "no-op").length,
    },
    components: [...byComponent.values()].sort((a, b) => a.component.localeCompare(b.component)),
    statefulRemoved: changes.filter((c) => c.action === "delete" && STATEFUL_TYPES[c.type]).map((c) => ({ address: c.address, what: STATEFUL_TYPES[c.type] })),
    changed: changes.filter((c) => c.action === "update").map((c) => ({ address: c.address, attributes: c.changedAttributes })),
    exposure: exposureChanges(changes, names),
    iam: iamChanges(changes),
    cost: estimateCost(changes, { ...providerRegions(input.fromPlan), ...providerRegions(input.toPlan) }),
    mermaidFrom: input.fromStackJson ? architectureDiagram(input.fromStackJson).mermaid : undefined,
    mermaidTo: input.toStackJson ? architectureDiagram(input.toStackJson).mermaid : undefined,
  };
}

export function migrationMarkdown(m: MigrationReview): string {
  const out: string[] = [`## Migration: \`${m.from}\` → \`${m.to}\``, ""];
  out.push(`\`${m.to}\` adds **${m.counts.added}** resources, removes **${m.counts.removed}**, changes **${m.counts.changed}** and keeps **${m.counts.same}** unchanged (same construct path, same planned values).`, "");
  out.push("| component | adds | removes | changes |", "|---|---|---|---|");
  const fmt = (r: Record<string, number>): string => Object.entries(r).map(([t, n]) => `${n}× ${t.replace(/^aws_/, "")}`).join(", ") || "—";
  for (const c of m.components) out.push(`| ${c.component} | ${fmt(c.added)} | ${fmt(c.removed)} | ${fmt(c.changed)} |`);
  out.push("");
  if (m.statefulRemoved.length) {
    out.push(`### Data to move (${m.statefulRemoved.length}): stateful resources of \`${m.from}\` that \`${m.to}\` does not have`, "");
    for (const s of m.statefulRemoved) out.push(`- \`${s.address}\` — ${s.what}`);
    out.push("");
  }
  // Every stage names its resources after itself: changes of names and tags only are counted, not listed.
  const renamedOnly = m.changed.filter((c) => c.attributes.every((a) => NAME_ATTRIBUTES.includes(a)));
  const changed = m.changed.filter((c) => !renamedOnly.includes(c));
  if (renamedOnly.length) out.push(`${renamedOnly.length} of the ${m.changed.length} changed resources differ only in names and tags (the stage prefix).`, "");
  if (changed.length) {
    out.push(`<details><summary>Changed beyond names and tags (${changed.length})</summary>`, "");
    for (const c of changed) out.push(`- \`${c.address}\`: ${c.attributes.map((a) => `\`${a}\``).join(", ")}`);
    out.push("", "</details>", "");
  }
  out.push(`### Exposure changes (${m.exposure.length})`, "");
  for (const e of m.exposure) out.push(`- ${e.change === "added" ? "➕ added" : "➖ removed"} ${e.kind}: ${e.detail}`);
  out.push("", `### IAM changes (${m.iam.filter((c) => c.change !== "removed").length} added or widened, ${m.iam.filter((c) => c.change === "removed").length} removed)`, "");
  for (const c of m.iam) out.push(`- ${c.change} \`${c.address}\`${c.statement ? `: ${c.statement.effect} ${c.statement.actions.join(", ")} on ${[...c.statement.resources, ...c.statement.principals].join(", ") || "—"}` : c.detail ? `: ${c.detail}` : ""}`);
  out.push("", `### Monthly cost — ESTIMATE (${m.cost.currency}, on-demand list prices as of ${m.cost.asOf})`, "");
  out.push(`**$${m.cost.before.toFixed(2)} (\`${m.from}\`) → $${m.cost.after.toFixed(2)} (\`${m.to}\`) per month**, fixed charges only; usage not included.`, "");
  out.push(`| resource type | \`${m.from}\` | \`${m.to}\` |`, "|---|---:|---:|");
  for (const l of m.cost.lines) out.push(`| ${l.type} | $${l.before.toFixed(2)} | $${l.after.toFixed(2)} |`);
  out.push("");
  if (m.mermaidTo) out.push(`### Architecture of \`${m.to}\` (generated)`, "", "```mermaid", m.mermaidTo.trimEnd(), "```", "");
  return out.join("\n");
}
