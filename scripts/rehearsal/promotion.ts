/**
 * The promotion rehearsal (`npm run rehearse -- --promotion`): the warm-standby
 * failover of modules/warm-standby/README.md run against the local emulator.
 * Applies stage 4 with `warmStandby.activeRegion: "primary"`, promotes the DR
 * read replica through the AWS API with the runbook's own commands (aws rds
 * promote-read-replica / wait db-instance-available, pointed at the emulator),
 * swaps in the document synthesized with `"dr"`, and plans: the plan must
 * destroy or replace no stateful resource and must not re-create the replica.
 * Then destroys everything (empty state).
 */
import { spawn } from "child_process";
import { writeFileSync } from "fs";
import { join } from "path";
import { OfflineTerraform, offlineEnv } from "../offline-terraform";
import { Exclusion, PlanJson, PlannedChange, applyPhase, destroyPhase, initInTurn, plannedChanges, prepareDocument, run, seconds, tail, writeDocument } from "./rehearsal";

/** Resource types whose destruction or replacement loses data or identity (the promotion must keep every one). */
export const STATEFUL_TYPES = [
  "aws_db_instance",
  "aws_s3_bucket",
  "aws_backup_vault",
  "aws_kms_key",
  "aws_secretsmanager_secret",
  "aws_secretsmanager_secret_version",
  "aws_ecr_repository",
  "aws_elasticache_replication_group",
  "aws_route53_zone",
  "aws_eip",
  "aws_ssm_parameter",
] as const;

export interface PromotionVerdict {
  /** Why the plan is not an acceptable promotion (empty: it is). */
  readonly violations: string[];
  /** Planned changes per action: create, update, delete, replace. */
  readonly counts: Record<"create" | "update" | "delete" | "replace", number>;
  /** Planned changes per resource type and action, e.g. `aws_autoscaling_group: 4 update`. */
  readonly byType: Record<string, string>;
}

const typeOf = (address: string) => address.replace(/^module\.[^.]+\./, "").split(".")[0];
const kind = (actions: string[]): keyof PromotionVerdict["counts"] =>
  actions.includes("delete") && actions.includes("create") ? "replace" : actions.includes("delete") ? "delete" : actions.includes("create") ? "create" : "update";

/** Judges the plan after the configuration flip: no stateful resource destroyed or replaced, the promoted replica neither. */
export function judgePromotionPlan(changes: readonly PlannedChange[], replicaAddress: string): PromotionVerdict {
  const violations: string[] = [];
  const counts = { create: 0, update: 0, delete: 0, replace: 0 };
  const perType: Record<string, Record<string, number>> = {};
  for (const change of changes) {
    const k = kind(change.actions);
    counts[k] += 1;
    const type = typeOf(change.address);
    perType[type] = { ...perType[type], [k]: (perType[type]?.[k] ?? 0) + 1 };
    if ((STATEFUL_TYPES as readonly string[]).includes(type) && (k === "delete" || k === "replace")) {
      violations.push(`${change.address}: stateful resource would be ${k === "delete" ? "destroyed" : "replaced"} (${change.actions.join(", ")})`);
    }
    if (change.address === replicaAddress && k !== "update") {
      violations.push(`${change.address}: the promoted replica would be ${k === "create" ? "re-created" : k === "delete" ? "destroyed" : "replaced"} (${change.actions.join(", ")})`);
    }
  }
  const byType = Object.fromEntries(
    Object.entries(perType)
      .sort(([a], [b]) => a.localeCompare(b))
      .map(([type, n]) => [type, Object.entries(n).map(([k, c]) => `${c} ${k}`).join(", ")]),
  );
  return { violations, counts, byType };
}

export interface PromotionResult {
  readonly stack: string;
  readonly scenario: "promotion";
  readonly ok: boolean;
  readonly failures: string[];
  readonly resourcesApplied: number;
  readonly replica?: { address: string; identifier: string; region: string; afterPromotion?: Record<string, unknown> };
  /** terraform plan -detailed-exitcode of the "dr" document: 0 no changes, 2 changes, 1 error, -1 not run. */
  readonly planExitCode: number;
  readonly verdict?: PromotionVerdict;
  readonly plannedChanges: PlannedChange[];
  readonly remainingAfterDestroy: string[];
  readonly seconds: { init: number; apply: number; promote: number; plan: number; destroy: number; total: number };
}

export interface PromotionOptions {
  readonly stack: string;
  /** The stack synthesized with warmStandby.activeRegion "primary" and "dr" (rehearsal profile, same emulator). */
  readonly primaryJson: string;
  readonly drJson: string;
  readonly workDir: string;
  readonly emulatorUrl: string;
  /** --backup-retention-period of the promotion, as the runbook gives it (database.backupRetentionDays). */
  readonly backupRetentionDays: number;
  readonly exclusions?: readonly Exclusion[];
  readonly parallelism?: number;
  readonly progress?: (message: string) => void;
}

interface StateResource {
  address: string;
  type: string;
  values: Record<string, unknown>;
}

/** The aws CLI (the runbook's commands) against the emulator, with the rehearsal's test credentials. */
function aws(tf: OfflineTerraform, url: string, args: string[]): Promise<{ code: number; output: string }> {
  return new Promise((resolvePromise) => {
    // No profile at all (offlineEnv's empty AWS_PROFILE names a profile "" to the CLI, which then refuses to run).
    const { AWS_PROFILE: _profile, ...env } = offlineEnv(tf);
    const child = spawn("aws", [...args, "--endpoint-url", url, "--output", "json"], { env, stdio: ["ignore", "pipe", "pipe"] });
    let output = "";
    child.stdout.on("data", (c: Buffer) => (output += c.toString()));
    child.stderr.on("data", (c: Buffer) => (output += c.toString()));
    child.on("error", (e) => resolvePromise({ code: 127, output: `aws CLI: ${e.message}` }));
    child.on("close", (code) => resolvePromise({ code: code ?? 1, output }));
  });
}

export async function rehearsePromotion(tf: OfflineTerraform, options: PromotionOptions): Promise<PromotionResult> {
  const { stack, workDir } = options;
  const progress = options.progress ?? (() => undefined);
  const parallelism = `-parallelism=${options.parallelism ?? 10}`;
  const exclusions = options.exclusions ?? [];
  const failures: string[] = [];
  const time = { init: 0, apply: 0, promote: 0, plan: 0, destroy: 0, total: 0 };
  const started = Date.now();
  prepareDocument(options.primaryJson, workDir, exclusions);
  let resourcesApplied = 0;
  let planExitCode = -1;
  let changes: PlannedChange[] = [];
  let verdict: PromotionVerdict | undefined;
  let replica: PromotionResult["replica"];

  let t = Date.now();
  progress("init");
  const init = await initInTurn(tf, workDir);
  time.init = seconds(t);
  if (init.code !== 0) failures.push(`init failed:\n${init.output}`);

  if (failures.length === 0) {
    t = Date.now();
    progress('apply (activeRegion "primary")');
    resourcesApplied = (await applyPhase(tf, workDir, parallelism, failures)).resourcesApplied;
    time.apply = seconds(t);
  }

  if (failures.length === 0) {
    t = Date.now();
    progress("promote the DR replica (aws rds promote-read-replica)");
    const shown = await run(tf, workDir, ["show", "-json", "-no-color"]);
    const resources = ((JSON.parse(shown.output) as { values?: { root_module?: { resources?: StateResource[] } } }).values?.root_module?.resources ?? []) as StateResource[];
    const replicas = resources.filter((r) => r.type === "aws_db_instance" && typeof r.values.replicate_source_db === "string" && r.values.replicate_source_db !== "");
    if (replicas.length !== 1) failures.push(`expected one read replica in the applied state, found ${replicas.map((r) => r.address).join(", ") || "none"}`);
    else {
      const [r] = replicas;
      const identifier = String(r.values.identifier);
      const region = String(r.values.arn).split(":")[3];
      replica = { address: r.address, identifier, region };
      const promote = await aws(tf, options.emulatorUrl, ["rds", "promote-read-replica", "--region", region, "--db-instance-identifier", identifier, "--backup-retention-period", String(options.backupRetentionDays)]);
      const wait = promote.code === 0 ? await aws(tf, options.emulatorUrl, ["rds", "wait", "db-instance-available", "--region", region, "--db-instance-identifier", identifier]) : promote;
      const described = wait.code === 0 ? await aws(tf, options.emulatorUrl, ["rds", "describe-db-instances", "--region", region, "--db-instance-identifier", identifier]) : wait;
      writeFileSync(join(workDir, "promote.log"), [promote.output, wait.output, described.output].join("\n"));
      if (described.code !== 0) failures.push(`promotion failed:\n${tail(described.output)}`);
      else {
        const db = (JSON.parse(described.output) as { DBInstances: Record<string, unknown>[] }).DBInstances[0];
        replica = { ...replica, afterPromotion: pick(db, ["DBInstanceStatus", "ReadReplicaSourceDBInstanceIdentifier", "BackupRetentionPeriod", "MultiAZ", "DBInstanceArn"]) };
        if (db.ReadReplicaSourceDBInstanceIdentifier) failures.push(`${identifier} is still a replica of ${db.ReadReplicaSourceDBInstanceIdentifier} after the promotion`);
      }
    }
    time.promote = seconds(t);
  }

  if (failures.length === 0 && replica) {
    t = Date.now();
    progress('plan (activeRegion "dr")');
    writeDocument(options.drJson, workDir, exclusions);
    const plan = await run(tf, workDir, ["plan", "-detailed-exitcode", "-input=false", "-no-color", "-lock=false", parallelism, "-out=promotion.tfplan"]);
    planExitCode = plan.code;
    writeFileSync(join(workDir, "promotion-plan.log"), plan.output);
    if (plan.code === 0 || plan.code === 2) {
      const shown = await run(tf, workDir, ["show", "-json", "promotion.tfplan"]);
      changes = plannedChanges(JSON.parse(shown.output) as PlanJson);
      verdict = judgePromotionPlan(changes, replica.address);
      failures.push(...verdict.violations);
      if (plan.code === 0) failures.push('the "dr" plan shows no change: the flip did not reach the stack');
    } else failures.push(`plan of the "dr" document failed:\n${tail(plan.output)}`);
    time.plan = seconds(t);
  }

  let remaining: string[] = [];
  if (init.code === 0) {
    t = Date.now();
    progress("destroy");
    remaining = await destroyPhase(tf, workDir, parallelism, failures);
    time.destroy = seconds(t);
  }
  time.total = seconds(started);
  return { stack, scenario: "promotion", ok: failures.length === 0, failures, resourcesApplied, replica, planExitCode, verdict, plannedChanges: changes, remainingAfterDestroy: remaining, seconds: time };
}

function pick(o: Record<string, unknown>, keys: string[]): Record<string, unknown> {
  return Object.fromEntries(keys.filter((k) => k in o).map((k) => [k, o[k]]));
}

export function promotionSummaryLine(r: PromotionResult): string {
  const s = r.seconds;
  const c = r.verdict?.counts;
  return [
    r.ok ? "PASS" : "FAIL",
    `${r.resourcesApplied} applied`,
    `replica ${r.replica ? `${r.replica.identifier} (${r.replica.region}) promoted` : "not promoted"}`,
    `"dr" plan: ${c ? `${c.create} to add, ${c.update} to change, ${c.delete} to destroy, ${c.replace} to replace` : "not run"}`,
    `violations: ${r.verdict?.violations.length ?? "n/a"}`,
    `destroy: ${r.remainingAfterDestroy.length === 0 ? "empty state" : `${r.remainingAfterDestroy.length} left`}`,
    `init ${s.init} s, apply ${s.apply} s, promote ${s.promote} s, plan ${s.plan} s, destroy ${s.destroy} s, total ${s.total} s`,
  ].join(" | ");
}
