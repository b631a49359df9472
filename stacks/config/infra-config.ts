/**
 * The one configuration model of the project, inferred from the schema
 * (schema.ts): every stack is built from an InfraConfig. DEFAULT_CONFIG
 * synthesizes everything with no file and no credentials; override files,
 * the cdktf context and INFRA_PROFILE layer over it (load.ts).
 */
import { Infer } from "./schema-kit";
import { INFRA_CONFIG_SCHEMA } from "./schema";

type Schema = typeof INFRA_CONFIG_SCHEMA.fields;

export type InfraConfig = Infer<typeof INFRA_CONFIG_SCHEMA>;
export type NetworkConfig = Infer<Schema["network"]>;
export type AmiConfig = Infer<Schema["ami"]>;
export type DnsConfig = Infer<Schema["dns"]>;
export type AccessConfig = Infer<Schema["access"]>;
export type DatabaseConfig = Infer<Schema["database"]>;
export type StateConfig = Infer<Schema["state"]>;
export type WarmStandbyConfig = Infer<Schema["warmStandby"]>;
/** Instance counts of one Auto Scaling group. */
export type CapacityConfig = WarmStandbyConfig["primaryCapacity"]["frontend"];
/** Capacity of the two fleets of one region. */
export type RegionCapacityConfig = WarmStandbyConfig["primaryCapacity"];

/** Deep-partial shape of an override file. */
export type InfraConfigOverrides = {
  [K in keyof InfraConfig]?: InfraConfig[K] extends Record<string, unknown> ? Partial<InfraConfig[K]> : InfraConfig[K];
};
