import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { ElasticacheReplicationGroup } from "@cdktf/provider-aws/lib/elasticache-replication-group";
import { ElasticacheSubnetGroup } from "@cdktf/provider-aws/lib/elasticache-subnet-group";
import { ElasticacheUser } from "@cdktf/provider-aws/lib/elasticache-user";
import { ElasticacheUserGroup } from "@cdktf/provider-aws/lib/elasticache-user-group";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { PolicyStatement } from "../core/iam";
import { fitName } from "../core/names";

/** ElastiCache user, user group and replication group ids: at most 40 characters. */
const ELASTICACHE_ID_LIMIT = 40;
import { check } from "../core/validation";
import { LOG_RETENTION_DAYS } from "../network/flow-logs";

export const REDIS_PORT = 6379;
/** What the application's user may do: every key, every command except the dangerous ones (FLUSHALL, CONFIG, KEYS, …). */
export const APP_ACCESS_STRING = "on ~* +@all -@dangerous";

export interface RedisCacheProps {
  /** AWS provider of the region. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Replication group id and name prefix: 2–37 lowercase letters, digits or single hyphens, starting with a letter and not ending with a hyphen (ElastiCache ids are at most 40 characters; room is left for suffixes). */
  readonly name: string;
  /** Subnets of the cache subnet group (an isolated tier), at least two AZs. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Node type. @default "cache.t3.micro" */
  readonly nodeType?: string;
  /** Redis engine version. @default "7.1" */
  readonly engineVersion?: string;
  /** Nodes: one primary plus replicas, 2–6 (Multi-AZ failover needs at least 2). @default 2 */
  readonly nodes?: number;
  /** KMS key for encryption at rest. @default the AWS managed ElastiCache key */
  readonly kmsKeyArn?: string;
  /** Daily snapshots kept (0–35). @default 7 */
  readonly snapshotRetentionDays?: number;
  /** Slow-log retention in days; one of the values CloudWatch accepts (LOG_RETENTION_DAYS). @default 90 */
  readonly logRetentionDays?: number;
}

/**
 * An ElastiCache Redis replication group: primary and replica in different
 * AZs with automatic failover, encrypted at rest and in transit (TLS
 * required), and authenticated with IAM: the built-in `default` user is
 * switched off and the application connects as `appUserName` with a token
 * from `elasticache:Connect` (no password exists anywhere).
 */
export class RedisCache extends Construct {
  readonly primaryEndpointAddress: string;
  readonly readerEndpointAddress: string;
  readonly port = REDIS_PORT;
  readonly replicationGroupArn: string;
  readonly replicationGroupId: string;
  /** The replication group id as given (a plain string, known at synth: IAM auth tokens are signed for it). */
  readonly replicationGroupName: string;
  /** Cache cluster ids of the nodes (`<group>-001`, `-002`, …: how ElastiCache names the members of a group), the CloudWatch dimension. */
  readonly nodeIds: readonly string[];
  /** The IAM-authenticated user the application connects as. */
  readonly appUserName: string;
  /** What the application's role needs to obtain an IAM auth token. */
  readonly connectStatements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: RedisCacheProps) {
    super(scope, id);
    check(/^[a-z](?!.*--)[a-z0-9-]{0,35}[a-z0-9]$/.test(props.name), `${id}.name`, props.name, "2–37 lowercase letters, digits or single hyphens, starting with a letter (room is left for suffixes)");
    check(props.subnetIds.length >= 2, `${id}.subnetIds`, props.subnetIds, "subnets in at least two AZs (Multi-AZ failover puts the replica in another AZ)");
    const nodeType = props.nodeType ?? "cache.t3.micro";
    check(/^cache\.[a-z][a-z0-9-]*\.(micro|small|medium|large|xlarge|[0-9]+xlarge)$/.test(nodeType), `${id}.nodeType`, nodeType, "an ElastiCache node type such as cache.t3.micro");
    const version = props.engineVersion ?? "7.1";
    check(/^7\.[0-9]+$/.test(version), `${id}.engineVersion`, version, 'a Redis 7 version such as "7.1" (IAM authentication needs 7)');
    const nodes = props.nodes ?? 2;
    check(Number.isInteger(nodes) && nodes >= 2 && nodes <= 6, `${id}.nodes`, nodes, "an integer from 2 to 6 (a primary and at least one replica for Multi-AZ failover)");
    const logRetentionDays = props.logRetentionDays ?? 90;
    check(LOG_RETENTION_DAYS.includes(logRetentionDays), `${id}.logRetentionDays`, logRetentionDays, `one of the CloudWatch Logs retention values ${LOG_RETENTION_DAYS.join(", ")}`);
    const snapshots = props.snapshotRetentionDays ?? 7;
    check(Number.isInteger(snapshots) && snapshots >= 0 && snapshots <= 35, `${id}.snapshotRetentionDays`, snapshots, "an integer from 0 to 35");
    const provider = props.provider;

    const subnets = new ElasticacheSubnetGroup(this, "subnets", { provider, name: `${props.name}-cache`, description: `Subnets of cache ${props.name}`, subnetIds: [...props.subnetIds] });
    // Every user group must hold a user named "default"; this one can do nothing.
    const disabledDefault = new ElasticacheUser(this, "default-user", {
      provider,
      userId: fitName(props.name, "default", ELASTICACHE_ID_LIMIT),
      userName: "default",
      engine: "REDIS",
      accessString: "off -@all",
      authenticationMode: { type: "no-password-required" },
    });
    // IAM authentication needs the user id and user name to be the same.
    const appUserName = fitName(props.name, "app", ELASTICACHE_ID_LIMIT);
    // IAM authentication requires user id = user name.
    const appUser = new ElasticacheUser(this, "app-user", {
      provider,
      userId: appUserName,
      userName: appUserName,
      engine: "REDIS",
      accessString: APP_ACCESS_STRING,
      authenticationMode: { type: "iam" },
    });
    const users = new ElasticacheUserGroup(this, "users", { provider, userGroupId: fitName(props.name, "users", ELASTICACHE_ID_LIMIT), engine: "REDIS", userIds: [disabledDefault.userId, appUser.userId] });
    const slowLog = new CloudwatchLogGroup(this, "slow-log", { provider, name: `/elasticache/${props.name}/slow-log`, retentionInDays: logRetentionDays });

    const group = new ElasticacheReplicationGroup(this, "group", {
      provider,
      replicationGroupId: props.name,
      description: `Redis for ${props.name}: Multi-AZ, TLS, IAM auth`,
      engine: "redis",
      engineVersion: version,
      parameterGroupName: "default.redis7",
      nodeType,
      numCacheClusters: nodes,
      port: REDIS_PORT,
      subnetGroupName: subnets.name,
      securityGroupIds: [...props.securityGroupIds],
      automaticFailoverEnabled: true,
      multiAzEnabled: true,
      atRestEncryptionEnabled: "true",
      kmsKeyId: props.kmsKeyArn,
      transitEncryptionEnabled: true,
      transitEncryptionMode: "required",
      userGroupIds: [users.userGroupId],
      autoMinorVersionUpgrade: "true",
      snapshotRetentionLimit: snapshots,
      snapshotWindow: "02:00-03:00",
      maintenanceWindow: "sun:05:30-sun:06:30",
      applyImmediately: false,
      logDeliveryConfiguration: [{ destination: slowLog.name, destinationType: "cloudwatch-logs", logFormat: "json", logType: "slow-log" }],
      tags: { Name: props.name },
    });
    this.primaryEndpointAddress = group.primaryEndpointAddress;
    this.readerEndpointAddress = group.readerEndpointAddress;
    this.replicationGroupArn = group.arn;
    this.replicationGroupId = group.id;
    this.replicationGroupName = props.name;
    this.nodeIds = Array.from({ length: nodes }, (_, i) => `${props.name}-${String(i + 1).padStart(3, "0")}`);
    this.appUserName = appUserName;
    this.connectStatements = [{ Sid: "RedisIamAuth", Effect: "Allow", Action: "elasticache:Connect", Resource: [group.arn, appUser.arn] }];
  }
}
