/** RDS databases: an encrypted primary and its read replicas (same region or cross-region). See README.md. */
export * from "./engine";
export * from "./checks";
export * from "./tls-parameter-group";
export * from "./monitoring-role";
export * from "./rds-database";
export * from "./read-replica";
export * from "./client-settings";
