/**
 * The fleet case of `npm run bench`, bundled and run like main.ts (scripts/synth-app.js
 * --entry bench-fleet): one VPC and BENCH_FLEET_COUNT hardened instances sharing a role
 * and a security group, spread over two AZs, synthesized into CDKTF_OUTDIR the way
 * stacks/synthesize.ts does it.
 */
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Network } from "../../modules/network";
import { HardenedInstance, HostRole } from "../../modules/compute";
import { Firewall } from "../../modules/firewall";
import { withCheapStackTraces } from "../../stacks/synthesize";
import { synthIndependentStacks } from "../../stacks/independent-stacks";

const count = Number(process.env.BENCH_FLEET_COUNT);
if (!Number.isInteger(count) || count < 1) throw new Error(`BENCH_FLEET_COUNT must be a positive integer, got "${process.env.BENCH_FLEET_COUNT}"`);

withCheapStackTraces(() => {
  const app = new App({ outdir: process.env.CDKTF_OUTDIR, stackTraces: false });
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
  synthIndependentStacks(app);
});
