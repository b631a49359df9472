/** Two-region warm standby: see README.md in this folder. */
export * from "./access-log-bucket";
export * from "./application-zone";
export * from "./auto-scaled-fleet";
export * from "./cross-region-backup";
export * from "./dns-validated-certificate";
export * from "./failover-api-records";
export * from "./failover-distribution";
export * from "./https-load-balancer";
export * from "./managed-rules-web-acl";
export * from "./origin-verification";
export * from "../core/names";
export * from "./private-database-name";
export * from "./redis-cache";
export * from "./regional-tier";
export * from "./tier-firewalls";
export * from "./user-data";
export * from "./warm-standby-database";
