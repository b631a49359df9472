/**
 * A stack of three blocks (a public load-balancer security group, an instance, a provider) for the
 * suppression tests, synthesized in full (aspects, validations, `//` metadata) into temp dirs that are
 * removed after the file's tests.
 */
import * as fs from "fs";
import * as path from "path";
import { TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";

export const REASON = "public entry point: the load balancers serve 80/443 to everyone";

export function tinyStack() {
  const app = Testing.app();
  const stack = new TerraformStack(app, "tiny");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const lb = new Construct(stack, "lb");
  new SecurityGroup(lb, "sg", {
    description: "load balancer: 443 from the internet",
    ingress: [{ description: "HTTPS", fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
  });
  const web = new Instance(stack, "web", {
    ami: "ami-12345678", instanceType: "t3.micro",
    metadataOptions: { httpTokens: "required", httpPutResponseHopLimit: 1 },
    rootBlockDevice: { encrypted: true, volumeType: "gp3" },
  });
  return { app, stack, lb, web };
}

/** Full synth into a temp dir (keeps `//` metadata, runs aspects and validations), returns the parsed JSON. */
export const outdirs: string[] = [];
export function synthJson(stack: TerraformStack): Record<string, any> {
  const outdir = Testing.fullSynth(stack);
  outdirs.push(outdir);
  return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", stack.node.id, "cdk.tf.json"), "utf8"));
}
afterAll(() => outdirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
