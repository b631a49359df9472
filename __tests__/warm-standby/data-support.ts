/**
 * Shared helpers of the construct-level tests of the warm-standby data tier (part `data`: the database,
 * its replicated secret, its private names, Redis and AWS Backup). Each test builds its own tiny stack and
 * synthesizes it inside the test body; nothing here is memoized.
 */
import { TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TfJson, resourcesOf } from "../support/synth";
import { Res, aliasedProvider, newStack, resourceCounts, synthJson } from "./support";

export type { Res };
export type DataJson = TfJson & { ephemeral?: Record<string, Record<string, Res>>; locals?: Record<string, unknown> };

/** A stack with a default provider (eu-central-1) and two aliased ones: `aws.primary` (us-east-1) and `aws.dr` (us-west-2). */
export function twoRegionStack(): { stack: TerraformStack; primary: AwsProvider; dr: AwsProvider } {
  const stack = newStack("eu-central-1");
  return { stack, primary: aliasedProvider(stack, "primary", "us-east-1"), dr: aliasedProvider(stack, "dr", "us-west-2") };
}

/** Synthesizes `stack`; each entry of `outputs` becomes an output, so a construct's typed attributes show as Terraform expressions. */
export function synth(stack: TerraformStack, outputs: Record<string, unknown> = {}): DataJson {
  return synthJson<DataJson>(stack, outputs);
}

/** The output values of a synthesized stack. */
export function outputsOf(json: DataJson): Record<string, unknown> {
  return Object.fromEntries(Object.entries(json.output ?? {}).map(([name, output]) => [name, output.value]));
}

/** The configs of every resource of a type, in the order of their names. */
export function configsOf(json: DataJson, type: string): Res[] {
  return resourcesOf(json, type)
    .sort(([a], [b]) => a.localeCompare(b))
    .map(([, config]) => config);
}

/** The one resource of a type whose logical name starts with `prefix` (e.g. "db_dr-replica_instance"). */
export function resourceNamed(json: DataJson, type: string, prefix: string): Res {
  const found = resourcesOf(json, type).filter(([name]) => name.startsWith(`${prefix}_`));
  if (found.length !== 1) throw new Error(`expected one ${type} named ${prefix}_…, found ${found.length}`);
  return found[0][1];
}

/** Logical name of the one resource of a type whose name starts with `prefix`. */
export function logicalName(json: DataJson, type: string, prefix: string): string {
  const found = resourcesOf(json, type).filter(([name]) => name.startsWith(`${prefix}_`));
  if (found.length !== 1) throw new Error(`expected one ${type} named ${prefix}_…, found ${found.length}`);
  return found[0][0];
}

/** "${type.name.attr}" of the one resource of `type` named `prefix_…`. */
export function refTo(json: DataJson, type: string, prefix: string, attr: string): string {
  return `\${${type}.${logicalName(json, type, prefix)}.${attr}}`;
}

/** Counts of every resource type. */
export const inventory = resourceCounts;
