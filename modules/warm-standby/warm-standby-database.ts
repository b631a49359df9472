import { Construct } from "constructs";
import { DatabaseEngine, RdsDatabase, ReadReplica } from "../database";
import { PrivateDatabaseName } from "./private-database-name";
import { RegionalTier } from "./regional-tier";
import { ReplicatedDatabaseSecret } from "./replicated-database-secret";
import { check } from "../core/validation";

export interface WarmStandbyDatabaseProps {
  /** Name prefix, e.g. "webplat-stage4". */
  readonly name: string;
  /** The primary region's tier: the primary runs in its data subnets and admits its backend hosts. */
  readonly primary: RegionalTier;
  /** The DR region's tier: the cross-region replica runs there. */
  readonly dr: RegionalTier;
  /** Stable hostname resolved in both regions, e.g. "sql.db.internal". */
  readonly hostname: string;
  /** @default DatabaseEngine.MYSQL */
  readonly engine?: DatabaseEngine;
  /** @default "db.t3.micro" */
  readonly instanceClass?: string;
  /** @default 20 */
  readonly allocatedStorageGb?: number;
  /** Automated backup retention of the primary and (MySQL) the replica. @default 7 */
  readonly backupRetentionDays?: number;
  /** @default true */
  readonly deletionProtection?: boolean;
  /** Extra tags of the writer, e.g. the AWS Backup selection tag. @default {} */
  readonly tags?: Record<string, string>;
  /**
   * Where the writer runs. "dr": the DR replica has been promoted and is
   * declared as a standalone writer (same address, updated in place); the old
   * primary stays declared as it was, so surviving data is never destroyed.
   * @default "primary"
   */
  readonly activeRegion?: "primary" | "dr";
  /**
   * Master credentials in a secret replicated to the DR region: the password
   * is set from it (write-only) and the backend hosts of each region read their
   * region's copy. The promoted replica keeps the same password.
   * @default RDS's managed secret (primary region only: the DR tier cannot log in after a promotion)
   */
  readonly masterSecret?: ReplicatedDatabaseSecret;
}

/**
 * The database across regions: a Multi-AZ RDS primary in the primary region,
 * a cross-region read replica encrypted with a key of the DR region, each
 * admitting only its region's backend hosts, and one private hostname per
 * region pointing at the local copy.
 */
export class WarmStandbyDatabase extends Construct {
  readonly primary: RdsDatabase;
  readonly replica: ReadReplica;
  readonly hostname: string;
  readonly port: number;

  constructor(scope: Construct, id: string, props: WarmStandbyDatabaseProps) {
    super(scope, id);
    const { primary: primaryTier, dr: drTier } = props;
    const promoted = props.activeRegion === "dr";
    const secret = props.masterSecret;
    if (secret) {
      check(secret.primaryRegion === primaryTier.region && secret.drRegion === drTier.region, `${id}.masterSecret`, `${secret.primaryRegion} → ${secret.drRegion}`, `a secret in ${primaryTier.region} replicated to ${drTier.region}`);
    }
    this.primary = new RdsDatabase(this, "primary", {
      provider: primaryTier.provider,
      region: primaryTier.region,
      name: `${props.name}-db`,
      vpcId: primaryTier.network.vpcId,
      subnetIds: primaryTier.network.subnetIds("private-data"),
      engine: props.engine,
      instanceClass: props.instanceClass,
      allocatedStorageGb: props.allocatedStorageGb,
      backupRetentionDays: props.backupRetentionDays,
      deletionProtection: props.deletionProtection,
      multiAz: true,
      ...(secret ? { masterUsername: secret.username, masterPassword: secret.masterPassword } : {}),
      // Untouched after promotion: its region may be gone, and a backup plan selects by tag only in its own region.
      tags: props.tags,
    }).allowFrom(primaryTier.firewalls.backend, "Backend hosts");
    this.replica = new ReadReplica(this, "dr-replica", {
      source: this.primary,
      name: `${props.name}-db-dr`,
      provider: drTier.provider,
      region: drTier.region,
      vpcId: drTier.network.vpcId,
      subnetIds: drTier.network.subnetIds("private-data"),
      promoted,
      ...(promoted ? { multiAz: true, backupRetentionDays: props.backupRetentionDays, deletionProtection: props.deletionProtection ?? true, tags: props.tags } : {}),
    }).allowFrom(drTier.firewalls.backend, "Backend hosts");
    for (const [role, tier, target] of [["primary", primaryTier, this.primary.address], ["dr", drTier, this.replica.address]] as const) {
      new PrivateDatabaseName(this, `${role}-name`, { provider: tier.provider, hostname: props.hostname, vpcId: tier.network.vpcId, vpcRegion: tier.region, target });
    }
    this.hostname = props.hostname;
    this.port = this.primary.port;
  }

  /**
   * The name on the database certificate in `region`: the RDS endpoint the
   * private name points at there (clients dial the private name and verify this).
   */
  endpointIn(region: string): string {
    if (region === this.primary.region) return this.primary.address;
    check(region === this.replica.region, `${this.node.id}.endpointIn`, region, `${this.primary.region} or ${this.replica.region}`);
    return this.replica.address;
  }
}
