import { InfraConfig } from "./infra-config";

/** Synthesizes every stack with no file and no credentials. */
export const DEFAULT_CONFIG: InfraConfig = {
  project: "webplat",
  environment: "dev",
  domain: "example.com",
  certificateEmail: "admin@example.com",
  primaryRegion: "us-east-1",
  secondaryRegion: "us-west-2",
  network: {
    primaryCidr: "10.10.0.0/16",
    secondaryCidr: "10.20.0.0/16",
    azCount: 2,
    availabilityZones: {},
    natGateways: "single",
    flowLogRetentionDays: 90,
  },
  instanceTypes: {
    singleServer: "t3.micro",
    loadBalancer: "t3.micro",
    web: "t3.micro",
    app: "t3.micro",
    monitoring: "t3.micro",
    database: "db.t3.micro",
  },
  fleet: { appServers: 2, webServers: 4 },
  ami: { mode: "lookup", ids: {}, owner: "136693071363", namePattern: "debian-12-amd64-*" },
  dns: { enabled: true, hostnames: ["@", "www"], ttl: 300, overwriteExistingRecords: false, useSandbox: false },
  access: { adminCidrs: ["203.0.113.0/24"], ssh: true, keyName: "" },
  database: { engine: "mysql", allocatedStorageGb: 20, backupRetentionDays: 7, deletionProtection: true },
  state: { bucket: "", bucketRegion: "", keyPrefix: "staged-web-platform", localDir: "state" },
  warmStandby: {
    subdomain: "app",
    apiHostname: "api",
    primaryCapacity: { frontend: { min: 2, desired: 2, max: 6 }, backend: { min: 2, desired: 2, max: 6 } },
    drCapacity: { frontend: { min: 1, desired: 1, max: 6 }, backend: { min: 1, desired: 1, max: 6 } },
    databaseHostname: "sql.db.internal",
    cacheNodeType: "cache.t3.micro",
    bastionMode: "bastion",
    albDeletionProtection: true,
    backupSchedule: "cron(0 5 * * ? *)",
    backupRetentionDays: 35,
    frontendHealthCheckPath: "/",
    backendHealthCheckPath: "/health",
  },
  offline: false,
};

/**
 * What `npm run plan:offline` layers on top of the user's config: no API call
 * at plan time (fixed placeholder AMI ids), no Namecheap (its provider is not
 * available offline).
 */
export function offlineOverrides(regions: readonly string[]): Record<string, unknown> {
  const ids = Object.fromEntries(regions.map((region, index) => [region, `ami-0${String(index + 1).padStart(16, "0")}`]));
  return { offline: true, ami: { mode: "ids", ids }, dns: { enabled: false } };
}
