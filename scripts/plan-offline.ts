/**
 * `npm run plan:offline`: synthesizes every stack with the offline profile, then
 * runs the real `terraform init`, `validate` and `plan` (AWS provider from the
 * local mirror, mock credentials, no API call) and keeps each plan as JSON in
 * cdktf.out/plans/<stack>.json. Exits non-zero if any stack fails.
 *
 * Usage: plan-offline.ts [--config FILE] [stack ...]   (default: every stack)
 * --config (or INFRA_CONFIG) plans your own configuration without credentials: the
 * offline profile layers placeholder AMI ids and no Namecheap over it; the README's
 * resource counts are compared only for the default configuration.
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { cdktfJsonContext, loadConfig } from "../stacks/config";
import { synthesize } from "../stacks/synthesize";
import { checkAgainstProviderSchema, loadNamecheapProviderSchema } from "../modules/dns";
import { cpus } from "os";
import { OfflineTerraform, missingOfflineTerraform, prepareOfflineTerraform, terraform, terraformAsync } from "./offline-terraform";

const ROOT = resolve(__dirname, "..");
const OUT = resolve(ROOT, process.env.CDKTF_OUTDIR ?? "cdktf.out");

export interface PlanSummary {
  readonly stack: string;
  readonly resources: number;
  readonly seconds: number;
}

/**
 * Prepares a stack's working copy and runs `terraform init`. Inits run one at a
 * time: Terraform's plugin cache is not safe for concurrent use.
 */
export function initStack(tf: OfflineTerraform, stackJson: string, workDir: string): void {
  mkdirSync(workDir, { recursive: true });
  const doc = JSON.parse(readFileSync(stackJson, "utf8"));
  // Plans never write state; a throw-away local backend keeps the user's state untouched.
  doc.terraform.backend = { local: { path: "offline-plan.tfstate" } };
  // Indented, so a Terraform error quotes one readable line instead of the whole document.
  writeFileSync(join(workDir, "cdk.tf.json"), JSON.stringify(doc, null, 2));
  terraform(tf, workDir, ["init", "-input=false", "-no-color"]);
}

/** Validates and plans an initialized stack, writes the plan as JSON; returns the number of resources to create. */
export async function validateAndPlan(tf: OfflineTerraform, workDir: string, planJsonPath: string): Promise<number> {
  await terraformAsync(tf, workDir, ["validate", "-no-color"]);
  await terraformAsync(tf, workDir, ["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", "-out=offline.tfplan"]);
  const planJson = await terraformAsync(tf, workDir, ["show", "-json", "offline.tfplan"]);
  writeFileSync(planJsonPath, planJson);
  const plan = JSON.parse(planJson) as { resource_changes?: { mode: string; change: { actions: string[] } }[] };
  return (plan.resource_changes ?? []).filter((c) => c.mode === "managed" && c.change.actions.includes("create")).length;
}

/**
 * The Namecheap provider is not available offline, so the offline profile
 * leaves its records out of the plans; instead the default synth's Namecheap
 * blocks are checked against the committed provider schema.
 */
function checkNamecheapOffline(selected: readonly string[]): string[] {
  const dir = join(OUT, "offline-namecheap");
  rmSync(dir, { recursive: true, force: true });
  synthesize({ outdir: dir, config: loadConfig({ profile: "" }) });
  const schema = loadNamecheapProviderSchema();
  const failed: string[] = [];
  for (const stack of selected) {
    const doc = JSON.parse(readFileSync(join(dir, "stacks", stack, "cdk.tf.json"), "utf8")) as { resource?: Record<string, object> };
    const problems = checkAgainstProviderSchema(doc, schema);
    const blocks = Object.keys(doc.resource ?? {}).filter((type) => type.startsWith("namecheap_")).reduce((n, type) => n + Object.keys((doc.resource as Record<string, object>)[type]).length, 0);
    if (problems.length > 0) {
      failed.push(`${stack} (namecheap schema)`);
      console.error(`plan:offline: ${stack}: Namecheap blocks do not match the provider schema:\n  ${problems.join("\n  ")}`);
    } else {
      console.log(`plan:offline: ${stack}: ${blocks} Namecheap resource(s) match the committed namecheap/namecheap 2.9.0 schema`);
    }
  }
  return failed;
}

/** The README's stack table states each stack's resource count from the plan; keep it true. */
function checkReadmeCounts(summaries: readonly PlanSummary[]): string[] {
  const readme = readFileSync(join(ROOT, "README.md"), "utf8");
  const stale: string[] = [];
  for (const { stack, resources } of summaries) {
    const row = new RegExp("^\\| `" + stack + "` \\|.*\\| (\\d+) \\|$", "m").exec(readme);
    if (row && Number(row[1]) !== resources) {
      stale.push(`${stack} (README count)`);
      console.error(`plan:offline: README.md says ${stack} creates ${row[1]} resources; the plan creates ${resources}: update the Stacks table`);
    }
  }
  return stale;
}

/** `[--config FILE] [stack…]`: a configuration file (like INFRA_CONFIG) and the stacks to plan (default: all). */
function parseArgs(args: readonly string[]): { file?: string; stacks: string[] } {
  const stacks: string[] = [];
  let file: string | undefined;
  for (let i = 0; i < args.length; i++) {
    if (args[i] === "--config") {
      file = args[++i];
      if (!file) throw new Error("--config needs a file: npm run plan:offline -- --config infra.json [stack…]");
    } else if (args[i].startsWith("--config=")) file = args[i].slice("--config=".length);
    else if (args[i].startsWith("-")) throw new Error(`unknown option ${args[i]}; usage: npm run plan:offline -- [--config FILE] [stack…]`);
    else stacks.push(args[i]);
  }
  return { file, stacks };
}

/** Plans run two at a time (this machine has 2 cores); PLAN_CONCURRENCY overrides. */
const CONCURRENCY = Math.max(1, Number(process.env.PLAN_CONCURRENCY ?? Math.min(2, cpus().length)));

async function main(): Promise<void> {
  const missing = missingOfflineTerraform();
  if (missing) {
    console.error(`plan:offline: SKIPPED — missing ${missing}`);
    process.exit(process.env.CI ? 1 : 0);
  }
  const tf = prepareOfflineTerraform(join(OUT, "terraform-offline"));
  const offlineOut = join(OUT, "offline");
  rmSync(offlineOut, { recursive: true, force: true });
  const { file, stacks: wanted } = parseArgs(process.argv.slice(2));
  const context = cdktfJsonContext();
  // The README's resource counts describe the embedded default configuration only.
  const defaultConfig = !file && !process.env.INFRA_CONFIG && context === undefined;
  const stacks = synthesize({ outdir: offlineOut, config: loadConfig({ profile: "offline", file, overrides: context }) });
  if (wanted.some((w) => !stacks.includes(w))) throw new Error(`unknown stack in ${wanted.join(", ")}; stacks: ${stacks.join(", ")}`);
  const selected = wanted.length > 0 ? stacks.filter((s) => wanted.includes(s)) : stacks;
  mkdirSync(join(OUT, "plans"), { recursive: true });
  const failures: string[] = [];
  const summaries: PlanSummary[] = [];
  const initialized: string[] = [];
  for (const stack of selected) {
    try {
      initStack(tf, join(offlineOut, "stacks", stack, "cdk.tf.json"), join(OUT, "plan-work", stack));
      initialized.push(stack);
    } catch (error) {
      failures.push(stack);
      console.error(`plan:offline: ${stack}: FAILED\n${(error as Error).message}`);
    }
  }
  const queue = [...initialized];
  const worker = async (): Promise<void> => {
    for (let stack = queue.shift(); stack !== undefined; stack = queue.shift()) {
      const started = Date.now();
      try {
        const resources = await validateAndPlan(tf, join(OUT, "plan-work", stack), join(OUT, "plans", `${stack}.json`));
        const seconds = (Date.now() - started) / 1000;
        summaries.push({ stack, resources, seconds });
        console.log(`plan:offline: ${stack}: validate ok, plan ok, ${resources} resources to create (${seconds.toFixed(1)} s) → cdktf.out/plans/${stack}.json`);
      } catch (error) {
        failures.push(stack);
        console.error(`plan:offline: ${stack}: FAILED\n${(error as Error).message}`);
      }
    }
  };
  await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  failures.push(...checkNamecheapOffline(selected));
  if (defaultConfig) failures.push(...checkReadmeCounts(summaries));
  else console.log("plan:offline: your configuration: the README's resource counts (default configuration) are not compared");
  summaries.sort((a, b) => selected.indexOf(a.stack) - selected.indexOf(b.stack));
  writeFileSync(join(OUT, "plans", "summary.json"), JSON.stringify(summaries, null, 2));
  if (failures.length > 0) {
    console.error(`plan:offline: ${failures.length} of ${selected.length} stacks failed: ${failures.join(", ")}`);
    process.exit(1);
  }
  console.log(`plan:offline: ${selected.length} stacks planned with zero errors`);
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`plan:offline: ${error.message}`);
    process.exit(1);
  });
}
