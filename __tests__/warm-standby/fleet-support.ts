/** Shared by the fleet part's construct tests (auto-scaled-fleet, regional-tier, tier-firewalls, region-alarms, …). */
import { TerraformStack } from "cdktf";
import { InvalidInputError } from "../../modules/core/validation";
import { TfJson } from "../support/synth";
import { invalidInputOf } from "../support/invalid-input";
import { synthJson } from "./support";

export { newStack } from "./support";

/**
 * Synthesizes `stack`; each entry of `exposed` becomes an output whose synthesized value is returned, so a typed
 * attribute (a token) can be compared with what Terraform would see (e.g. "${aws_autoscaling_group.x.name}").
 */
export function synth(stack: TerraformStack, exposed: Record<string, unknown> = {}): { json: TfJson; values: Record<string, unknown> } {
  const json = synthJson(stack, exposed, "exposed-");
  const values = Object.fromEntries(Object.keys(exposed).map((key) => [key, json.output?.[`exposed-${key}`]?.value]));
  return { json, values };
}

/** The call throws InvalidInputError naming exactly this field, value and allowed range. */
export function expectInvalid(call: () => unknown, field: string, value: unknown, allowed: string): void {
  const error = invalidInputOf(call);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect({ field: error.field, value: error.value, allowed: error.allowed }).toEqual({ field, value, allowed });
}
