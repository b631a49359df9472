/**
 * RdsDatabase and ReadReplica in a stack of their own: every promise of modules/database/README.md,
 * asserted on the synthesized JSON (test names quote the README). Each test synthesizes its own stack,
 * so mutation testing's per-test coverage can tell the tests apart. Validation of each prop is in
 * rds-database.test.ts.
 */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Firewall } from "../../modules/firewall";
import { DatabaseEngine, RdsDatabase, RdsDatabaseProps, ReadReplica } from "../../modules/database";
import { onlyResourceOf, resourcesOf, resourceValuesOf } from "../support/synth";

type Json = Record<string, any>;

const PRIMARY: RdsDatabaseProps = { region: "us-east-1", name: "webplat-dev-stage1-db", vpcId: "vpc-1", subnetIds: ["subnet-a", "subnet-b"] };

function synth(build: (stack: TerraformStack, dr: AwsProvider) => void): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "db-readme");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const dr = new AwsProvider(stack, "aws-dr", { region: "us-west-2", alias: "dr" });
  build(stack, dr);
  return JSON.parse(Testing.synth(stack));
}
const instanceNamed = (json: Json, identifier: string): Json => resourceValuesOf(json, "aws_db_instance").find((i) => i.identifier === identifier)!;
const primaryOnly = (props: Partial<RdsDatabaseProps> = {}) => synth((s) => new RdsDatabase(s, "db", { ...PRIMARY, ...props }));

describe("RdsDatabase (modules/database/README.md)", () => {
  it("\"storage encryption with a customer managed KMS key (yearly rotation)\"", () => {
    const json = primaryOnly();
    const [keyName, key] = onlyResourceOf(json, "aws_kms_key");
    const db = instanceNamed(json, "webplat-dev-stage1-db");
    expect(db.storage_encrypted).toBe(true);
    expect(db.kms_key_id).toBe(`\${aws_kms_key.${keyName}.arn}`);
    expect(key.enable_key_rotation).toBe(true);
    // No rotation_period_in_days: KMS rotates every 365 days.
    expect(key.rotation_period_in_days ?? 365).toBe(365);
  });

  it("\"`manage_master_user_password = true` (RDS keeps the password in Secrets Manager, encrypted with the same key — no password in Terraform)\"", () => {
    const json = primaryOnly();
    const db = instanceNamed(json, "webplat-dev-stage1-db");
    expect(db.manage_master_user_password).toBe(true);
    expect(db.master_user_secret_kms_key_id).toBe(db.kms_key_id);
    expect(db.password).toBeUndefined();
    expect(db.password_wo).toBeUndefined();
    expect(JSON.stringify(json)).not.toMatch(/"password"/);
  });

  it("\"TLS required by a parameter group (`require_secure_transport` / `rds.force_ssl`)\"", () => {
    for (const [engine, parameter] of [[DatabaseEngine.MYSQL, "require_secure_transport"], [DatabaseEngine.POSTGRES, "rds.force_ssl"]] as const) {
      const json = primaryOnly({ engine });
      const [groupName, group] = onlyResourceOf(json, "aws_db_parameter_group");
      expect(group.parameter).toEqual([{ name: parameter, value: "1", apply_method: "immediate" }]);
      expect(instanceNamed(json, "webplat-dev-stage1-db").parameter_group_name).toBe(`\${aws_db_parameter_group.${groupName}.name}`);
    }
  });

  it("\"IAM database authentication\", \"`publicly_accessible = false`\"", () => {
    const db = instanceNamed(primaryOnly(), "webplat-dev-stage1-db");
    expect(db.iam_database_authentication_enabled).toBe(true);
    expect(db.publicly_accessible).toBe(false);
  });

  it("\"automated backups (1–35 days)\": 7 by default, 1 and 35 accepted, 0 and 36 rejected", () => {
    expect(instanceNamed(primaryOnly(), "webplat-dev-stage1-db").backup_retention_period).toBe(7);
    expect(instanceNamed(primaryOnly({ backupRetentionDays: 1 }), "webplat-dev-stage1-db").backup_retention_period).toBe(1);
    expect(instanceNamed(primaryOnly({ backupRetentionDays: 35 }), "webplat-dev-stage1-db").backup_retention_period).toBe(35);
    expect(() => primaryOnly({ backupRetentionDays: 0 })).toThrow(/db\.backupRetentionDays: 0 is not allowed/);
    expect(() => primaryOnly({ backupRetentionDays: 36 })).toThrow(/db\.backupRetentionDays: 36 is not allowed/);
  });

  it("\"deletion protection and a final snapshot\"", () => {
    const db = instanceNamed(primaryOnly(), "webplat-dev-stage1-db");
    expect(db.deletion_protection).toBe(true);
    expect(db.skip_final_snapshot).toBe(false);
    expect(db.final_snapshot_identifier).toBe("webplat-dev-stage1-db-final");
  });

  it("\"CloudWatch log exports\" (every log the engine offers)", () => {
    expect(instanceNamed(primaryOnly(), "webplat-dev-stage1-db").enabled_cloudwatch_logs_exports).toEqual(["error", "general", "slowquery"]);
    expect(instanceNamed(primaryOnly({ engine: DatabaseEngine.POSTGRES }), "webplat-dev-stage1-db").enabled_cloudwatch_logs_exports).toEqual(["postgresql", "upgrade"]);
  });

  it("\"Enhanced Monitoring (60 s)\" with a role RDS may assume", () => {
    const json = primaryOnly();
    const db = instanceNamed(json, "webplat-dev-stage1-db");
    expect(db.monitoring_interval).toBe(60);
    const roles = resourcesOf(json, "aws_iam_role");
    expect(roles).toHaveLength(1);
    expect(db.monitoring_role_arn).toBe(`\${aws_iam_role.${roles[0][0]}.arn}`);
    expect(JSON.parse(roles[0][1].assume_role_policy).Statement[0].Principal).toEqual({ Service: "monitoring.rds.amazonaws.com" });
  });

  it("\"gp3 storage with autoscaling\"", () => {
    const db = instanceNamed(primaryOnly(), "webplat-dev-stage1-db");
    expect(db.storage_type).toBe("gp3");
    expect(db.allocated_storage).toBe(20);
    expect(db.max_allocated_storage).toBe(100);
  });

  it("\"`engine: DatabaseEngine.MYSQL`, // default; POSTGRES selectable\"; \"`multiAz` … default true\"", () => {
    const mysql = instanceNamed(primaryOnly(), "webplat-dev-stage1-db");
    expect(mysql).toMatchObject({ engine: "mysql", port: 3306, multi_az: true });
    const postgres = instanceNamed(primaryOnly({ engine: DatabaseEngine.POSTGRES, multiAz: false }), "webplat-dev-stage1-db");
    expect(postgres).toMatchObject({ engine: "postgres", port: 5432, multi_az: false });
  });

  it("\"a security group with no rule until `allowFrom(client)`\"", () => {
    const json = primaryOnly();
    const [groupName, group] = onlyResourceOf(json, "aws_security_group");
    expect(group.vpc_id).toBe("vpc-1");
    expect(resourceValuesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual([]);
    expect(resourceValuesOf(json, "aws_vpc_security_group_egress_rule")).toEqual([]);
    expect(instanceNamed(json, "webplat-dev-stage1-db").vpc_security_group_ids).toEqual([`\${aws_security_group.${groupName}.id}`]);
  });

  it("`allowFrom(client)` opens the engine port to the client's group: ingress on the database, egress on the client", () => {
    const json = synth((s) => {
      const app = new Firewall(s, "app", { vpcId: "vpc-1", name: "app", description: "Application servers", allowWebEgress: false });
      new RdsDatabase(s, "db", PRIMARY).allowFrom(app, "App servers");
    });
    const group = (prefix: string) => `\${aws_security_group.${Object.keys(json.resource.aws_security_group).find((n) => n.startsWith(prefix))}.id}`;
    expect(resourceValuesOf(json, "aws_vpc_security_group_ingress_rule")).toEqual([
      expect.objectContaining({ security_group_id: group("db_"), referenced_security_group_id: group("app_"), ip_protocol: "tcp", from_port: 3306, to_port: 3306, description: "App servers to mysql" }),
    ]);
    expect(resourceValuesOf(json, "aws_vpc_security_group_egress_rule")).toEqual([
      expect.objectContaining({ security_group_id: group("app_"), referenced_security_group_id: group("db_"), from_port: 3306, to_port: 3306 }),
    ]);
  });

  it("attributes \"`endpoint` (`host:port`), `address`, `port` (number), `arn`, `identifier`, `securityGroupId`, `kmsKeyArn`, `masterUserSecretArn` (primary), `engine`, `region`\"", () => {
    let db!: RdsDatabase;
    const json = synth((s) => {
      db = new RdsDatabase(s, "db", PRIMARY);
      for (const [name, value] of Object.entries({ endpoint: db.endpoint, address: db.address, arn: db.arn, identifier: db.identifier, sg: db.securityGroupId, key: db.kmsKeyArn, secret: db.masterUserSecretArn })) {
        new TerraformOutput(s, name, { value });
      }
    });
    const [instanceName] = onlyResourceOf(json, "aws_db_instance");
    const attr = (a: string) => `\${aws_db_instance.${instanceName}.${a}}`;
    expect(json.output.endpoint.value).toBe(attr("endpoint"));
    expect(json.output.address.value).toBe(attr("address"));
    expect(json.output.arn.value).toBe(attr("arn"));
    expect(json.output.identifier.value).toBe(attr("identifier"));
    expect(json.output.secret.value).toBe(`\${aws_db_instance.${instanceName}.master_user_secret[0].secret_arn}`);
    expect(json.output.sg.value).toBe(`\${aws_security_group.${onlyResourceOf(json, "aws_security_group")[0]}.id}`);
    expect(json.output.key.value).toBe(`\${aws_kms_key.${onlyResourceOf(json, "aws_kms_key")[0]}.arn}`);
    expect([db.port, db.engine, db.region, db.firewall.securityGroupId === db.securityGroupId, db.instance.terraformResourceType]).toEqual([3306, "mysql", "us-east-1", true, "aws_db_instance"]);
  });
});

describe("ReadReplica (modules/database/README.md)", () => {
  it("\"A same-region replica shares the primary's key, subnet group, parameter group and firewall\"", () => {
    const json = synth((s) => {
      const db = new RdsDatabase(s, "db", PRIMARY);
      new ReadReplica(s, "db-replica", { source: db, name: "webplat-dev-stage1-db-replica" });
    });
    const primary = instanceNamed(json, "webplat-dev-stage1-db");
    const replica = instanceNamed(json, "webplat-dev-stage1-db-replica");
    const [primaryName] = resourcesOf(json, "aws_db_instance").find(([, i]) => i === primary)!;
    expect(replica.replicate_source_db).toBe(`\${aws_db_instance.${primaryName}.identifier}`);
    expect(replica.kms_key_id).toBe(primary.kms_key_id);
    expect(replica.parameter_group_name).toBe(primary.parameter_group_name);
    expect(replica.vpc_security_group_ids).toEqual(primary.vpc_security_group_ids);
    // No subnet group of its own: an in-region replica is placed in its source's.
    expect(replica.db_subnet_group_name).toBeUndefined();
    for (const type of ["aws_kms_key", "aws_db_subnet_group", "aws_db_parameter_group", "aws_security_group"]) expect([type, resourcesOf(json, type).length]).toEqual([type, 1]);
  });

  it("\"(its `allowFrom` opens the primary's firewall)\"", () => {
    const json = synth((s) => {
      const app = new Firewall(s, "app", { vpcId: "vpc-1", name: "app", description: "Application servers", allowWebEgress: false });
      const db = new RdsDatabase(s, "db", PRIMARY);
      new ReadReplica(s, "db-replica", { source: db, name: "webplat-dev-stage1-db-replica" }).allowFrom(app, "App servers");
    });
    const [rule] = resourceValuesOf(json, "aws_vpc_security_group_ingress_rule");
    expect(resourceValuesOf(json, "aws_vpc_security_group_ingress_rule")).toHaveLength(1);
    expect(rule.security_group_id).toBe(instanceNamed(json, "webplat-dev-stage1-db").vpc_security_group_ids[0]);
    expect(rule.from_port).toBe(3306);
  });

  it("\"A cross-region replica references the primary by ARN and gets its own key, subnet group, parameter group and firewall in its region\"", () => {
    const json = synth((s, dr) => {
      const db = new RdsDatabase(s, "db", PRIMARY);
      new ReadReplica(s, "db-dr", { source: db, name: "webplat-dev-stage4-db-dr", provider: dr, region: "us-west-2", vpcId: "vpc-dr", subnetIds: ["subnet-c", "subnet-d"] });
    });
    const [primaryName] = resourcesOf(json, "aws_db_instance").find(([, i]) => i.identifier === "webplat-dev-stage1-db")!;
    const replica = instanceNamed(json, "webplat-dev-stage4-db-dr");
    expect(replica.replicate_source_db).toBe(`\${aws_db_instance.${primaryName}.arn}`);
    expect(replica.provider).toBe("aws.dr");
    const ownOf = (type: string, ref: string) => {
      const name = new RegExp(`^\\$\\{${type}\\.([\\w-]+)\\.`).exec(ref)![1];
      return json.resource[type][name];
    };
    const key = ownOf("aws_kms_key", replica.kms_key_id);
    const subnets = ownOf("aws_db_subnet_group", replica.db_subnet_group_name);
    const params = ownOf("aws_db_parameter_group", replica.parameter_group_name);
    const group = ownOf("aws_security_group", replica.vpc_security_group_ids[0]);
    expect([key.provider, subnets.provider, params.provider, group.provider]).toEqual(["aws.dr", "aws.dr", "aws.dr", "aws.dr"]);
    expect(subnets.subnet_ids).toEqual(["subnet-c", "subnet-d"]);
    expect(group.vpc_id).toBe("vpc-dr");
    expect(params.parameter).toEqual([{ name: "require_secure_transport", value: "1", apply_method: "immediate" }]);
    expect(replica.kms_key_id).not.toBe(instanceNamed(json, "webplat-dev-stage1-db").kms_key_id);
    for (const type of ["aws_kms_key", "aws_db_subnet_group", "aws_db_parameter_group", "aws_security_group"]) expect([type, resourcesOf(json, type).length]).toEqual([type, 2]);
  });
});
