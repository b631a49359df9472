/** Tiny-stack helpers for the edge-b construct tests (dns-validated-certificate, https-load-balancer, application-zone, access-log-bucket). */
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TfJson, resourcesOf } from "../support/synth";

export type Res = Record<string, any>;

/** A fresh stack with the default AWS provider (us-east-1). Call inside the test body. */
export function newStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "t");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  return stack;
}

/** An aliased AWS provider in `stack`; resources using it carry `provider: "aws.<alias>"`. */
export function aliasedProvider(stack: TerraformStack, alias: string, region: string): AwsProvider {
  return new AwsProvider(stack, alias, { region, alias });
}

export function synth(stack: TerraformStack): TfJson {
  return JSON.parse(Testing.synth(stack)) as TfJson;
}

/** The config of the only resource of `type`; fails when there is none or several. */
export function only(json: TfJson, type: string): Res {
  const found = resourcesOf(json, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}: ${found.map(([n]) => n).join(", ")}`);
  return found[0][1];
}

/** Resource type → number of resources of that type in the synthesized stack. */
export function resourceCounts(json: TfJson): Record<string, number> {
  return Object.fromEntries(Object.entries(json.resource ?? {}).map(([type, byName]) => [type, Object.keys(byName).length]));
}

/** Terraform reference text of the only resource of `type`'s attribute, e.g. "${aws_lb.x.arn}". */
export function refOf(json: TfJson, type: string, attr: string): string {
  const found = resourcesOf(json, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return `\${${type}.${found[0][0]}.${attr}}`;
}

/** The InvalidInputError thrown by a call (the shared helper under the name these tests use). */
export { invalidInputOf as inputError } from "../support/invalid-input";
