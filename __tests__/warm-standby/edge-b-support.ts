/** Tiny-stack helpers for the edge-b construct tests (dns-validated-certificate, https-load-balancer, application-zone, access-log-bucket). */
import { TfJson, resourcesOf } from "../support/synth";

import { Res } from "./support";

export type { Res };
export { aliasedProvider, newStack, resourceCounts, synthJson as synth } from "./support";

/** The config of the only resource of `type`; fails when there is none or several. */
export function only(json: TfJson, type: string): Res {
  const found = resourcesOf(json, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}: ${found.map(([n]) => n).join(", ")}`);
  return found[0][1];
}

/** Terraform reference text of the only resource of `type`'s attribute, e.g. "${aws_lb.x.arn}". */
export function refOf(json: TfJson, type: string, attr: string): string {
  const found = resourcesOf(json, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return `\${${type}.${found[0][0]}.${attr}}`;
}

/** The InvalidInputError thrown by a call (the shared helper under the name these tests use). */
export { invalidInputOf as inputError } from "../support/invalid-input";
