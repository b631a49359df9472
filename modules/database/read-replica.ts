import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { Firewall, Port } from "../firewall";
import { CustomerManagedKey } from "../encryption";
import { check, requireConcrete } from "../core/validation";
import { DatabaseEngine, ENGINE_FACTS } from "./engine";
import { RdsDatabase } from "./rds-database";
import { TlsParameterGroup } from "./tls-parameter-group";
import { checkBackupRetention, checkIdentifier, checkInstanceClass, checkSubnets } from "./checks";

export interface ReadReplicaProps {
  /** The primary this replica follows. */
  readonly source: RdsDatabase;
  /** Replica identifier, e.g. "webplat-stage4-db-dr". */
  readonly name: string;
  /** AWS provider of the replica's region. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /**
   * Region of `provider`, concrete. A region other than the source's makes a
   * cross-region replica (source referenced by ARN, its own key, subnet group,
   * parameter group and firewall in that region).
   * @default the source's region
   */
  readonly region?: string;
  /** VPC of the replica's security group. Required for a cross-region replica. @default the source's security group (same region) */
  readonly vpcId?: string;
  /** Subnets of the replica's DB subnet group. Required for a cross-region replica. @default the source's subnet group (same region) */
  readonly subnetIds?: readonly string[];
  /** Encryption key in the replica's region (cross-region only). @default a new customer managed key in the replica's region */
  readonly encryptionKey?: CustomerManagedKey;
  /** Instance class. @default the source's class */
  readonly instanceClass?: string;
  /** A standby for the replica itself. @default false */
  readonly multiAz?: boolean;
  /**
   * Automated backups of the replica, so it keeps point-in-time recovery once promoted. MySQL only
   * (RDS does not back up PostgreSQL replicas).
   * @default the source's retention for MySQL; none for PostgreSQL
   */
  readonly backupRetentionDays?: number;
  /** Refuse deletion. @default the source's setting */
  readonly deletionProtection?: boolean;
  /** Extra tags. @default {} */
  readonly tags?: Record<string, string>;
  /**
   * The replica has been promoted (the source's region is lost): declare it as
   * a standalone writer — no replicate_source_db, backups kept, a final
   * snapshot on destroy. The same resource address, so Terraform updates it in
   * place (and promotes it itself if nobody has yet) instead of re-creating it.
   * @default false
   */
  readonly promoted?: boolean;
}

/**
 * A read replica of an RdsDatabase, in the same region or another one. A
 * cross-region replica is the warm copy a disaster-recovery region promotes
 * (`aws rds promote-read-replica`) when the primary region is lost.
 */
export class ReadReplica extends Construct {
  readonly instance: DbInstance;
  readonly endpoint: string;
  readonly address: string;
  readonly port: number;
  readonly arn: string;
  readonly identifier: string;
  readonly region: string;
  readonly crossRegion: boolean;
  /** The replica's security group (the source's one for a same-region replica). */
  readonly firewall: Firewall;
  readonly securityGroupId: string;
  /** Key encrypting the replica's storage: the source's key in the same region, a key of the replica's region otherwise. */
  readonly kmsKeyArn: string;
  private readonly engine: DatabaseEngine;
  private readonly source: RdsDatabase;

  constructor(scope: Construct, id: string, props: ReadReplicaProps) {
    super(scope, id);
    const source = props.source;
    const region = props.region ?? source.region;
    requireConcrete(`${id}.region`, region);
    checkIdentifier(`${id}.name`, props.name);
    const instanceClass = props.instanceClass ?? source.instanceClass;
    checkInstanceClass(`${id}.instanceClass`, instanceClass);
    const crossRegion = region !== source.region;
    this.engine = source.engine;
    this.source = source;
    const provider = props.provider;
    if (crossRegion) {
      check(props.vpcId !== undefined, `${id}.vpcId`, props.vpcId, `the VPC id of the replica in ${region} (required for a cross-region replica)`);
      check(props.subnetIds !== undefined, `${id}.subnetIds`, props.subnetIds, `subnet ids in ${region} (required for a cross-region replica)`);
      checkSubnets(`${id}.subnetIds`, props.subnetIds!);
    } else {
      for (const field of ["vpcId", "subnetIds", "encryptionKey"] as const) {
        check(props[field] === undefined, `${id}.${field}`, "<set>", `nothing for a same-region replica (it shares the source's ${field === "encryptionKey" ? "key" : "network placement"}); set region to make it cross-region`);
      }
    }
    const mysql = source.engine === DatabaseEngine.MYSQL;
    const promoted = props.promoted ?? false;
    if (!mysql && !promoted) check(props.backupRetentionDays === undefined, `${id}.backupRetentionDays`, props.backupRetentionDays, "nothing: RDS does not back up PostgreSQL read replicas");
    const retention = mysql || promoted ? props.backupRetentionDays ?? source.backupRetentionDays : undefined;
    if (retention !== undefined) checkBackupRetention(`${id}.backupRetentionDays`, retention);

    let subnetGroupName: string | undefined;
    let parameterGroupName = source.parameterGroupName;
    if (crossRegion) {
      const key = props.encryptionKey ?? new CustomerManagedKey(this, "key", { provider, alias: `${props.name}-rds`, description: `RDS storage of replica ${props.name} (${region})` });
      this.kmsKeyArn = key.keyArn;
      this.firewall = new Firewall(this, "firewall", {
        provider,
        vpcId: props.vpcId!,
        name: `${props.name}-db`,
        description: `Database replica ${props.name}: engine port from allowed application tiers only`,
        allowWebEgress: false,
      });
      subnetGroupName = new DbSubnetGroup(this, "subnets", {
        provider,
        name: `${props.name}-db`,
        description: `Subnets of database replica ${props.name}`,
        subnetIds: [...props.subnetIds!],
        tags: { Name: `${props.name}-db` },
      }).name;
      parameterGroupName = new TlsParameterGroup(this, "parameters", { provider, name: `${props.name}-db`, engine: source.engine, engineVersion: source.engineVersion }).name;
    } else {
      this.kmsKeyArn = source.kmsKeyArn;
      this.firewall = source.firewall;
    }

    this.instance = new DbInstance(this, "instance", {
      provider,
      identifier: props.name,
      // Cross-region replication names the source by ARN; in-region by identifier. Promoted: a writer of its own.
      replicateSourceDb: promoted ? undefined : crossRegion ? source.arn : source.identifier,
      instanceClass,
      port: source.port,
      storageType: "gp3",
      // The replica grows with its source: replication stops when a replica runs out of storage.
      maxAllocatedStorage: source.maxAllocatedStorageGb,
      storageEncrypted: true,
      kmsKeyId: this.kmsKeyArn,
      multiAz: props.multiAz ?? false,
      dbSubnetGroupName: subnetGroupName,
      vpcSecurityGroupIds: [this.firewall.securityGroupId],
      parameterGroupName,
      publiclyAccessible: false,
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: retention,
      copyTagsToSnapshot: true,
      deletionProtection: props.deletionProtection ?? source.deletionProtection,
      // RDS refuses a final snapshot of a replica (the source's backups hold the data); a promoted one may hold the only copy.
      skipFinalSnapshot: !promoted,
      finalSnapshotIdentifier: promoted ? `${props.name}-final` : undefined,
      autoMinorVersionUpgrade: true,
      enabledCloudwatchLogsExports: [...ENGINE_FACTS[source.engine].logExports],
      monitoringInterval: source.monitoringIntervalSeconds,
      monitoringRoleArn: source.monitoringRoleArn,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      tags: { Name: props.name, ...(props.tags ?? {}) },
    });
    this.endpoint = this.instance.endpoint;
    this.address = this.instance.address;
    this.port = source.port;
    this.arn = this.instance.arn;
    this.identifier = this.instance.identifier;
    this.region = region;
    this.crossRegion = crossRegion;
    this.securityGroupId = this.firewall.securityGroupId;
  }

  /**
   * Lets members of `client` (in the replica's region) reach the engine port.
   * For a same-region replica this opens the source's firewall, which the replica shares.
   */
  allowFrom(client: Firewall, description = "Database clients"): this {
    if (!this.crossRegion) {
      this.source.allowFrom(client, description);
      return this;
    }
    this.firewall.connectFrom(client, Port.tcp(this.port), `${description} to ${this.engine}`);
    return this;
  }
}
