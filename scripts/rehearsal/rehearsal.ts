/**
 * One stack's apply rehearsal against the local emulator: terraform init (local
 * mirror) → apply → plan -detailed-exitcode (must be 0: no changes) → destroy
 * (must leave an empty state), timed per phase. Terraform runs asynchronously so
 * the emulator's pipes keep draining while it works.
 */
import { ChildProcess, spawn } from "child_process";
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { OfflineTerraform, offlineEnv } from "../offline-terraform";
import { Emulator } from "./emulator";
import { describeResent, duplicateDeliveries, replayedResends } from "./resent-calls";

export interface Exclusion {
  /** Resource addresses (`type.name`) matched by this pattern are left out of the rehearsal. */
  readonly pattern: RegExp;
  /** Why the emulator cannot serve them (listed in the README). */
  readonly reason: string;
}

export interface PlannedChange {
  readonly address: string;
  readonly actions: string[];
  /** Attribute paths whose planned value differs from the applied one. */
  readonly attributes: string[];
}

export interface RehearsalResult {
  readonly stack: string;
  readonly ok: boolean;
  readonly failures: string[];
  readonly resourcesApplied: number;
  readonly excluded: { address: string; reason: string }[];
  /** 0 no changes, 2 changes, 1 error, -1 not run. */
  readonly replanExitCode: number;
  readonly replanChanges: PlannedChange[];
  readonly remainingAfterDestroy: string[];
  /** Calls delivered again after the emulator had answered them (scripts/rehearsal/resent-calls.ts): the apply they failed was run once more. */
  readonly applyRepeatedAfter: string[];
  /** SDK resends of calls already answered with success that the emulator answered with the first answer (emulator.py REPLAYED lines). */
  readonly resendsReplayed: string[];
  readonly seconds: { init: number; apply: number; replan: number; destroy: number; total: number };
}

export interface RehearsalOptions {
  readonly stack: string;
  /** The synthesized cdk.tf.json of the rehearsal profile. */
  readonly stackJson: string;
  readonly workDir: string;
  readonly exclusions?: readonly Exclusion[];
  /** terraform -parallelism. @default 10 (Terraform's default) */
  readonly parallelism?: number;
  /** Called with each phase's name as it starts. */
  readonly progress?: (message: string) => void;
  /**
   * The emulator's request log: when an apply fails on a call delivered again after a success, the apply runs once
   * more; SDK resends it answered with the first answer are listed in the result.
   */
  readonly emulatorLog?: Pick<Emulator, "logMark" | "logSince">;
}

export interface Run {
  readonly code: number;
  readonly output: string;
}

/** Terraform processes running now: an interrupted rehearsal stops them by PID (else they outlive it, polling a stopped emulator). */
const runningTerraform = new Set<ChildProcess>();
let interrupted = false;

/** Ctrl-C / SIGTERM: interrupts every running terraform (its own SIGINT: it stops and writes its state) and starts no other. */
export function interruptTerraform(): number {
  interrupted = true;
  for (const child of runningTerraform) child.kill("SIGINT");
  return runningTerraform.size;
}

export function run(tf: OfflineTerraform, cwd: string, args: string[]): Promise<Run> {
  if (interrupted) return Promise.resolve({ code: 130, output: "rehearsal interrupted" });
  return new Promise((resolvePromise) => {
    const child = spawn(tf.terraform, args, { cwd, env: offlineEnv(tf), stdio: ["ignore", "pipe", "pipe"] });
    runningTerraform.add(child);
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("close", (code) => {
      runningTerraform.delete(child);
      resolvePromise({ code: code ?? 1, output });
    });
  });
}

/** Writes the working copy: local state in the work dir, the excluded resources removed. */
export function prepareDocument(stackJson: string, workDir: string, exclusions: readonly Exclusion[]): { address: string; reason: string }[] {
  rmSync(workDir, { recursive: true, force: true });
  mkdirSync(workDir, { recursive: true });
  return writeDocument(stackJson, workDir, exclusions);
}

/** Writes (or replaces) the working copy's cdk.tf.json, keeping the work dir and its state. */
export function writeDocument(stackJson: string, workDir: string, exclusions: readonly Exclusion[]): { address: string; reason: string }[] {
  const doc = JSON.parse(readFileSync(stackJson, "utf8"));
  doc.terraform.backend = { local: { path: "rehearsal.tfstate" } };
  const excluded: { address: string; reason: string }[] = [];
  for (const [type, blocks] of Object.entries((doc.resource ?? {}) as Record<string, Record<string, unknown>>)) {
    for (const name of Object.keys(blocks)) {
      const address = `${type}.${name}`;
      const rule = exclusions.find((e) => e.pattern.test(address));
      if (!rule) continue;
      excluded.push({ address, reason: rule.reason });
      delete blocks[name];
    }
    if (Object.keys(blocks).length === 0) delete doc.resource[type];
  }
  writeFileSync(join(workDir, "cdk.tf.json"), JSON.stringify(doc, null, 2));
  return excluded;
}

/** Attribute paths that differ between two JSON values (`tags.Name`, `ingress[0].cidr_blocks`). */
export function differingPaths(before: unknown, after: unknown, unknown: unknown, path = ""): string[] {
  if (unknown === true) return [path || "(value)"];
  if (before !== null && after !== null && typeof before === "object" && typeof after === "object") {
    const keys = new Set([...Object.keys(before as object), ...Object.keys(after as object)]);
    const out: string[] = [];
    for (const key of keys) {
      const sub = Array.isArray(after) || Array.isArray(before) ? `${path}[${key}]` : path ? `${path}.${key}` : key;
      const u = unknown && typeof unknown === "object" ? (unknown as Record<string, unknown>)[key] : undefined;
      out.push(...differingPaths((before as Record<string, unknown>)[key], (after as Record<string, unknown>)[key], u, sub));
    }
    return out;
  }
  return JSON.stringify(before) === JSON.stringify(after) ? [] : [path || "(value)"];
}

export interface PlanJson {
  resource_changes?: { address: string; mode: string; change: { actions: string[]; before: unknown; after: unknown; after_unknown: unknown } }[];
}

export function plannedChanges(plan: PlanJson): PlannedChange[] {
  return (plan.resource_changes ?? [])
    .filter((c) => !(c.change.actions.length === 1 && ["no-op", "read"].includes(c.change.actions[0])))
    .map((c) => ({ address: c.address, actions: c.change.actions, attributes: differingPaths(c.change.before, c.change.after, c.change.after_unknown) }));
}

/** terraform init shares the plugin cache, which is not safe for concurrent use: inits of concurrent rehearsals take turns. */
let initTurn: Promise<unknown> = Promise.resolve();
export function initInTurn(tf: OfflineTerraform, workDir: string): Promise<Run> {
  const next = initTurn.then(() => run(tf, workDir, ["init", "-input=false", "-no-color"]));
  initTurn = next.catch(() => undefined);
  return next;
}

export const seconds = (since: number) => Math.round((Date.now() - since) / 100) / 10;

export async function rehearseStack(tf: OfflineTerraform, options: RehearsalOptions): Promise<RehearsalResult> {
  const { stack, workDir } = options;
  const progress = options.progress ?? (() => undefined);
  const parallelism = `-parallelism=${options.parallelism ?? 10}`;
  const failures: string[] = [];
  const time = { init: 0, apply: 0, replan: 0, destroy: 0, total: 0 };
  const started = Date.now();
  const excluded = prepareDocument(options.stackJson, workDir, options.exclusions ?? []);
  let resourcesApplied = 0;
  let replanExitCode = -1;
  let replanChanges: PlannedChange[] = [];
  let remaining: string[] = [];
  const applyRepeatedAfter: string[] = [];
  // The emulator serves one stack at a time: what it logs from here on is this stack's.
  const stackLogMark = options.emulatorLog?.logMark();

  let t = Date.now();
  progress("init");
  const init = await initInTurn(tf, workDir);
  time.init = seconds(t);
  if (init.code !== 0) failures.push(`init failed:\n${init.output}`);

  if (failures.length === 0) {
    t = Date.now();
    progress("apply");
    const failuresBeforeApply = failures.length;
    const logMark = options.emulatorLog?.logMark();
    let apply = await applyPhase(tf, workDir, parallelism, failures);
    // Only this apply's calls: the emulator may have served other stacks before.
    const resent = apply.code !== 0 && options.emulatorLog ? duplicateDeliveries(options.emulatorLog.logSince(logMark!), apply.output) : [];
    if (resent.length > 0) {
      // Not a defect of the stack: a non-idempotent call was delivered twice. Re-run the apply, as an operator would.
      applyRepeatedAfter.push(...resent.map(describeResent));
      failures.splice(failuresBeforeApply);
      progress(`apply again after a duplicate delivery: ${applyRepeatedAfter.join("; ")}`);
      apply = await applyPhase(tf, workDir, parallelism, failures);
    }
    time.apply = seconds(t);
    resourcesApplied = apply.resourcesApplied;

    if (apply.code === 0) {
      t = Date.now();
      progress("re-plan");
      const plan = await run(tf, workDir, ["plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock=false", parallelism, "-out=replan.tfplan"]);
      replanExitCode = plan.code;
      writeFileSync(join(workDir, "replan.log"), plan.output);
      if (plan.code === 2) {
        const shown = await run(tf, workDir, ["show", "-json", "replan.tfplan"]);
        replanChanges = plannedChanges(JSON.parse(shown.output) as PlanJson);
        failures.push(
          `re-plan after apply is not empty (perpetual diff):\n${replanChanges.map((c) => `  ${c.address} (${c.actions.join(", ")}): ${c.attributes.join(", ") || "no attribute named by the plan"}`).join("\n")}`,
        );
      } else if (plan.code !== 0) failures.push(`re-plan failed:\n${tail(plan.output)}`);
      time.replan = seconds(t);
    }
  }

  if (init.code === 0) {
    t = Date.now();
    progress("destroy");
    remaining = await destroyPhase(tf, workDir, parallelism, failures);
    time.destroy = seconds(t);
  }
  time.total = seconds(started);
  const resendsReplayed = options.emulatorLog ? replayedResends(options.emulatorLog.logSince(stackLogMark!)) : [];
  return { stack, ok: failures.length === 0, failures, resourcesApplied, excluded, replanExitCode, replanChanges, remainingAfterDestroy: remaining, applyRepeatedAfter, resendsReplayed, seconds: time };
}

/** `terraform apply` (log in apply.log), its failure added to `failures`; the resources then in the state. */
export async function applyPhase(tf: OfflineTerraform, workDir: string, parallelism: string, failures: string[]): Promise<Run & { resourcesApplied: number }> {
  const apply = await run(tf, workDir, ["apply", "-auto-approve", "-input=false", "-no-color", parallelism]);
  writeFileSync(join(workDir, "apply.log"), apply.output);
  if (apply.code !== 0) failures.push(`apply failed:\n${tail(apply.output)}`);
  const resourcesApplied = (await stateList(tf, workDir)).filter((a) => !a.startsWith("data.")).length;
  return { ...apply, resourcesApplied };
}

/** `terraform destroy` (log in destroy.log); failures, and a state that is not empty, added to `failures`. Returns what remains. */
export async function destroyPhase(tf: OfflineTerraform, workDir: string, parallelism: string, failures: string[]): Promise<string[]> {
  const destroy = await run(tf, workDir, ["destroy", "-auto-approve", "-input=false", "-no-color", parallelism]);
  writeFileSync(join(workDir, "destroy.log"), destroy.output);
  if (destroy.code !== 0) failures.push(`destroy failed:\n${tail(destroy.output)}`);
  const remaining = await stateList(tf, workDir);
  if (remaining.length > 0) failures.push(`state not empty after destroy: ${remaining.join(", ")}`);
  return remaining;
}

export async function stateList(tf: OfflineTerraform, workDir: string): Promise<string[]> {
  const list = await run(tf, workDir, ["state", "list", "-no-color"]);
  if (list.code !== 0) return /No state file was found/.test(list.output) ? [] : [`(state list failed: ${list.output.trim()})`];
  return list.output.split("\n").filter((l) => l.trim() !== "");
}

export function tail(text: string, lines = 60): string {
  return text.trim().split("\n").slice(-lines).join("\n");
}
