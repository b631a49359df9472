/**
 * `npm run mutation` bookkeeping: the README table is the one mutation-summary.json gives, every target
 * names real files and tests, and the score counts only what Stryker counts.
 */
import { existsSync, readdirSync, readFileSync } from "fs";
import { join } from "path";
import { folders, renderTable, summarize, TargetSummary } from "../../scripts/mutation/run";

const ROOT = join(__dirname, "..", "..");
const targets = JSON.parse(readFileSync(join(ROOT, "scripts", "mutation", "targets.json"), "utf8")) as Record<string, { mutate: string[]; tests: string[] }>;

describe("mutation testing bookkeeping", () => {
  it("the README's table is regenerated from mutation-summary.json (npm run mutation -- --summary)", () => {
    const summary = JSON.parse(readFileSync(join(ROOT, "mutation-summary.json"), "utf8")) as Record<string, TargetSummary>;
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = /<!-- mutation-table:start[^>]*-->\n([\s\S]*?)\n<!-- mutation-table:end -->/.exec(readme);
    expect(section).not.toBeNull();
    expect(section![1]).toBe(renderTable(summary, folders()));
  });

  it.each(folders())("target %s mutates an existing folder and runs test files that exist", (folder) => {
    expect(existsSync(join(ROOT, folder))).toBe(true);
    const { mutate, tests } = targets[folder];
    expect(mutate[0]).toBe(`${folder}/**/*.ts`);
    for (const glob of tests) {
      const [dir, pattern] = [join(ROOT, glob.slice(0, glob.lastIndexOf("/"))), glob.slice(glob.lastIndexOf("/") + 1)];
      const regex = new RegExp(`^${pattern.replace(/\./g, "\\.").replace(/\*/g, ".*")}$`);
      expect(readdirSync(dir).filter((f) => regex.test(f)).length).toBeGreaterThan(0);
    }
  });

  it("scores killed and timed-out mutants over all but compile errors, runtime errors and ignored ones", () => {
    const mutant = (status: string, line: number) => ({ mutatorName: "Regex", replacement: "/x/", status, location: { start: { line } } });
    const s = summarize({ files: { "modules/x.ts": { mutants: [mutant("Killed", 1), mutant("Timeout", 2), mutant("Survived", 3), mutant("NoCoverage", 4), mutant("CompileError", 5), mutant("RuntimeError", 6), mutant("Ignored", 7)] } } }, "2026-12-01");
    expect(s).toMatchObject({ score: 50, killed: 1, timeout: 1, survived: 1, noCoverage: 1, compileErrors: 1, ignored: 1, mutants: 7 });
    expect(s.survivors).toEqual(["modules/x.ts:3 Regex → /x/", "modules/x.ts:4 Regex → /x/ (no coverage)"]);
    expect(summarize({ files: {} }, "d").score).toBe(100);
  });

  it("lists folders not yet run as such", () => {
    expect(renderTable({}, ["modules/a"])).toContain("| `modules/a` | not run yet |");
  });
});
