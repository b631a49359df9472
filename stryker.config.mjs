// StrykerJS configuration for `npm run mutation [-- <folder or file>]` (scripts/mutation/run.ts).
// The target (MUTATION_TARGET, set by the script) picks what is mutated and which jest files run:
// see scripts/mutation/targets.json. Sized for a shared 2-core machine: one test runner,
// per-test coverage (a mutant runs only the tests that reach it), incremental reuse of the last
// report of the same target.
import { existsSync, readFileSync } from "fs";
import { basename } from "path";

const targets = JSON.parse(readFileSync(new URL("./scripts/mutation/targets.json", import.meta.url), "utf8"));
const target = process.env.MUTATION_TARGET ?? "modules/load-balancer";

function resolveTarget(name) {
  if (targets[name]) return { mutate: targets[name].mutate, tests: targets[name].tests };
  // A part of a folder: its own globs, the folder's exclusions and the folder's tests (see targets.json).
  const owner = Object.keys(targets).find((f) => targets[f].parts?.[name]);
  if (owner) return { mutate: [...targets[owner].parts[name], ...targets[owner].mutate.filter((g) => g.startsWith("!"))], tests: targets[owner].tests };
  const folder = Object.keys(targets).find((f) => f !== "$comment" && name.startsWith(`${f}/`));
  if (!folder) {
    throw new Error(`MUTATION_TARGET ${JSON.stringify(name)} is neither a folder of scripts/mutation/targets.json nor a .ts file or subfolder inside one`);
  }
  // A subfolder (modules/policy/rules/iam) is mutated whole and tested by the folder's tests.
  if (!name.endsWith(".ts")) return { mutate: [`${name}/**/*.ts`], tests: targets[folder].tests };
  const ownTest = `__tests__/${basename(folder)}/${basename(name, ".ts")}.test.ts`;
  return { mutate: [name], tests: existsSync(ownTest) ? [ownTest] : targets[folder].tests };
}

const { mutate, tests } = resolveTarget(target);
// stacks/config's property test (__tests__/config/random-mutations.test.ts, 300 cases, about 90 s) reaches nearly every
// mutant of the folder and runs in full for each survivor: 40 cases per mutant keep a folder run within hours. The
// property still runs its 300 cases in `npm test`; a mutant only 300 cases would catch shows up here as a survivor.
if (target.startsWith("stacks/config")) process.env.CONFIG_PROPERTY_RUNS ??= "40";
const slug = target.replace(/[^A-Za-z0-9.-]+/g, "_");

/** @type {import('@stryker-mutator/api/core').PartialStrykerOptions} */
export default {
  packageManager: "npm",
  testRunner: "jest",
  plugins: ["@stryker-mutator/jest-runner", "@stryker-mutator/typescript-checker"],
  jest: {
    projectType: "custom",
    configFile: "jest.config.js",
    // Only the target's tests; findRelatedTests narrows each mutant run further to files importing the mutated one.
    // The roots beyond __tests__ put the sources into jest's dependency graph: without them findRelatedTests
    // sees only files a test imports directly, and a mutated helper (modules/policy/inspect/…) gets no tests.
    config: {
      roots: ["<rootDir>/__tests__", "<rootDir>/modules", "<rootDir>/stacks"],
      // jest expands <rootDir> only at the start of a pattern, so a left-out file ("!…") is matched by its path's end.
      testMatch: tests.map((t) => (t.startsWith("!") ? `!**/${t.slice(1)}` : `<rootDir>/${t}`)),
      testSequencer: "<rootDir>/scripts/mutation/fast-first-sequencer.js",
    },
    enableFindRelatedTests: true,
  },
  // Mutants that do not type-check are CompileErrors (left out of the score), not "killed".
  checkers: process.env.MUTATION_TYPECHECK === "0" ? [] : ["typescript"],
  tsconfigFile: "tsconfig.json",
  typescriptChecker: { prioritizePerformanceOverAccuracy: true },
  mutate,
  coverageAnalysis: "perTest",
  incremental: true,
  incrementalFile: `reports/mutation/${slug}/stryker-incremental.json`,
  concurrency: Number(process.env.MUTATION_CONCURRENCY ?? 1),
  // The initial run executes every test of the target once, instrumented; stacks/config's (property tests, stack
  // synths) take over Stryker's default 5 minutes on a shared 2-core machine.
  dryRunTimeoutMinutes: 30,
  // A mutant's time limit is its tests' dry-run time × 2 + 60 s. A static mutant runs every related test (≈ 30 s),
  // and with two runners on two cores a surviving one took over the old 20 s margin: Stryker counted it as a
  // Timeout, i.e. detected. A generous margin keeps a slow survivor a survivor; a real endless loop still times out.
  timeoutMS: 60000,
  timeoutFactor: 2,
  thresholds: { high: 90, low: 85, break: 85 },
  reporters: ["html", "json", "clear-text", "progress"],
  htmlReporter: { fileName: `reports/mutation/${slug}/index.html` },
  jsonReporter: { fileName: `reports/mutation/${slug}/mutation.json` },
  tempDirName: ".stryker-tmp",
  cleanTempDir: "always",
  // Build output and local state stay out of the sandbox copy.
  ignorePatterns: ["cdktf.out", "reports", "state", ".terraform"],
};
