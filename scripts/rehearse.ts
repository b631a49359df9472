/**
 * `npm run rehearse [stack …]`: the apply rehearsal. Starts the local AWS
 * emulator (moto with the compatibility patches of scripts/rehearsal/, on a free
 * loopback port, stopped by PID), synthesizes the stacks with the rehearsal
 * profile (INFRA_PROFILE=rehearsal: every endpoint → the emulator, deletion
 * protection lifted), then per stack: init → apply → plan -detailed-exitcode
 * (must be 0) → destroy (must leave an empty state). Prints a summary and writes
 * cdktf.out/rehearsal/<stack>.json. Exits non-zero if any stack fails.
 *
 * `npm run rehearse -- --promotion`: the warm-standby promotion instead (stage 4
 * applied with activeRegion "primary", the DR replica promoted through the AWS
 * API, the "dr" document planned: no stateful resource destroyed or replaced,
 * the replica not re-created; then destroyed). Writes
 * cdktf.out/rehearsal/stage4-warm-standby-promotion.json (scripts/rehearsal/promotion.ts).
 *
 * Environment: REHEARSAL_CONCURRENCY (stacks at once, each with its own
 * emulator; default 1), REHEARSAL_PARALLELISM (terraform -parallelism; default
 * 10), REHEARSAL_PYTHON (default python3).
 */
import { mkdirSync, rmSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { loadConfig } from "../stacks/config";
import { STACK_NAMES } from "../stacks";
import { synthesize } from "../stacks/synthesize";
import { missingOfflineTerraform, prepareOfflineTerraform, OfflineTerraform } from "./offline-terraform";
import { missingEmulator, startEmulator } from "./rehearsal/emulator";
import { EXCLUSIONS } from "./rehearsal/exclusions";
import { RehearsalResult, interruptTerraform, rehearseStack } from "./rehearsal/rehearsal";
import { promotionSummaryLine, rehearsePromotion } from "./rehearsal/promotion";

const ROOT = resolve(__dirname, "..");
const OUT = join(resolve(ROOT, process.env.CDKTF_OUTDIR ?? "cdktf.out"), "rehearsal");

/** The AMI ids of the rehearsal profile: the launcher registers them in the emulator's catalogue. */
function profileAmis(): string[] {
  return Object.values(loadConfig({ profile: "rehearsal", emulatorEndpoint: "http://127.0.0.1:1" }).ami.ids);
}

/** Emulators running now: stopped by PID when the rehearsal is interrupted. */
const running = new Set<{ stop(): Promise<void> }>();
for (const signal of ["SIGINT", "SIGTERM"] as const) {
  process.once(signal, () => {
    console.error(`rehearse: ${signal}: interrupting ${interruptTerraform()} terraform process(es), stopping ${running.size} emulator(s)`);
    void Promise.all([...running].map((e) => e.stop())).finally(() => process.exit(130));
  });
}

async function worker(tf: OfflineTerraform, index: number, queue: string[], results: RehearsalResult[]): Promise<void> {
  const log = (stack: string, message: string) => console.log(`rehearse: ${stack}: ${message}`);
  mkdirSync(OUT, { recursive: true });
  const emulator = await startEmulator({ amis: profileAmis(), logFile: join(OUT, `emulator-${index}.log`) });
  running.add(emulator);
  try {
    console.log(`rehearse: emulator ${index} at ${emulator.url} (pid ${emulator.pid})`);
    const synthDir = join(OUT, `synth-${index}`);
    rmSync(synthDir, { recursive: true, force: true });
    synthesize({ outdir: synthDir, config: loadConfig({ profile: "rehearsal", emulatorEndpoint: emulator.url }) });
    // Each worker takes the next stack from the shared queue when it is free.
    for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) {
      const result = await rehearseStack(tf, {
        stack,
        stackJson: join(synthDir, "stacks", stack, "cdk.tf.json"),
        workDir: join(OUT, "work", stack),
        exclusions: EXCLUSIONS[stack] ?? [],
        parallelism: process.env.REHEARSAL_PARALLELISM ? Number(process.env.REHEARSAL_PARALLELISM) : undefined,
        progress: (phase) => log(stack, phase),
        emulatorLog: emulator,
      });
      results.push(result);
      writeFileSync(join(OUT, `${stack}.json`), JSON.stringify(result, null, 2));
      log(stack, summaryLine(result));
    }
  } finally {
    await emulator.stop();
    running.delete(emulator);
  }
}

export function summaryLine(r: RehearsalResult): string {
  const s = r.seconds;
  const replan = r.replanExitCode === 0 ? "no changes" : r.replanExitCode === 2 ? `${r.replanChanges.length} perpetual diff(s)` : r.replanExitCode === -1 ? "not run" : "error";
  return [
    r.ok ? "PASS" : "FAIL",
    `${r.resourcesApplied} applied`,
    `${r.excluded.length} excluded`,
    `re-plan: ${replan}`,
    `destroy: ${r.remainingAfterDestroy.length === 0 ? "empty state" : `${r.remainingAfterDestroy.length} left`}`,
    ...(r.applyRepeatedAfter.length > 0 ? [`apply repeated once after a duplicate delivery: ${r.applyRepeatedAfter.join("; ")}`] : []),
    ...(r.resendsReplayed.length > 0 ? [`SDK resend answered with the first answer: ${r.resendsReplayed.join("; ")}`] : []),
    `init ${s.init} s, apply ${s.apply} s, re-plan ${s.replan} s, destroy ${s.destroy} s, total ${s.total} s`,
  ].join(" | ");
}

const PROMOTION_STACK = "stage4-warm-standby";

/** The warm-standby promotion of modules/warm-standby/README.md against the emulator. */
async function promotion(tf: OfflineTerraform): Promise<boolean> {
  const emulator = await startEmulator({ amis: profileAmis(), logFile: join(OUT, "emulator-promotion.log") });
  running.add(emulator);
  try {
    console.log(`rehearse: emulator at ${emulator.url} (pid ${emulator.pid})`);
    const config = (activeRegion: "primary" | "dr") => loadConfig({ profile: "rehearsal", emulatorEndpoint: emulator.url, overrides: { warmStandby: { activeRegion } } });
    const dirs = { primary: join(OUT, "synth-promotion-primary"), dr: join(OUT, "synth-promotion-dr") };
    for (const region of ["primary", "dr"] as const) {
      rmSync(dirs[region], { recursive: true, force: true });
      synthesize({ outdir: dirs[region], config: config(region) });
    }
    const stackJson = (dir: string) => join(dir, "stacks", PROMOTION_STACK, "cdk.tf.json");
    const result = await rehearsePromotion(tf, {
      stack: PROMOTION_STACK,
      primaryJson: stackJson(dirs.primary),
      drJson: stackJson(dirs.dr),
      workDir: join(OUT, "work", `${PROMOTION_STACK}-promotion`),
      emulatorUrl: emulator.url,
      backupRetentionDays: config("dr").database.backupRetentionDays,
      exclusions: EXCLUSIONS[PROMOTION_STACK] ?? [],
      parallelism: process.env.REHEARSAL_PARALLELISM ? Number(process.env.REHEARSAL_PARALLELISM) : undefined,
      progress: (phase) => console.log(`rehearse: ${PROMOTION_STACK} promotion: ${phase}`),
    });
    writeFileSync(join(OUT, `${PROMOTION_STACK}-promotion.json`), JSON.stringify(result, null, 2));
    console.log(`\nrehearse: ${PROMOTION_STACK} promotion: ${promotionSummaryLine(result)}`);
    for (const [type, n] of Object.entries(result.verdict?.byType ?? {})) console.log(`  ${type}: ${n}`);
    if (!result.ok) console.error(`\nrehearse: promotion FAILED\n${result.failures.join("\n")}\n(logs: cdktf.out/rehearsal/work/${PROMOTION_STACK}-promotion/)`);
    return result.ok;
  } finally {
    await emulator.stop();
    running.delete(emulator);
  }
}

async function main(): Promise<void> {
  const missing = missingOfflineTerraform() ?? missingEmulator();
  if (missing) {
    console.error(`rehearse: cannot run: missing ${missing}`);
    process.exit(1);
  }
  if (process.argv.includes("--promotion")) {
    mkdirSync(OUT, { recursive: true });
    const ok = await promotion(prepareOfflineTerraform(join(OUT, "terraform")));
    process.exit(ok ? 0 : 1);
  }
  const wanted = process.argv.slice(2);
  const unknown = wanted.filter((w) => !STACK_NAMES.includes(w));
  if (unknown.length > 0) throw new Error(`unknown stack ${unknown.join(", ")}; stacks: ${STACK_NAMES.join(", ")}`);
  const selected = wanted.length > 0 ? STACK_NAMES.filter((s) => wanted.includes(s)) : STACK_NAMES;
  mkdirSync(OUT, { recursive: true });
  const tf = prepareOfflineTerraform(join(OUT, "terraform"));
  const concurrency = Math.max(1, Math.min(selected.length, Number(process.env.REHEARSAL_CONCURRENCY ?? 1)));
  // Longest first (later stages are larger and wait on more databases), so the last stack to start is a short one.
  const queue = [...selected].sort((a, b) => STACK_NAMES.indexOf(b) - STACK_NAMES.indexOf(a));
  const results: RehearsalResult[] = [];
  const started = Date.now();
  await Promise.all(Array.from({ length: concurrency }, (_, i) => worker(tf, i, queue, results)));
  results.sort((a, b) => selected.indexOf(a.stack) - selected.indexOf(b.stack));
  console.log(`\nrehearse: summary (${((Date.now() - started) / 1000).toFixed(1)} s wall)`);
  for (const r of results) console.log(`  ${r.stack}: ${summaryLine(r)}`);
  const failed = results.filter((r) => !r.ok);
  for (const r of failed) console.error(`\nrehearse: ${r.stack}: FAILED\n${r.failures.join("\n")}\n(logs: cdktf.out/rehearsal/work/${r.stack}/, emulator log: cdktf.out/rehearsal/emulator-*.log)`);
  if (failed.length > 0 || results.length !== selected.length) process.exit(1);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`rehearse: ${error.message}`);
    process.exit(1);
  });
}
