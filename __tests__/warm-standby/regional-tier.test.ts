/**
 * regional-tier.ts: what RegionalTier itself decides for one region — the wiring between its parts (network tiers,
 * firewalls, certificate, load balancers, WAFs, Redis, fleets, bastion), its defaults and its typed attributes. The
 * parts' own resources are tested in their own files; here each assertion names the value the tier chooses or hands on.
 */
import { TerraformStack, TerraformVariable } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { readLaunchTemplateUserData } from "../../modules/core/launch-template-user-data";
import { NatGatewayMode, SubnetKind } from "../../modules/network";
import { ApplicationZone } from "../../modules/warm-standby/application-zone";
import { BOT_CONTROL_RULE_GROUP } from "../../modules/warm-standby/managed-rules-web-acl";
import { CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST, DEFAULT_FLEET_SCALING, REGIONAL_TIERS, RegionalTier, RegionalTierProps } from "../../modules/warm-standby/regional-tier";
import { backendUserData, frontendUserData } from "../../modules/warm-standby/user-data";
import { TfJson, resourcesOf, onlyResourceOf } from "../support/synth";
import { expectInvalid, newStack, synth } from "./fleet-support";

type Res = Record<string, any>;
const AMI = "ami-0123456789abcdef0";
const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme-db-master-AbCdEf";
const READ_SECRET = { Sid: "ReadDatabaseSecret", Effect: "Allow" as const, Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET_ARN] };
const TLS_NAME = "acme-db.abcdefghijkl.us-east-1.rds.amazonaws.com";

function baseProps(zone: ApplicationZone): RegionalTierProps {
  return {
    region: "us-east-1",
    name: "acme-primary",
    cidr: "10.40.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b"],
    ami: AMI,
    capacity: { frontend: { min: 2, desired: 3, max: 4 }, backend: { min: 1, desired: 2, max: 5 } },
    zone,
    databaseHostname: "sql.db.internal",
    databasePort: 3306,
    databaseTlsName: TLS_NAME,
    databaseSecret: { arn: SECRET_ARN, readStatements: [READ_SECRET] },
  };
}

function build(props: Partial<RegionalTierProps> = {}, prepare?: (stack: TerraformStack) => Partial<RegionalTierProps>) {
  const stack = newStack();
  const zone = new ApplicationZone(stack, "zone", { domain: "example.com", subdomain: "app" });
  const tier = new RegionalTier(stack, "primary", { ...baseProps(zone), ...props, ...(prepare ? prepare(stack) : {}) });
  const { json, values } = synth(stack, {
    frontendName: tier.frontendName,
    backendName: tier.backendName,
    bastionAddress: tier.bastionAddress ?? "none",
    vpcId: tier.network.vpcId,
    frontendAlbArn: tier.frontendAlb.arn,
    backendAlbArn: tier.backendAlb.arn,
    frontendGroup: tier.frontend.groupName,
    backendGroup: tier.backend.groupName,
    cacheEndpoint: tier.cache.primaryEndpointAddress,
    frontendWebAcl: tier.frontendWebAcl.arn,
    backendWebAcl: tier.backendWebAcl.arn,
    frontendSg: tier.firewalls.frontend.securityGroupId,
  });
  return { stack, tier, json, values };
}

/** The one resource of `type` whose `attr` is `value`, as [logical id, config]. */
function named(json: TfJson, type: string, value: string, attr = "name"): [string, Res] {
  const read = (r: Res): unknown => attr.split(".").reduce<any>((v, key) => v?.[key], r);
  const found = resourcesOf(json, type).filter(([, r]) => read(r) === value);
  if (found.length !== 1) throw new Error(`${found.length} ${type} with ${attr} ${value}; have ${resourcesOf(json, type).map(([, r]) => read(r)).join(", ")}`);
  return found[0];
}
const ref = (type: string, id: string, attr = "id") => `\${${type}.${id}.${attr}}`;
/** Logical ids of the subnets of one tier (tag Tier), in AZ order. */
const subnetRefs = (json: TfJson, tierName: string) =>
  resourcesOf(json, "aws_subnet")
    .filter(([, s]) => s.tags.Tier === tierName)
    .sort(([, a], [, b]) => a.availability_zone.localeCompare(b.availability_zone))
    .map(([id]) => ref("aws_subnet", id));
const sgRef = (json: TfJson, name: string) => ref("aws_security_group", named(json, "aws_security_group", name)[0]);
const userDataOf = (json: TfJson, name: string) => readLaunchTemplateUserData(named(json, "aws_launch_template", name)[1].user_data, (reference) => `<${reference}>`);
const ruleNames = (acl: Res) => (acl.rule as Res[]).map((r) => r.name);

describe("constants", () => {
  test("REGIONAL_TIERS: public, private frontend, private backend and isolated data subnets", () => {
    expect(REGIONAL_TIERS).toEqual([
      { name: "public", kind: SubnetKind.PUBLIC },
      { name: "private-frontend", kind: SubnetKind.PRIVATE },
      { name: "private-backend", kind: SubnetKind.PRIVATE },
      { name: "private-data", kind: SubnetKind.ISOLATED },
    ]);
    expect(CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST).toBe("com.amazonaws.global.cloudfront.origin-facing");
    expect(DEFAULT_FLEET_SCALING).toEqual({ cpuTargetPercent: 50, requestsPerTargetPerMinute: 1000 });
  });
});

describe("the defaults", () => {
  test("network: the VPC, two subnets per tier (one per AZ), one NAT gateway (@default NatGatewayMode.SINGLE), flow logs kept 90 days", () => {
    const { json } = build();
    expect(onlyResourceOf(json, "aws_vpc")[1]).toMatchObject({ cidr_block: "10.40.0.0/16", tags: { Name: "acme-primary" } });
    expect(resourcesOf(json, "aws_subnet").map(([, s]) => `${s.tags.Tier} ${s.availability_zone}`).sort()).toEqual(
      ["private-backend", "private-data", "private-frontend", "public"].flatMap((t) => [`${t} us-east-1a`, `${t} us-east-1b`]),
    );
    expect(resourcesOf(json, "aws_nat_gateway")).toHaveLength(1);
    expect(named(json, "aws_cloudwatch_log_group", "/vpc/acme-primary/flow-logs")[1].retention_in_days).toBe(90);
  });
  test("load balancers: <name>-fe / <name>-be in the public subnets behind their own groups, /healthz checks, deletion protection on, the wildcard certificate, access logs to one bucket", () => {
    const { json } = build();
    const [bucketId, bucket] = onlyResourceOf(json, "aws_s3_bucket");
    expect(bucket.bucket_prefix).toBe("acme-primary-alb-logs-");
    const [certId, cert] = onlyResourceOf(json, "aws_acm_certificate");
    expect(cert.domain_name).toBe("*.app.example.com");
    expect(onlyResourceOf(json, "aws_acm_certificate_validation")[1].certificate_arn).toBe(ref("aws_acm_certificate", certId, "arn"));
    for (const [short, sg] of [["fe", "acme-primary-frontend-alb"], ["be", "acme-primary-backend-alb"]]) {
      const [lbId, lb] = named(json, "aws_lb", `acme-primary-${short}`);
      expect(lb).toMatchObject({ subnets: subnetRefs(json, "public"), security_groups: [sgRef(json, sg)], enable_deletion_protection: true, access_logs: { bucket: ref("aws_s3_bucket", bucketId, "bucket"), enabled: true, prefix: `alb/acme-primary-${short}` } });
      expect(named(json, "aws_lb_target_group", `acme-primary-${short}`, "tags.Name")[1].health_check.path).toBe("/healthz");
      const https = resourcesOf(json, "aws_lb_listener").find(([, l]) => l.load_balancer_arn === ref("aws_lb", lbId, "arn") && l.port === 443)![1];
      expect(https.certificate_arn).toBe(ref("aws_acm_certificate_validation", onlyResourceOf(json, "aws_acm_certificate_validation")[0], "certificate_arn"));
      expect(https.default_action[0].type).toBe("forward");
    }
    expect(resourcesOf(json, "aws_lb_listener_rule")).toEqual([]);
    expect(json.data).toBeUndefined();
  });
  test("regional names frontend-<region> / backend-<region> in the zone, each an alias of its load balancer", () => {
    const { json, values } = build();
    expect([values.frontendName, values.backendName]).toEqual(["frontend-us-east-1.app.example.com", "backend-us-east-1.app.example.com"]);
    for (const tier of ["frontend", "backend"]) {
      const lbId = named(json, "aws_lb", `acme-primary-${tier === "frontend" ? "fe" : "be"}`)[0];
      expect(named(json, "aws_route53_record", `${tier}-us-east-1.app.example.com`)[1]).toMatchObject({ type: "A", alias: { name: ref("aws_lb", lbId, "dns_name"), zone_id: ref("aws_lb", lbId, "zone_id") } });
    }
  });
  test("web ACLs: <name>-regional on the frontend load balancer with a per-IP limit, <name>-backend on the backend one with this region's NAT addresses exempt; no Bot Control", () => {
    const { json } = build();
    const [feId, fe] = named(json, "aws_wafv2_web_acl", "acme-primary-regional");
    const [beId, be] = named(json, "aws_wafv2_web_acl", "acme-primary-backend");
    expect([fe.scope, be.scope]).toEqual(["REGIONAL", "REGIONAL"]);
    expect(ruleNames(fe)).toContain("rate-limit-per-ip");
    expect(ruleNames(be)).toContain("rate-limit-per-ip");
    expect([...ruleNames(fe), ...ruleNames(be)]).not.toContain(BOT_CONTROL_RULE_GROUP);
    const associations = resourcesOf(json, "aws_wafv2_web_acl_association").map(([, a]) => [a.web_acl_arn, a.resource_arn]).sort();
    expect(associations).toEqual(
      [
        [ref("aws_wafv2_web_acl", feId, "arn"), ref("aws_lb", named(json, "aws_lb", "acme-primary-fe")[0], "arn")],
        [ref("aws_wafv2_web_acl", beId, "arn"), ref("aws_lb", named(json, "aws_lb", "acme-primary-be")[0], "arn")],
      ].sort(),
    );
    const natEip = resourcesOf(json, "aws_eip").find(([, e]) => e.tags.Name.includes("-nat-"))![0];
    expect(onlyResourceOf(json, "aws_wafv2_ip_set")[1].addresses).toEqual([`${ref("aws_eip", natEip, "public_ip")}/32`]);
  });
  test("the load balancers' DNS aliases and WAF associations keep their Terraform addresses: <tier id>-frontend/-backend and association-frontend-alb/-backend-alb, since a new address plans as destroy and create, a gap in DNS or WAF", () => {
    const { json } = build();
    const aliases = resourcesOf(json, "aws_route53_record").filter(([, r]) => r.alias).map(([id, r]) => [id, r.name]);
    expect(aliases.sort()).toEqual([
      ["zone_primary-backend-a_00481CCB", "backend-us-east-1.app.example.com"],
      ["zone_primary-frontend-a_0268938D", "frontend-us-east-1.app.example.com"],
    ]);
    expect(resourcesOf(json, "aws_wafv2_web_acl_association").map(([id]) => id).sort()).toEqual(["primary_backend-waf_association-backend-alb_D4C42DE2", "primary_waf_association-frontend-alb_B33FF087"]);
  });
  test("Redis: <name>-redis in the data subnets behind the cache group, cache.t3.micro (@default)", () => {
    const { json } = build();
    const [, group] = named(json, "aws_elasticache_replication_group", "acme-primary-redis", "replication_group_id");
    expect(group.node_type).toBe("cache.t3.micro");
    expect(group.security_group_ids).toEqual([sgRef(json, "acme-primary-cache")]);
    expect(onlyResourceOf(json, "aws_elasticache_subnet_group")[1].subnet_ids).toEqual(subnetRefs(json, "private-data"));
  });
  test("fleets: <name>-frontend / <name>-backend in their private subnets, registered with their load balancer, each with its own capacity, CPU 50 % and 1000 requests per instance", () => {
    const { json } = build();
    for (const [tier, short, capacity] of [["frontend", "fe", [2, 3, 4]], ["backend", "be", [1, 2, 5]]] as const) {
      const [groupId, group] = named(json, "aws_autoscaling_group", `acme-primary-${tier}`);
      const [tgId] = named(json, "aws_lb_target_group", `acme-primary-${short}`, "tags.Name");
      const lbId = named(json, "aws_lb", `acme-primary-${short}`)[0];
      expect(group).toMatchObject({ vpc_zone_identifier: subnetRefs(json, `private-${tier}`), target_group_arns: [ref("aws_lb_target_group", tgId, "arn")], min_size: capacity[0], desired_capacity: capacity[1], max_size: capacity[2] });
      expect(group.tag).toContainEqual({ key: "Role", value: tier, propagate_at_launch: true });
      expect(named(json, "aws_autoscaling_policy", `acme-primary-${tier}-cpu`)[1]).toMatchObject({ autoscaling_group_name: ref("aws_autoscaling_group", groupId, "name"), target_tracking_configuration: { target_value: 50 } });
      expect(named(json, "aws_autoscaling_policy", `acme-primary-${tier}-requests`)[1].target_tracking_configuration).toEqual({
        target_value: 1000,
        predefined_metric_specification: { predefined_metric_type: "ALBRequestCountPerTarget", resource_label: `${ref("aws_lb", lbId, "arn_suffix")}/${ref("aws_lb_target_group", tgId, "arn_suffix")}` },
      });
      const template = named(json, "aws_launch_template", `acme-primary-${tier}`)[1];
      expect(template).toMatchObject({ image_id: AMI, instance_type: "t3.micro", network_interfaces: [{ security_groups: [sgRef(json, `acme-primary-${tier}`)] }] });
      expect(template.key_name).toBeUndefined();
    }
  });
  test("frontend hosts: Nginx answers the frontend health path and proxies to this region's backend name; no header dropped; the role may do nothing", () => {
    const { json } = build();
    expect(userDataOf(json, "acme-primary-frontend")).toBe(frontendUserData({ region: "us-east-1", healthCheckPath: "/healthz", backendName: "backend-us-east-1.app.example.com", dropRequestHeaders: [] }));
    expect(resourcesOf(json, "aws_iam_role_policy").filter(([, p]) => p.name === "acme-primary-frontend-host")).toEqual([]);
  });
  test("backend hosts: the reference app configured with the database name, port, engine, TLS name, secret and this region's Redis (endpoint at apply time); the role may connect to Redis and read the secret", () => {
    const { json } = build();
    const [groupId] = named(json, "aws_elasticache_replication_group", "acme-primary-redis", "replication_group_id");
    const appUser = named(json, "aws_elasticache_user", "acme-primary-redis-app", "user_name")[1].user_name;
    expect(userDataOf(json, "acme-primary-backend")).toBe(
      backendUserData({
        region: "us-east-1",
        databaseHostname: "sql.db.internal",
        databasePort: 3306,
        databaseTlsName: TLS_NAME,
        databaseSecretArn: SECRET_ARN,
        cacheHost: `<aws_elasticache_replication_group.${groupId}.primary_endpoint_address>`,
        cachePort: 6379,
        cacheUser: appUser,
        cacheName: "acme-primary-redis",
      }),
    );
    const statements = JSON.parse(named(json, "aws_iam_role_policy", "acme-primary-backend-host")[1].policy).Statement;
    expect(statements.map((s: Res) => s.Sid)).toEqual(["RedisIamAuth", "ReadDatabaseSecret"]);
    expect(statements[1]).toEqual(READ_SECRET);
  });
  test("no bastion (@default false): no instance, no bastion group, bastionAddress undefined", () => {
    const { json, tier, values } = build();
    expect(resourcesOf(json, "aws_instance")).toEqual([]);
    expect(tier.bastion).toBeUndefined();
    expect(tier.firewalls.bastion).toBeUndefined();
    expect(values.bastionAddress).toBe("none");
  });
  test("typed attributes: region, capacity and the parts' attributes", () => {
    const { json, tier, values } = build();
    expect(tier.region).toBe("us-east-1");
    expect(tier.provider).toBeUndefined();
    expect(tier.capacity).toEqual({ frontend: { min: 2, desired: 3, max: 4 }, backend: { min: 1, desired: 2, max: 5 } });
    expect(values).toMatchObject({
      vpcId: ref("aws_vpc", onlyResourceOf(json, "aws_vpc")[0]),
      frontendAlbArn: ref("aws_lb", named(json, "aws_lb", "acme-primary-fe")[0], "arn"),
      backendAlbArn: ref("aws_lb", named(json, "aws_lb", "acme-primary-be")[0], "arn"),
      frontendGroup: ref("aws_autoscaling_group", named(json, "aws_autoscaling_group", "acme-primary-frontend")[0], "name"),
      backendGroup: ref("aws_autoscaling_group", named(json, "aws_autoscaling_group", "acme-primary-backend")[0], "name"),
      cacheEndpoint: ref("aws_elasticache_replication_group", onlyResourceOf(json, "aws_elasticache_replication_group")[0], "primary_endpoint_address"),
      frontendWebAcl: ref("aws_wafv2_web_acl", named(json, "aws_wafv2_web_acl", "acme-primary-regional")[0], "arn"),
      backendWebAcl: ref("aws_wafv2_web_acl", named(json, "aws_wafv2_web_acl", "acme-primary-backend")[0], "arn"),
      frontendSg: sgRef(json, "acme-primary-frontend"),
    });
  });
});

describe("overrides", () => {
  test("natGateways and flowLogRetentionDays reach the network", () => {
    const { json } = build({ natGateways: NatGatewayMode.PER_AZ, flowLogRetentionDays: 30 });
    expect(resourcesOf(json, "aws_nat_gateway")).toHaveLength(2);
    expect(named(json, "aws_cloudwatch_log_group", "/vpc/acme-primary/flow-logs")[1].retention_in_days).toBe(30);
  });
  test("health paths, deletion protection, Bot Control, node type, instance types, key pair, scaling and engine", () => {
    const { json } = build({
      frontendHealthCheckPath: "/fe-alive",
      backendHealthCheckPath: "/livez",
      albDeletionProtection: false,
      botControl: true,
      cacheNodeType: "cache.r7g.large",
      frontendInstanceType: "t3.small",
      backendInstanceType: "m7i.large",
      keyName: "acme-admin",
      scaling: { cpuTargetPercent: 70, requestsPerTargetPerMinute: 250 },
      databaseEngine: "postgres",
      databasePort: 5432,
    });
    expect(named(json, "aws_lb_target_group", "acme-primary-fe", "tags.Name")[1].health_check.path).toBe("/fe-alive");
    expect(named(json, "aws_lb_target_group", "acme-primary-be", "tags.Name")[1].health_check.path).toBe("/livez");
    expect(resourcesOf(json, "aws_lb").map(([, lb]) => lb.enable_deletion_protection)).toEqual([false, false]);
    expect(ruleNames(named(json, "aws_wafv2_web_acl", "acme-primary-regional")[1])).toContain(BOT_CONTROL_RULE_GROUP);
    expect(ruleNames(named(json, "aws_wafv2_web_acl", "acme-primary-backend")[1])).toContain(BOT_CONTROL_RULE_GROUP);
    expect(onlyResourceOf(json, "aws_elasticache_replication_group")[1].node_type).toBe("cache.r7g.large");
    expect(named(json, "aws_launch_template", "acme-primary-frontend")[1]).toMatchObject({ instance_type: "t3.small", key_name: "acme-admin" });
    expect(named(json, "aws_launch_template", "acme-primary-backend")[1]).toMatchObject({ instance_type: "m7i.large", key_name: "acme-admin" });
    for (const tier of ["frontend", "backend"]) {
      expect(named(json, "aws_autoscaling_policy", `acme-primary-${tier}-cpu`)[1].target_tracking_configuration.target_value).toBe(70);
      expect(named(json, "aws_autoscaling_policy", `acme-primary-${tier}-requests`)[1].target_tracking_configuration.target_value).toBe(250);
    }
    expect(userDataOf(json, "acme-primary-frontend")).toBe(frontendUserData({ region: "us-east-1", healthCheckPath: "/fe-alive", backendName: "backend-us-east-1.app.example.com", dropRequestHeaders: [] }));
    const backend = userDataOf(json, "acme-primary-backend")!;
    expect(backend).toContain("\\nDB_ENGINE=postgres\\n");
    expect(backend).toContain("\\nDB_PORT=5432\\n");
    expect(backend).toContain("python3-psycopg2");
  });
  test("a long name is fitted: load balancers to 32 characters, the log bucket prefix and Redis id to 37", () => {
    const name = "acme-some-very-long-platform-name-primary"; // 41 characters
    const { json } = build({ name });
    const lbNames = resourcesOf(json, "aws_lb").map(([, lb]) => lb.name as string).sort();
    expect(lbNames.map((n) => n.length)).toEqual([32, 32]);
    expect(lbNames.map((n) => n.slice(-3))).toEqual(["-be", "-fe"]);
    const prefix = onlyResourceOf(json, "aws_s3_bucket")[1].bucket_prefix as string;
    expect(prefix.length).toBe(37);
    expect(prefix.endsWith("alb-logs-")).toBe(true);
    const redis = onlyResourceOf(json, "aws_elasticache_replication_group")[1].replication_group_id as string;
    expect(redis.length).toBe(37);
    expect(redis.endsWith("redis")).toBe(true);
    expect(named(json, "aws_autoscaling_group", `${name}-frontend`)[1].name).toBe(`${name}-frontend`);
  });
  test("frontendHosts / backendHosts reach their own tier's launch template", () => {
    const { json } = build({ frontendHosts: { instanceType: "t3.large" }, backendHosts: { ami: "ami-0fedcba9876543210" } });
    expect(named(json, "aws_launch_template", "acme-primary-frontend")[1]).toMatchObject({ instance_type: "t3.large", image_id: AMI });
    expect(named(json, "aws_launch_template", "acme-primary-backend")[1]).toMatchObject({ instance_type: "t3.micro", image_id: "ami-0fedcba9876543210" });
  });
  test("a release adds the runner (this region's registry) and its statements to the backend hosts only", () => {
    const release = { pointerName: "/acme/release", pointerArn: "arn:aws:ssm:us-east-1:123456789012:parameter/acme/release", accountId: "123456789012", repositoryName: "acme/app", repositoryArn: "arn:aws:ecr:us-east-1:123456789012:repository/acme/app" };
    const { json } = build({ release });
    expect(userDataOf(json, "acme-primary-backend")).toContain("123456789012.dkr.ecr.us-east-1.amazonaws.com");
    expect(userDataOf(json, "acme-primary-frontend")).not.toContain("dkr.ecr");
    expect(JSON.parse(named(json, "aws_iam_role_policy", "acme-primary-backend-host")[1].policy).Statement.map((s: Res) => s.Sid)).toEqual(["RedisIamAuth", "ReadDatabaseSecret", "RegistryLogin", "PullReleases", "ReadTheReleasePointer"]);
  });
  test("a given provider carries every resource of the region", () => {
    const stack = newStack();
    const west = new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" });
    const zone = new ApplicationZone(stack, "zone", { domain: "example.com", subdomain: "app" });
    const tier = new RegionalTier(stack, "dr", { ...baseProps(zone), provider: west, region: "us-west-2", availabilityZones: ["us-west-2a", "us-west-2b"], bastion: true, adminCidrs: ["203.0.113.0/24"], cloudFrontOnly: { originHeader: { name: "X-Origin-Verify", value: "v" } } });
    expect(tier.provider).toBe(west);
    expect(tier.region).toBe("us-west-2");
    const { json } = synth(stack);
    const zoneRecords = new Set(["aws_route53_zone", "aws_route53_record"]);
    const wrong = Object.entries(json.resource!)
      .filter(([type]) => !zoneRecords.has(type))
      .flatMap(([type, byId]) => Object.entries(byId).filter(([, r]) => r.provider !== "aws.west").map(([id]) => `${type}.${id}`));
    expect(wrong).toEqual([]);
    expect(Object.values(json.data!.aws_ec2_managed_prefix_list)[0].provider).toBe("aws.west");
    expect(named(json, "aws_route53_record", "frontend-us-west-2.app.example.com")[0]).toContain("dr-frontend");
  });
});

describe("cloudFrontOnly: only CloudFront's origin-facing servers, only requests with its origin header", () => {
  const cloudFront = { originHeader: { name: "X-Origin-Verify", value: "s3cr3t" } };
  test("the prefix list looked up by name: the frontend load balancer admits only it, on 443", () => {
    const { json } = build({ cloudFrontOnly: cloudFront });
    const [dataId, data] = Object.entries(json.data!.aws_ec2_managed_prefix_list)[0];
    expect(data.name).toBe("com.amazonaws.global.cloudfront.origin-facing");
    const feAlbSg = sgRef(json, "acme-primary-frontend-alb");
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.security_group_id === feAlbSg).map(([, r]) => [r.prefix_list_id, r.from_port])).toEqual([[`\${data.aws_ec2_managed_prefix_list.${dataId}.id}`, 443]]);
  });
  test("a given prefix list id is used as is (no lookup); the origin header is required on the frontend listener, dropped before the backend, and the frontend ACL has no per-IP limit", () => {
    const { json } = build({ cloudFrontOnly: { ...cloudFront, prefixListId: "pl-3b927c52" } });
    expect(json.data).toBeUndefined();
    const feAlbSg = sgRef(json, "acme-primary-frontend-alb");
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.security_group_id === feAlbSg).map(([, r]) => r.prefix_list_id)).toEqual(["pl-3b927c52"]);
    const [, rule] = onlyResourceOf(json, "aws_lb_listener_rule");
    expect(rule.condition).toEqual([{ http_header: { http_header_name: "X-Origin-Verify", values: ["s3cr3t"] } }]);
    const feListener = resourcesOf(json, "aws_lb_listener").find(([id]) => rule.listener_arn === ref("aws_lb_listener", id, "arn"))![1];
    expect(feListener.load_balancer_arn).toBe(ref("aws_lb", named(json, "aws_lb", "acme-primary-fe")[0], "arn"));
    expect(userDataOf(json, "acme-primary-frontend")).toBe(frontendUserData({ region: "us-east-1", healthCheckPath: "/healthz", backendName: "backend-us-east-1.app.example.com", dropRequestHeaders: ["X-Origin-Verify"] }));
    expect(ruleNames(named(json, "aws_wafv2_web_acl", "acme-primary-regional")[1])).not.toContain("rate-limit-per-ip");
    expect(ruleNames(named(json, "aws_wafv2_web_acl", "acme-primary-backend")[1])).toContain("rate-limit-per-ip");
  });
});

describe("bastion", () => {
  test("with bastion: a hardened t3.micro (@default) with an Elastic IP in the first public subnet, behind the bastion group, SSH from the admin ranges; bastionAddress is its public IP", () => {
    const { json, tier, values } = build({ bastion: true, adminCidrs: ["203.0.113.0/24"], keyName: "acme-admin" });
    const [, instance] = onlyResourceOf(json, "aws_instance");
    expect(instance).toMatchObject({ ami: AMI, instance_type: "t3.micro", key_name: "acme-admin", tags: { Name: "acme-primary-bastion", Role: "bastion" } });
    const [eniId, eni] = onlyResourceOf(json, "aws_network_interface");
    expect(eni).toMatchObject({ subnet_id: subnetRefs(json, "public")[0], security_groups: [sgRef(json, "acme-primary-bastion")] });
    const [eipId] = named(json, "aws_eip", ref("aws_network_interface", eniId), "network_interface");
    expect(values.bastionAddress).toBe(ref("aws_eip", eipId, "public_ip"));
    expect(tier.bastion).toBeDefined();
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r.cidr_ipv4)).toContain("203.0.113.0/24");
  });
  test("bastionInstanceType sets the bastion's type", () => {
    const { json } = build({ bastion: true, adminCidrs: ["203.0.113.0/24"], bastionInstanceType: "t3.small" });
    expect(onlyResourceOf(json, "aws_instance")[1].instance_type).toBe("t3.small");
  });
  test("admin ranges without a bastion are refused under the tier's own field, not silently dropped", () => {
    expectInvalid(() => build({ adminCidrs: ["203.0.113.0/24"] }), "primary.adminCidrs", ["203.0.113.0/24"], "nothing when bastion is false (set bastion: true to admit SSH from them)");
  });
  test("an empty admin list without a bastion is accepted (no SSH rule, no bastion)", () => {
    const { json } = build({ adminCidrs: [] });
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r.from_port)).not.toContain(22);
    expect(resourcesOf(json, "aws_instance")).toEqual([]);
  });
});

describe("validation", () => {
  test("the region must be concrete (an apply-time value is refused)", () => {
    expectInvalid(
      () => build({}, (stack) => ({ region: new TerraformVariable(stack, "region", { type: "string" }).stringValue })),
      "primary.region",
      "<unresolved token>",
      "a concrete value known at synth time (not a resource attribute)",
    );
  });
});
