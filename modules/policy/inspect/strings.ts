/**
 * Every string value of a block with its attribute path, for secret scanning.
 * User data that is base64 encoded (or a launch template's gzip expression) is also yielded decoded, because that is
 * what the instance (and anyone reading the launch template) receives.
 */
import { readLaunchTemplateUserData } from "../../core/launch-template-user-data";
import { isObject } from "../values";

export interface StringAt {
  /** Attribute path such as `user_data` or `ingress[0].description`. */
  readonly path: string;
  /** Last key on the path (`password` for `master.password`), lowercase. */
  readonly key: string;
  readonly value: string;
}

const USER_DATA_KEYS = new Set(["user_data", "user_data_base64"]);

export function stringsOf(config: unknown): StringAt[] {
  const out: StringAt[] = [];
  walk(config, "", "", out);
  return out;
}

function walk(value: unknown, path: string, key: string, out: StringAt[]): void {
  if (typeof value === "string") {
    out.push({ path, key, value });
    if (USER_DATA_KEYS.has(key)) {
      const decoded = readLaunchTemplateUserData(value) ?? decodeBase64Text(value);
      if (decoded !== undefined) out.push({ path: `${path} (base64-decoded)`, key, value: decoded });
    }
    return;
  }
  if (Array.isArray(value)) {
    value.forEach((item, i) => walk(item, `${path}[${i}]`, key, out));
    return;
  }
  if (isObject(value)) {
    for (const [k, v] of Object.entries(value)) {
      if (k === "//") continue; // cdktf metadata and our own suppression records
      walk(v, path ? `${path}.${k}` : k, k.toLowerCase(), out);
    }
  }
}

/** Decoded text when the value is plausible base64 of printable UTF-8, else undefined. */
export function decodeBase64Text(value: string): string | undefined {
  const compact = value.replace(/\s+/g, "");
  if (compact.length < 16 || compact.length % 4 !== 0 || !/^[A-Za-z0-9+/]+={0,2}$/.test(compact)) return undefined;
  const text = Buffer.from(compact, "base64").toString("utf8");
  const printable = text.replace(/[^\x09\x0a\x0d\x20-\x7e\u00a0-\uffff]/g, "");
  return text.includes("\ufffd") || printable.length < text.length * 0.95 ? undefined : text;
}
