/**
 * `npm run bench`: CPU time, wall time and peak memory of synthesis, each case in a
 * fresh Node process, module loading included:
 *   - the floor: plain Node loading cdktf and synthesizing one stack with one
 *     instance (scripts/bench/floor.js — nothing of ours, no bundle);
 *   - every project stack, run exactly as cdktf.json's "app" runs it (target ≤ 3× the
 *     floor's CPU, ≤ 150 MB peak);
 *   - one stack holding a fleet of 100 and of 1000 hardened instances, bundled and run
 *     like the app (target: 1000 in ≤ 2 s of CPU).
 * The machine is shared, so every case runs BENCH_ROUNDS times (default 5), the cases
 * interleaved so that a load change hits them alike, and the medians are compared;
 * one unmeasured warm-up round first builds the bundles (as the first synth after an
 * edit does). Then a CPU profile of the all-stacks case summarized by where the time
 * goes. A speed check, not a test: it prints numbers and flags a missed target.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { SourceMap } from "module";
import { loadavg, tmpdir } from "os";
import { join, resolve } from "path";

const ROOT = resolve(__dirname, "..");
const USAGE_PRELOAD = join(ROOT, "scripts", "bench", "usage.js");
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 5);

interface Case {
  readonly label: string;
  /** Node arguments (flags and script) of the measured process. */
  readonly args: readonly string[];
  readonly env?: Record<string, string>;
  /** Target text and check, given this case's and the floor's medians. */
  readonly target?: readonly [string, (m: Measurement, floor: Measurement) => boolean];
}

interface Run {
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakMb: number;
  readonly resources: number;
}

interface Measurement extends Run {
  readonly label: string;
  readonly cpuRuns: readonly number[];
}

/** cdktf.json's "app" (what `cdktf synth` runs; `npm run synth` runs the same) as Node arguments. */
function appArgs(): string[] {
  const app = (JSON.parse(readFileSync(join(ROOT, "cdktf.json"), "utf8")) as { app: string }).app.split(/\s+/);
  if (app[0] !== "node") throw new Error(`bench: cdktf.json's app must start with "node", got "${app.join(" ")}"`);
  return app.slice(1);
}

const FLEET = ["scripts/synth-app.js", "--entry", "bench-fleet"];
const CASES: readonly Case[] = [
  { label: "floor (cdktf + 1 instance)", args: ["scripts/bench/floor.js"] },
  { label: "all project stacks", args: appArgs(), target: ["≤ 3× floor CPU, ≤ 150 MB", (m, floor) => m.cpuSeconds <= 3 * floor.cpuSeconds && m.peakMb <= 150] },
  { label: "fleet of 100 instances", args: FLEET, env: { BENCH_FLEET_COUNT: "100" } },
  { label: "fleet of 1000 instances", args: FLEET, env: { BENCH_FLEET_COUNT: "1000" }, target: ["≤ 2 s CPU", (m) => m.cpuSeconds <= 2] },
];

/** Runs one case in a fresh process; its CPU time and peak RSS come from the usage preload at its exit. */
function runOnce(c: Case, nodeFlags: readonly string[] = []): Run {
  const dir = mkdtempSync(join(tmpdir(), "bench-"));
  try {
    const usageFile = join(dir, "usage.json");
    const outdir = join(dir, "out");
    const started = process.hrtime.bigint();
    const run = spawnSync(process.execPath, [...nodeFlags, "--require", USAGE_PRELOAD, ...c.args], {
      cwd: ROOT,
      encoding: "utf8",
      env: { ...process.env, INFRA_CONFIG: "", INFRA_PROFILE: "", CDKTF_OUTDIR: outdir, BENCH_USAGE_FILE: usageFile, ...c.env },
    });
    const seconds = Number(process.hrtime.bigint() - started) / 1e9;
    if (run.status !== 0) throw new Error(`bench ${c.label} failed (exit ${run.status}):\n${run.stderr}`);
    const usage = JSON.parse(readFileSync(usageFile, "utf8")) as { cpuSeconds: number; peakMb: number };
    return { seconds, ...usage, resources: countResources(join(outdir, "stacks")) };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function countResources(stacksDir: string): number {
  let count = 0;
  for (const stack of readdirSync(stacksDir)) {
    const doc = JSON.parse(readFileSync(join(stacksDir, stack, "cdk.tf.json"), "utf8")) as { resource?: Record<string, object> };
    count += Object.values(doc.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
  }
  return count;
}

const median = (values: readonly number[]): number => {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
};

function measureAll(): Measurement[] {
  CASES.forEach((c) => runOnce(c)); // warm-up: builds the bundles, fills the file cache
  const runs = CASES.map(() => [] as Run[]);
  for (let round = 0; round < ROUNDS; round++) CASES.forEach((c, i) => runs[i].push(runOnce(c)));
  return CASES.map((c, i) => ({
    label: c.label,
    seconds: median(runs[i].map((r) => r.seconds)),
    cpuSeconds: median(runs[i].map((r) => r.cpuSeconds)),
    // The largest of the rounds: a memory target must hold every time.
    peakMb: Math.max(...runs[i].map((r) => r.peakMb)),
    resources: runs[i][0].resources,
    cpuRuns: runs[i].map((r) => r.cpuSeconds),
  }));
}

interface ProfileNode { id: number; callFrame: { url: string; functionName: string; lineNumber: number; columnNumber: number }; children?: number[] }

/** Self time of a V8 CPU profile of the all-stacks case, grouped by package or project folder through the bundle's source map. */
function profileSummary(): string[] {
  const dir = mkdtempSync(join(tmpdir(), "bench-prof-"));
  try {
    runOnce(CASES[1], ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) return ["(no profile written)"];
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
    const map = new SourceMap(JSON.parse(readFileSync(join(ROOT, ".build", "app", "main.js.map"), "utf8")));
    const groups = new Map<number, string>(profile.nodes.map((n) => [n.id, groupOf(n, map)]));
    const totals = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const group = groups.get(id)!;
      totals.set(group, (totals.get(group) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    const all = [...totals.values()].reduce((a, b) => a + b, 0);
    return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 10)
      .map(([group, us]) => `${((100 * us) / all).toFixed(0).padStart(3)} %  ${group}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function groupOf(node: ProfileNode, map: SourceMap): string {
  const { url, functionName, lineNumber, columnNumber } = node.callFrame;
  if (!url) return functionName === "(garbage collector)" ? "V8 garbage collection" : `V8 (${functionName || "program"}: idle, native, parsing)`;
  if (url.startsWith("node:")) return "Node internals (loading and reading the bundle, fs)";
  if (url.endsWith("/scripts/synth-app.js")) return "synth-app.js (is the bundle current? one stat per input)";
  if (!url.includes("/.build/app/")) return url;
  // Bundle code: which source it came from.
  const source = (map.findEntry(lineNumber, columnNumber) as { originalSource?: string }).originalSource;
  if (!source) return "bundle runtime (esbuild's module wrappers, keepNames)";
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:lib\/)?([^/]+)?/.exec(source);
  if (pkg) {
    if (pkg[1] === "@cdktf/provider-aws") return "@cdktf/provider-aws (resource bindings: init + toTerraform)";
    return pkg[1] === "cdktf" ? `cdktf/${(pkg[2] ?? "").replace(/\.(js|ts)$/, "")}` : pkg[1];
  }
  const local = /(?:^|\/)((?:modules|stacks|\.gen)\/[^/]+)/.exec(source);
  return local ? `project: ${local[1].replace(/\.ts$/, "")}` : `project: ${source.replace(/^.*\//, "")}`;
}

function main(): void {
  const loadBefore = loadavg()[0];
  const rows = measureAll();
  const loadAfter = loadavg()[0];
  const floor = rows[0];
  console.log(`median of ${ROUNDS} interleaved rounds per case (after one warm-up round); load average ${loadBefore.toFixed(2)} at start, ${loadAfter.toFixed(2)} at end; peak RSS = largest round`);
  console.log("case                          CPU (s)  ×floor  wall (s)  peak RSS (MB)  resources  target");
  for (const m of rows) {
    const target = CASES.find((c) => c.label === m.label)!.target;
    const verdict = target ? `${target[0]}: ${target[1](m, floor) ? "met" : "MISSED"}` : "-";
    console.log(`${m.label.padEnd(28)} ${m.cpuSeconds.toFixed(2).padStart(8)} ${(m.cpuSeconds / floor.cpuSeconds).toFixed(1).padStart(7)} ${m.seconds.toFixed(2).padStart(9)} ${m.peakMb.toFixed(0).padStart(14)} ${String(m.resources).padStart(10)}  ${verdict}`);
  }
  console.log(`CPU of each round (s): ${rows.map((m) => `${m.label.replace(/ \(.*| instances| project/g, "")} ${m.cpuRuns.map((s) => s.toFixed(2)).join("/")}`).join("; ")}`);
  const [, , hundred, thousand] = rows;
  console.log(`marginal cost: ${(((thousand.cpuSeconds - hundred.cpuSeconds) / 900) * 1000).toFixed(2)} ms CPU per instance (100 → 1000)`);
  console.log("where the all-stacks time goes (share of V8 CPU-profile samples by self time, bundle code mapped to its source):");
  for (const line of profileSummary()) console.log(`  ${line}`);
}

main();
