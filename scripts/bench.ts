/**
 * `npm run bench`: wall time and peak memory of synthesis, each case in a fresh
 * Node process (as a pipeline runs it, module loading included).
 *   - every project stack (target ≤ 3 s, ≤ 300 MB on a 2-core machine)
 *   - one stack holding a fleet of 100 and of 1000 hardened instances (1000 ≤ 5 s; growth linear)
 * A speed check, not a test: it prints numbers and flags a missed target.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";

const ROOT = resolve(__dirname, "..");

interface Measurement {
  readonly label: string;
  readonly seconds: number;
  readonly peakMb: number;
  readonly resources: number;
}

/** Child mode: synthesize one case, then report peak RSS and resource count. */
function child(kind: string, outdir: string): void {
  let resources = 0;
  if (kind === "all") {
    const { synthesize } = require("../stacks/synthesize") as typeof import("../stacks/synthesize");
    for (const name of synthesize({ outdir })) resources += countResources(join(outdir, "stacks", name, "cdk.tf.json"));
  } else {
    resources = fleetStack(Number(kind.split(":")[1]), outdir);
  }
  process.stdout.write(JSON.stringify({ peakMb: process.resourceUsage().maxRSS / 1024, resources }));
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

function measure(label: string, kind: string): Measurement {
  const outdir = mkdtempSync(join(tmpdir(), "bench-"));
  const started = process.hrtime.bigint();
  const run = spawnSync(process.execPath, ["node_modules/ts-node/dist/bin.js", "--swc", "scripts/bench.ts", "--child", kind, outdir], { cwd: ROOT, encoding: "utf8", env: { ...process.env, INFRA_CONFIG: "", INFRA_PROFILE: "" } });
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  rmSync(outdir, { recursive: true, force: true });
  if (run.status !== 0) throw new Error(`bench ${label} failed:\n${run.stderr}`);
  const { peakMb, resources } = JSON.parse(run.stdout) as { peakMb: number; resources: number };
  return { label, seconds, peakMb, resources };
}

function main(): void {
  const rows = [measure("all project stacks", "all"), measure("fleet of 100 instances", "fleet:100"), measure("fleet of 1000 instances", "fleet:1000")];
  const targets: Record<string, (m: Measurement) => boolean> = {
    "all project stacks": (m) => m.seconds <= 3 && m.peakMb <= 300,
    "fleet of 1000 instances": (m) => m.seconds <= 5,
  };
  console.log("case                        wall (s)   peak RSS (MB)   resources   target");
  for (const m of rows) {
    const target = targets[m.label];
    const verdict = target ? (target(m) ? "met" : "MISSED") : "-";
    console.log(`${m.label.padEnd(27)} ${m.seconds.toFixed(2).padStart(8)}   ${m.peakMb.toFixed(0).padStart(13)}   ${String(m.resources).padStart(9)}   ${verdict}`);
  }
  const [, hundred, thousand] = rows;
  const perInstance = (thousand.seconds - hundred.seconds) / 900;
  console.log(`marginal cost: ${(perInstance * 1000).toFixed(2)} ms per instance (100 → 1000: ×${(thousand.seconds / hundred.seconds).toFixed(1)} time for ×10 instances)`);
}

if (process.argv[2] === "--child") child(process.argv[3], process.argv[4]);
else main();
