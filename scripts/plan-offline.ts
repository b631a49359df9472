/**
 * `npm run plan:offline`: synthesizes every stack with the offline profile, then
 * runs the real `terraform init`, `validate` and `plan` (AWS provider from the
 * local mirror, mock credentials, no API call) and keeps each plan as JSON in
 * cdktf.out/plans/<stack>.json. Exits non-zero if any stack fails.
 *
 * Usage: plan-offline.ts [stack ...]   (default: every stack)
 */
import { mkdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { loadConfig } from "../stacks/config";
import { synthesize } from "../stacks/synthesize";
import { OfflineTerraform, missingOfflineTerraform, prepareOfflineTerraform, terraform } from "./offline-terraform";

const ROOT = resolve(__dirname, "..");
const OUT = resolve(ROOT, process.env.CDKTF_OUTDIR ?? "cdktf.out");

export interface PlanSummary {
  readonly stack: string;
  readonly resources: number;
  readonly seconds: number;
}

/** Plans one synthesized stack; returns the plan JSON path. */
export function planStack(tf: OfflineTerraform, stackJson: string, workDir: string, planJsonPath: string): { resources: number } {
  mkdirSync(workDir, { recursive: true });
  const doc = JSON.parse(readFileSync(stackJson, "utf8"));
  // Plans never write state; a throw-away local backend keeps the user's state untouched.
  doc.terraform.backend = { local: { path: "offline-plan.tfstate" } };
  writeFileSync(join(workDir, "cdk.tf.json"), JSON.stringify(doc));
  terraform(tf, workDir, ["init", "-input=false", "-no-color"]);
  terraform(tf, workDir, ["validate", "-no-color"]);
  terraform(tf, workDir, ["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", "-out=offline.tfplan"]);
  const planJson = terraform(tf, workDir, ["show", "-json", "offline.tfplan"]);
  writeFileSync(planJsonPath, planJson);
  const plan = JSON.parse(planJson) as { resource_changes?: { mode: string; change: { actions: string[] } }[] };
  const resources = (plan.resource_changes ?? []).filter((c) => c.mode === "managed" && c.change.actions.includes("create")).length;
  return { resources };
}

function main(): void {
  const missing = missingOfflineTerraform();
  if (missing) {
    console.error(`plan:offline: SKIPPED — missing ${missing}`);
    process.exit(process.env.CI ? 1 : 0);
  }
  const tf = prepareOfflineTerraform(join(OUT, "terraform-offline"));
  const offlineOut = join(OUT, "offline");
  rmSync(offlineOut, { recursive: true, force: true });
  const stacks = synthesize({ outdir: offlineOut, config: loadConfig({ profile: "offline" }) });
  const wanted = process.argv.slice(2);
  const selected = wanted.length > 0 ? stacks.filter((s) => wanted.includes(s)) : stacks;
  if (wanted.some((w) => !stacks.includes(w))) throw new Error(`unknown stack in ${wanted.join(", ")}; stacks: ${stacks.join(", ")}`);
  mkdirSync(join(OUT, "plans"), { recursive: true });
  const failures: string[] = [];
  const summaries: PlanSummary[] = [];
  for (const stack of selected) {
    const started = Date.now();
    try {
      const { resources } = planStack(tf, join(offlineOut, "stacks", stack, "cdk.tf.json"), join(OUT, "plan-work", stack), join(OUT, "plans", `${stack}.json`));
      const seconds = (Date.now() - started) / 1000;
      summaries.push({ stack, resources, seconds });
      console.log(`plan:offline: ${stack}: validate ok, plan ok, ${resources} resources to create (${seconds.toFixed(1)} s) → cdktf.out/plans/${stack}.json`);
    } catch (error) {
      failures.push(stack);
      console.error(`plan:offline: ${stack}: FAILED\n${(error as Error).message}`);
    }
  }
  writeFileSync(join(OUT, "plans", "summary.json"), JSON.stringify(summaries, null, 2));
  if (failures.length > 0) {
    console.error(`plan:offline: ${failures.length} of ${selected.length} stacks failed: ${failures.join(", ")}`);
    process.exit(1);
  }
  console.log(`plan:offline: ${selected.length} stacks planned with zero errors`);
}

if (require.main === module) main();

