/**
 * Readers for attribute values as cdktf writes them: nested blocks may be an
 * object or an array of objects, booleans/numbers may arrive as strings, and
 * references are `${…}` strings whose value is unknown at synth time.
 */

export type Json = Record<string, unknown>;

export function isObject(value: unknown): value is Json {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

/** A block or list attribute as an array (absent → []). */
export function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value.filter((v) => v !== undefined && v !== null) : [value];
}

/** Block attribute as a list of objects (non-objects dropped). */
export function blocks(value: unknown): Json[] {
  return asArray(value).filter(isObject);
}

/** First (single) nested block, e.g. `metadata_options`. */
export function block(value: unknown): Json | undefined {
  return blocks(value)[0];
}

export function isTrue(value: unknown): boolean {
  return value === true || value === "true";
}

export function asNumber(value: unknown): number | undefined {
  if (typeof value === "number" && Number.isFinite(value)) return value;
  if (typeof value === "string" && /^-?\d+(\.\d+)?$/.test(value.trim())) return Number(value);
  return undefined;
}

export function asString(value: unknown): string | undefined {
  return typeof value === "string" ? value : undefined;
}

/** True for a non-blank string (references count: they resolve to a value at apply). */
export function hasText(value: unknown): boolean {
  return typeof value === "string" && value.trim().length > 0;
}

/** True when the string is (or contains) a Terraform interpolation. */
export function isReference(value: unknown): boolean {
  return typeof value === "string" && /\$\{/.test(value.replace(/\$\$\{/g, ""));
}

export function strings(value: unknown): string[] {
  return asArray(value).filter((v): v is string => typeof v === "string");
}

/** Quoted value for messages. */
export function show(value: unknown): string {
  if (value === undefined) return "unset";
  return JSON.stringify(value);
}

/** Shows the start of a secret only, so reports never repeat it. */
export function mask(secret: string): string {
  return secret.length <= 4 ? "****" : `${secret.slice(0, 4)}…(${secret.length} chars)`;
}
