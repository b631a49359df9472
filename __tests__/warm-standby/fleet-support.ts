/** Shared by the fleet part's construct tests (auto-scaled-fleet, regional-tier, tier-firewalls, region-alarms, …). */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { InvalidInputError } from "../../modules/core/validation";
import { TfJson } from "../support/synth";
import { invalidInputOf } from "../support/invalid-input";

/** A fresh stack with a default AWS provider in us-east-1. */
export function newStack(): TerraformStack {
  const stack = new TerraformStack(Testing.app(), "t");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  return stack;
}

/**
 * Synthesizes `stack`; each entry of `exposed` becomes an output whose synthesized value is returned, so a typed
 * attribute (a token) can be compared with what Terraform would see (e.g. "${aws_autoscaling_group.x.name}").
 */
export function synth(stack: TerraformStack, exposed: Record<string, unknown> = {}): { json: TfJson; values: Record<string, unknown> } {
  for (const [key, value] of Object.entries(exposed)) new TerraformOutput(stack, `exposed-${key}`, { value });
  const json = JSON.parse(Testing.synth(stack)) as TfJson;
  const values = Object.fromEntries(Object.keys(exposed).map((key) => [key, json.output?.[`exposed-${key}`]?.value]));
  return { json, values };
}

/** The call throws InvalidInputError naming exactly this field, value and allowed range. */
export function expectInvalid(call: () => unknown, field: string, value: unknown, allowed: string): void {
  const error = invalidInputOf(call);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect({ field: error.field, value: error.value, allowed: error.allowed }).toEqual({ field, value, allowed });
}
