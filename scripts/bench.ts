/**
 * `npm run bench`: CPU time, wall time and peak memory of synthesis, each case in a
 * fresh Node process running the compiled JavaScript (as `npm run synth` and
 * `cdktf synth` do; scripts/synth-app.js rebuilds what changed first):
 *   - the floor: cdktf loaded and one stack with one instance synthesized;
 *   - every project stack (target ≤ 3× the floor's CPU, ≤ 150 MB peak);
 *   - one stack holding a fleet of 100 and of 1000 hardened instances (1000 ≤ 2 s);
 * then a CPU profile of the all-stacks case summarized by where the time goes.
 * A speed check, not a test: it prints numbers and flags a missed target.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

const ROOT = resolve(__dirname, "..");

interface Measurement {
  readonly label: string;
  readonly seconds: number;
  readonly cpuSeconds: number;
  readonly peakMb: number;
  readonly resources: number;
}

/** Child mode: synthesize one case, then report peak RSS and resource count. */
function child(kind: string, outdir: string): void {
  let resources = 0;
  if (kind === "floor") {
    resources = floorStack(outdir);
  } else if (kind === "all") {
    const { synthesize } = require("../stacks/synthesize") as typeof import("../stacks/synthesize");
    for (const name of synthesize({ outdir })) resources += countResources(join(outdir, "stacks", name, "cdk.tf.json"));
  } else {
    resources = fleetStack(Number(kind.split(":")[1]), outdir);
  }
  const usage = process.resourceUsage();
  process.stdout.write(JSON.stringify({ peakMb: usage.maxRSS / 1024, cpuSeconds: (usage.userCPUTime + usage.systemCPUTime) / 1e6, resources }));
}

/** The floor: what any cdktf app pays — cdktf and one resource binding loaded, one stack with one instance synthesized. */
function floorStack(outdir: string): number {
  const { App, TerraformStack } = require("cdktf") as typeof import("cdktf");
  const { AwsProvider } = require("@cdktf/provider-aws/lib/provider") as typeof import("@cdktf/provider-aws/lib/provider");
  const { Instance } = require("@cdktf/provider-aws/lib/instance") as typeof import("@cdktf/provider-aws/lib/instance");
  const app = new App({ outdir, stackTraces: false });
  const stack = new TerraformStack(app, "floor");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new Instance(stack, "one", { ami: "ami-0123456789abcdef0", instanceType: "t3.micro" });
  app.synth();
  return countResources(join(outdir, "stacks", "floor", "cdk.tf.json"));
}

/** One VPC and `count` hardened instances sharing a role, spread over two AZs. */
function fleetStack(count: number, outdir: string): number {
  const { App, TerraformStack } = require("cdktf") as typeof import("cdktf");
  const { AwsProvider } = require("@cdktf/provider-aws/lib/provider") as typeof import("@cdktf/provider-aws/lib/provider");
  const { Network } = require("../modules/network") as typeof import("../modules/network");
  const { HardenedInstance, HostRole } = require("../modules/compute") as typeof import("../modules/compute");
  const { Firewall } = require("../modules/firewall") as typeof import("../modules/firewall");
  const { withCheapStackTraces } = require("../stacks/synthesize") as typeof import("../stacks/synthesize");
  withCheapStackTraces(() => {
    const app = new App({ outdir, stackTraces: false });
    const stack = new TerraformStack(app, "fleet");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const network = new Network(stack, "network", { name: "bench", region: "us-east-1", cidr: "10.0.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"] });
    const firewall = new Firewall(stack, "fleet", { vpcId: network.vpcId, name: "fleet", description: "Benchmark fleet hosts" });
    const role = new HostRole(stack, "role", { name: "bench-fleet" });
    const subnets = network.subnetIds("private-app");
    for (let i = 0; i < count; i++) {
      new HardenedInstance(stack, `web-${i}`, {
        name: `bench-web-${i}`,
        role: "web",
        instanceType: "t3.micro",
        ami: "ami-0123456789abcdef0",
        subnetId: subnets[i % subnets.length],
        securityGroupIds: [firewall.securityGroupId],
        hostRole: role,
        userData: "#cloud-config\n{}\n",
      });
    }
    app.synth();
  });
  return countResources(join(outdir, "stacks", "fleet", "cdk.tf.json"));
}

function countResources(file: string): number {
  const { readFileSync } = require("fs") as typeof import("fs");
  const doc = JSON.parse(readFileSync(file, "utf8")) as { resource: Record<string, object> };
  return Object.values(doc.resource).reduce((n, byName) => n + Object.keys(byName).length, 0);
}

/** The compiled bench (scripts/synth-app.js keeps .build/app current). */
const COMPILED_BENCH = join(ROOT, ".build", "app", "scripts", "bench.js");

function measure(label: string, kind: string, nodeArgs: string[] = []): Measurement {
  const outdir = mkdtempSync(join(tmpdir(), "bench-"));
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, [...nodeArgs, COMPILED_BENCH, "--child", kind, outdir], { cwd: ROOT, encoding: "utf8", env: { ...process.env, INFRA_CONFIG: "", INFRA_PROFILE: "" } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(outdir, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`bench ${label} failed:\n${run.stderr}`);
  const { peakMb, cpuSeconds, resources } = JSON.parse(run.stdout) as { peakMb: number; cpuSeconds: number; resources: number };
  return { label, seconds, cpuSeconds, peakMb, resources };
}

interface ProfileNode { id: number; callFrame: { url: string; functionName: string }; children?: number[] }

/** Self time of a V8 CPU profile grouped by package (or project folder), largest first. */
function profileSummary(): string[] {
  const dir = mkdtempSync(join(tmpdir(), "bench-prof-"));
  try {
    measure("profile", "all", ["--cpu-prof", `--cpu-prof-dir=${dir}`]);
    const file = readdirSync(dir).find((f) => f.endsWith(".cpuprofile"));
    if (!file) return ["(no profile written)"];
    const profile = JSON.parse(readFileSync(join(dir, file), "utf8")) as { nodes: ProfileNode[]; samples: number[]; timeDeltas: number[] };
    const byId = new Map(profile.nodes.map((n) => [n.id, n]));
    const totals = new Map<string, number>();
    profile.samples.forEach((id, i) => {
      const group = groupOf(byId.get(id)!);
      totals.set(group, (totals.get(group) ?? 0) + (profile.timeDeltas[i] ?? 0));
    });
    const all = [...totals.values()].reduce((a, b) => a + b, 0);
    return [...totals.entries()].sort((a, b) => b[1] - a[1]).slice(0, 8)
      .map(([group, us]) => `${((100 * us) / all).toFixed(0).padStart(3)} %  ${group}`);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function groupOf(node: ProfileNode): string {
  const url = node.callFrame.url;
  if (!url) return `(${node.callFrame.functionName || "program"}: V8 — garbage collection, idle, native)`;
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)\/(?:lib\/)?([^/]+)?/.exec(url);
  if (pkg) return pkg[1] === "@cdktf/provider-aws" ? "@cdktf/provider-aws (resource bindings: load + toTerraform)" : pkg[1] === "cdktf" ? `cdktf/${(pkg[2] ?? "").replace(/\.js$/, "")}` : pkg[1];
  if (url.startsWith("node:")) return "node internals (module loading, fs)";
  const local = /\.build\/app\/([^/]+(?:\/[^/]+)?)/.exec(url);
  return local ? `project: ${local[1]}` : url;
}

function main(): void {
  (require(join(ROOT, "scripts", "synth-app.js")) as { ensureBuilt(): number }).ensureBuilt();
  const rows = [measure("floor (cdktf + 1 instance)", "floor"), measure("all project stacks", "all"),
    measure("fleet of 100 instances", "fleet:100"), measure("fleet of 1000 instances", "fleet:1000")];
  const floor = rows[0];
  const targets: Record<string, [string, (m: Measurement) => boolean]> = {
    "all project stacks": ["≤ 3× floor CPU, ≤ 150 MB", (m) => m.cpuSeconds <= 3 * floor.cpuSeconds && m.peakMb <= 150],
    "fleet of 1000 instances": ["≤ 2 s", (m) => m.seconds <= 2],
  };
  console.log("case                          CPU (s)  ×floor  wall (s)  peak RSS (MB)  resources  target");
  for (const m of rows) {
    const target = targets[m.label];
    const verdict = target ? `${target[0]}: ${target[1](m) ? "met" : "MISSED"}` : "-";
    console.log(`${m.label.padEnd(28)} ${m.cpuSeconds.toFixed(2).padStart(8)} ${(m.cpuSeconds / floor.cpuSeconds).toFixed(1).padStart(7)} ${m.seconds.toFixed(2).padStart(9)} ${m.peakMb.toFixed(0).padStart(14)} ${String(m.resources).padStart(10)}  ${verdict}`);
  }
  console.log("where the all-stacks time goes (share of V8 CPU-profile samples by self time; idle and GC shown as V8):");
  for (const line of profileSummary()) console.log(`  ${line}`);
  const [, , hundred, thousand] = rows;
  const perInstance = (thousand.seconds - hundred.seconds) / 900;
  console.log(`marginal cost: ${(perInstance * 1000).toFixed(2)} ms per instance (100 → 1000: ×${(thousand.seconds / hundred.seconds).toFixed(1)} time for ×10 instances)`);
}

if (process.argv[2] === "--child") child(process.argv[3], process.argv[4]);
else main();
