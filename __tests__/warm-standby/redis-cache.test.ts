/**
 * RedisCache: "An ElastiCache Redis replication group: primary and replica in different AZs with automatic
 * failover, encrypted at rest and in transit (TLS required), and authenticated with IAM: the built-in
 * `default` user is switched off and the application connects as `appUserName` with a token from
 * `elasticache:Connect` (no password exists anywhere)."
 */
import { LOG_RETENTION_DAYS } from "../../modules/network/flow-logs";
import { APP_ACCESS_STRING, REDIS_PORT, RedisCache, RedisCacheProps } from "../../modules/warm-standby/redis-cache";
import { fitName } from "../../modules/core/names";
import { invalidInputOf } from "../support/invalid-input";
import { DataJson, inventory, outputsOf, refTo, resourceNamed, synth, twoRegionStack } from "./data-support";

const base: RedisCacheProps = { name: "acme-cache", subnetIds: ["subnet-a", "subnet-b"], securityGroupIds: ["sg-cache"] };
const GROUP = "aws_elasticache_replication_group";

function build(props: Partial<RedisCacheProps> = {}, withProvider = true): { json: DataJson; cache: RedisCache } {
  const { stack, dr } = twoRegionStack();
  const cache = new RedisCache(stack, "cache", { ...base, ...(withProvider ? { provider: dr } : {}), ...props });
  const json = synth(stack, {
    primaryEndpointAddress: cache.primaryEndpointAddress,
    readerEndpointAddress: cache.readerEndpointAddress,
    replicationGroupArn: cache.replicationGroupArn,
    replicationGroupId: cache.replicationGroupId,
    connectStatements: cache.connectStatements,
  });
  return { json, cache };
}
const group = (json: DataJson) => resourceNamed(json, GROUP, "cache_group");

function errorOf(props: Partial<RedisCacheProps>) {
  const { stack } = twoRegionStack();
  return invalidInputOf(() => new RedisCache(stack, "cache", { ...base, ...props }));
}

describe("the replication group", () => {
  test("Redis 7.1 on two cache.t3.micro nodes, Multi-AZ with automatic failover, encrypted at rest and in transit (TLS required), IAM user group, daily snapshots kept 7 days, slow log to CloudWatch", () => {
    const { json } = build();
    expect(inventory(json)).toEqual({
      aws_elasticache_subnet_group: 1,
      aws_elasticache_user: 2,
      aws_elasticache_user_group: 1,
      aws_cloudwatch_log_group: 1,
      [GROUP]: 1,
    });
    expect(group(json)).toEqual({
      provider: "aws.dr",
      replication_group_id: "acme-cache",
      description: "Redis for acme-cache: Multi-AZ, TLS, IAM auth",
      engine: "redis",
      engine_version: "7.1",
      parameter_group_name: "default.redis7",
      node_type: "cache.t3.micro",
      num_cache_clusters: 2,
      port: 6379,
      subnet_group_name: refTo(json, "aws_elasticache_subnet_group", "cache_subnets", "name"),
      security_group_ids: ["sg-cache"],
      automatic_failover_enabled: true,
      multi_az_enabled: true,
      at_rest_encryption_enabled: "true",
      transit_encryption_enabled: true,
      transit_encryption_mode: "required",
      user_group_ids: [refTo(json, "aws_elasticache_user_group", "cache_users", "user_group_id")],
      auto_minor_version_upgrade: "true",
      snapshot_retention_limit: 7,
      snapshot_window: "02:00-03:00",
      maintenance_window: "sun:05:30-sun:06:30",
      apply_immediately: false,
      log_delivery_configuration: [
        { destination: refTo(json, "aws_cloudwatch_log_group", "cache_slow-log", "name"), destination_type: "cloudwatch-logs", log_format: "json", log_type: "slow-log" },
      ],
      tags: { Name: "acme-cache" },
    });
  });

  test("the subnet group holds the given subnets", () => {
    const { json } = build({ subnetIds: ["subnet-1", "subnet-2", "subnet-3"] });
    expect(resourceNamed(json, "aws_elasticache_subnet_group", "cache_subnets")).toEqual({
      provider: "aws.dr",
      name: "acme-cache-cache",
      description: "Subnets of cache acme-cache",
      subnet_ids: ["subnet-1", "subnet-2", "subnet-3"],
    });
  });

  test("every given security group is attached", () => {
    const { json } = build({ securityGroupIds: ["sg-1", "sg-2"] });
    expect(group(json).security_group_ids).toEqual(["sg-1", "sg-2"]);
  });

  test("the slow log keeps 90 days by default", () => {
    const { json } = build();
    expect(resourceNamed(json, "aws_cloudwatch_log_group", "cache_slow-log")).toEqual({ provider: "aws.dr", name: "/elasticache/acme-cache/slow-log", retention_in_days: 90 });
  });

  test("logRetentionDays sets the slow log's retention", () => {
    const { json } = build({ logRetentionDays: 30 });
    expect(resourceNamed(json, "aws_cloudwatch_log_group", "cache_slow-log").retention_in_days).toBe(30);
  });

  test("without kmsKeyArn the AWS managed ElastiCache key encrypts at rest (no kms_key_id); with one, that key", () => {
    expect(group(build().json)).not.toHaveProperty("kms_key_id");
    const key = "arn:aws:kms:us-west-2:123456789012:key/11111111-2222-3333-4444-555555555555";
    expect(group(build({ kmsKeyArn: key }).json).kms_key_id).toBe(key);
  });

  test("node type and engine version overrides land in the group", () => {
    const { json } = build({ nodeType: "cache.r7g.large", engineVersion: "7.0" });
    expect(group(json)).toMatchObject({ node_type: "cache.r7g.large", engine_version: "7.0", parameter_group_name: "default.redis7" });
  });

  test("without a provider every resource uses the stack's default AWS provider", () => {
    const { json } = build({}, false);
    for (const resources of Object.values(json.resource ?? {})) {
      for (const config of Object.values(resources)) expect(config).not.toHaveProperty("provider");
    }
  });

  test("with a provider every resource uses it", () => {
    const { json } = build();
    for (const resources of Object.values(json.resource ?? {})) {
      for (const config of Object.values(resources)) expect(config.provider).toBe("aws.dr");
    }
  });
});

describe("IAM authentication: the default user is off, the application's user authenticates with IAM", () => {
  test("the built-in `default` user can do nothing and has no password", () => {
    const { json } = build();
    expect(resourceNamed(json, "aws_elasticache_user", "cache_default-user")).toEqual({
      provider: "aws.dr",
      user_id: "acme-cache-default",
      user_name: "default",
      engine: "REDIS",
      access_string: "off -@all",
      authentication_mode: { type: "no-password-required" },
    });
  });

  test("the application's user: user id = user name, IAM authentication, every key and every command except the dangerous ones", () => {
    const { json, cache } = build();
    expect(APP_ACCESS_STRING).toBe("on ~* +@all -@dangerous");
    expect(resourceNamed(json, "aws_elasticache_user", "cache_app-user")).toEqual({
      provider: "aws.dr",
      user_id: "acme-cache-app",
      user_name: "acme-cache-app",
      engine: "REDIS",
      access_string: "on ~* +@all -@dangerous",
      authentication_mode: { type: "iam" },
    });
    expect(cache.appUserName).toBe("acme-cache-app");
  });

  test("the user group holds exactly the disabled default user and the application's user", () => {
    const { json } = build();
    expect(resourceNamed(json, "aws_elasticache_user_group", "cache_users")).toEqual({
      provider: "aws.dr",
      user_group_id: "acme-cache-users",
      engine: "REDIS",
      user_ids: [refTo(json, "aws_elasticache_user", "cache_default-user", "user_id"), refTo(json, "aws_elasticache_user", "cache_app-user", "user_id")],
    });
  });

  test("connectStatements: elasticache:Connect on the replication group and the application's user, nothing else", () => {
    const { json, cache } = build();
    expect(outputsOf(json).connectStatements).toEqual([
      { Sid: "RedisIamAuth", Effect: "Allow", Action: "elasticache:Connect", Resource: [refTo(json, GROUP, "cache_group", "arn"), refTo(json, "aws_elasticache_user", "cache_app-user", "arn")] },
    ]);
    expect(cache.connectStatements).toHaveLength(1);
  });

  test("user ids stay within ElastiCache's 40 characters: a 36-character name fits `<name>-app` exactly, a 37-character one is shortened with a hash", () => {
    const fits = `a${"b".repeat(35)}`;
    const { json: fitJson, cache: fitCache } = build({ name: fits });
    expect(fitCache.appUserName).toBe(`${fits}-app`);
    expect(fitCache.appUserName).toHaveLength(40);
    expect(resourceNamed(fitJson, "aws_elasticache_user", "cache_app-user")).toMatchObject({ user_id: `${fits}-app`, user_name: `${fits}-app` });

    const long = `a${"b".repeat(36)}`;
    const { json, cache } = build({ name: long });
    expect(cache.appUserName).toBe(fitName(long, "app", 40));
    expect(cache.appUserName).toMatch(/^ab{30}-[0-9a-f]{4}-app$/);
    expect(resourceNamed(json, "aws_elasticache_user", "cache_app-user")).toMatchObject({ user_id: cache.appUserName, user_name: cache.appUserName });
    const defaultUser = resourceNamed(json, "aws_elasticache_user", "cache_default-user");
    expect(defaultUser.user_id).toBe(fitName(long, "default", 40));
    expect(defaultUser.user_id).toMatch(/^ab{26}-[0-9a-f]{4}-default$/);
    const users = resourceNamed(json, "aws_elasticache_user_group", "cache_users");
    expect(users.user_group_id).toBe(fitName(long, "users", 40));
    expect(users.user_group_id).toMatch(/^ab{28}-[0-9a-f]{4}-users$/);
  });
});

describe("typed attributes", () => {
  test("port 6379, the group's endpoints, ARN and id, and the name as given", () => {
    const { json, cache } = build();
    expect(REDIS_PORT).toBe(6379);
    expect(cache.port).toBe(6379);
    expect(cache.replicationGroupName).toBe("acme-cache");
    const o = outputsOf(json);
    expect([o.primaryEndpointAddress, o.readerEndpointAddress, o.replicationGroupArn, o.replicationGroupId]).toEqual([
      refTo(json, GROUP, "cache_group", "primary_endpoint_address"),
      refTo(json, GROUP, "cache_group", "reader_endpoint_address"),
      refTo(json, GROUP, "cache_group", "arn"),
      refTo(json, GROUP, "cache_group", "id"),
    ]);
  });

  test("nodeIds: `<group>-001`, `-002`, … one per node", () => {
    expect(build().cache.nodeIds).toEqual(["acme-cache-001", "acme-cache-002"]);
    expect(build({ nodes: 6 }).cache.nodeIds).toEqual(["acme-cache-001", "acme-cache-002", "acme-cache-003", "acme-cache-004", "acme-cache-005", "acme-cache-006"]);
  });
});

describe("validation", () => {
  test.each([[[]], [["subnet-a"]]])("subnetIds %p: fewer than two subnets are refused (Multi-AZ failover needs a second AZ)", (subnetIds) => {
    const error = errorOf({ subnetIds });
    expect([error.field, error.value, error.allowed]).toEqual(["cache.subnetIds", subnetIds, "subnets in at least two AZs (Multi-AZ failover puts the replica in another AZ)"]);
  });

  describe("name: 2–37 lowercase letters, digits or single hyphens, starting with a letter", () => {
    const allowed = "2–37 lowercase letters, digits or single hyphens, starting with a letter (room is left for suffixes)";
    test.each(["ab", "a1", "a-b", "a-b-c9", `a${"b".repeat(36)}`])("%p is accepted as the replication group id", (name) => {
      expect(group(build({ name }).json).replication_group_id).toBe(name);
    });
    test.each([
      ["one character", "a"],
      ["38 characters", `a${"b".repeat(37)}`],
      ["a leading digit", "1ab"],
      ["a leading hyphen", "-ab"],
      ["an uppercase letter", "Acme"],
      ["an uppercase letter inside", "acMe"],
      ["a double hyphen", "a--b"],
      ["a trailing hyphen", "ab-"],
      ["an underscore", "a_b"],
      ["a dot", "a.b"],
      ["a trailing space", "ab "],
      ["empty", ""],
    ])("%s is refused, naming the field, the value and what is allowed", (_, name) => {
      expect(errorOf({ name }).message).toBe(`cache.name: ${JSON.stringify(name)} is not allowed; expected ${allowed}`);
    });
  });

  describe("nodeType: an ElastiCache node type", () => {
    test.each(["cache.t3.micro", "cache.t4g.small", "cache.m7g.medium", "cache.r7g.large", "cache.r7g.xlarge", "cache.r7g.12xlarge", "cache.r6gd.2xlarge", "cache.m-x.large"])("%p is accepted", (nodeType) => {
      expect(group(build({ nodeType }).json).node_type).toBe(nodeType);
    });
    test.each(["t3.micro", "cache.t3", "cache.t3.nano", "cache.T3.micro", "cache.3t.micro", "cache.t3.xxlarge", "xcache.t3.micro", "cache.t3.micro2", "cache.t3.micro ", "cache..micro", "cache.t3_.micro", "cache.t3.large.micro", "cache.t3.axlarge"])(
      "%p is refused, naming the field, the value and what is allowed",
      (nodeType) => {
        expect(errorOf({ nodeType }).message).toBe(`cache.nodeType: ${JSON.stringify(nodeType)} is not allowed; expected an ElastiCache node type such as cache.t3.micro`);
      },
    );
  });

  describe("engineVersion: Redis 7 (IAM authentication needs 7)", () => {
    test.each(["7.0", "7.1", "7.10"])("%p is accepted", (engineVersion) => {
      expect(group(build({ engineVersion }).json).engine_version).toBe(engineVersion);
    });
    test.each(["6.2", "7", "7.", "7.x", "17.1", "7.1.2", "8.0", " 7.1", "7.1 "])("%p is refused, naming the field, the value and what is allowed", (engineVersion) => {
      expect(errorOf({ engineVersion }).message).toBe(`cache.engineVersion: ${JSON.stringify(engineVersion)} is not allowed; expected a Redis 7 version such as "7.1" (IAM authentication needs 7)`);
    });
  });

  describe("nodes: an integer from 2 to 6, default 2", () => {
    test.each([2, 3, 6])("%p nodes: num_cache_clusters %p", (nodes) => {
      const { json, cache } = build({ nodes });
      expect(group(json).num_cache_clusters).toBe(nodes);
      expect(cache.nodeIds).toHaveLength(nodes);
    });
    test.each([1, 7, 2.5, 0])("%p is refused, naming the field, the value and what is allowed", (nodes) => {
      expect(errorOf({ nodes }).message).toBe(`cache.nodes: ${nodes} is not allowed; expected an integer from 2 to 6 (a primary and at least one replica for Multi-AZ failover)`);
    });
  });

  test.each([0, 45, 3654])("a slow-log retention CloudWatch does not accept (%p days) is refused at synth, not at apply", (logRetentionDays) => {
    expect(errorOf({ logRetentionDays }).message).toBe(
      `cache.logRetentionDays: ${logRetentionDays} is not allowed; expected one of the CloudWatch Logs retention values ${LOG_RETENTION_DAYS.join(", ")}`);
  });

  describe("snapshotRetentionDays: an integer from 0 to 35, default 7", () => {
    test.each([0, 1, 35])("%p days are kept", (snapshotRetentionDays) => {
      expect(group(build({ snapshotRetentionDays }).json).snapshot_retention_limit).toBe(snapshotRetentionDays);
    });
    test.each([-1, 36, 1.5])("%p is refused, naming the field, the value and what is allowed", (snapshotRetentionDays) => {
      expect(errorOf({ snapshotRetentionDays }).message).toBe(`cache.snapshotRetentionDays: ${snapshotRetentionDays} is not allowed; expected an integer from 0 to 35`);
    });
  });
});
