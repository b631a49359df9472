/**
 * `npm run example:consumer`: proves the package works for another team, from a clean
 * temporary directory, the way they would install it.
 *
 *   1. `npm pack` (the prepack script builds dist/) → the tarball a registry would serve;
 *   2. copies examples/consumer (its own package.json and lockfile) into a temp dir, `npm ci`;
 *   3. tarball run: installs the tarball, type-checks and compiles the consumer's main.ts,
 *      synthesizes (the policy gate runs inside app.synth()), checks the Namecheap blocks
 *      against the provider schema, and plans the stack offline (terraform init/validate/plan
 *      against the local provider mirror, mock credentials);
 *   4. directory run: installs this directory instead (npm makes a symlink, so the package
 *      loads its own copy of cdktf), synthesizes again: the policy result must be identical;
 * Steps 1–4 use npm's cache only (--offline), so they run without network.
 *   5. with --peers: type-checks the consumer against the lowest and the highest versions of
 *      the peer dependency ranges in package.json (installed from the npm registry).
 *
 * Usage: consumer-example.ts [--peers] [--keep]
 * Without Terraform or the mirror the plan step prints SKIPPED; with CI set it fails instead.
 */
import { execFileSync } from "child_process";
import { copyFileSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { checkAgainstProviderSchema, loadNamecheapProviderSchema } from "../modules/dns";
import { initStack, validateAndPlan } from "./plan-offline";
import { missingOfflineTerraform, prepareOfflineTerraform } from "./offline-terraform";

const ROOT = resolve(__dirname, "..");
const EXAMPLE = join(ROOT, "examples", "consumer");
const STACK = "shop";
/** The proof installs from npm's cache only (no network in tests: `npm ci` of this project filled it with the same pins). */
const NPM_FLAGS = ["--offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"];
/** --peers asks the registry for versions this project does not use itself. */
const NPM_REGISTRY_FLAGS = ["--prefer-offline", "--no-audit", "--no-fund", "--ignore-scripts", "--loglevel=error"];

/** What the proof compares between the two installs: every finding's rule, address and status, and the suppressions. */
export interface PolicyResult {
  readonly summary: { errors: number; warnings: number; suppressed: number };
  readonly findings: string[];
  readonly suppressions: string[];
}

function log(message: string): void {
  console.log(`example:consumer: ${message}`);
}

function run(cmd: string, args: string[], cwd: string, env: NodeJS.ProcessEnv = process.env): string {
  try {
    return execFileSync(cmd, args, { cwd, env, encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: 64 * 1024 * 1024 });
  } catch (error) {
    const e = error as { stdout?: string; stderr?: string; message: string };
    throw new Error(`${cmd} ${args.join(" ")} failed in ${cwd}:\n${e.stderr || ""}${e.stdout || ""}`.trim());
  }
}

const npm = (args: string[], cwd: string) => run("npm", args, cwd);

function packTarball(dest: string): string {
  mkdirSync(dest, { recursive: true });
  npm(["pack", "--pack-destination", dest, "--loglevel=error"], ROOT);
  const tgz = readdirSync(dest).find((f) => f.endsWith(".tgz"));
  if (!tgz) throw new Error(`npm pack wrote no tarball into ${dest}`);
  return join(dest, tgz);
}

/** A fresh copy of the example project with its locked dependencies installed. */
function prepareProject(work: string): string {
  const project = join(work, "consumer");
  mkdirSync(project, { recursive: true });
  for (const file of ["package.json", "package-lock.json", "tsconfig.json", "cdktf.json", "main.ts"]) {
    copyFileSync(join(EXAMPLE, file), join(project, file));
  }
  npm(["ci", ...NPM_FLAGS], project);
  return project;
}

function install(project: string, what: string): void {
  rmSync(join(project, "node_modules", "staged-web-platform"), { recursive: true, force: true });
  // --legacy-peer-deps: npm 11.19 refuses this install with ERESOLVE, reporting the consumer's installed
  // @cdktf/provider-aws 20.1.0 as "@undefined" against the package's ^20.0.0 peer range (it fails the same way for
  // the tarball of the last landed commit). The consumer pins every peer itself, so npm has none to add; the compile
  // and synth below prove the package works with them.
  npm(["install", "--no-save", ...NPM_FLAGS, "--legacy-peer-deps", what], project);
}

/** Type-checks and compiles main.ts (the consumer's own tsc), then synthesizes into `outdir`. */
function synth(project: string, outdir: string): PolicyResult {
  run(process.execPath, [join(project, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json"], project);
  rmSync(outdir, { recursive: true, force: true });
  run(process.execPath, [join(project, "dist", "main.js")], project, { ...process.env, CDKTF_OUTDIR: outdir });
  const report = JSON.parse(readFileSync(join(outdir, "policy.json"), "utf8")) as {
    summary: PolicyResult["summary"];
    stacks: { findings: { status: string; ruleId: string; address: string }[]; suppressions: { ruleId: string; address: string; used: boolean }[] }[];
  };
  return {
    summary: report.summary,
    findings: report.stacks.flatMap((s) => s.findings.map((f) => `${f.status} ${f.ruleId} ${f.address}`)).sort(),
    suppressions: report.stacks.flatMap((s) => s.suppressions.map((x) => `${x.ruleId} ${x.address} used=${x.used}`)).sort(),
  };
}

/** Namecheap has no provider binary offline: its blocks are checked against the committed schema, then left out of the plan. */
async function planOffline(outdir: string, work: string): Promise<number | undefined> {
  const stackFile = join(outdir, "stacks", STACK, "cdk.tf.json");
  const doc = JSON.parse(readFileSync(stackFile, "utf8"));
  const problems = checkAgainstProviderSchema(doc, loadNamecheapProviderSchema());
  if (problems.length > 0) throw new Error(`Namecheap blocks do not match the provider schema:\n  ${problems.join("\n  ")}`);
  const namecheapBlocks = Object.keys(doc.resource ?? {}).filter((t) => t.startsWith("namecheap_"));
  if (namecheapBlocks.length === 0) throw new Error("the consumer stack has no Namecheap records");
  log(`Namecheap blocks (${namecheapBlocks.join(", ")}) match the committed provider schema`);

  const missing = missingOfflineTerraform();
  if (missing) {
    if (process.env.CI) throw new Error(`offline plan needs ${missing}`);
    log(`offline plan SKIPPED — missing ${missing}`);
    return undefined;
  }
  for (const type of namecheapBlocks) delete doc.resource[type];
  delete doc.provider.namecheap;
  delete doc.terraform.required_providers.namecheap;
  // The offline profile's provider flags: mock credentials are never checked against STS.
  for (const provider of doc.provider.aws as Record<string, unknown>[]) {
    Object.assign(provider, { skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: "true" });
  }
  const awsOnly = join(work, "plan-input.tf.json");
  writeFileSync(awsOnly, JSON.stringify(doc));
  const tf = prepareOfflineTerraform(join(work, "terraform-offline"));
  const planDir = join(work, "plan");
  initStack(tf, awsOnly, planDir);
  return validateAndPlan(tf, planDir, join(work, "plan.json"));
}

/** The lowest and highest versions the peer ranges admit, from the registry. */
function peerEnds(): { label: string; versions: Record<string, string> }[] {
  const peers = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8")).peerDependencies as Record<string, string>;
  const low: Record<string, string> = {};
  const high: Record<string, string> = {};
  for (const [name, range] of Object.entries(peers)) {
    const versions = JSON.parse(npm(["view", `${name}@${range}`, "version", "--json"], ROOT)) as string | string[];
    const list = Array.isArray(versions) ? versions : [versions];
    low[name] = list[0];
    high[name] = list[list.length - 1];
  }
  return [{ label: "lowest", versions: low }, { label: "highest", versions: high }];
}

function typeCheckPeers(project: string, tgz: string): void {
  for (const { label, versions } of peerEnds()) {
    const specs = Object.entries(versions).map(([n, v]) => `${n}@${v}`);
    npm(["install", "--no-save", ...NPM_REGISTRY_FLAGS, ...specs, tgz], project);
    run(process.execPath, [join(project, "node_modules", "typescript", "bin", "tsc"), "-p", "tsconfig.json", "--noEmit"], project);
    log(`type-check against the ${label} peer versions (${specs.join(", ")}): OK`);
  }
}

function sameResult(a: PolicyResult, b: PolicyResult): boolean {
  return JSON.stringify(a) === JSON.stringify(b);
}

async function main(): Promise<void> {
  const args = process.argv.slice(2);
  const work = mkdtempSync(join(tmpdir(), "consumer-example-"));
  try {
    const started = Date.now();
    const tgz = packTarball(join(work, "pack"));
    log(`packed ${tgz}`);
    const project = prepareProject(work);

    install(project, tgz);
    const fromTarball = synth(project, join(work, "out-tarball"));
    log(`tarball install: policy ${JSON.stringify(fromTarball.summary)}\n  ${fromTarball.findings.join("\n  ")}`);
    if (fromTarball.summary.errors !== 0) throw new Error(`policy errors from the tarball install: ${fromTarball.findings.join("; ")}`);
    const created = await planOffline(join(work, "out-tarball"), work);
    if (created !== undefined) log(`offline plan of ${STACK}: terraform validate OK, plan creates ${created} resources`);

    install(project, ROOT);
    const fromDirectory = synth(project, join(work, "out-directory"));
    log(`directory install (symlink, the package's own cdktf copy): policy ${JSON.stringify(fromDirectory.summary)}`);
    if (!sameResult(fromTarball, fromDirectory)) {
      throw new Error(`policy results differ:\n tarball:   ${JSON.stringify(fromTarball)}\n directory: ${JSON.stringify(fromDirectory)}`);
    }
    log("same policy result from both installs");

    if (args.includes("--peers")) typeCheckPeers(project, tgz);
    log(`done in ${((Date.now() - started) / 1000).toFixed(0)} s`);
  } finally {
    if (args.includes("--keep")) log(`kept ${work}`);
    else rmSync(work, { recursive: true, force: true });
  }
}

if (require.main === module) {
  main().catch((error: Error) => {
    console.error(`example:consumer: FAILED — ${error.message}`);
    process.exit(1);
  });
}
