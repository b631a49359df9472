/** Renders a review as Markdown for a pull-request comment (DANGER first). */
import { IamChange } from "./iam";
import { Review } from "./review";

const MAX_LISTED = 40;

export function reviewMarkdown(r: Review): string {
  const out: string[] = [];
  const title = r.mode === "compare" ? `Plan review: \`${r.stack}\` (${r.baseLabel ?? "base"} → ${r.planLabel ?? "plan"})` : `Plan review: \`${r.stack}\``;
  out.push(`## ${title}`, "");
  for (const note of r.notes) out.push(`_${note}_`, "");
  if (r.mode === "compare") out.push("_Two plans from empty state compared address by address; replacements follow the committed ForceNew list (modules/review/force-new.ts)._", "");
  if (r.danger.length > 0) {
    out.push(`### ⚠️ DANGER: ${r.danger.length} stateful resource(s) destroyed or replaced — second approval required`, "");
    for (const d of r.danger) out.push(`- **${d.action.toUpperCase()}** \`${d.address}\` — ${d.what}${d.forcedBy.length ? `; forced by \`${d.forcedBy.join("`, `")}\`` : ""}`);
    out.push("");
  } else {
    out.push("**No DANGER:** no database, Elastic IP, volume, bucket, backup vault, KMS key, hosted zone or fixed-IP host is destroyed or replaced.", "");
  }
  out.push("| create | update | replace | delete | no-op |", "|---:|---:|---:|---:|---:|", `| ${r.counts.create} | ${r.counts.update} | ${r.counts.replace} | ${r.counts.delete} | ${r.counts["no-op"]} |`, "");

  out.push(`### Replacements (${r.replacements.length})`, "");
  if (r.replacements.length === 0) out.push("None.");
  for (const x of r.replacements) out.push(`- \`${x.address}\` — forced by ${x.forcedBy.length ? x.forcedBy.map((a) => `\`${a}\``).join(", ") : "(not stated)"}${x.reason ? ` (${x.reason})` : ""}`);
  out.push("");
  if (r.updates.length > 0) {
    out.push(`<details><summary>Updates in place (${r.updates.length})</summary>`, "");
    for (const u of r.updates.slice(0, MAX_LISTED)) out.push(`- \`${u.address}\`: ${u.attributes.map((a) => `\`${a}\``).join(", ")}${u.note ? ` — ${u.note}` : ""}`);
    if (r.updates.length > MAX_LISTED) out.push(`- … and ${r.updates.length - MAX_LISTED} more (see the JSON report)`);
    out.push("", "</details>", "");
  }
  for (const [label, list] of [["Creates", r.creates], ["Deletes", r.deletes]] as const) {
    if (list.length === 0) continue;
    out.push(`<details><summary>${label} (${list.length})</summary>`, "");
    for (const a of list.slice(0, MAX_LISTED)) out.push(`- \`${a}\``);
    if (list.length > MAX_LISTED) out.push(`- … and ${list.length - MAX_LISTED} more (see the JSON report)`);
    out.push("", "</details>", "");
  }

  out.push(`### Exposure changes (${r.exposure.length})`, "");
  if (r.exposure.length === 0) out.push("None: no internet ingress, public IP or listener added or removed.");
  for (const e of r.exposure) out.push(`- ${e.change === "added" ? "➕ **added**" : "➖ removed"} ${e.kind}: ${e.detail} (\`${e.address}\`)`);
  out.push("");

  out.push(`### IAM changes (${r.iam.length})`, "");
  if (r.iam.length === 0) out.push("None: no statement added or widened.");
  for (const c of r.iam) out.push(iamLine(c));
  out.push("");

  if (r.policy) {
    const suppressed = r.policy.findings.filter((f) => f.suppressed);
    const open = r.policy.findings.filter((f) => !f.suppressed);
    out.push(`### Policy pack: ${open.length} finding(s), ${suppressed.length} suppressed`, "");
    for (const f of open) out.push(`- **${f.severity.toUpperCase()}** ${f.ruleId} \`${f.address}\`: ${f.message}`);
    if (open.length > 0) out.push("");
    if (suppressed.length > 0) {
      out.push("| rule | address | why suppressed |", "|---|---|---|");
      for (const f of suppressed) out.push(`| ${f.ruleId} | \`${f.address}\` | ${(f.reason ?? "").replace(/\|/g, "\\|")} |`);
    }
    out.push("");
  }

  const c = r.cost;
  const money = (n: number): string => `$${n.toFixed(2)}`;
  const sign = (n: number): string => (n > 0 ? `+${money(n)}` : n < 0 ? `−${money(-n)}` : money(0));
  out.push(`### Monthly cost — ESTIMATE (${c.currency}, on-demand list prices as of ${c.asOf})`, "");
  out.push(`**${money(c.before)} → ${money(c.after)} per month (${sign(c.delta)})**, fixed charges only; usage (data transfer, requests, logs, LCUs, backups) is not included.`, "");
  out.push("| resource type | before | after | delta |", "|---|---:|---:|---:|");
  for (const l of c.lines) if (l.before || l.after) out.push(`| ${l.type} | ${money(l.before)} | ${money(l.after)} | ${sign(Math.round((l.after - l.before) * 100) / 100)} |`);
  out.push("");
  if (c.usageBased.length) out.push(`Usage charges (not in the total) for: ${c.usageBased.map((t) => `\`${t}\``).join(", ")}.`, "");
  if (c.unpriced.length) out.push(`Not priced: ${c.unpriced.join("; ")}.`, "");
  out.push(`_Source: ${c.source}._`, "");

  if (r.mermaid) out.push("### Architecture (generated from the synthesized stack)", "", "```mermaid", r.mermaid.trimEnd(), "```", "");
  return out.join("\n");
}

function iamLine(c: IamChange): string {
  const where = `\`${c.address}\` (${c.attribute})`;
  if (!c.statement) return `- ${c.change} ${where}: ${c.detail ?? ""}`;
  const s = c.statement;
  const list = (xs: readonly string[]): string => xs.map((x) => `\`${x}\``).join(", ") || "—";
  const body = `${s.effect} ${list(s.actions.length ? s.actions : s.notActions.map((a) => `NOT ${a}`))} on ${list(s.resources.length ? s.resources : s.principals)}${s.conditions.length ? ` when ${list(s.conditions)}` : ""}`;
  if (c.change === "widened" && c.added) {
    const more = [c.added.actions.length ? `actions ${list(c.added.actions)}` : "", c.added.resources.length ? `resources ${list(c.added.resources)}` : "", c.added.conditionsDropped.length ? `conditions dropped ${list(c.added.conditionsDropped)}` : ""].filter(Boolean).join("; ");
    return `- **widened** ${where}: now grants ${more} — statement: ${body}`;
  }
  return `- ${c.change === "added" ? "**added**" : c.change} ${where}: ${body}`;
}
