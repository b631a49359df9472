/**
 * Shared helpers of the delivery part's construct-level tests (container registry, delivery path, delivery role,
 * release pointer): a tiny stack with a primary and a DR AWS provider, synthesized inside each test.
 */
import { TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { TfJson, resourcesOf } from "../support/synth";
import { Res, aliasedProvider, resourceCounts, stackWithProvider, synthJson } from "./support";

export type { Res };

export const PRIMARY = "us-east-1";
export const DR = "us-west-2";
export const ACCOUNT = "123456789012";

export interface Built {
  stack: TerraformStack;
  /** The default AWS provider (primary region). */
  aws: AwsProvider;
  /** A second AWS provider, alias "dr", in the DR region. */
  dr: AwsProvider;
}

/** A fresh stack with two AWS providers; `build` adds the construct, and may return values to expose as outputs. */
export function synthWith(build: (b: Built) => Record<string, unknown> | void): TfJson {
  const built = scopeWith();
  const json = synthJson(built.stack, build(built) ?? {}, "out-");
  // Outputs by the names `build` gave them (their construct ids carry a prefix so they cannot clash with the providers').
  if (json.output) json.output = Object.fromEntries(Object.entries(json.output).map(([id, o]) => [id.replace(/^out-/, ""), o]));
  return json;
}

/** Just the construct tree, without synthesis (for validation errors). */
export function scopeWith(): Built {
  const { stack, aws } = stackWithProvider(PRIMARY);
  return { stack, aws, dr: aliasedProvider(stack, "dr", DR) };
}

/** The one resource of a type whose Terraform name contains `part`, as [name, config]. */
export function one(json: TfJson, type: string, part = ""): [string, Res] {
  const found = resourcesOf(json, type).filter(([name]) => name.includes(part));
  if (found.length !== 1) throw new Error(`expected one ${type} named *${part}*, found ${found.map(([n]) => n).join(", ") || "none"}`);
  return found[0];
}

/** Reference string of a resource attribute, as cdktf writes it. */
export function refOf(type: string, name: string, attr: string): string {
  return `\${${type}.${name}.${attr}}`;
}

/** Resource types and counts of a synthesized stack. */
export const inventory = resourceCounts;

