/**
 * The alert rules file against the README's table "What each alert means and
 * the first response" (severity, how long a condition must hold), and the
 * file read back as Prometheus reads it: every text the operator is sent
 * arrives word for word, however the renderer folds long lines.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { alertGroups, renderAlertRules, AlertRule } from "../../modules/server-config/alert-rules";
import { parseYaml } from "../support/validators";

interface RulesFile { groups: { name: string; rules: { alert: string; expr: string; for: string; labels: { severity: string }; annotations: { summary: string; runbook: string } }[] }[] }

const everything = { keepalived: true, application: true } as const;
const rules: AlertRule[] = alertGroups(everything).flatMap((g) => g.rules);

/** The README table's rows: alert, severity, the "fires when (default)" text. */
function readmeRows(): { alert: string; severity: string; when: string }[] {
  const readme = readFileSync(join(__dirname, "../../README.md"), "utf8");
  const start = readme.indexOf("| alert | severity | fires when (default) | first response |");
  expect(start).toBeGreaterThan(0);
  const lines = readme.slice(start).split("\n").slice(2);
  return lines.slice(0, lines.findIndex((l) => !l.startsWith("|"))).map((line) => {
    const [name, severity, when] = line.slice(2).split(" | ");
    return { alert: /`(\w+)`/.exec(name)![1], severity, when };
  });
}

/** "for 5 min" / "for 30 s" / "(60 s)" at the end of the condition → Prometheus duration. */
function documentedHold(when: string): string {
  const hold = /for (\d+) (s|min)\b(?![\s\S]*for \d)/.exec(when) ?? /\((\d+) (s)\)/.exec(when);
  if (!hold) return "0s";
  return `${hold[1]}${hold[2] === "min" ? "m" : "s"}`;
}

describe("README alert table \"What each alert means and the first response\"", () => {
  const rows = readmeRows();

  it("lists every alert the rules define, and no other", () => {
    expect(rows.map((r) => r.alert).sort()).toEqual(rules.map((r) => r.alert).sort());
  });

  it.each(rows.map((r) => [r.alert, r] as const))("%s: the severity and how long the condition must hold are the table's", (alert, row) => {
    const rule = rules.find((r) => r.alert === alert)!;
    expect({ severity: rule.severity, for: rule.for }).toEqual({ severity: row.severity, for: documentedHold(row.when) });
  });

  it("HostDown holds for alerts.hostDownAfterSeconds, whatever it is set to", () => {
    expect(alertGroups({ hostDownAfterSeconds: 300 })[0].rules[0]).toMatchObject({ alert: "HostDown", for: "300s" });
  });
});

describe("the rules file as Prometheus reads it", () => {
  const read = parseYaml(renderAlertRules(everything)) as RulesFile;

  it("has the groups hosts, load-balancers, keepalived and application, in that order", () => {
    expect(read.groups.map((g) => g.name)).toEqual(["hosts", "load-balancers", "keepalived", "application"]);
  });

  it("every expression, hold, severity, summary and first response arrives word for word", () => {
    const parsed = read.groups.flatMap((g) => g.rules);
    expect(parsed).toEqual(rules.map((r) => ({ alert: r.alert, expr: r.expr, for: r.for, labels: { severity: r.severity }, annotations: { summary: r.summary, runbook: r.runbook } })));
  });

  it("folds long texts so that no line exceeds 160 characters, and keeps short ones on one line", () => {
    const text = renderAlertRules(everything);
    const long = text.split("\n").filter((line) => line.length > 160);
    expect(long).toEqual([]);
    expect(text).toContain('        expr: "up{job=\\"node\\"} == 0"\n');
    expect(text).toContain("        expr: >-\n          node_filesystem_avail_bytes{");
    // A folded line holds at most 100 characters of text.
    for (const [, body] of text.matchAll(/: >-\n((?: {10,}\S.*\n)+)/g)) {
      for (const line of body.trimEnd().split("\n")) expect(line.trim().length).toBeLessThanOrEqual(100);
    }
  });

  it("the default file has the host and load balancer groups only", () => {
    expect((parseYaml(renderAlertRules()) as RulesFile).groups.map((g) => g.name)).toEqual(["hosts", "load-balancers"]);
  });
});
