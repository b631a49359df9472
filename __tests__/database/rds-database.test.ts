import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Firewall } from "../../modules/firewall";
import { DatabaseEngine, RdsDatabase, ReadReplica } from "../../modules/database";

type Json = Record<string, any>;

function build(configure: (stack: TerraformStack, dr: AwsProvider) => void): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "db-test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const dr = new AwsProvider(stack, "aws-dr", { region: "us-west-2", alias: "dr" });
  configure(stack, dr);
  return JSON.parse(Testing.synth(stack));
}

function primary(stack: TerraformStack, extra: Partial<ConstructorParameters<typeof RdsDatabase>[2]> = {}): RdsDatabase {
  return new RdsDatabase(stack, "db", { region: "us-east-1", name: "webplat-db", vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"], ...extra });
}

const instances = (json: Json): Json[] => Object.values(json.resource.aws_db_instance ?? {});

describe("RdsDatabase", () => {
  test("secure defaults are written explicitly and no password is in the JSON", () => {
    const json = build((stack) => primary(stack));
    const [db] = instances(json);
    expect(db).toMatchObject({
      engine: "mysql",
      engine_version: "8.0",
      port: 3306,
      storage_encrypted: true,
      manage_master_user_password: true,
      publicly_accessible: false,
      iam_database_authentication_enabled: true,
      deletion_protection: true,
      multi_az: true,
      backup_retention_period: 7,
      skip_final_snapshot: false,
      enabled_cloudwatch_logs_exports: ["error", "general", "slowquery"],
    });
    expect(db.kms_key_id).toMatch(/aws_kms_key\./);
    expect(db).not.toHaveProperty("password");
    expect(JSON.stringify(json)).not.toMatch(/"password"/);
    const [key] = Object.values(json.resource.aws_kms_key) as Json[];
    expect(key.enable_key_rotation).toBe(true);
    const [params] = Object.values(json.resource.aws_db_parameter_group) as Json[];
    expect(params.family).toBe("mysql8.0");
    expect(params.parameter).toEqual([expect.objectContaining({ name: "require_secure_transport", value: "1" })]);
  });

  test("PostgreSQL uses its port, family, TLS parameter and logs", () => {
    const json = build((stack) => primary(stack, { engine: DatabaseEngine.POSTGRES, multiAz: false }));
    const [db] = instances(json);
    expect(db).toMatchObject({ engine: "postgres", engine_version: "16", port: 5432, multi_az: false, enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"] });
    const [params] = Object.values(json.resource.aws_db_parameter_group) as Json[];
    expect(params.family).toBe("postgres16");
    expect(params.parameter[0].name).toBe("rds.force_ssl");
  });

  test("allowFrom admits the client group on the engine port only, and the database has no egress", () => {
    const json = build((stack) => {
      const app = new Firewall(stack, "app", { vpcId: "vpc-1", name: "app", description: "application servers" });
      primary(stack).allowFrom(app, "App servers");
    });
    const ingress = Object.values(json.resource.aws_vpc_security_group_ingress_rule) as Json[];
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({ from_port: 3306, to_port: 3306, ip_protocol: "tcp" });
    expect(ingress[0].referenced_security_group_id).toMatch(/aws_security_group\.app/);
    expect(ingress[0]).not.toHaveProperty("cidr_ipv4");
    const egress = Object.values(json.resource.aws_vpc_security_group_egress_rule) as Json[];
    const dbEgress = egress.filter((r) => String(r.security_group_id).includes("aws_security_group.db_"));
    expect(dbEgress).toHaveLength(0);
  });
});

describe("ReadReplica", () => {
  test("grows its storage with its source (a full replica stops replicating); found by the apply rehearsal", () => {
    const json = build((stack) => {
      const db = primary(stack, { allocatedStorageGb: 50, maxAllocatedStorageGb: 400 });
      new ReadReplica(stack, "replica", { source: db, name: "webplat-db-replica" });
    });
    const byName = (name: string) => instances(json).find((i) => i.identifier === name)!;
    expect(byName("webplat-db").max_allocated_storage).toBe(400);
    expect(byName("webplat-db-replica").max_allocated_storage).toBe(400);
  });

  test("same-region replica follows the primary by identifier and shares its key and firewall", () => {
    const json = build((stack) => {
      const db = primary(stack);
      new ReadReplica(stack, "replica", { source: db, name: "webplat-db-replica" });
    });
    const replica = instances(json).find((i) => i.identifier === "webplat-db-replica")!;
    expect(replica.replicate_source_db).toMatch(/aws_db_instance\.db_instance_.*\.identifier/);
    expect(replica.kms_key_id).toMatch(/aws_kms_key\.db_key/);
    expect(replica).not.toHaveProperty("username");
    expect(replica).not.toHaveProperty("db_subnet_group_name");
    expect(Object.keys(json.resource.aws_kms_key)).toHaveLength(1);
  });

  test("cross-region replica follows the primary by ARN with a key of its own region", () => {
    const json = build((stack, dr) => {
      const db = primary(stack);
      new ReadReplica(stack, "dr-replica", { source: db, name: "webplat-db-dr", provider: dr, region: "us-west-2", vpcId: "vpc-2", subnetIds: ["subnet-c", "subnet-d"] });
    });
    const replica = instances(json).find((i) => i.identifier === "webplat-db-dr")!;
    expect(replica.replicate_source_db).toMatch(/aws_db_instance\.db_instance_.*\.arn/);
    expect(replica.provider).toBe("aws.dr");
    const keyRef = /aws_kms_key\.([\w-]+)\.arn/.exec(replica.kms_key_id)![1];
    expect(json.resource.aws_kms_key[keyRef].provider).toBe("aws.dr");
    expect(json.resource.aws_db_subnet_group[/aws_db_subnet_group\.([\w-]+)\.name/.exec(replica.db_subnet_group_name)![1]].provider).toBe("aws.dr");
    expect(replica.storage_encrypted).toBe(true);
    expect(replica.backup_retention_period).toBe(7);
  });
});

describe("validation names the prop", () => {
  const cases: [string, (stack: TerraformStack, dr: AwsProvider) => void, RegExp][] = [
    ["name", (s) => primary(s, { name: "Bad_Name" }), /db\.name: "Bad_Name"/],
    ["engine", (s) => primary(s, { engine: "oracle" as DatabaseEngine }), /db\.engine: "oracle"/],
    ["engineVersion", (s) => primary(s, { engineVersion: "5.7" }), /db\.engineVersion: "5\.7"/],
    ["instanceClass", (s) => primary(s, { instanceClass: "t3.micro" }), /db\.instanceClass: "t3\.micro"/],
    ["subnetIds", (s) => primary(s, { subnetIds: ["subnet-a"] }), /db\.subnetIds/],
    ["allocatedStorageGb", (s) => primary(s, { allocatedStorageGb: 10 }), /db\.allocatedStorageGb: 10/],
    ["maxAllocatedStorageGb", (s) => primary(s, { allocatedStorageGb: 200, maxAllocatedStorageGb: 100 }), /db\.maxAllocatedStorageGb: 100/],
    ["backupRetentionDays", (s) => primary(s, { backupRetentionDays: 0 }), /db\.backupRetentionDays: 0/],
    ["backupWindow", (s) => primary(s, { backupWindow: "3am" }), /db\.backupWindow: "3am"/],
    ["maintenanceWindow", (s) => primary(s, { maintenanceWindow: "03:00-04:00" }), /db\.maintenanceWindow/],
    ["monitoringIntervalSeconds", (s) => primary(s, { monitoringIntervalSeconds: 7 }), /db\.monitoringIntervalSeconds: 7/],
    ["masterUsername", (s) => primary(s, { masterUsername: "admin" }), /db\.masterUsername: "admin"/],
    ["databaseName", (s) => primary(s, { databaseName: "my-db" }), /db\.databaseName: "my-db"/],
    ["region token", (s) => primary(s, { region: "${TfToken[TOKEN.1]}" }), /db\.region: "<unresolved token>"/],
    ["replica vpcId", (s, dr) => new ReadReplica(s, "r", { source: primary(s), name: "r", provider: dr, region: "us-west-2", subnetIds: ["a", "b"] }), /r\.vpcId/],
    ["replica subnetIds", (s, dr) => new ReadReplica(s, "r", { source: primary(s), name: "r", provider: dr, region: "us-west-2", vpcId: "vpc-2" }), /r\.subnetIds/],
    ["replica same-region vpcId", (s) => new ReadReplica(s, "r", { source: primary(s), name: "r", vpcId: "vpc-2" }), /r\.vpcId: "<set>"/],
    ["replica instanceClass", (s) => new ReadReplica(s, "r", { source: primary(s), name: "r", instanceClass: "large" }), /r\.instanceClass/],
    ["replica postgres backups", (s) => new ReadReplica(s, "r", { source: primary(s, { engine: DatabaseEngine.POSTGRES }), name: "r", backupRetentionDays: 3 }), /r\.backupRetentionDays: 3/],
  ];
  test.each(cases)("rejects %s", (_, build_, message) => {
    expect(() => build(build_)).toThrow(message);
  });
});
