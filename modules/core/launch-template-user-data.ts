/**
 * Launch-template user data as the stacks write it: Terraform gzips the whole
 * cloud-config (`base64gzip`), so a host with the application, its CA and the
 * release runner fits EC2's 16 KB (cloud-init unpacks gzip by itself). Literal
 * text travels base64-encoded, so no Terraform escaping is involved; apply-time
 * values are spliced in between:
 *   ${base64gzip(join("", [base64decode("<literal>"), <reference>, …]))}
 * This module reads that expression back (policy pack, tests). Pure: no cdktf import.
 */
import { gzipSync } from "zlib";

const EXPRESSION = /^\$\{base64gzip\(join\("", \[(.*)\]\)\)\}$/s;
const LITERAL = /^base64decode\("([A-Za-z0-9+/=]*)"\)$/;

/** Room kept per apply-time value (an endpoint or ARN), whose length synth cannot know. */
export const APPLY_TIME_VALUE_ALLOWANCE = 256;

/** Bytes EC2 receives for `text` (gzip, then base64), with `placeholders` apply-time values still to come. */
export function launchTemplateUserDataBytes(text: string, placeholders: number): number {
  const compressed = gzipSync(Buffer.from(text, "utf8")).length + placeholders * APPLY_TIME_VALUE_ALLOWANCE;
  return Math.ceil(compressed / 3) * 4;
}

/**
 * The text a host receives, with each apply-time reference (e.g.
 * `aws_elasticache_replication_group.x.primary_endpoint_address`) replaced by
 * `valueFor(reference)`; undefined when `value` is not such an expression.
 */
export function readLaunchTemplateUserData(value: string, valueFor: (reference: string) => string = (reference) => `\${${reference}}`): string | undefined {
  const expression = EXPRESSION.exec(value);
  if (!expression) return undefined;
  return expression[1]
    .split(/, (?=base64decode\(|"|[a-z_]+\.)/)
    .map((part) => {
      const literal = LITERAL.exec(part);
      if (literal) return Buffer.from(literal[1], "base64").toString("utf8");
      // A value known at synth time is spliced in as a quoted string.
      return part.startsWith('"') ? (JSON.parse(part) as string) : valueFor(part);
    })
    .join("");
}
