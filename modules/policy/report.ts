/**
 * Per-stack policy report for people (aligned table) and for machines (JSON).
 * Pure: no cdktf import.
 */
import type { StackEvaluation } from "./engine";
import type { Finding } from "./types";

export function formatReportJson(stacks: readonly StackEvaluation[]): string {
  const summary = summarize(stacks.flatMap((s) => s.findings));
  return JSON.stringify({
    ok: summary.errors === 0,
    summary,
    stacks: stacks.map((s) => ({
      stack: s.stackName,
      blocks: s.blockCount,
      rules: s.ruleCount,
      summary: summarize(s.findings),
      findings: s.findings.map((f) => ({ ...f, status: statusOf(f) })),
      suppressions: s.suppressions,
    })),
  }, null, 2);
}

export function formatReportText(stacks: readonly StackEvaluation[]): string {
  const out: string[] = [];
  for (const s of stacks) {
    const sum = summarize(s.findings);
    out.push(`== ${s.stackName}: ${s.blockCount} blocks checked against ${s.ruleCount} rules — ` +
      `${sum.errors} error(s), ${sum.warnings} warning(s), ${sum.suppressed} suppressed ==`);
    if (s.findings.length === 0) {
      out.push("  no findings");
    } else {
      const rows = [...s.findings].sort(byStatusThenRule).map((f) => [statusOf(f), f.ruleId, f.address, f.constructPath ?? "-"]);
      out.push(...table(["STATUS", "RULE", "ADDRESS", "CONSTRUCT PATH"], rows, (i) => {
        const f = [...s.findings].sort(byStatusThenRule)[i];
        return [
          `      ${f.message}`,
          f.suppressed ? `      suppressed: ${f.suppressionReason}` : `      fix: ${f.fix}`,
        ];
      }));
    }
    out.push("");
    out.push(`  Suppressions (${s.suppressions.length}):`);
    if (s.suppressions.length > 0) {
      out.push(...table(["RULE", "ADDRESS", "USED", "REASON"],
        s.suppressions.map((u) => [u.ruleId, u.address, u.used ? "yes" : "STALE", u.reason])));
    }
    out.push("");
  }
  const total = summarize(stacks.flatMap((s) => s.findings));
  out.push(total.errors === 0
    ? `Policy OK: ${stacks.length} stack(s), 0 unsuppressed errors, ${total.warnings} warning(s), ${total.suppressed} suppressed.`
    : `Policy FAILED: ${total.errors} unsuppressed error(s) in ${stacks.length} stack(s).`);
  return out.join("\n") + "\n";
}

interface Summary {
  readonly errors: number;
  readonly warnings: number;
  readonly suppressed: number;
}

function summarize(findings: readonly Finding[]): Summary {
  return {
    errors: findings.filter((f) => !f.suppressed && f.severity === "error").length,
    warnings: findings.filter((f) => !f.suppressed && f.severity === "warning").length,
    suppressed: findings.filter((f) => f.suppressed).length,
  };
}

function statusOf(f: Finding): "FAIL" | "WARN" | "SUPPRESSED" {
  if (f.suppressed) return "SUPPRESSED";
  return f.severity === "error" ? "FAIL" : "WARN";
}

const STATUS_ORDER = { FAIL: 0, WARN: 1, SUPPRESSED: 2 };

function byStatusThenRule(a: Finding, b: Finding): number {
  return STATUS_ORDER[statusOf(a)] - STATUS_ORDER[statusOf(b)] ||
    a.ruleId.localeCompare(b.ruleId) || a.address.localeCompare(b.address);
}

/** Left-aligned columns; `details(i)` adds indented lines under row i. */
function table(header: string[], rows: string[][], details?: (i: number) => string[]): string[] {
  const widths = header.map((h, c) => Math.max(h.length, ...rows.map((r) => r[c].length)));
  const line = (cells: string[]) => "  " + cells.map((cell, c) => (c === cells.length - 1 ? cell : cell.padEnd(widths[c]))).join("  ");
  const out = [line(header)];
  rows.forEach((r, i) => {
    out.push(line(r));
    if (details) out.push(...details(i));
  });
  return out;
}
