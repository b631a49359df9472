/** Synthesis without cdktf's preparing pass (stacks/independent-stacks.ts): the same JSON, and cross-stack references refused. */
import { mkdtempSync, readdirSync, readFileSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { App, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { buildStacks } from "../../stacks";
import { synthIndependentStacks } from "../../stacks/independent-stacks";
import { InvalidInputError } from "../../modules/core/validation";
import { testConfig } from "../support/synth";

const outdirs: string[] = [];
function newApp(): App {
  const outdir = mkdtempSync(join(tmpdir(), "independent-stacks-"));
  outdirs.push(outdir);
  return new App({ outdir, stackTraces: false });
}
afterAll(() => outdirs.forEach((d) => rmSync(d, { recursive: true, force: true })));

const stackFiles = (app: App) =>
  Object.fromEntries(readdirSync(join(app.outdir, "stacks")).map((name) => [name, readFileSync(join(app.outdir, "stacks", name, "cdk.tf.json"), "utf8")]));

/** Stack "consumer" puts a subnet into stack "network"'s VPC. */
function crossStackApp(): { app: App; network: TerraformStack; consumer: TerraformStack } {
  const app = newApp();
  const network = new TerraformStack(app, "network");
  new AwsProvider(network, "aws", { region: "us-east-1" });
  const vpc = new Vpc(network, "vpc", { cidrBlock: "10.0.0.0/16" });
  const consumer = new TerraformStack(app, "consumer");
  new AwsProvider(consumer, "aws", { region: "us-east-1" });
  new Subnet(consumer, "subnet", { vpcId: vpc.id, cidrBlock: "10.0.1.0/24" });
  return { app, network, consumer };
}

describe("synthIndependentStacks", () => {
  test("writes byte for byte the JSON App.synth() writes, for every stack of the default configuration", () => {
    const withPreparation = newApp();
    buildStacks(withPreparation, testConfig());
    withPreparation.synth();
    const without = newApp();
    buildStacks(without, testConfig());
    synthIndependentStacks(without);
    const expected = stackFiles(withPreparation);
    expect(Object.keys(expected)).toHaveLength(5);
    expect(stackFiles(without)).toEqual(expected);
  });

  test("refuses a reference from one stack to another, naming both stacks and the block", () => {
    const { app } = crossStackApp();
    expect(() => synthIndependentStacks(app)).toThrow(InvalidInputError);
    expect(() => synthIndependentStacks(crossStackApp().app)).toThrow(
      /stack consumer: "a reference to aws_vpc\.vpc\.id of stack network" is not allowed; expected references to its own blocks only/,
    );
  });

  test("leaves cdktf as it was, after an error too: App.synth() still wires a cross-stack reference", () => {
    const refused = crossStackApp();
    expect(() => synthIndependentStacks(refused.app)).toThrow(InvalidInputError);
    expect(Object.prototype.hasOwnProperty.call(refused.network, "prepareStack")).toBe(false);
    const { app } = crossStackApp();
    app.synth();
    const consumer = JSON.parse(stackFiles(app).consumer);
    expect(consumer.resource.aws_subnet.subnet.vpc_id).toMatch(/^\$\{data\.terraform_remote_state\.cross-stack-reference-input-network\.outputs\./);
  });
});
