import { Construct, IConstruct } from "constructs";
import { LocalBackend, S3Backend, TerraformOutput, TerraformProvider, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { emulatorEndpoints } from "./emulator-endpoints";
import { DataAwsAmi } from "@cdktf/provider-aws/lib/data-aws-ami";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { NamecheapRecords, namecheapProvider } from "../modules/dns";
import { NatGatewayMode, Network, SubnetTier } from "../modules/network";
import { DatabaseEngine, RdsDatabase } from "../modules/database";
import type { FleetPlacement } from "../modules/web-fleet";
import type { MonitoringHostAlerting } from "../modules/monitoring";
import { InstanceConnectEndpoint, OperatorAccess } from "../modules/operator-access";
import { defaultAvailabilityZones } from "../modules/core/region";
import { stageCidr } from "./stage-cidr";
import { suppress } from "../modules/policy/suppressions";
import { InfraConfig } from "./config";

/** Account id of offline plans (AWS's documentation example). */
const OFFLINE_ACCOUNT_ID = "123456789012";

/** Terraform versions the stacks need: the S3 backend's `use_lockfile` arrived in 1.10. */
export const REQUIRED_TERRAFORM_VERSION = ">= 1.10";
/** Stage 4 sets its database password with write-only arguments (1.11) fed by ephemeral resources (1.10). */
export const REQUIRED_TERRAFORM_VERSION_WRITE_ONLY = ">= 1.11";

/** Where a stack's resources live: the primary or the secondary region. */
export type RegionRole = "primary" | "secondary";

/**
 * Everything every stage shares: one AWS provider per region with the
 * project's default tags, the state backend, and the AMI per region.
 */
export class PlatformStack extends TerraformStack {
  readonly config: InfraConfig;
  readonly primary: AwsProvider;
  private secondaryProvider?: AwsProvider;
  private readonly amis = new Map<string, string>();
  private readonly extraProviders = new Map<string, AwsProvider>();
  private account?: string;

  constructor(scope: Construct, readonly stackName: string, config: InfraConfig) {
    super(scope, stackName);
    this.config = config;
    this.primary = this.awsProvider("primary", config.primaryRegion);
    this.backend();
    // The S3 backend's native lock file (use_lockfile) needs Terraform 1.10; say so before any init.
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION);
  }

  /** The provider of the secondary region, created on first use. */
  get secondary(): AwsProvider {
    this.secondaryProvider ??= this.awsProvider("secondary", this.config.secondaryRegion);
    return this.secondaryProvider;
  }

  /**
   * A provider for any region: the primary's or secondary's when it is one of
   * them, else an aliased provider with the same tags and flags (e.g. us-east-1
   * for CloudFront certificates and web ACLs).
   */
  providerInRegion(region: string): AwsProvider {
    if (region === this.config.primaryRegion) return this.primary;
    if (region === this.config.secondaryRegion) return this.secondary;
    let provider = this.extraProviders.get(region);
    if (!provider) {
      provider = this.awsProvider(region, region);
      this.extraProviders.set(region, provider);
    }
    return provider;
  }

  providerFor(role: RegionRole): AwsProvider {
    return role === "primary" ? this.primary : this.secondary;
  }

  regionOf(role: RegionRole): string {
    return role === "primary" ? this.config.primaryRegion : this.config.secondaryRegion;
  }

  /** AZ names of a region: from config, else `<region>a`, `<region>b`, … */
  availabilityZones(role: RegionRole): string[] {
    const region = this.regionOf(role);
    const zones = this.config.network.availabilityZones[region] ?? defaultAvailabilityZones(region);
    return zones.slice(0, this.config.network.azCount);
  }

  /** Debian 12 AMI of a region: a pinned id, or the newest image from Debian's account. */
  ami(role: RegionRole): string {
    const region = this.regionOf(role);
    const cached = this.amis.get(region);
    if (cached) return cached;
    const { ami } = this.config;
    const id =
      ami.mode === "ids"
        ? ami.ids[region]
        : new DataAwsAmi(this, `debian-12-${role}`, {
            provider: this.providerFor(role),
            mostRecent: true,
            owners: [ami.owner],
            filter: [
              { name: "name", values: [ami.namePattern] },
              { name: "architecture", values: ["x86_64"] },
              { name: "virtualization-type", values: ["hvm"] },
            ],
          }).id;
    this.amis.set(region, id);
    return id;
  }

  /** The VPC of one region from the network config (CIDR, AZs, NAT mode, flow logs). */
  regionalNetwork(role: RegionRole, tiers?: SubnetTier[]): Network {
    const net = this.config.network;
    return new Network(this, `network-${role}`, {
      provider: role === "primary" ? undefined : this.secondary,
      name: `${this.prefix}-${role}`,
      region: this.regionOf(role),
      cidr: this.vpcCidr(role),
      availabilityZones: this.availabilityZones(role),
      tiers,
      natGateways: net.natGateways === "per-az" ? NatGatewayMode.PER_AZ : NatGatewayMode.SINGLE,
      flowLogRetentionDays: net.flowLogRetentionDays,
    });
  }

  /**
   * The VPC CIDR of this stage in a region: stage N takes the N-th block after
   * the configured one (10.10.0.0/16 → stage 3: 10.13.0.0/16), so stages can
   * run side by side — and be peered during a migration — without overlapping.
   */
  vpcCidr(role: RegionRole): string {
    return stageCidr(role === "primary" ? this.config.network.primaryCidr : this.config.network.secondaryCidr, this.stackName);
  }

  /** Where a fleet runs in one region: the network's private-app subnets and the region's AMI. */
  placement(role: RegionRole, network: Network): FleetPlacement {
    return { provider: role === "primary" ? undefined : this.secondary, region: this.regionOf(role), vpcId: network.vpcId, subnets: network.subnets("private-app"), ami: this.ami(role) };
  }

  /** The RDS primary of stages 1–3 in the network's private-data subnets, sized and protected from config. */
  database(network: Network, options: { readonly multiAz: boolean }): RdsDatabase {
    const db = this.config.database;
    const database = new RdsDatabase(this, "database", {
      region: this.config.primaryRegion,
      name: `${this.prefix}-db`,
      vpcId: network.vpcId,
      subnetIds: network.subnetIds("private-data"),
      engine: db.engine === "postgres" ? DatabaseEngine.POSTGRES : DatabaseEngine.MYSQL,
      instanceClass: this.config.instanceTypes.database,
      allocatedStorageGb: db.allocatedStorageGb,
      backupRetentionDays: db.backupRetentionDays,
      deletionProtection: db.deletionProtection,
      multiAz: options.multiAz,
    });
    this.allowDatabaseDeletionIfConfigured(database);
    return database;
  }

  /** database.deletionProtection: false is a decision of the configuration's owner: record it for reviewers instead of failing the policy. */
  allowDatabaseDeletionIfConfigured(scope: IConstruct): void {
    if (this.config.database.deletionProtection) return;
    suppress(scope, "RDS-DELETION-PROTECTION", "database.deletionProtection is false in the configuration: this environment's databases may be destroyed on purpose");
  }

  /**
   * Name prefix for resources of this stack, e.g. "webplat-dev-stage1": project
   * and environment enter every name that must be unique per account, so two
   * environments (and two projects) can share one.
   */
  get prefix(): string {
    return `${this.config.project}-${this.config.environment}-${this.stackName.split("-")[0]}`;
  }

  /** The AWS account id (looked up once; offline plans, which look nothing up, use a stand-in). */
  get accountId(): string {
    this.account ??= this.config.offline ? OFFLINE_ACCOUNT_ID : new DataAwsCallerIdentity(this, "account").accountId;
    return this.account;
  }

  /** The `alerts` section as the monitoring host's alerting, plus what this stage probes. */
  monitoringAlerts(probes: Pick<MonitoringHostAlerting, "tls" | "appTargets" | "keepalived">): MonitoringHostAlerting {
    const { emails, webhookUrl, groupWaitSeconds, repeatIntervalHours, ...thresholds } = this.config.alerts;
    return {
      region: this.config.primaryRegion,
      thresholds,
      emails,
      webhookUrl: webhookUrl || undefined,
      groupWaitSeconds,
      repeatIntervalHours,
      ...probes,
    };
  }

  /**
   * The EC2 Instance Connect Endpoint of one VPC: how operators reach the hosts with SSH closed to the
   * internet (free; AWS allows one per VPC and five per region). Hosts admit it with `admitSsh(firewall)`.
   */
  instanceConnectEndpoint(id: string, placement: { readonly provider?: TerraformProvider; readonly region: string; readonly vpcId: string; readonly vpcCidr: string; readonly subnetId: string }): InstanceConnectEndpoint {
    return new InstanceConnectEndpoint(this, id, { ...placement, name: `${this.prefix}-${id}` });
  }

  /**
   * The operator role's EC2 Instance Connect grants: push a key for Debian's `admin` to this stack's instances
   * (by default those carrying its Project, Environment and Stack tags) and tunnel to port 22 through `endpoints`.
   * Extends `role` (the role that reads the Grafana password) when given, else creates `<prefix>-operator`.
   */
  operatorAccess(endpoints: readonly InstanceConnectEndpoint[], options: { readonly role?: { readonly name: string; readonly arn: string }; readonly instanceTags?: Record<string, string | string[]> } = {}): OperatorAccess {
    return new OperatorAccess(this, "operator-access", {
      name: this.prefix,
      accountId: this.accountId,
      endpoints,
      instanceTags: options.instanceTags ?? { Project: this.config.project, ...Object.fromEntries(this.discoveryTags.map((t) => [t.key, t.value])) },
      role: options.role,
    });
  }

  /** Tags (set on every resource by the providers' default tags) that keep monitoring to this environment's stack. */
  get discoveryTags(): { key: string; value: string }[] {
    return [
      { key: "Environment", value: this.config.environment },
      { key: "Stack", value: this.stackName },
    ];
  }

  /**
   * Namecheap A records for the configured hostnames → `address` (the entry
   * point's public IP), written only by the stage named in dns.liveStage.
   * Skipped when dns.enabled is false (offline plans).
   */
  publishDns(address: string): NamecheapRecords | undefined {
    const dns = this.config.dns;
    if (!dns.enabled || dns.liveStage !== this.stackName) return undefined;
    const provider = namecheapProvider(this, "namecheap", { useSandbox: dns.useSandbox });
    return new NamecheapRecords(this, "dns", {
      provider,
      domain: this.config.domain,
      address,
      hostnames: dns.hostnames,
      ttl: dns.ttl,
      overwriteExistingRecords: dns.overwriteExistingRecords,
    });
  }

  /** Site names served by the entry point, e.g. ["example.com", "www.example.com"]. */
  get siteNames(): string[] {
    return this.config.dns.hostnames.map((h) => (h === "@" ? this.config.domain : `${h}.${this.config.domain}`));
  }

  /** An output with a description (reviewers read them in plan output). */
  output(id: string, value: unknown, description: string): TerraformOutput {
    return new TerraformOutput(this, id, { value, description });
  }

  private awsProvider(alias: string, region: string): AwsProvider {
    const offline = this.config.offline;
    return new AwsProvider(this, `aws-${alias}`, {
      // The primary is the default provider: anything created without an explicit provider lands there.
      alias: alias === "primary" ? undefined : alias,
      region,
      defaultTags: [{ tags: { Project: this.config.project, Environment: this.config.environment, Stack: this.stackName, ManagedBy: "cdktf" } }],
      // Offline plans use mock credentials and must not call STS, IAM or IMDS.
      // Under the rehearsal's emulator the provider asks its STS for the account, as a real deploy does (it formats security-group references with it).
      ...(offline ? { skipMetadataApiCheck: "true", skipRegionValidation: true, ...(this.config.emulatorEndpoint ? {} : { skipCredentialsValidation: true, skipRequestingAccountId: true }) } : {}),
      // A region newer than the provider's list (config extraRegions) would fail its region check.
      ...(this.config.extraRegions.includes(region) ? { skipRegionValidation: true } : {}),
      // Rehearsal profile: every API call goes to the local emulator (credentials come from the environment, never the JSON); path-style S3 because it has no bucket DNS names.
      ...(this.config.emulatorEndpoint ? { s3UsePathStyle: true, endpoints: [emulatorEndpoints(this.config.emulatorEndpoint)] } : {}),
    });
  }

  private backend(): void {
    const state = this.config.state;
    if (state.bucket) {
      const backend = new S3Backend(this, {
        bucket: state.bucket,
        key: `${state.keyPrefix}/${this.config.project}/${this.config.environment}/${this.stackName}.tfstate`,
        region: state.bucketRegion || this.config.primaryRegion,
        encrypt: true,
      });
      // Terraform ≥ 1.10 locks with a lock file next to the state; no DynamoDB table needed.
      backend.addOverride("use_lockfile", true);
    } else {
      // Terraform runs in cdktf.out/stacks/<stack>; keep state in <project>/<localDir>, not an absolute machine path.
      new LocalBackend(this, { path: `../../../${state.localDir}/${this.config.project}-${this.config.environment}/${this.stackName}.tfstate` });
    }
  }
}
