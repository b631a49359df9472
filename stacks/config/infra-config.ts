/**
 * The one configuration model of the project. Every stack is built from an
 * InfraConfig; DEFAULT_CONFIG (defaults.ts) synthesizes everything with no file
 * and no credentials, and a JSON file named by INFRA_CONFIG overrides any part.
 */

/** How AMIs are chosen. */
export interface AmiConfig {
  /**
   * "lookup": newest Debian 12 (bookworm) amd64 image published by Debian's AWS account, per region (an API call at plan time).
   * "ids": the explicit ids in `ids` (no API call; required for offline plans and for pinned images).
   * @default "lookup"
   */
  readonly mode: "lookup" | "ids";
  /** AMI id per region, used when mode is "ids", e.g. {"us-east-1": "ami-0123456789abcdef0"}. @default {} */
  readonly ids: Record<string, string>;
  /** Owner account of the images looked up. @default "136693071363" (Debian) */
  readonly owner: string;
  /** Image name pattern looked up. @default "debian-12-amd64-*" */
  readonly namePattern: string;
}

export interface NetworkConfig {
  /** VPC CIDR in the primary region. @default "10.10.0.0/16" */
  readonly primaryCidr: string;
  /** VPC CIDR in the secondary region; must not overlap the primary. @default "10.20.0.0/16" */
  readonly secondaryCidr: string;
  /** Availability zones used per region (1–4). @default 2 */
  readonly azCount: number;
  /** AZ names per region; a region not listed uses `<region>a`, `<region>b`, … @default {} */
  readonly availabilityZones: Record<string, string[]>;
  /** NAT gateways: "single" (cheapest) or "per-az" (survives an AZ loss). @default "single" */
  readonly natGateways: "single" | "per-az";
  /** VPC flow log retention in days. @default 90 */
  readonly flowLogRetentionDays: number;
}

export interface InstanceTypesConfig {
  /** The stage 0 all-in-one host. @default "t3.micro" */
  readonly singleServer: string;
  /** Load balancers. @default "t3.micro" */
  readonly loadBalancer: string;
  /** Web (Nginx) servers. @default "t3.micro" */
  readonly web: string;
  /** Application servers. @default "t3.micro" */
  readonly app: string;
  /** Prometheus/Grafana host. @default "t3.micro" */
  readonly monitoring: string;
  /** RDS instance class. @default "db.t3.micro" */
  readonly database: string;
}

export interface FleetConfig {
  /** Application servers in stages 1–3. @default 2 */
  readonly appServers: number;
  /** Nginx web servers in stage 3, split across both regions. @default 4 */
  readonly webServers: number;
}

export interface DnsConfig {
  /** Manage Namecheap A records (needs NAMECHEAP_* credentials at plan/apply). @default true */
  readonly enabled: boolean;
  /** Hostnames pointed at the entry point ("@" is the apex). @default ["@", "www"] */
  readonly hostnames: string[];
  /** Record TTL in seconds, 60–60000. @default 300 */
  readonly ttl: number;
  /** Replace every record of the domain instead of merging (destroys records the project does not own). @default false */
  readonly overwriteExistingRecords: boolean;
  /** Use Namecheap's sandbox API. @default false */
  readonly useSandbox: boolean;
}

export interface AccessConfig {
  /** CIDRs allowed to SSH, Grafana (3000) and Prometheus (9090); never 0.0.0.0/0. @default ["203.0.113.0/24"] (a documentation range: replace it) */
  readonly adminCidrs: string[];
  /** Open SSH (22) from adminCidrs. When false, hosts are reached with Session Manager only. @default true */
  readonly ssh: boolean;
  /** EC2 key pair name installed on hosts. @default "" (none) */
  readonly keyName: string;
}

export interface DatabaseConfig {
  /** Engine for RDS in stages 1–3. @default "mysql" */
  readonly engine: "mysql" | "postgres";
  /** Allocated storage in GiB, 20–1000. @default 20 */
  readonly allocatedStorageGb: number;
  /** Automated backup retention in days, 1–35. @default 7 */
  readonly backupRetentionDays: number;
  /** Refuse `terraform destroy` of databases. @default true */
  readonly deletionProtection: boolean;
}

export interface StateConfig {
  /** S3 bucket for remote state (with native lock file); empty means local state under `localDir`. @default "" */
  readonly bucket: string;
  /** Region of the state bucket. @default the primary region */
  readonly bucketRegion: string;
  /** Key prefix; each stack's key is `<prefix>/<stack>.tfstate`. @default "staged-web-platform" */
  readonly keyPrefix: string;
  /** Local state directory, relative to the project root. @default "state" */
  readonly localDir: string;
}

/** Instance counts of one Auto Scaling group. */
export interface CapacityConfig {
  /** Fewest instances (at least 1: a warm standby is always running). */
  readonly min: number;
  /** Instances running now, from min to max. */
  readonly desired: number;
  /** Most instances; in the DR region at least the primary's desired, so the DR can be scaled to full. */
  readonly max: number;
}

/** Capacity of the two fleets of one region. */
export interface RegionCapacityConfig {
  /** Frontend (web) servers behind the frontend ALB. */
  readonly frontend: CapacityConfig;
  /** Backend (API) servers behind the backend ALB. */
  readonly backend: CapacityConfig;
}

/**
 * Stage 4 (two-region warm standby). Instance types come from `instanceTypes.web`
 * (frontend), `instanceTypes.app` (backend) and `instanceTypes.database`; the
 * database engine, storage, retention and deletion protection from `database`.
 */
export interface WarmStandbyConfig {
  /** Subdomain of `domain` delegated from Namecheap to a Route 53 zone; the site answers on it. @default "app" */
  readonly subdomain: string;
  /** Label of the API name inside the subdomain (api.app.example.com), with Route 53 failover. @default "api" */
  readonly apiHostname: string;
  /** Capacity in the primary region (full). @default frontend and backend { min: 2, desired: 2, max: 6 } */
  readonly primaryCapacity: RegionCapacityConfig;
  /** Capacity in the DR region (warm minimum, below the primary). @default frontend and backend { min: 1, desired: 1, max: 6 } */
  readonly drCapacity: RegionCapacityConfig;
  /** Stable database hostname in each region's private zone; its zone is the part after the first label. @default "sql.db.internal" */
  readonly databaseHostname: string;
  /** ElastiCache node type of the Redis replication groups. @default "cache.t3.micro" */
  readonly cacheNodeType: string;
  /** Admin shell access: a bastion host (SSH from access.adminCidrs) or Session Manager only. @default "bastion" */
  readonly bastionMode: "bastion" | "session-manager";
  /** Refuse deletion of the load balancers. @default true */
  readonly albDeletionProtection: boolean;
  /** AWS Backup schedule (cron, UTC). @default "cron(0 5 * * ? *)" (daily 05:00 UTC) */
  readonly backupSchedule: string;
  /** Days AWS Backup keeps recovery points, in the primary vault and in the DR copy (7–3650). @default 35 */
  readonly backupRetentionDays: number;
  /** Health-check path of the frontend target groups. @default "/" */
  readonly frontendHealthCheckPath: string;
  /** Health-check path of the backend target groups and the Route 53 health check. @default "/health" */
  readonly backendHealthCheckPath: string;
}

export interface InfraConfig {
  /** Project name: prefix of resource names and value of the Project tag (monitoring discovers hosts by it). Lowercase, 3–20 chars. @default "webplat" */
  readonly project: string;
  /** Environment tag. @default "dev" */
  readonly environment: string;
  /** Apex domain at Namecheap. @default "example.com" */
  readonly domain: string;
  /** Contact e-mail for Let's Encrypt. @default "admin@example.com" */
  readonly certificateEmail: string;
  /** Primary region. @default "us-east-1" */
  readonly primaryRegion: string;
  /** Secondary region (peering, DR); must differ from the primary. @default "us-west-2" */
  readonly secondaryRegion: string;
  readonly network: NetworkConfig;
  readonly instanceTypes: InstanceTypesConfig;
  readonly fleet: FleetConfig;
  readonly ami: AmiConfig;
  readonly dns: DnsConfig;
  readonly access: AccessConfig;
  readonly database: DatabaseConfig;
  readonly state: StateConfig;
  readonly warmStandby: WarmStandbyConfig;
  /**
   * Offline profile: provider skips credential/account/metadata checks and the
   * plan makes no API call (set by `npm run plan:offline`; never for a real deploy).
   * @default false
   */
  readonly offline: boolean;
}

/** Deep-partial shape of an override file. */
export type InfraConfigOverrides = {
  [K in keyof InfraConfig]?: InfraConfig[K] extends Record<string, unknown> ? Partial<InfraConfig[K]> : InfraConfig[K];
};
