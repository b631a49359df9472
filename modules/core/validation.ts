/**
 * Input errors raised at synth time. Every message names the field, the value
 * that was given and what is allowed, so a pipeline log is enough to fix it.
 */
export class InvalidInputError extends Error {
  constructor(
    public readonly field: string,
    public readonly value: unknown,
    public readonly allowed: string,
  ) {
    super(`${field}: ${describe(value)} is not allowed; expected ${allowed}`);
    this.name = "InvalidInputError";
  }
}

/** Renders a value for an error message without dumping huge objects. */
export function describe(value: unknown): string {
  if (typeof value === "string") return JSON.stringify(value);
  try {
    const text = JSON.stringify(value);
    if (text === undefined) return String(value);
    return text.length > 120 ? `${text.slice(0, 117)}...` : text;
  } catch {
    return String(value);
  }
}

/** Throws InvalidInputError unless `ok` holds. */
export function check(ok: boolean, field: string, value: unknown, allowed: string): void {
  if (!ok) throw new InvalidInputError(field, value, allowed);
}

/** True when the string carries an unresolved cdktf token (known only at apply time). */
export function isToken(value: string): boolean {
  return value.includes("${TfToken[") || value.includes("${Token[");
}

/** A 12-digit AWS account id; an apply-time value (such as the caller identity's) is left to AWS. */
export function checkAccountId(field: string, value: string): void {
  if (!isToken(value)) check(/^\d{12}$/.test(value), field, value, "a 12-digit AWS account id such as 123456789012");
}

/** Rejects tokens where the module must compute with a concrete value (CIDR math, region comparison). */
export function requireConcrete(field: string, value: string): void {
  check(!isToken(value), field, "<unresolved token>", "a concrete value known at synth time (not a resource attribute)");
}
