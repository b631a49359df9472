/**
 * The committed ForceNew list agrees with the real AWS provider. Each probe is a
 * resource whose hand-made state holds `base` and whose configuration changes
 * one attribute; `terraform plan -refresh=false` (real provider from the local
 * mirror, no API call) says in `replace_paths` whether that attribute forces a
 * replacement. Other replace paths of a probe come from attributes the minimal
 * state leaves empty and are ignored.
 */
import { createHash } from "crypto";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { forcingAttributes, parsePlan } from "../../modules/review";
import { initStack, validateAndPlan } from "../../scripts/plan-offline";
import { missingOfflineTerraform, prepareOfflineTerraform, terraform } from "../../scripts/offline-terraform";

const missing = missingOfflineTerraform();
if (missing) {
  console.warn(`ForceNew provider probe: SKIPPED — missing ${missing}`);
  if (process.env.CI) throw new Error(`CI must run the ForceNew provider probe; missing ${missing}`);
}

type Probe = [type: string, base: Record<string, unknown>, changes: [attribute: string, value: unknown][]];

const POLICY = (action: string): string => JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: action, Resource: "*" }] });
const TRUST = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } }] });

const PROBES: Probe[] = [
  ["aws_instance", { ami: "ami-00000000000000001", instance_type: "t3.micro", private_ip: "10.0.0.5", subnet_id: "subnet-1", user_data: "a", user_data_replace_on_change: true, key_name: "k", monitoring: true, iam_instance_profile: "p", associate_public_ip_address: false }, [
    ["instance_type", "t3.small"], ["private_ip", "10.0.0.6"], ["subnet_id", "subnet-2"], ["ami", "ami-00000000000000002"], ["associate_public_ip_address", true],
    ["user_data", "b"], ["key_name", "k2"], ["monitoring", false], ["iam_instance_profile", "p2"],
  ]],
  ["aws_instance", { ami: "ami-00000000000000001", instance_type: "t3.micro", subnet_id: "subnet-1", user_data: "a", user_data_replace_on_change: false }, [["user_data", "b"]]],
  ["aws_vpc_security_group_ingress_rule", { security_group_id: "sg-1", cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443, ip_protocol: "tcp", description: "d" }, [
    ["to_port", 444], ["cidr_ipv4", "10.0.0.0/8"], ["security_group_id", "sg-2"], ["description", "e"],
  ]],
  ["aws_vpc_security_group_egress_rule", { security_group_id: "sg-1", cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443, ip_protocol: "tcp" }, [["cidr_ipv4", "10.0.0.0/8"], ["security_group_id", "sg-2"]]],
  ["aws_db_instance", { identifier: "db-a", instance_class: "db.t3.micro", engine: "mysql", allocated_storage: 20, username: "admin", storage_encrypted: true, availability_zone: "us-east-1a", db_subnet_group_name: "g1", multi_az: false }, [
    ["identifier", "db-b"], ["instance_class", "db.t3.small"], ["allocated_storage", 30], ["username", "root"], ["storage_encrypted", false],
    ["availability_zone", "us-east-1b"], ["db_subnet_group_name", "g2"], ["engine", "postgres"], ["multi_az", true],
  ]],
  ["aws_db_parameter_group", { name: "pg", family: "mysql8.0", description: "d" }, [["name", "pg2"], ["family", "mysql5.7"], ["description", "e"]]],
  ["aws_db_subnet_group", { name: "sg", subnet_ids: ["subnet-1", "subnet-2"], description: "d" }, [["name", "sg2"], ["description", "e"]]],
  ["aws_security_group", { name: "a", description: "d", vpc_id: "vpc-1" }, [["name", "b"], ["description", "e"], ["vpc_id", "vpc-2"]]],
  ["aws_subnet", { vpc_id: "vpc-1", cidr_block: "10.0.0.0/24", availability_zone: "us-east-1a", map_public_ip_on_launch: false }, [
    ["cidr_block", "10.0.1.0/24"], ["availability_zone", "us-east-1b"], ["map_public_ip_on_launch", true], ["vpc_id", "vpc-2"],
  ]],
  ["aws_vpc", { cidr_block: "10.0.0.0/16", enable_dns_hostnames: true }, [["cidr_block", "10.1.0.0/16"], ["enable_dns_hostnames", false]]],
  ["aws_route", { route_table_id: "rtb-1", destination_cidr_block: "10.1.0.0/16", gateway_id: "igw-1" }, [["destination_cidr_block", "10.2.0.0/16"], ["route_table_id", "rtb-2"], ["gateway_id", "igw-2"]]],
  ["aws_route_table", { vpc_id: "vpc-1" }, [["vpc_id", "vpc-2"]]],
  ["aws_route_table_association", { subnet_id: "subnet-1", route_table_id: "rtb-1" }, [["subnet_id", "subnet-2"], ["route_table_id", "rtb-2"]]],
  ["aws_eip", { domain: "vpc" }, [["domain", "standard"]]],
  ["aws_nat_gateway", { subnet_id: "subnet-1", allocation_id: "eipalloc-1" }, [["subnet_id", "subnet-2"], ["allocation_id", "eipalloc-2"]]],
  ["aws_iam_role", { name: "r", path: "/", assume_role_policy: TRUST }, [["name", "r2"], ["path", "/x/"], ["assume_role_policy", TRUST.replace("ec2", "ecs-tasks")]]],
  ["aws_iam_role_policy", { name: "p", role: "r", policy: POLICY("s3:GetObject") }, [["name", "p2"], ["role", "r2"], ["policy", POLICY("s3:PutObject")]]],
  ["aws_iam_instance_profile", { name: "ip", role: "r" }, [["name", "ip2"], ["role", "r2"]]],
  ["aws_kms_key", { description: "d", key_usage: "ENCRYPT_DECRYPT", enable_key_rotation: true }, [["description", "e"], ["key_usage", "SIGN_VERIFY"]]],
  ["aws_kms_alias", { name: "alias/a", target_key_id: "k1" }, [["name", "alias/b"], ["target_key_id", "k2"]]],
  ["aws_ssm_parameter", { name: "/a", type: "String", value: "v" }, [["name", "/b"], ["value", "w"]]],
  ["aws_cloudwatch_log_group", { name: "g", retention_in_days: 90 }, [["name", "g2"], ["retention_in_days", 30]]],
  ["aws_lb", { name: "alb-a", internal: false, load_balancer_type: "application", idle_timeout: 60, subnets: ["subnet-1", "subnet-2"] }, [["name", "alb-b"], ["internal", true], ["idle_timeout", 30]]],
  ["aws_lb_target_group", { name: "tg", port: 80, protocol: "HTTP", vpc_id: "vpc-1", deregistration_delay: "300" }, [["port", 8080], ["name", "tg2"], ["deregistration_delay", "30"], ["vpc_id", "vpc-2"]]],
  ["aws_launch_template", { name: "ltname", instance_type: "t3.micro", image_id: "ami-00000000000000001" }, [["name", "ltname2"], ["instance_type", "t3.small"]]],
  ["aws_autoscaling_group", { name: "asg", min_size: 1, max_size: 3, desired_capacity: 1, vpc_zone_identifier: ["subnet-1"], launch_template: [{ id: "lt-1", version: "1" }] }, [["name", "asg2"], ["desired_capacity", 2]]],
  ["aws_elasticache_replication_group", { replication_group_id: "rg", description: "d", node_type: "cache.t3.micro", at_rest_encryption_enabled: "true", port: 6379 }, [
    ["node_type", "cache.t3.small"], ["at_rest_encryption_enabled", "false"], ["port", 6380], ["replication_group_id", "rg2"],
  ]],
  ["aws_route53_record", { zone_id: "Z1", name: "a.example.com", type: "A", ttl: 300, records: ["192.0.2.1"] }, [["name", "b.example.com"], ["type", "AAAA"], ["zone_id", "Z2"], ["ttl", 60]]],
  ["aws_s3_bucket", { bucket: "review-probe-1" }, [["bucket", "review-probe-2"]]],
  ["aws_backup_vault", { name: "v1" }, [["name", "v2"]]],
];

(missing ? describe.skip : describe)("ForceNew list vs the real provider", () => {
  const dir = mkdtempSync(join(tmpdir(), "force-new-"));
  const meta = new Map<string, { type: string; attribute: string; config: Record<string, unknown> }>();
  let forcedByProvider: Map<string, boolean>;

  beforeAll(async () => {
    const tf = prepareOfflineTerraform(join(dir, "terraform"));
    const resource: Record<string, Record<string, unknown>> = {};
    PROBES.forEach(([type, base, changes], i) => changes.forEach(([attribute, value], j) => {
      const name = `p${i}_${j}`;
      const config = { ...base, [attribute]: value };
      (resource[type] ??= {})[name] = config;
      meta.set(`${type}.${name}`, { type, attribute, config });
    }));
    const doc = {
      terraform: { required_providers: { aws: { source: "hashicorp/aws", version: "5.100.0" } }, backend: { local: { path: "x" } } },
      provider: { aws: [{ region: "us-east-1", skip_credentials_validation: true, skip_requesting_account_id: true, skip_metadata_api_check: "true", skip_region_validation: true }] },
      resource,
    };
    writeFileSync(join(dir, "probes.tf.json"), JSON.stringify(doc));
    const work = join(dir, "work");
    initStack(tf, join(dir, "probes.tf.json"), work);
    const schemas = JSON.parse(terraform(tf, work, ["providers", "schema", "-json"])).provider_schemas["registry.terraform.io/hashicorp/aws"].resource_schemas;
    const resources = PROBES.flatMap(([type, base, changes], i) => changes.map((_, j) => ({
      mode: "managed", type, name: `p${i}_${j}`, provider: 'provider["registry.terraform.io/hashicorp/aws"]',
      // The provider keeps an instance's user data as its SHA-1 in state.
      instances: [{ schema_version: schemas[type].version ?? 0, attributes: { ...base, id: `probe-${i}-${j}`, ...(type === "aws_instance" ? { user_data: createHash("sha1").update(String(base.user_data)).digest("hex") } : {}) } }],
    })));
    writeFileSync(join(work, "offline-plan.tfstate"), JSON.stringify({ version: 4, terraform_version: "1.11.0", serial: 1, lineage: "2f1e7c9a-0000-4000-8000-000000000014", outputs: {}, resources }));
    await validateAndPlan(tf, work, join(dir, "plan.json"));
    const plan = parsePlan(readFileSync(join(dir, "plan.json"), "utf8"), "probe plan");
    forcedByProvider = new Map((plan.resource_changes ?? []).map((c) => [c.address, (c.change.replace_paths ?? []).some((p) => p[0] === meta.get(c.address)?.attribute)]));
  }, 300000);

  it("plans every probe", () => {
    expect([...forcedByProvider.keys()].sort()).toEqual([...meta.keys()].sort());
  });

  it("agrees with the provider on every probed attribute", () => {
    const disagreements = [...meta].flatMap(([address, { type, attribute, config }]) => {
      const listed = (forcingAttributes(type, [attribute], config) ?? []).length > 0;
      const provider = forcedByProvider.get(address);
      return listed === provider ? [] : [`${type}.${attribute}${type === "aws_instance" && attribute === "user_data" ? ` (replace_on_change ${String(config.user_data_replace_on_change)})` : ""}: list says ${listed ? "replace" : "in place"}, provider says ${provider ? "replace" : "in place"}`];
    });
    expect(disagreements).toEqual([]);
  });

  it("the provider replaces what the review's stage 3 tests rely on", () => {
    const providerSays = (type: string, attribute: string, replaceOnChange = true): boolean | undefined => {
      const entry = [...meta].find(([, m]) => m.type === type && m.attribute === attribute && (type !== "aws_instance" || m.config.user_data_replace_on_change === replaceOnChange));
      return entry ? forcedByProvider.get(entry[0]) : undefined;
    };
    expect(providerSays("aws_instance", "user_data")).toBe(true);
    expect(providerSays("aws_instance", "user_data", false)).toBe(false);
    expect(providerSays("aws_instance", "instance_type")).toBe(false);
    expect(providerSays("aws_vpc_security_group_ingress_rule", "to_port")).toBe(false);
  });
});
