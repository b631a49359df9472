/**
 * What every warm-standby construct test needs: a tiny stack with its AWS providers, synthesized inside the test
 * body (nothing memoized, so per-test coverage sends a mutant only to the tests of its construct), and the counts of
 * what it synthesized. The part helpers (`data-`, `delivery-`, `edge-b-`, `fleet-support.ts`) shape these for their
 * tests.
 */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TfJson } from "../support/synth";

export type Res = Record<string, any>;

/** A fresh stack and its default AWS provider, in `region`. */
export function stackWithProvider(region = "us-east-1"): { stack: TerraformStack; aws: AwsProvider } {
  const stack = new TerraformStack(Testing.app(), "t");
  return { stack, aws: new AwsProvider(stack, "aws", { region }) };
}

/** A fresh stack whose default AWS provider is in `region`. */
export function newStack(region = "us-east-1"): TerraformStack {
  return stackWithProvider(region).stack;
}

/** An aliased AWS provider in `stack`; resources using it carry `provider: "aws.<alias>"`. */
export function aliasedProvider(stack: TerraformStack, alias: string, region: string): AwsProvider {
  return new AwsProvider(stack, alias, { region, alias });
}

/**
 * Synthesizes `stack`. Each entry of `outputs` first becomes an output with construct id `<idPrefix><name>`, so a
 * construct's typed attributes (tokens) show as the Terraform expressions they resolve to.
 */
export function synthJson<T extends TfJson = TfJson>(stack: TerraformStack, outputs: Record<string, unknown> = {}, idPrefix = ""): T {
  for (const [name, value] of Object.entries(outputs)) new TerraformOutput(stack, `${idPrefix}${name}`, { value, staticId: true });
  return JSON.parse(Testing.synth(stack)) as T;
}

/** Resource type → number of resources of that type in the synthesized stack. */
export function resourceCounts(json: TfJson): Record<string, number> {
  return Object.fromEntries(Object.entries(json.resource ?? {}).map(([type, byName]) => [type, Object.keys(byName).length]));
}
