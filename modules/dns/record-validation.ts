/**
 * Synth-time validation of Namecheap DNS input: what the provider only checks at
 * apply time (or not at all) fails here, with the field, the value and what is allowed.
 * Pure: no cdktf import. Values that are unresolved tokens (an Elastic IP's public_ip,
 * a Route 53 name server) pass where the module does not need the concrete value.
 */
import { isIPv4, isIPv6 } from "net";
import { check, isToken, requireConcrete } from "../core/validation";

/** Record types namecheap/namecheap 2.9.0 accepts in `record.type`. */
export const NAMECHEAP_RECORD_TYPES = [
  "A",
  "AAAA",
  "ALIAS",
  "CAA",
  "CNAME",
  "MX",
  "MXE",
  "NS",
  "TXT",
  "URL",
  "URL301",
  "FRAME",
] as const;

export type NamecheapRecordType = (typeof NAMECHEAP_RECORD_TYPES)[number];

/** TTL bounds the Namecheap API accepts, in seconds. */
export const MIN_TTL = 60;
export const MAX_TTL = 60000;

/** The hostname Namecheap uses for the apex (the domain itself). */
export const APEX_HOSTNAME = "@";

/**
 * Second-level public suffixes under which an apex has three labels (example.co.uk).
 * Everything else is treated as <name>.<tld>, so "www.example.com" is recognised as a
 * subdomain. Extend this list when a registered domain lives under another such suffix.
 */
export const MULTI_LABEL_PUBLIC_SUFFIXES: readonly string[] = [
  "co.uk", "org.uk", "me.uk", "ltd.uk", "plc.uk", "net.uk", "sch.uk",
  "com.au", "net.au", "org.au", "id.au",
  "co.nz", "net.nz", "org.nz",
  "co.in", "net.in", "org.in", "firm.in", "gen.in", "ind.in",
  "com.br", "net.br", "com.mx", "com.cn", "net.cn", "org.cn", "com.tw", "co.za", "com.sg", "com.hk",
  "co.jp", "co.kr", "com.tr", "com.pl", "com.es", "com.de",
];

/** One DNS label: lowercase letters, digits, hyphens inside, underscore allowed (e.g. _dmarc). */
const LABEL = /^[a-z0-9_](?:[a-z0-9_-]{0,61}[a-z0-9_])?$/;
/** A host name as the value of CNAME/ALIAS/NS/MX records; a trailing dot is allowed. */
const TARGET_HOST = /^(?:[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.)*[A-Za-z0-9_](?:[A-Za-z0-9_-]{0,61}[A-Za-z0-9_])?\.?$/;

/** Apex domain registered at Namecheap, e.g. "example.com" or "example.co.uk"; never a subdomain. */
export function validateApexDomain(field: string, domain: unknown): void {
  const allowed = 'a lowercase apex domain registered at Namecheap, e.g. "example.com" (put subdomains such as "www" in hostnames)';
  check(typeof domain === "string" && domain.length > 0, field, domain, allowed);
  const name = domain as string;
  requireConcrete(field, name);
  check(name === name.toLowerCase(), field, name, `${allowed}; uppercase letters are not allowed`);
  check(name.length <= 253, field, name, `${allowed}; at most 253 characters`);
  const labels = name.split(".");
  const wellFormed =
    labels.length >= 2 &&
    labels.every((label) => LABEL.test(label) && !label.includes("_")) &&
    /^[a-z][a-z0-9-]*[a-z0-9]$/.test(labels[labels.length - 1]);
  check(wellFormed, field, name, allowed);
  const apexLabels = MULTI_LABEL_PUBLIC_SUFFIXES.includes(labels.slice(-2).join(".")) ? 3 : 2;
  check(
    labels.length === apexLabels,
    field,
    name,
    `${allowed}; "${name}" is a subdomain of "${labels.slice(-apexLabels).join(".")}"`,
  );
}

/** "@" for the apex, or a lowercase relative name such as "www", "app", "_dmarc" or "*.app". */
export function validateHostname(field: string, hostname: unknown): void {
  const allowed = `"${APEX_HOSTNAME}" for the apex or a lowercase host name relative to the domain, e.g. "www" or "app"`;
  check(typeof hostname === "string" && hostname.length > 0, field, hostname, allowed);
  const name = hostname as string;
  requireConcrete(field, name);
  if (name === APEX_HOSTNAME) return;
  check(name === name.toLowerCase(), field, name, `${allowed}; uppercase letters are not allowed`);
  const labels = name.split(".");
  const wellFormed = labels.every((label, index) => (index === 0 && label === "*") || LABEL.test(label));
  check(wellFormed && name.length <= 253, field, name, `${allowed}; not a fully qualified name and no trailing dot`);
}

/** Whole seconds within what the Namecheap API accepts. */
export function validateTtl(field: string, ttl: unknown): void {
  check(
    typeof ttl === "number" && Number.isInteger(ttl) && ttl >= MIN_TTL && ttl <= MAX_TTL,
    field,
    ttl,
    `a whole number of seconds from ${MIN_TTL} to ${MAX_TTL}`,
  );
}

/** One of the record types the provider accepts (case-sensitive, as the provider is). */
export function validateRecordType(field: string, type: unknown): asserts type is NamecheapRecordType {
  check(
    typeof type === "string" && (NAMECHEAP_RECORD_TYPES as readonly string[]).includes(type),
    field,
    type,
    `one of ${NAMECHEAP_RECORD_TYPES.join(", ")}`,
  );
}

/**
 * The record value. A token (e.g. an Elastic IP's public_ip) is accepted for any type
 * since it is only known at apply time; a concrete value must fit the record type.
 */
export function validateAddress(field: string, type: NamecheapRecordType, address: unknown): void {
  check(typeof address === "string" && address.trim().length > 0, field, address, `a non-empty value for type ${type}`);
  const value = address as string;
  if (isToken(value)) return;
  switch (type) {
    case "A":
      check(isIPv4(value), field, value, "an IPv4 address in dotted-decimal form, e.g. 203.0.113.10, or a token such as an Elastic IP's public_ip");
      return;
    case "AAAA":
      check(isIPv6(value), field, value, "an IPv6 address, e.g. 2001:db8::10, or a token");
      return;
    case "CNAME":
    case "ALIAS":
    case "NS":
    case "MX":
      check(
        TARGET_HOST.test(value) && !isIPv4(value) && value.length <= 254,
        field,
        value,
        `a host name for type ${type}, e.g. "ns-1.awsdns-01.org", not an IP address`,
      );
      return;
    case "URL":
    case "URL301":
    case "FRAME":
      check(!/\s/.test(value), field, value, `a URL without spaces for type ${type}, e.g. "https://example.com/"`);
      return;
    default:
      return; // TXT, CAA, MXE: free text checked by Namecheap
  }
}

/** MX preference: a 16-bit DNS value, only meaningful for MX records. */
export function validateMxPref(field: string, type: NamecheapRecordType, mxPref: unknown): void {
  check(type === "MX", field, mxPref, "mxPref only on MX records (Namecheap ignores it elsewhere)");
  check(
    typeof mxPref === "number" && Number.isInteger(mxPref) && mxPref >= 0 && mxPref <= 65535,
    field,
    mxPref,
    "a whole number from 0 to 65535 (lower is preferred)",
  );
}

/** The fully qualified name a hostname answers for: "@" → "example.com", "www" → "www.example.com". */
export function fqdnOf(hostname: string, domain: string): string {
  return hostname === APEX_HOSTNAME ? domain : `${hostname}.${domain}`;
}
