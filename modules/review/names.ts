/** Display names for addresses, and references inside templates back to addresses. */
import { ResourceChange } from "./plan";

/** address → "Name tag (address)" style label, from the planned values. */
export function nameIndex(changes: readonly ResourceChange[]): Map<string, string> {
  const out = new Map<string, string>();
  for (const c of changes) {
    const v = c.after ?? c.before ?? {};
    const tags = (v.tags ?? {}) as Record<string, unknown>;
    const name = tags.Name ?? v.name ?? v.identifier ?? v.bucket;
    if (typeof name === "string" && name) out.set(c.address, name);
  }
  return out;
}

/** `"${aws_security_group.x.id}"` → `aws_security_group.x`; any other string is returned as is. */
export function referencedAddress(value: unknown): string | undefined {
  const m = /^\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)(\.[a-z0-9_.\[\]]+)?\}$/.exec(String(value ?? ""));
  return m ? m[1] : undefined;
}

/** A readable name for a value that may be a reference template. */
export function describeRef(value: unknown, names: Map<string, string>): string {
  const address = referencedAddress(value);
  if (!address) return String(value);
  const name = names.get(address);
  return name ? `${name}` : address;
}
