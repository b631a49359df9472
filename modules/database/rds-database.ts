import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { DbInstance } from "@cdktf/provider-aws/lib/db-instance";
import { DbSubnetGroup } from "@cdktf/provider-aws/lib/db-subnet-group";
import { Firewall, Port } from "../firewall";
import { CustomerManagedKey } from "../encryption";
import { check, requireConcrete } from "../core/validation";
import { DatabaseEngine, ENGINE_FACTS, resolveEngineVersion } from "./engine";
import { TlsParameterGroup } from "./tls-parameter-group";
import { EnhancedMonitoringRole } from "./monitoring-role";
import { checkBackupRetention, checkIdentifier, checkInstanceClass, checkMonitoringInterval, checkSubnets, checkWindow } from "./checks";
import { checkMasterUsername } from "./master-username";

export interface RdsDatabaseProps {
  /** AWS provider of the region the database lives in. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Region of `provider`, concrete (replicas compare it with their own region). */
  readonly region: string;
  /** DB identifier and name prefix of the subnet group, parameter group, key and firewall, e.g. "webplat-stage1-db". */
  readonly name: string;
  /** VPC of the database's security group. */
  readonly vpcId: string;
  /** Subnets of the DB subnet group: at least two, in different AZs, ideally an isolated tier. */
  readonly subnetIds: readonly string[];
  /** Database engine. @default DatabaseEngine.MYSQL */
  readonly engine?: DatabaseEngine;
  /** Engine version; minor upgrades are applied automatically in the maintenance window. @default "8.0" for MySQL, "16" for PostgreSQL */
  readonly engineVersion?: string;
  /** Instance class. @default "db.t3.micro" */
  readonly instanceClass?: string;
  /** Allocated gp3 storage in GiB (20–65536). @default 20 */
  readonly allocatedStorageGb?: number;
  /** Storage autoscaling ceiling in GiB, at least `allocatedStorageGb`. @default max(100, allocatedStorageGb) */
  readonly maxAllocatedStorageGb?: number;
  /** A synchronous standby in a second AZ with automatic failover. @default true (set false for a cheaper single-AZ instance; the policy pack flags it) */
  readonly multiAz?: boolean;
  /** Automated backup (and point-in-time recovery) retention in days, 1–35. @default 7 */
  readonly backupRetentionDays?: number;
  /** Daily backup window, UTC. @default "03:00-04:00" */
  readonly backupWindow?: string;
  /** Weekly maintenance window, UTC. @default "sun:04:30-sun:05:30" */
  readonly maintenanceWindow?: string;
  /** Refuse deletion (terraform destroy fails until this is turned off). @default true */
  readonly deletionProtection?: boolean;
  /** Storage and managed-secret encryption key. @default a new customer managed key with rotation */
  readonly encryptionKey?: CustomerManagedKey;
  /** Initial database created on the instance. @default none (MySQL) / "postgres" database only (PostgreSQL) */
  readonly databaseName?: string;
  /** Master user name; its password is generated and kept in Secrets Manager by RDS, never in Terraform. @default "dbadmin" */
  readonly masterUsername?: string;
  /**
   * Master password from a secret of your own instead of RDS's managed secret:
   * `writeOnly` is a Terraform expression of an ephemeral value (written with
   * `password_wo`, never stored in plan or state), `secretArn` the secret the
   * hosts read. Needs Terraform ≥ 1.11. Used where the credentials must be
   * readable in another region (stage 4's replicated secret).
   * @default RDS generates the password and keeps it in its managed secret
   */
  readonly masterPassword?: { readonly secretArn: string; readonly writeOnly: string; readonly version: number };
  /** Enhanced Monitoring interval in seconds: 0, 1, 5, 10, 15, 30 or 60 (0 = off). @default 60 */
  readonly monitoringIntervalSeconds?: number;
  /** Performance Insights (not available on every small class). @default false */
  readonly performanceInsights?: boolean;
  /** Apply changes immediately instead of in the maintenance window. @default false */
  readonly applyImmediately?: boolean;
  /** Extra tags, e.g. the tag an AWS Backup selection matches. @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * An RDS primary: encrypted with a customer managed key, TLS enforced, IAM
 * authentication, automated backups, deletion protection, log exports, no
 * public access, and a master password managed by RDS in Secrets Manager (no
 * password in the synthesized JSON). Reached only through its firewall: call
 * `allowFrom(clientFirewall)`.
 */
export class RdsDatabase extends Construct {
  readonly instance: DbInstance;
  /** address:port. */
  readonly endpoint: string;
  /** DNS name of the instance (follows Multi-AZ failover). */
  readonly address: string;
  readonly port: number;
  readonly arn: string;
  readonly identifier: string;
  readonly engine: DatabaseEngine;
  readonly engineVersion: string;
  /** Storage autoscaling ceiling in GiB (read replicas follow it). */
  readonly maxAllocatedStorageGb: number;
  readonly instanceClass: string;
  readonly region: string;
  readonly provider?: TerraformProvider;
  /** The database's security group: nothing in, nothing out until `allowFrom`. */
  readonly firewall: Firewall;
  readonly securityGroupId: string;
  readonly kmsKeyArn: string;
  /** ARN of the Secrets Manager secret holding the master credentials (created by RDS, or `masterPassword.secretArn`). */
  readonly masterUserSecretArn: string;
  readonly parameterGroupName: string;
  readonly subnetGroupName: string;
  readonly backupRetentionDays: number;
  readonly deletionProtection: boolean;
  /** Enhanced Monitoring role (IAM is global, replicas in any region reuse it); undefined when monitoring is off. */
  readonly monitoringRoleArn?: string;
  readonly monitoringIntervalSeconds: number;
  private readonly clients = new Set<Firewall>();

  constructor(scope: Construct, id: string, props: RdsDatabaseProps) {
    super(scope, id);
    requireConcrete(`${id}.region`, props.region);
    checkIdentifier(`${id}.name`, props.name);
    const engine = props.engine ?? DatabaseEngine.MYSQL;
    const version = resolveEngineVersion(id, engine, props.engineVersion);
    const instanceClass = props.instanceClass ?? "db.t3.micro";
    checkInstanceClass(`${id}.instanceClass`, instanceClass);
    checkSubnets(`${id}.subnetIds`, props.subnetIds);
    const storage = props.allocatedStorageGb ?? 20;
    check(Number.isInteger(storage) && storage >= 20 && storage <= 65536, `${id}.allocatedStorageGb`, storage, "an integer from 20 to 65536 GiB");
    const maxStorage = props.maxAllocatedStorageGb ?? Math.max(100, storage);
    check(Number.isInteger(maxStorage) && maxStorage >= storage && maxStorage <= 65536, `${id}.maxAllocatedStorageGb`, maxStorage, `an integer from allocatedStorageGb (${storage}) to 65536 GiB`);
    const retention = props.backupRetentionDays ?? 7;
    checkBackupRetention(`${id}.backupRetentionDays`, retention);
    const backupWindow = props.backupWindow ?? "03:00-04:00";
    checkWindow(`${id}.backupWindow`, backupWindow, false);
    const maintenanceWindow = props.maintenanceWindow ?? "sun:04:30-sun:05:30";
    checkWindow(`${id}.maintenanceWindow`, maintenanceWindow, true);
    const monitoring = props.monitoringIntervalSeconds ?? 60;
    checkMonitoringInterval(`${id}.monitoringIntervalSeconds`, monitoring);
    const username = props.masterUsername ?? "dbadmin";
    checkMasterUsername(`${id}.masterUsername`, username);
    if (props.databaseName !== undefined) {
      check(/^[a-zA-Z][a-zA-Z0-9_]{0,62}$/.test(props.databaseName), `${id}.databaseName`, props.databaseName, "1–63 letters, digits or underscores starting with a letter");
    }
    const provider = props.provider;
    const facts = ENGINE_FACTS[engine];
    const ownPassword = props.masterPassword;
    if (ownPassword) {
      check(Number.isInteger(ownPassword.version) && ownPassword.version >= 1, `${id}.masterPassword.version`, ownPassword.version, "an integer from 1");
      check(ownPassword.writeOnly.startsWith("${"), `${id}.masterPassword.writeOnly`, "<literal>", "a Terraform expression (an ephemeral value), never a literal password");
    }

    const key = props.encryptionKey ?? new CustomerManagedKey(this, "key", { provider, alias: `${props.name}-rds`, description: `RDS storage and master secret of ${props.name}` });
    this.firewall = new Firewall(this, "firewall", {
      provider,
      vpcId: props.vpcId,
      name: `${props.name}-db`,
      description: `Database ${props.name}: engine port from allowed application tiers only`,
      allowWebEgress: false,
    });
    const subnetGroup = new DbSubnetGroup(this, "subnets", {
      provider,
      name: `${props.name}-db`,
      description: `Subnets of database ${props.name}`,
      subnetIds: [...props.subnetIds],
      tags: { Name: `${props.name}-db` },
    });
    const parameters = new TlsParameterGroup(this, "parameters", { provider, name: `${props.name}-db`, engine, engineVersion: version });
    const monitoringRole = monitoring > 0 ? new EnhancedMonitoringRole(this, "monitoring", { name: `${props.name}-rds-monitoring` }) : undefined;

    this.instance = new DbInstance(this, "instance", {
      provider,
      identifier: props.name,
      engine,
      engineVersion: version,
      instanceClass,
      port: facts.port,
      dbName: props.databaseName,
      username,
      ...(ownPassword
        ? { passwordWo: ownPassword.writeOnly, passwordWoVersion: ownPassword.version }
        : { manageMasterUserPassword: true, masterUserSecretKmsKeyId: key.keyArn }),
      allocatedStorage: storage,
      maxAllocatedStorage: maxStorage,
      storageType: "gp3",
      storageEncrypted: true,
      kmsKeyId: key.keyArn,
      multiAz: props.multiAz ?? true,
      dbSubnetGroupName: subnetGroup.name,
      vpcSecurityGroupIds: [this.firewall.securityGroupId],
      parameterGroupName: parameters.name,
      publiclyAccessible: false,
      iamDatabaseAuthenticationEnabled: true,
      backupRetentionPeriod: retention,
      backupWindow,
      maintenanceWindow,
      copyTagsToSnapshot: true,
      deleteAutomatedBackups: false,
      deletionProtection: props.deletionProtection ?? true,
      skipFinalSnapshot: false,
      finalSnapshotIdentifier: `${props.name}-final`,
      autoMinorVersionUpgrade: true,
      allowMajorVersionUpgrade: false,
      applyImmediately: props.applyImmediately ?? false,
      enabledCloudwatchLogsExports: [...facts.logExports],
      monitoringInterval: monitoring,
      monitoringRoleArn: monitoringRole?.roleArn,
      performanceInsightsEnabled: props.performanceInsights ?? false,
      performanceInsightsKmsKeyId: props.performanceInsights ? key.keyArn : undefined,
      caCertIdentifier: "rds-ca-rsa2048-g1",
      tags: { Name: props.name, ...(props.tags ?? {}) },
    });

    this.endpoint = this.instance.endpoint;
    this.address = this.instance.address;
    this.port = facts.port;
    this.arn = this.instance.arn;
    this.identifier = this.instance.identifier;
    this.engine = engine;
    this.engineVersion = version;
    this.maxAllocatedStorageGb = maxStorage;
    this.instanceClass = instanceClass;
    this.region = props.region;
    this.provider = provider;
    this.securityGroupId = this.firewall.securityGroupId;
    this.kmsKeyArn = key.keyArn;
    this.masterUserSecretArn = ownPassword ? ownPassword.secretArn : this.instance.masterUserSecret.get(0).secretArn;
    this.parameterGroupName = parameters.name;
    this.subnetGroupName = subnetGroup.name;
    this.backupRetentionDays = retention;
    this.deletionProtection = props.deletionProtection ?? true;
    this.monitoringRoleArn = monitoringRole?.roleArn;
    this.monitoringIntervalSeconds = monitoring;
  }

  /** Lets members of `client` (same region) reach the engine port: ingress here, egress there. */
  allowFrom(client: Firewall, description = "Database clients"): this {
    // Idempotent: a same-region replica shares this firewall and forwards its allowFrom here.
    if (this.clients.has(client)) return this;
    this.clients.add(client);
    this.firewall.connectFrom(client, Port.tcp(this.port), `${description} to ${this.engine}`);
    return this;
  }
}
