/**
 * Turns the NamecheapRecords props into the validated list of records the module owns.
 * Pure: no cdktf import, so every rule is testable without synthesizing a stack.
 */
import { check } from "../core/validation";
import {
  APEX_HOSTNAME,
  NamecheapRecordType,
  fqdnOf,
  validateAddress,
  validateApexDomain,
  validateHostname,
  validateMxPref,
  validateRecordType,
  validateTtl,
} from "./record-validation";

/** One DNS record at Namecheap, relative to the domain. */
export interface NamecheapRecord {
  /** "@" for the apex or a lowercase name relative to the domain, e.g. "www" or "app". */
  readonly hostname: string;
  /** Record type, one of NAMECHEAP_RECORD_TYPES. */
  readonly type: NamecheapRecordType;
  /** Record value: an IP for A/AAAA, a host name for CNAME/NS/MX, text for TXT… May be a token. */
  readonly address: string;
  /**
   * Time to live in seconds (60–60000).
   * @default the construct's `ttl`
   */
  readonly ttl?: number;
  /**
   * MX preference, MX records only.
   * @default 10 (the provider's default)
   */
  readonly mxPref?: number;
}

/** A record after defaults are applied: what is written into the Terraform JSON. */
export interface ResolvedRecord {
  readonly hostname: string;
  readonly type: NamecheapRecordType;
  readonly address: string;
  readonly ttl: number;
  readonly mxPref?: number;
}

/** MERGE keeps records the module does not own; OVERWRITE replaces the whole zone. */
export type NamecheapRecordsMode = "MERGE" | "OVERWRITE";

/**
 * Default TTL: 5 minutes instead of the provider's 30, so re-pointing the site (a new
 * Elastic IP, a warm-standby failover) reaches resolvers quickly; the extra queries cost nothing.
 */
export const DEFAULT_TTL = 300;
export const DEFAULT_HOSTNAMES: readonly string[] = [APEX_HOSTNAME, "www"];
export const DEFAULT_RECORD_TYPE: NamecheapRecordType = "A";

/** The DNS-relevant subset of NamecheapRecordsProps (see there for the documentation). */
export interface RecordSetInput {
  readonly domain: string;
  readonly address?: string;
  readonly hostnames?: readonly string[];
  readonly ttl?: number;
  readonly type?: NamecheapRecordType;
  readonly records?: readonly NamecheapRecord[];
  readonly overwriteExistingRecords?: boolean;
}

export interface RecordSet {
  readonly domain: string;
  readonly mode: NamecheapRecordsMode;
  readonly records: readonly ResolvedRecord[];
  /** Distinct names the records answer for, in order of first appearance. */
  readonly fqdns: readonly string[];
}

/** Validates every field and applies the defaults. Throws InvalidInputError on the first bad value. */
export function resolveRecordSet(input: RecordSetInput): RecordSet {
  validateApexDomain("domain", input.domain);
  const ttl = input.ttl ?? DEFAULT_TTL;
  validateTtl("ttl", ttl);
  const overwrite = input.overwriteExistingRecords ?? false;
  check(typeof overwrite === "boolean", "overwriteExistingRecords", overwrite, "true or false");

  const records: ResolvedRecord[] = [];
  if (input.address === undefined) {
    // hostnames/type describe the address records; without an address they would be ignored silently.
    check(input.hostnames === undefined, "hostnames", input.hostnames, "hostnames only together with 'address'");
    check(input.type === undefined, "type", input.type, "type only together with 'address'");
  } else {
    records.push(...addressRecords(input.address, input.hostnames ?? DEFAULT_HOSTNAMES, input.type ?? DEFAULT_RECORD_TYPE, ttl));
  }
  const extra = input.records ?? [];
  check(Array.isArray(extra), "records", extra, "a list of {hostname, type, address, ttl?}");
  extra.forEach((record, index) => records.push(explicitRecord(`records[${index}]`, record, ttl)));

  check(
    records.length > 0,
    "address",
    input.address,
    "an address for the hostnames, or at least one entry in 'records' (a NamecheapRecords without records manages nothing)",
  );
  rejectDuplicates(records);

  return {
    domain: input.domain,
    mode: overwrite ? "OVERWRITE" : "MERGE",
    records,
    fqdns: [...new Set(records.map((record) => fqdnOf(record.hostname, input.domain)))],
  };
}

function addressRecords(address: string, hostnames: readonly string[], type: NamecheapRecordType, ttl: number): ResolvedRecord[] {
  validateRecordType("type", type);
  check(
    Array.isArray(hostnames) && hostnames.length > 0,
    "hostnames",
    hostnames,
    `at least one hostname, e.g. ["${APEX_HOSTNAME}", "www"] (omit the prop for that default)`,
  );
  hostnames.forEach((hostname, index) => validateHostname(`hostnames[${index}]`, hostname));
  const seen = new Set<string>();
  for (const hostname of hostnames) {
    check(!seen.has(hostname), "hostnames", hostnames, `each hostname once; "${hostname}" is listed twice`);
    seen.add(hostname);
  }
  validateAddress("address", type, address);
  return hostnames.map((hostname) => ({ hostname, type, address, ttl }));
}

function explicitRecord(field: string, record: NamecheapRecord, defaultTtl: number): ResolvedRecord {
  check(typeof record === "object" && record !== null, field, record, "an object {hostname, type, address, ttl?, mxPref?}");
  const known = ["hostname", "type", "address", "ttl", "mxPref"];
  const unknown = Object.keys(record).filter((key) => !known.includes(key));
  check(unknown.length === 0, `${field}.${unknown[0]}`, (record as unknown as Record<string, unknown>)[unknown[0]], `only ${known.join(", ")}`);
  validateHostname(`${field}.hostname`, record.hostname);
  validateRecordType(`${field}.type`, record.type);
  validateAddress(`${field}.address`, record.type, record.address);
  const ttl = record.ttl ?? defaultTtl;
  validateTtl(`${field}.ttl`, ttl);
  if (record.mxPref !== undefined) validateMxPref(`${field}.mxPref`, record.type, record.mxPref);
  return {
    hostname: record.hostname,
    type: record.type,
    address: record.address,
    ttl,
    ...(record.mxPref !== undefined ? { mxPref: record.mxPref } : {}),
  };
}

/** The provider keeps records in a set: an exact duplicate would vanish silently, so say so. */
function rejectDuplicates(records: readonly ResolvedRecord[]): void {
  const seen = new Set<string>();
  for (const record of records) {
    const key = `${record.hostname} ${record.type} ${record.address}`;
    check(
      !seen.has(key),
      "records",
      `${record.hostname} ${record.type} ${record.address}`,
      "each (hostname, type, address) once; this record is defined twice",
    );
    seen.add(key);
  }
}
