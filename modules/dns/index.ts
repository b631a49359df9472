/** Namecheap DNS for the platform's public names. See README.md in this folder. */
export { NamecheapRecords } from "./namecheap-records";
export type { NamecheapRecordsProps } from "./namecheap-records";
export { namecheapProvider } from "./namecheap-provider";
export type { NamecheapProviderOptions } from "./namecheap-provider";
export { subdomainDelegation, ROUTE53_NAME_SERVER_COUNT } from "./subdomain-delegation";
export { resolveRecordSet, DEFAULT_TTL, DEFAULT_HOSTNAMES, DEFAULT_RECORD_TYPE } from "./record-set";
export type { NamecheapRecord, NamecheapRecordsMode, ResolvedRecord, RecordSet, RecordSetInput } from "./record-set";
export { NAMECHEAP_RECORD_TYPES, MIN_TTL, MAX_TTL, APEX_HOSTNAME, fqdnOf } from "./record-validation";
export type { NamecheapRecordType } from "./record-validation";
export {
  checkAgainstProviderSchema,
  loadNamecheapProviderSchema,
  NAMECHEAP_SCHEMA_PATH,
  NAMECHEAP_PROVIDER_FQPN,
} from "./schema-check";
export type { ProvidersSchemaJson } from "./schema-check";
