/**
 * `npm run mutation` bookkeeping: the README table is the one mutation-summary.json gives, every target
 * names real files and tests, and the score counts only what Stryker counts.
 */
import { existsSync, readdirSync, readFileSync } from "fs";
import { join } from "path";
import { composeParts, filesMatching, folders, globToRegExp, mergeIncrementalReports, partitionProblems, partsOf, renderTable, summarize, TargetSpec, TargetSummary } from "../../scripts/mutation/run";

const ROOT = join(__dirname, "..", "..");
const targets = JSON.parse(readFileSync(join(ROOT, "scripts", "mutation", "targets.json"), "utf8")) as Record<string, TargetSpec>;

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
      // A test glob left out with "!" must name files that exist too: a renamed file would quietly join the run.
      const pattern = glob.replace(/^!/, "");
      const dir = pattern.slice(0, pattern.lastIndexOf("/"));
      const files = readdirSync(join(ROOT, dir)).map((f) => `${dir}/${f}`);
      const named = [...pattern.matchAll(/\{([^}]*)\}/g)].flatMap((m) => m[1].split(",")).length;
      const matched = filesMatching([pattern], files);
      expect([glob, matched.length]).toEqual([glob, named > 0 ? named : Math.max(1, matched.length)]);
    }
  });

  it("scores killed and timed-out mutants over all but compile errors, runtime errors and ignored ones", () => {
    const mutant = (status: string, line: number) => ({ mutatorName: "Regex", replacement: "/x/", status, location: { start: { line } } });
    const s = summarize({ files: { "modules/x.ts": { mutants: [mutant("Killed", 1), mutant("Timeout", 2), mutant("Survived", 3), mutant("NoCoverage", 4), mutant("CompileError", 5), mutant("RuntimeError", 6), mutant("Ignored", 7)] } } }, "2026-12-01");
    expect(s).toMatchObject({ score: 50, killed: 1, timeout: 1, survived: 1, noCoverage: 1, compileErrors: 1, ignored: 1, mutants: 7 });
    expect(s.survivors).toEqual(["modules/x.ts:3 Regex → /x/", "modules/x.ts:4 Regex → /x/ (no coverage)"]);
    // The report is not committed: the summary is where triage finds the timed-out mutants to apply by hand.
    expect(s.timeouts).toEqual(["modules/x.ts:2 Regex → /x/"]);
    expect(summarize({ files: {} }, "d").score).toBe(100);
  });

  it("counts timed-out mutants among the killed and says how many of them timed out, in a column of their own", () => {
    const table = renderTable({ "modules/a": { score: 80, killed: 5, timeout: 3, survived: 2, noCoverage: 0, compileErrors: 0, ignored: 0, mutants: 10, survivors: [], date: "2026-12-04" } }, ["modules/a"]);
    expect(table.split("\n")[0]).toBe("| target | mutation score | killed | of which timed out | survived | no coverage | run on |");
    expect(table).toContain("| `modules/a` | 80.00 % | 8 | 3 | 2 | 0 | 2026-12-04 |");
  });

  it("lists folders not yet run as such", () => {
    expect(renderTable({}, ["modules/a"])).toContain("| `modules/a` | not run yet |");
  });

  describe("a folder run in parts adds up to one run of the folder", () => {
    const withParts = folders().filter((f) => partsOf(f).length > 0);

    it("the long folders are split into parts", () => {
      expect(withParts).toEqual(expect.arrayContaining(["modules/server-config", "modules/policy", "modules/warm-standby"]));
    });

    it.each(withParts)("the parts of %s hold every file the folder mutates, each in exactly one part", (folder) => {
      expect(partitionProblems(folder)).toEqual([]);
    });

    it("a file left out of every part, a file in two parts and a part that selects nothing are reported", () => {
      const spec = targets["modules/policy"];
      const parts = { ...spec.parts! };
      delete parts["modules/policy/rules/iam"];
      parts["modules/policy:again"] = ["modules/policy/engine.ts"];
      parts["modules/policy:nothing"] = ["modules/policy/no-such-file.ts"];
      const problems = partitionProblems("modules/policy", { ...spec, parts });
      expect(problems).toContain("modules/policy/rules/iam/IamSecretReadScoped.ts is in no part");
      expect(problems).toContain("modules/policy/engine.ts is in 2 parts (modules/policy:engine, modules/policy:again)");
      expect(problems).toContain("part modules/policy:nothing selects no file");
      // The folder's own exclusions hold for its parts: index.ts is mutated by none.
      expect(problems.join("\n")).not.toContain("modules/policy/index.ts");
    });

    it("reads mutate globs as Stryker does: ** spans folders, * and ? stay inside one name, {a,b} is a choice, a dot is a dot", () => {
      expect(globToRegExp("m/**/*.ts").test("m/a.ts")).toBe(true);
      expect(globToRegExp("m/**/*.ts").test("m/x/y/a.ts")).toBe(true);
      expect(globToRegExp("m/*.ts").test("m/x/a.ts")).toBe(false);
      expect(globToRegExp("m/{a,b}.ts").test("m/b.ts")).toBe(true);
      expect(globToRegExp("m/{a,b}.ts").test("m/c.ts")).toBe(false);
      expect(globToRegExp("m/?.ts").test("m/ab.ts")).toBe(false);
      expect(globToRegExp("m/a.ts").test("m/aXts")).toBe(false);
    });

    const part = (over: Partial<TargetSummary>): TargetSummary => ({ score: 0, killed: 0, timeout: 0, survived: 0, noCoverage: 0, compileErrors: 0, ignored: 0, mutants: 0, survivors: [], date: "2026-12-02", ...over });

    it("adds the parts' counts and scores the sum (not the mean of the scores), dated by the oldest part", () => {
      const folder = composeParts([
        part({ killed: 9, survived: 1, compileErrors: 2, mutants: 12, survivors: ["m/b.ts:2 X → y"], date: "2026-12-03" }),
        part({ killed: 1, timeout: 1, noCoverage: 1, ignored: 1, mutants: 4, survivors: ["m/a.ts:1 X → y (no coverage)"], timeouts: ["m/a.ts:5 X → z"], date: "2026-12-02" }),
      ]);
      expect(folder).toEqual({
        score: 84.61, killed: 10, timeout: 1, survived: 1, noCoverage: 1, compileErrors: 2, ignored: 1, mutants: 16,
        survivors: ["m/a.ts:1 X → y (no coverage)", "m/b.ts:2 X → y"], timeouts: ["m/a.ts:5 X → z"], date: "2026-12-02", parts: 2,
      });
    });

    it("the table shows how many parts of a folder have run, and a folder added up from parts as such", () => {
      const [first, ...rest] = partsOf("modules/policy");
      expect(renderTable({ [first]: part({ killed: 1, mutants: 1 }) }, ["modules/policy"])).toContain(`| \`modules/policy\` | 1 of ${rest.length + 1} parts run |`);
      expect(renderTable({ "modules/policy": part({ score: 90, killed: 9, survived: 1, mutants: 10, parts: 6 }) }, ["modules/policy"])).toContain("| `modules/policy` | 90.00 % | 9 | 0 | 1 | 0 | 2026-12-02 (in 6 parts) |");
    });
  });

  describe("a part without an incremental file starts from the per-file runs of its files", () => {
    const run = (file: string, testFile: string, testSource: string, stamp: string) => ({
      schemaVersion: stamp,
      files: { [file]: { source: "x", mutants: [{ id: "0", coveredBy: ["0", "1"], killedBy: ["1"] }] } },
      testFiles: { [testFile]: { source: testSource, tests: [{ id: "0" }, { id: "1" }] } },
    });

    it("keeps every run's mutants, with test and mutant ids made unique per run (they are unique only within one report)", () => {
      const merged = mergeIncrementalReports([run("m/a.ts", "t/a.test.ts", "A", "old"), run("m/b.ts", "t/b.test.ts", "B", "new")]);
      expect(merged.files["m/a.ts"].mutants).toEqual([{ id: "0-0", coveredBy: ["0-0", "0-1"], killedBy: ["0-1"] }]);
      expect(merged.files["m/b.ts"].mutants).toEqual([{ id: "1-0", coveredBy: ["1-0", "1-1"], killedBy: ["1-1"] }]);
      expect(merged.testFiles?.["t/b.test.ts"].tests.map((t) => t.id)).toEqual(["1-0", "1-1"]);
      expect(merged.schemaVersion).toBe("new");
    });

    it("a test file both runs saw unchanged holds both runs' tests; one that changed in between keeps only the newer run's, so what the older run's tests killed is tested again", () => {
      const same = mergeIncrementalReports([run("m/a.ts", "t/shared.test.ts", "S", "1"), run("m/b.ts", "t/shared.test.ts", "S", "2")]);
      expect(same.testFiles?.["t/shared.test.ts"].tests.map((t) => t.id)).toEqual(["0-0", "0-1", "1-0", "1-1"]);
      const changed = mergeIncrementalReports([run("m/a.ts", "t/shared.test.ts", "S", "1"), run("m/b.ts", "t/shared.test.ts", "S2", "2")]);
      expect(changed.testFiles?.["t/shared.test.ts"]).toEqual({ source: "S2", tests: [{ id: "1-0" }, { id: "1-1" }] });
    });
  });
});
