/** Resource names that must fit AWS length limits. Pure: no cdktf import. */
import { createHash } from "crypto";

/**
 * `<base>-<suffix>` when it fits in `limit` characters; otherwise the base is
 * cut and a 4-character hash of the full name keeps names unique and stable.
 */
export function fitName(base: string, suffix: string, limit: number): string {
  const full = `${base}-${suffix}`;
  if (full.length <= limit) return full;
  const hash = createHash("sha256").update(full).digest("hex").slice(0, 4);
  const room = limit - suffix.length - hash.length - 2;
  return `${base.slice(0, room).replace(/-+$/, "")}-${hash}-${suffix}`;
}
