/**
 * WarmStandbyDatabase: "The database across regions: a Multi-AZ RDS primary in the primary region, a
 * cross-region read replica encrypted with a key of the DR region, each admitting only its region's backend
 * hosts, and one private hostname per region pointing at the local copy."
 *
 * The tiers are stand-ins carrying exactly what the construct reads from a RegionalTier (provider, region,
 * network.vpcId, network.subnetIds, firewalls.backend), so each test synthesizes a few dozen resources.
 */
import { TerraformProvider, TerraformStack } from "cdktf";
import { DatabaseEngine } from "../../modules/database";
import { Firewall } from "../../modules/firewall";
import { RegionalTier } from "../../modules/warm-standby/regional-tier";
import { ReplicatedDatabaseSecret } from "../../modules/warm-standby/replicated-database-secret";
import { WarmStandbyDatabase, WarmStandbyDatabaseProps } from "../../modules/warm-standby/warm-standby-database";
import { invalidInputOf } from "../support/invalid-input";
import { DataJson, Res, configsOf, outputsOf, refTo, resourceNamed, synth, twoRegionStack } from "./data-support";

type Options = Partial<Omit<WarmStandbyDatabaseProps, "primary" | "dr" | "masterSecret">> & {
  primaryRegion?: string;
  drRegion?: string;
  secret?: { primaryRegion: string; drRegion: string; username?: string };
};

/** What WarmStandbyDatabase reads from a RegionalTier; subnetIds answers per subnet tier, so a wrong tier shows. */
function standInTier(stack: TerraformStack, id: string, provider: TerraformProvider, region: string): RegionalTier {
  const backend = new Firewall(stack, `${id}-backend`, { provider, vpcId: `vpc-${id}`, name: `${id}-backend`, description: `backend hosts of ${id}`, allowWebEgress: false });
  return { provider, region, network: { vpcId: `vpc-${id}`, subnetIds: (tier: string) => [`${tier}-${id}-a`, `${tier}-${id}-b`] }, firewalls: { backend } } as unknown as RegionalTier;
}

function make(options: Options = {}) {
  const { stack, primary, dr } = twoRegionStack();
  const { primaryRegion = "us-east-1", drRegion = "us-west-2", secret, ...props } = options;
  const masterSecret = secret
    ? new ReplicatedDatabaseSecret(stack, "secret", { name: "acme-db-master", primary: { region: secret.primaryRegion, provider: primary }, dr: { region: secret.drRegion, provider: dr }, username: secret.username })
    : undefined;
  const create = () =>
    new WarmStandbyDatabase(stack, "db", {
      name: "acme",
      primary: standInTier(stack, "p", primary, primaryRegion),
      dr: standInTier(stack, "d", dr, drRegion),
      hostname: "sql.db.internal",
      masterSecret,
      ...props,
    });
  return { stack, create };
}

function build(options: Options = {}): { json: DataJson; db: WarmStandbyDatabase } {
  const { stack, create } = make(options);
  const db = create();
  const json = synth(stack, { endpointInPrimary: db.endpointIn("us-east-1"), endpointInDr: db.endpointIn("us-west-2") });
  return { json, db };
}

const primaryInstance = (json: DataJson) => resourceNamed(json, "aws_db_instance", "db_primary_instance");
const replicaInstance = (json: DataJson) => resourceNamed(json, "aws_db_instance", "db_dr-replica_instance");
const pick = (config: Res, keys: string[]) => Object.fromEntries(keys.map((k) => [k, config[k]]));
const PRIMARY_KEYS = ["provider", "identifier", "engine", "instance_class", "allocated_storage", "multi_az", "backup_retention_period", "deletion_protection", "tags", "username", "manage_master_user_password", "password_wo", "password_wo_version", "port"];
const REPLICA_KEYS = ["provider", "identifier", "replicate_source_db", "instance_class", "multi_az", "backup_retention_period", "deletion_protection", "tags", "skip_final_snapshot", "final_snapshot_identifier", "kms_key_id", "port"];

describe("the primary and its cross-region replica", () => {
  test("a Multi-AZ MySQL primary `<name>-db` in the primary region's data subnets, with the documented defaults (db.t3.micro, 20 GiB, 7 days of backups, deletion protection, RDS's managed secret)", () => {
    const { json } = build();
    expect(pick(primaryInstance(json), PRIMARY_KEYS)).toEqual({
      provider: "aws.primary",
      identifier: "acme-db",
      engine: "mysql",
      instance_class: "db.t3.micro",
      allocated_storage: 20,
      multi_az: true,
      backup_retention_period: 7,
      deletion_protection: true,
      tags: { Name: "acme-db" },
      username: "dbadmin",
      manage_master_user_password: true,
      password_wo: undefined,
      password_wo_version: undefined,
      port: 3306,
    });
    expect(resourceNamed(json, "aws_db_subnet_group", "db_primary_subnets")).toMatchObject({ provider: "aws.primary", name: "acme-db-db", subnet_ids: ["private-data-p-a", "private-data-p-b"] });
    expect(resourceNamed(json, "aws_security_group", "db_primary_firewall_group")).toMatchObject({ provider: "aws.primary", vpc_id: "vpc-p", name: "acme-db-db" });
  });

  test("a read replica `<name>-db-dr` in the DR region's data subnets, following the primary by ARN, encrypted with a key of the DR region", () => {
    const { json } = build();
    expect(pick(replicaInstance(json), REPLICA_KEYS)).toEqual({
      provider: "aws.dr",
      identifier: "acme-db-dr",
      replicate_source_db: refTo(json, "aws_db_instance", "db_primary_instance", "arn"),
      instance_class: "db.t3.micro",
      multi_az: false,
      backup_retention_period: 7,
      deletion_protection: true,
      tags: { Name: "acme-db-dr" },
      skip_final_snapshot: true,
      final_snapshot_identifier: undefined,
      kms_key_id: refTo(json, "aws_kms_key", "db_dr-replica_key", "arn"),
      port: 3306,
    });
    expect(resourceNamed(json, "aws_kms_key", "db_dr-replica_key").provider).toBe("aws.dr");
    expect(resourceNamed(json, "aws_db_subnet_group", "db_dr-replica_subnets")).toMatchObject({ provider: "aws.dr", name: "acme-db-dr-db", subnet_ids: ["private-data-d-a", "private-data-d-b"] });
    expect(resourceNamed(json, "aws_security_group", "db_dr-replica_firewall_group")).toMatchObject({ provider: "aws.dr", vpc_id: "vpc-d", name: "acme-db-dr-db" });
  });

  test("each copy admits only its own region's backend hosts, on the engine port", () => {
    const { json } = build();
    const rule = (provider: string, group: string, peer: string) => ({
      provider,
      security_group_id: group,
      description: "Backend hosts to mysql",
      ip_protocol: "tcp",
      from_port: 3306,
      to_port: 3306,
      referenced_security_group_id: peer,
    });
    const primaryDb = refTo(json, "aws_security_group", "db_primary_firewall_group", "id");
    const replicaDb = refTo(json, "aws_security_group", "db_dr-replica_firewall_group", "id");
    const primaryBackend = refTo(json, "aws_security_group", "p-backend_group", "id");
    const drBackend = refTo(json, "aws_security_group", "d-backend_group", "id");
    expect(configsOf(json, "aws_vpc_security_group_ingress_rule")).toEqual([rule("aws.dr", replicaDb, drBackend), rule("aws.primary", primaryDb, primaryBackend)]);
    expect(configsOf(json, "aws_vpc_security_group_egress_rule")).toEqual([rule("aws.dr", drBackend, replicaDb), rule("aws.primary", primaryBackend, primaryDb)]);
  });

  test("overrides: engine, instance class, storage, backup retention, deletion protection and the writer's extra tags", () => {
    const { json } = build({ instanceClass: "db.t3.small", allocatedStorageGb: 50, backupRetentionDays: 14, deletionProtection: false, tags: { Backup: "acme" } });
    expect(pick(primaryInstance(json), ["instance_class", "allocated_storage", "backup_retention_period", "deletion_protection", "tags", "multi_az"])).toEqual({
      instance_class: "db.t3.small",
      allocated_storage: 50,
      backup_retention_period: 14,
      deletion_protection: false,
      tags: { Name: "acme-db", Backup: "acme" },
      multi_az: true,
    });
    // The replica follows its source's class, retention (MySQL) and protection; the backup tag stays on the writer.
    expect(pick(replicaInstance(json), ["instance_class", "backup_retention_period", "deletion_protection", "tags", "multi_az"])).toEqual({
      instance_class: "db.t3.small",
      backup_retention_period: 14,
      deletion_protection: false,
      tags: { Name: "acme-db-dr" },
      multi_az: false,
    });
  });

  test("PostgreSQL: port 5432 everywhere, and no backups on the (not promoted) replica", () => {
    const { json, db } = build({ engine: DatabaseEngine.POSTGRES });
    expect(db.port).toBe(5432);
    expect(primaryInstance(json)).toMatchObject({ engine: "postgres", port: 5432 });
    expect(replicaInstance(json).port).toBe(5432);
    expect(replicaInstance(json)).not.toHaveProperty("backup_retention_period");
    for (const r of [...configsOf(json, "aws_vpc_security_group_ingress_rule"), ...configsOf(json, "aws_vpc_security_group_egress_rule")]) {
      expect([r.from_port, r.to_port, r.description]).toEqual([5432, 5432, "Backend hosts to postgres"]);
    }
  });
});

describe('activeRegion "dr": the promoted replica is declared as a standalone writer', () => {
  test("same address, no source, Multi-AZ, 7 days of backups, deletion protection, the writer's tags, a final snapshot", () => {
    const { json } = build({ activeRegion: "dr", tags: { Backup: "acme" } });
    expect(pick(replicaInstance(json), REPLICA_KEYS)).toEqual({
      provider: "aws.dr",
      identifier: "acme-db-dr",
      replicate_source_db: undefined,
      instance_class: "db.t3.micro",
      multi_az: true,
      backup_retention_period: 7,
      deletion_protection: true,
      tags: { Name: "acme-db-dr", Backup: "acme" },
      skip_final_snapshot: false,
      final_snapshot_identifier: "acme-db-dr-final",
      kms_key_id: refTo(json, "aws_kms_key", "db_dr-replica_key", "arn"),
      port: 3306,
    });
  });

  test("the old primary stays declared exactly as it was, so surviving data is never destroyed", () => {
    const before = build({ tags: { Backup: "acme" } }).json;
    const after = build({ activeRegion: "dr", tags: { Backup: "acme" } }).json;
    expect(primaryInstance(after)).toEqual(primaryInstance(before));
  });

  test("the promoted writer takes the given backup retention and deletion protection", () => {
    const { json } = build({ activeRegion: "dr", backupRetentionDays: 14, deletionProtection: false });
    expect(pick(replicaInstance(json), ["backup_retention_period", "deletion_protection", "tags"])).toEqual({ backup_retention_period: 14, deletion_protection: false, tags: { Name: "acme-db-dr" } });
  });

  test("a promoted PostgreSQL replica keeps backups (7 days by default)", () => {
    const { json } = build({ activeRegion: "dr", engine: DatabaseEngine.POSTGRES });
    expect(replicaInstance(json).backup_retention_period).toBe(7);
  });

  test('activeRegion "primary" is the default', () => {
    expect(build({ activeRegion: "primary" }).json).toEqual(build().json);
  });
});

describe("one private hostname per region, pointing at the local copy", () => {
  test("a zone per VPC with the same name; the CNAME points at that region's database", () => {
    const { json } = build();
    expect(configsOf(json, "aws_route53_zone")).toEqual([
      { provider: "aws.dr", name: "db.internal", comment: "Private names of us-west-2: sql.db.internal is this region's database", vpc: [{ vpc_id: "vpc-d", vpc_region: "us-west-2" }], force_destroy: false },
      { provider: "aws.primary", name: "db.internal", comment: "Private names of us-east-1: sql.db.internal is this region's database", vpc: [{ vpc_id: "vpc-p", vpc_region: "us-east-1" }], force_destroy: false },
    ]);
    expect(configsOf(json, "aws_route53_record")).toEqual([
      { provider: "aws.dr", zone_id: refTo(json, "aws_route53_zone", "db_dr-name_zone", "zone_id"), name: "sql.db.internal", type: "CNAME", ttl: 60, records: [refTo(json, "aws_db_instance", "db_dr-replica_instance", "address")] },
      { provider: "aws.primary", zone_id: refTo(json, "aws_route53_zone", "db_primary-name_zone", "zone_id"), name: "sql.db.internal", type: "CNAME", ttl: 60, records: [refTo(json, "aws_db_instance", "db_primary_instance", "address")] },
    ]);
  });
});

describe("the master secret", () => {
  test("without one, RDS manages the password in its own secret", () => {
    const { json } = build();
    expect(primaryInstance(json)).toMatchObject({ manage_master_user_password: true, username: "dbadmin" });
    expect(primaryInstance(json)).not.toHaveProperty("password_wo");
  });

  test("with a replicated secret, the primary's user name and write-only password come from it (no RDS managed secret); the replica inherits them", () => {
    const { json } = build({ secret: { primaryRegion: "us-east-1", drRegion: "us-west-2", username: "app_admin" } });
    expect(pick(primaryInstance(json), ["username", "password_wo", "password_wo_version", "manage_master_user_password"])).toEqual({
      username: "app_admin",
      password_wo: "${jsondecode(ephemeral.aws_secretsmanager_secret_version.acme_db_master.secret_string).password}",
      password_wo_version: 1,
      manage_master_user_password: undefined,
    });
    expect(pick(replicaInstance(json), ["username", "password_wo", "manage_master_user_password"])).toEqual({ username: undefined, password_wo: undefined, manage_master_user_password: undefined });
  });

  test.each([
    ["primary", { primaryRegion: "us-east-2", drRegion: "us-west-2" }, "us-east-2 → us-west-2"],
    ["DR", { primaryRegion: "us-east-1", drRegion: "eu-west-1" }, "us-east-1 → eu-west-1"],
    ["both", { primaryRegion: "us-west-2", drRegion: "us-east-1" }, "us-west-2 → us-east-1"],
  ])("a secret whose %s region differs from the tiers' is refused", (_, secret, value) => {
    const { create } = make({ secret });
    expect(invalidInputOf(create).message).toBe(`db.masterSecret: ${JSON.stringify(value)} is not allowed; expected a secret in us-east-1 replicated to us-west-2`);
  });
});

describe("typed attributes", () => {
  test("hostname as given, the engine's port, the primary and the replica constructs", () => {
    const { db } = build();
    expect(db.hostname).toBe("sql.db.internal");
    expect(db.port).toBe(3306);
    expect([db.primary.region, db.replica.region, db.replica.crossRegion]).toEqual(["us-east-1", "us-west-2", true]);
    expect(db.primary.node.path).toBe("t/db/primary");
    expect(db.replica.node.path).toBe("t/db/dr-replica");
  });

  test("endpointIn(region): the RDS endpoint the private name points at in that region", () => {
    const { json } = build();
    expect(outputsOf(json)).toEqual({
      endpointInPrimary: refTo(json, "aws_db_instance", "db_primary_instance", "address"),
      endpointInDr: refTo(json, "aws_db_instance", "db_dr-replica_instance", "address"),
    });
  });

  test("endpointIn refuses a region with no copy, naming both that have one", () => {
    const { create } = make();
    const db = create();
    expect(invalidInputOf(() => db.endpointIn("eu-west-1")).message).toBe('db.endpointIn: "eu-west-1" is not allowed; expected us-east-1 or us-west-2');
  });
});
