/**
 * Facts of the stage 4 stack read from its synthesized Terraform JSON (issue 5, "Proof").
 * Primary-region resources use the default provider ("aws" or no `provider` key); DR resources "aws.secondary".
 */
import { DEFAULT_CONFIG } from "../../stacks/config";
import { readLaunchTemplateUserData } from "../../modules/core/launch-template-user-data";
import { fileFromCloudConfig } from "../../modules/core/cloud-config";
import { TfDocument } from "../../modules/policy/document";
import { ElbCloudFrontOriginClosed } from "../../modules/policy/rules/elb/ElbCloudFrontOriginClosed";
import { TfJson, referenced, resourcesOf, synthStack, testConfig } from "../support/synth";

const STACK = "stage4-warm-standby";
const DR = "aws.secondary";
type Res = Record<string, any>;

const json = synthStack(STACK);
/** The primary region's provider is the default one: written as "aws" or left out. */
const PRIMARY = (provider: unknown) => provider === undefined || provider === "aws";
const inRegion = (config: Res, role: "primary" | "dr") => (role === "primary" ? PRIMARY(config.provider) : config.provider === DR);
const ofRegion = (doc: TfJson, type: string, role: "primary" | "dr") => resourcesOf(doc, type).filter(([, c]) => inRegion(c, role));

describe("both regions run the full tier", () => {
  const expected: [string, number][] = [
    ["aws_vpc", 1],
    ["aws_subnet", 8],
    ["aws_internet_gateway", 1],
    ["aws_nat_gateway", 1],
    ["aws_flow_log", 1],
    ["aws_lb", 2],
    ["aws_lb_target_group", 2],
    ["aws_lb_listener", 4],
    ["aws_launch_template", 2],
    ["aws_autoscaling_group", 2],
    ["aws_instance", 0], // no bastion by default: the region's EC2 Instance Connect Endpoint
    ["aws_ec2_instance_connect_endpoint", 1],
    ["aws_elasticache_replication_group", 1],
    ["aws_wafv2_web_acl_association", 2],
    ["aws_db_instance", 1],
    ["aws_acm_certificate", 1],
    ["aws_s3_bucket", 1],
  ];
  test.each(["primary", "dr"] as const)("%s region", (role) => {
    for (const [type, count] of expected) {
      // CloudFront's certificate and log bucket live in us-east-1 = the primary region by default.
      const extra = role === "primary" && (type === "aws_acm_certificate" || type === "aws_s3_bucket") ? 1 : 0;
      expect([type, ofRegion(json, type, role).length]).toEqual([type, count + extra]);
    }
    const tiers = ofRegion(json, "aws_subnet", role).map(([, s]) => s.tags.Tier);
    for (const tier of ["public", "private-frontend", "private-backend", "private-data"]) expect(tiers.filter((t) => t === tier)).toHaveLength(2);
    const redis = ofRegion(json, "aws_elasticache_replication_group", role)[0][1];
    expect(redis).toMatchObject({ num_cache_clusters: 2, automatic_failover_enabled: true, multi_az_enabled: true, at_rest_encryption_enabled: "true", transit_encryption_enabled: true, transit_encryption_mode: "required" });
    expect(referenced(json, redis.subnet_group_name).config.subnet_ids.every((id: string) => referenced(json, id).config.tags.Tier === "private-data")).toBe(true);
    for (const [, lb] of ofRegion(json, "aws_lb", role)) {
      expect(lb).toMatchObject({ drop_invalid_header_fields: true, enable_deletion_protection: true, internal: false, access_logs: { enabled: true } });
    }
    const https = ofRegion(json, "aws_lb_listener", role).filter(([, l]) => l.protocol === "HTTPS");
    expect(https).toHaveLength(2);
    https.forEach(([, l]) => expect(l.ssl_policy).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06"));
    const redirects = ofRegion(json, "aws_lb_listener", role).filter(([, l]) => l.protocol === "HTTP");
    redirects.forEach(([, l]) => expect(l.default_action[0]).toMatchObject({ type: "redirect", redirect: { protocol: "HTTPS", status_code: "HTTP_301" } }));
    const paths = ofRegion(json, "aws_lb_target_group", role).map(([, t]) => t.health_check.path).sort();
    // Liveness only (frontend: Nginx itself; backend: the app's /healthz): a database outage must not make the groups recycle every host.
    expect(paths).toEqual(["/healthz", "/healthz"]);
    for (const [, asg] of ofRegion(json, "aws_autoscaling_group", role)) {
      expect(asg).toMatchObject({ health_check_type: "ELB", health_check_grace_period: 300, instance_refresh: { strategy: "Rolling" } });
      expect(referenced(json, asg.target_group_arns[0]).type).toBe("aws_lb_target_group");
    }
    for (const [, lt] of ofRegion(json, "aws_launch_template", role)) {
      expect(lt.metadata_options).toMatchObject({ http_tokens: "required", http_put_response_hop_limit: 1 });
      expect(lt.block_device_mappings[0].ebs).toMatchObject({ encrypted: "true", volume_type: "gp3" });
      expect(lt.network_interfaces[0].associate_public_ip_address).toBe("false");
      expect(lt.monitoring.enabled).toBe(true);
    }
  });
});

describe("capacity", () => {
  const group = (role: "primary" | "dr", tier: string) => ofRegion(json, "aws_autoscaling_group", role).find(([, g]) => g.name.endsWith(`-${tier}`))![1];
  test("the DR region runs below the primary and can be scaled to it", () => {
    for (const tier of ["frontend", "backend"]) {
      const p = group("primary", tier);
      const d = group("dr", tier);
      expect(d.desired_capacity).toBeLessThan(p.desired_capacity);
      expect(d.min_size).toBeLessThanOrEqual(p.min_size);
      expect(d.min_size).toBeGreaterThanOrEqual(1);
      expect(d.max_size).toBeGreaterThanOrEqual(p.max_size);
      expect(p.desired_capacity).toBe(DEFAULT_CONFIG.warmStandby.primaryCapacity[tier as "frontend"].desired);
      expect(d.desired_capacity).toBe(DEFAULT_CONFIG.warmStandby.drCapacity[tier as "frontend"].desired);
    }
  });
});

describe("scaling", () => {
  const policies = resourcesOf(json, "aws_autoscaling_policy");
  const groups = resourcesOf(json, "aws_autoscaling_group");
  test.each(groups.map(([name]) => name))("%s tracks CPU and ALB requests per target, and Terraform leaves its running count alone", (name) => {
    const mine = policies.filter(([, p]) => p.autoscaling_group_name === `\${aws_autoscaling_group.${name}.name}`).map(([, p]) => p);
    expect(mine.map((p) => p.target_tracking_configuration.predefined_metric_specification.predefined_metric_type).sort()).toEqual(["ALBRequestCountPerTarget", "ASGAverageCPUUtilization"]);
    for (const p of mine) expect(p.policy_type).toBe("TargetTrackingScaling");
    const cpu = mine.find((p) => p.target_tracking_configuration.predefined_metric_specification.predefined_metric_type === "ASGAverageCPUUtilization")!;
    expect(cpu.target_tracking_configuration.target_value).toBe(DEFAULT_CONFIG.warmStandby.scaling.cpuTargetPercent);
    const requests = mine.find((p) => p.target_tracking_configuration.predefined_metric_specification.predefined_metric_type === "ALBRequestCountPerTarget")!;
    expect(requests.target_tracking_configuration.target_value).toBe(DEFAULT_CONFIG.warmStandby.scaling.requestsPerTargetPerMinute);
    // The label joins the group's own load balancer and target group.
    const group = groups.find(([n]) => n === name)![1];
    const targetGroup = referenced(json, group.target_group_arns[0]).name;
    expect(requests.target_tracking_configuration.predefined_metric_specification.resource_label).toMatch(new RegExp(`^\\$\\{aws_lb\\.[^.]+\\.arn_suffix\\}/\\$\\{aws_lb_target_group\\.${targetGroup}\\.arn_suffix\\}$`));
    expect(group.lifecycle.ignore_changes).toEqual(["desired_capacity"]);
  });
  test("scaling targets come from the configuration", () => {
    const custom = synthStack(STACK, testConfig({ warmStandby: { scaling: { cpuTargetPercent: 70, requestsPerTargetPerMinute: 250 } } }));
    const values = resourcesOf(custom, "aws_autoscaling_policy").map(([, p]) => p.target_tracking_configuration.target_value);
    expect(new Set(values)).toEqual(new Set([70, 250]));
  });
});

describe("database", () => {
  const dbs = resourcesOf(json, "aws_db_instance");
  const [primaryName, primary] = dbs.find(([, d]) => !d.replicate_source_db)!;
  const [, replica] = dbs.find(([, d]) => d.replicate_source_db)!;

  test("the primary is Multi-AZ, encrypted with a key, backed up and protected", () => {
    expect(primary).toMatchObject({ multi_az: true, storage_encrypted: true, deletion_protection: true, password_wo_version: 1, publicly_accessible: false, iam_database_authentication_enabled: true, engine: "mysql" });
    expect(primary.backup_retention_period).toBeGreaterThanOrEqual(1);
    expect(referenced(json, primary.kms_key_id).config.enable_key_rotation).toBe(true);
    expect(primary.tags.Backup).toBeDefined();
  });

  test("the replica's source is the primary (by ARN) and it uses a DR-region key", () => {
    expect(replica.replicate_source_db).toBe(`\${aws_db_instance.${primaryName}.arn}`);
    expect(replica.provider).toBe(DR);
    const key = referenced(json, replica.kms_key_id);
    expect(key.type).toBe("aws_kms_key");
    expect(key.config.provider).toBe(DR);
    expect(replica.kms_key_id).not.toBe(primary.kms_key_id);
    expect(replica.storage_encrypted).toBe(true);
  });

  test("each region resolves the same private name to its own copy", () => {
    const zones = resourcesOf(json, "aws_route53_zone").filter(([, z]) => z.vpc);
    expect(zones.map(([, z]) => z.name)).toEqual(["db.internal", "db.internal"]);
    expect(zones.map(([, z]) => z.vpc[0].vpc_region).sort()).toEqual(["us-east-1", "us-west-2"]);
    const cnames = resourcesOf(json, "aws_route53_record").filter(([, r]) => r.type === "CNAME" && r.name === "sql.db.internal");
    const targets = cnames.map(([, r]) => referenced(json, r.records[0]).config);
    expect(targets.map((t) => Boolean(t.replicate_source_db)).sort()).toEqual([false, true]);
  });

  test("backups are copied to a KMS-encrypted vault in the DR region, selected by the primary's tag", () => {
    const [, plan] = resourcesOf(json, "aws_backup_plan")[0];
    const drVault = referenced(json, plan.rule[0].copy_action[0].destination_vault_arn).config;
    expect(drVault.provider).toBe(DR);
    expect(referenced(json, drVault.kms_key_arn).config.provider).toBe(DR);
    const [, selection] = resourcesOf(json, "aws_backup_selection")[0];
    expect(primary.tags[selection.selection_tag[0].key]).toBe(selection.selection_tag[0].value);
  });
});

describe("Route 53", () => {
  const api = resourcesOf(json, "aws_route53_record").filter(([, r]) => r.failover_routing_policy);
  const lbOf = (record: Res) => referenced(json, record.alias.name).config;

  test("failover records pair PRIMARY and SECONDARY with the health check on PRIMARY", () => {
    expect(api).toHaveLength(2);
    const primary = api.find(([, r]) => r.failover_routing_policy.type === "PRIMARY")![1];
    const secondary = api.find(([, r]) => r.failover_routing_policy.type === "SECONDARY")![1];
    expect(primary.name).toBe("api.app.example.com");
    expect(secondary.name).toBe(primary.name);
    expect(referenced(json, primary.health_check_id).type).toBe("aws_route53_health_check");
    expect(secondary.health_check_id).toBeUndefined();
    expect(PRIMARY(lbOf(primary).provider)).toBe(true);
    expect(lbOf(secondary).provider).toBe(DR);
    expect(lbOf(primary).name).toMatch(/-be$/);
    expect(lbOf(secondary).name).toMatch(/-be$/);
  });

  test("the health check probes the primary backend ALB over HTTPS on the readiness path (database included)", () => {
    const [, check] = resourcesOf(json, "aws_route53_health_check")[0];
    expect(check).toMatchObject({ type: "HTTPS", port: 443, resource_path: "/readyz", fqdn: "backend-us-east-1.app.example.com" });
    const alias = resourcesOf(json, "aws_route53_record").find(([, r]) => r.name === check.fqdn)![1];
    expect(PRIMARY(lbOf(alias).provider)).toBe(true);
    expect(lbOf(alias).name).toMatch(/-be$/);
  });

  test("the site name is an alias of the CloudFront distribution", () => {
    const site = resourcesOf(json, "aws_route53_record").filter(([, r]) => r.name === "app.example.com");
    expect(site.map(([, r]) => r.type).sort()).toEqual(["A", "AAAA"]);
    site.forEach(([, r]) => expect(referenced(json, r.alias.name).type).toBe("aws_cloudfront_distribution"));
  });

  test("Namecheap delegates the subdomain to the zone's four name servers", () => {
    const [, records] = resourcesOf(json, "namecheap_domain_records")[0];
    const ns = records.record.filter((r: Res) => r.type === "NS");
    expect(ns).toHaveLength(4);
    ns.forEach((r: Res) => expect(r.hostname).toBe("app"));
    expect(records.mode).toBe("MERGE");
  });
});

describe("CloudFront", () => {
  const [, cdn] = resourcesOf(json, "aws_cloudfront_distribution")[0];

  test("the origin group holds both frontend ALBs and fails over on 5xx", () => {
    const [group] = cdn.origin_group;
    expect(group.failover_criteria.status_codes).toEqual([500, 502, 503, 504]);
    const members = group.member.map((m: Res) => m.origin_id);
    const origins = members.map((id: string) => cdn.origin.find((o: Res) => o.origin_id === id));
    const lbs = origins.map((o: Res) => {
      const alias = resourcesOf(json, "aws_route53_record").find(([, r]) => r.name === o.domain_name && r.alias)![1];
      return referenced(json, alias.alias.name).config;
    });
    expect(lbs.map((lb: Res) => (PRIMARY(lb.provider) ? "primary" : lb.provider))).toEqual(["primary", DR]);
    lbs.forEach((lb: Res) => expect(lb.name).toMatch(/-fe$/));
    origins.forEach((o: Res) => expect(o.custom_origin_config).toMatchObject({ origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"] }));
    expect(cdn.default_cache_behavior.target_origin_id).toBe(group.origin_id);
  });

  test("viewers use HTTPS with TLS 1.2 (2021) and a us-east-1 certificate; caching suits a dynamic site; logs are on", () => {
    expect(cdn.default_cache_behavior.viewer_protocol_policy).toBe("redirect-to-https");
    expect(cdn.viewer_certificate).toMatchObject({ minimum_protocol_version: "TLSv1.2_2021", ssl_support_method: "sni-only" });
    expect(PRIMARY(referenced(json, cdn.viewer_certificate.acm_certificate_arn).config.provider)).toBe(true); // us-east-1 is the primary
    expect(cdn.default_cache_behavior.cache_policy_id).toBe("4135ea2d-6df8-44a3-9df3-4b5a84be39ad");
    expect(cdn.default_cache_behavior.origin_request_policy_id).toBe("b689b0a8-53d0-40ab-baf2-68738e2966ac");
    expect(cdn.logging_config.bucket).toMatch(/aws_s3_bucket\..*\.bucket_domain_name/);
    expect(cdn.aliases).toEqual(["app.example.com"]);
  });
});

describe("WAF", () => {
  const acls = resourcesOf(json, "aws_wafv2_web_acl");
  const groupsOf = (acl: Res) => acl.rule.map((r: Res) => r.statement.managed_rule_group_statement?.name).filter(Boolean).sort();
  const managed = ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesAnonymousIpList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"];

  test("a CLOUDFRONT-scope ACL with the managed rule groups is attached to the distribution", () => {
    const [, cdn] = resourcesOf(json, "aws_cloudfront_distribution")[0];
    const acl = referenced(json, cdn.web_acl_id).config;
    expect(acl.scope).toBe("CLOUDFRONT");
    expect(PRIMARY(acl.provider)).toBe(true); // created with the us-east-1 provider
    expect(groupsOf(acl)).toEqual(managed);
  });

  test("every ALB is associated with its own region's REGIONAL ACL", () => {
    const associations = resourcesOf(json, "aws_wafv2_web_acl_association");
    for (const [name, lb] of resourcesOf(json, "aws_lb")) {
      const mine = associations.filter(([, a]) => a.resource_arn === `\${aws_lb.${name}.arn}`);
      expect(mine).toHaveLength(1);
      const acl = referenced(json, mine[0][1].web_acl_arn).config;
      expect(acl.scope).toBe("REGIONAL");
      expect(acl.provider).toBe(lb.provider);
      expect(mine[0][1].provider).toBe(lb.provider);
      expect(groupsOf(acl)).toEqual(managed);
    }
    expect(acls.filter(([, a]) => a.scope === "REGIONAL")).toHaveLength(4);
  });

  const rateRule = (acl: Res) => acl.rule.find((r: Res) => r.statement.rate_based_statement)?.statement.rate_based_statement;
  const aclOf = (lbName: string) => referenced(json, resourcesOf(json, "aws_wafv2_web_acl_association").find(([, a]) => a.resource_arn === `\${aws_lb.${lbName}.arn}`)![1].web_acl_arn).config;

  test("backend ALBs limit requests per IP but do not count their region's NAT addresses (all frontend → backend traffic)", () => {
    const backends = resourcesOf(json, "aws_lb").filter(([, lb]) => lb.name.endsWith("-be"));
    expect(backends).toHaveLength(2);
    for (const [name, lb] of backends) {
      const rate = rateRule(aclOf(name));
      expect(rate).toMatchObject({ limit: 2000, aggregate_key_type: "IP" });
      const set = referenced(json, rate.scope_down_statement.not_statement.statement.ip_set_reference_statement.arn).config;
      expect(set).toMatchObject({ scope: "REGIONAL", ip_address_version: "IPV4", provider: lb.provider });
      const natIps = resourcesOf(json, "aws_eip").filter(([, eip]) => eip.provider === lb.provider && /-nat-/.test(eip.tags.Name)).map(([eipName]) => `\${aws_eip.${eipName}.public_ip}/32`);
      expect(natIps.length).toBeGreaterThan(0);
      expect([...set.addresses].sort()).toEqual(natIps.sort());
    }
  });

  test("frontend ALBs behind CloudFront count no IP themselves: every request comes from an edge; viewers are limited by CloudFront's ACL", () => {
    for (const [name] of resourcesOf(json, "aws_lb").filter(([, lb]) => lb.name.endsWith("-fe"))) expect(rateRule(aclOf(name))).toBeUndefined();
    const [, cdn] = resourcesOf(json, "aws_cloudfront_distribution")[0];
    expect(rateRule(referenced(json, cdn.web_acl_id).config)).toMatchObject({ limit: 2000, aggregate_key_type: "IP" });
  });
});

describe("security groups", () => {
  const withBastion = synthStack(STACK, testConfig({ access: { ssh: true }, warmStandby: { bastionMode: "bastion" } }));
  function groupName(doc: TfJson, rule: Res): string {
    return referenced(doc, rule.security_group_id).config.name;
  }

  test("the internet reaches only the ALBs (80/443), and SSH from the admin range reaches only the bastion (bastionMode \"bastion\")", () => {
    const ingress = resourcesOf(withBastion, "aws_vpc_security_group_ingress_rule").map(([, r]) => r);
    const fromCidr = ingress.filter((r) => r.cidr_ipv4 !== undefined || r.cidr_ipv6 !== undefined);
    expect(fromCidr.length).toBeGreaterThan(0);
    for (const rule of fromCidr) {
      const name = groupName(withBastion, rule);
      if (rule.cidr_ipv4 === "0.0.0.0/0") {
        expect([name, [80, 443].includes(rule.from_port) && rule.to_port === rule.from_port]).toEqual([expect.stringMatching(/-(frontend|backend)-alb$/), true]);
      } else {
        expect([name, rule.from_port, rule.to_port, rule.cidr_ipv4]).toEqual([expect.stringMatching(/-bastion$/), 22, 22, DEFAULT_CONFIG.access.adminCidrs[0]]);
      }
    }
    expect(ingress.every((r) => r.cidr_ipv6 === undefined && r.ip_protocol !== "-1")).toBe(true);
    for (const [, sg] of resourcesOf(withBastion, "aws_security_group")) expect(sg.ingress).toBeUndefined();
    expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.cidr_ipv4 !== undefined && r.cidr_ipv4 !== "0.0.0.0/0")).toEqual([]);
  });

  test("hosts, cache and database admit only their upstream tier", () => {
    const ingress = resourcesOf(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r).filter((r) => r.referenced_security_group_id);
    const pairs = ingress.map((r) => `${groupName(json, r)} <- ${referenced(json, r.referenced_security_group_id).config.name}:${r.from_port}`);
    const perRegion = (region: string) => [
      `webplat-dev-stage4-${region}-backend <- webplat-dev-stage4-${region}-backend-alb:80`,
      `webplat-dev-stage4-${region}-backend <- webplat-dev-stage4-instance-connect-${region}:22`,
      `webplat-dev-stage4-${region}-cache <- webplat-dev-stage4-${region}-backend:6379`,
      `webplat-dev-stage4-${region}-frontend <- webplat-dev-stage4-instance-connect-${region}:22`,
      `webplat-dev-stage4-${region}-frontend <- webplat-dev-stage4-${region}-frontend-alb:80`,
    ];
    expect([...new Set(pairs)].sort()).toEqual(
      [
        "webplat-dev-stage4-db-db <- webplat-dev-stage4-primary-backend:3306", // the primary's group
        "webplat-dev-stage4-db-dr-db <- webplat-dev-stage4-dr-backend:3306", // the replica's group
        ...perRegion("primary"),
        ...perRegion("dr"),
      ].sort(),
    );
  });

  test("by default (instance-connect) there is no bastion, and SSH reaches the hosts only from their region's endpoint", () => {
    expect(resourcesOf(json, "aws_instance")).toHaveLength(0);
    const ssh = resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.from_port === 22);
    expect(ssh.map(([, r]) => referenced(json, r.referenced_security_group_id).config.name).sort()).toEqual(
      ["webplat-dev-stage4-instance-connect-dr", "webplat-dev-stage4-instance-connect-dr", "webplat-dev-stage4-instance-connect-primary", "webplat-dev-stage4-instance-connect-primary"],
    );
    expect(json.output!.primary_bastion_address.value).toBe("none (EC2 Instance Connect)");
    expect(resourcesOf(withBastion, "aws_instance")).toHaveLength(2);
  });
});

describe("closed edge: the frontend load balancers admit CloudFront only", () => {
  const rules = resourcesOf(json, "aws_vpc_security_group_ingress_rule");
  const groupOf = (lbName: string) => referenced(json, resourcesOf(json, "aws_lb").find(([n]) => n === lbName)![1].security_groups[0]).name;
  const lbsOf = (tier: string) => resourcesOf(json, "aws_lb").filter(([n]) => n.includes(`_${tier}-alb_`));
  const originSecret = `\${${"aws_secretsmanager_secret_version"}.${resourcesOf(json, "aws_secretsmanager_secret_version").find(([n]) => n.startsWith("origin-verification"))![0]}.secret_string}`;

  test.each(["primary", "dr"] as const)("%s frontend ALB: HTTPS from the CloudFront origin-facing prefix list of its region, nothing else", (role) => {
    const [lbName, lb] = lbsOf("frontend").find(([, l]) => inRegion(l, role))!;
    const ingress = rules.filter(([, r]) => r.security_group_id === `\${aws_security_group.${groupOf(lbName)}.id}`).map(([, r]) => r);
    expect(ingress).toHaveLength(1);
    expect(ingress[0]).toMatchObject({ from_port: 443, to_port: 443, ip_protocol: "tcp" });
    expect(ingress[0].cidr_ipv4).toBeUndefined();
    const list = /^\$\{data\.aws_ec2_managed_prefix_list\.([^.]+)\.id\}$/.exec(ingress[0].prefix_list_id)!;
    const lookup = json.data!.aws_ec2_managed_prefix_list[list[1]];
    expect(lookup.name).toBe("com.amazonaws.global.cloudfront.origin-facing");
    expect(lookup.provider).toBe(lb.provider);
  });
  test("backend ALBs (the API, reached through Route 53) stay open on 80/443", () => {
    for (const [lbName] of lbsOf("backend")) {
      const open = rules.filter(([, r]) => r.security_group_id === `\${aws_security_group.${groupOf(lbName)}.id}` && r.cidr_ipv4 === "0.0.0.0/0").map(([, r]) => r.from_port);
      expect(open.sort()).toEqual([443, 80]);
    }
  });
  test("frontend HTTPS listeners answer 403 unless the request carries CloudFront's origin header", () => {
    const listeners = resourcesOf(json, "aws_lb_listener").filter(([, l]) => l.port === 443);
    const listenerRules = resourcesOf(json, "aws_lb_listener_rule");
    for (const [name, listener] of listeners) {
      const mine = listenerRules.filter(([, r]) => r.listener_arn === `\${aws_lb_listener.${name}.arn}`).map(([, r]) => r);
      if (name.includes("_frontend-alb_")) {
        expect(listener.default_action[0]).toMatchObject({ type: "fixed-response", fixed_response: { status_code: "403" } });
        expect(mine).toHaveLength(1);
        expect(mine[0].condition[0].http_header).toEqual({ http_header_name: "X-Origin-Verify", values: [originSecret] });
        expect(mine[0].action[0].type).toBe("forward");
      } else {
        expect(listener.default_action[0].type).toBe("forward");
        expect(mine).toHaveLength(0);
      }
    }
    expect(listenerRules).toHaveLength(2);
  });
  test("the policy pack sees both frontend ALBs as CloudFront origins and finds them closed (ELB-CLOUDFRONT-ORIGIN-CLOSED)", () => {
    const doc = new TfDocument(json);
    const status = (tier: string) => lbsOf(tier).map(([name]) => ElbCloudFrontOriginClosed.evaluate(doc.byAddressOf(`aws_lb.${name}`)!, doc).status);
    expect(status("frontend")).toEqual(["compliant", "compliant"]);
    expect(status("backend")).toEqual(["not-applicable", "not-applicable"]);
  });
  test("CloudFront sends the header to both origins", () => {
    const [, distribution] = resourcesOf(json, "aws_cloudfront_distribution")[0];
    expect(distribution.origin).toHaveLength(2);
    for (const origin of distribution.origin) expect(origin.custom_header).toEqual([{ name: "X-Origin-Verify", value: originSecret }]);
  });
  test("the origin secret is kept across plans and is never an output", () => {
    const [, version] = resourcesOf(json, "aws_secretsmanager_secret_version").find(([n]) => n.startsWith("origin-verification"))!;
    expect(version.lifecycle.ignore_changes).toEqual(["secret_string"]);
    expect(JSON.stringify(json.output)).not.toContain("secretsmanager");
  });
  test("offline plans look nothing up: a stand-in prefix list and a derived secret", () => {
    const offline = synthStack(STACK, testConfig({}, "offline"));
    expect(offline.data?.aws_ec2_managed_prefix_list).toBeUndefined();
    expect(offline.data?.aws_secretsmanager_random_password).toBeUndefined();
    const prefixLists = resourcesOf(offline, "aws_vpc_security_group_ingress_rule").map(([, r]) => r.prefix_list_id).filter(Boolean);
    expect(new Set(prefixLists)).toEqual(new Set(["pl-00000000"]));
  });
});

describe("Bot Control", () => {
  test("is off by default and, when asked, runs at the common level on every web ACL", () => {
    const groups = (doc: TfJson) => resourcesOf(doc, "aws_wafv2_web_acl").map(([, acl]) => acl.rule.map((r: Res) => r.statement.managed_rule_group_statement?.name).filter(Boolean));
    for (const names of groups(json)) expect(names).not.toContain("AWSManagedRulesBotControlRuleSet");
    const withBots = synthStack(STACK, testConfig({ warmStandby: { botControl: true } }));
    const acls = resourcesOf(withBots, "aws_wafv2_web_acl");
    expect(acls).toHaveLength(5);
    for (const [, acl] of acls) {
      const bot = acl.rule.find((r: Res) => r.statement.managed_rule_group_statement?.name === "AWSManagedRulesBotControlRuleSet");
      expect(bot.statement.managed_rule_group_statement.managed_rule_group_configs).toEqual([{ aws_managed_rules_bot_control_rule_set: { inspection_level: "COMMON" } }]);
      expect(bot.override_action).toEqual({ none: {} });
    }
  });
});

describe("no secret in the JSON", () => {
  const text = JSON.stringify(json);
  test("no password, auth token or secret value is written", () => {
    expect(text).not.toMatch(/"(password|passwords|master_password|auth_token)"\s*:/);
    // The one secret value written is CloudFront's origin header: drawn by a data source at plan time, never a literal.
    const versions = resourcesOf(json, "aws_secretsmanager_secret_version");
    expect(versions).toHaveLength(2);
    const origin = versions.find(([n]) => n.startsWith("origin-verification"))![1];
    expect(origin.secret_string).toMatch(/^\$\{data\.aws_secretsmanager_random_password\.[^.]+\.random_password\}$/);
    expect(text.match(/"secret_string"\s*:/g)).toHaveLength(1);
    // The database password: write-only arguments fed by ephemeral values only (in no plan or state either).
    const master = versions.find(([n]) => n.startsWith("database-secret"))![1];
    expect(master.secret_string).toBeUndefined();
    expect(master.secret_string_wo).toMatch(/^\$\{jsonencode\(\{username = "dbadmin", password = ephemeral\.aws_secretsmanager_random_password\.[A-Za-z0-9_]+\.random_password\}\)\}$/);
    const writers = resourcesOf(json, "aws_db_instance").filter(([, d]) => !d.replicate_source_db);
    expect(writers).toHaveLength(1);
    expect(writers[0][1].manage_master_user_password).toBeUndefined();
    expect(writers[0][1].password_wo).toMatch(/^\$\{jsondecode\(ephemeral\.aws_secretsmanager_secret_version\.[A-Za-z0-9_]+\.secret_string\)\.password\}$/);
    for (const [, user] of resourcesOf(json, "aws_elasticache_user")) expect(["iam", "no-password-required"]).toContain(user.authentication_mode.type);
    for (const [, user] of resourcesOf(json, "aws_elasticache_user").filter(([, u]) => u.authentication_mode.type === "no-password-required")) expect(user.access_string).toMatch(/^off /);
  });
  test("outputs carry descriptions and none is sensitive", () => {
    const outputs = json.output!;
    for (const name of ["cloudfront_domain", "site_name", "api_name", "primary_frontend_alb_dns", "primary_backend_alb_dns", "dr_frontend_alb_dns", "dr_backend_alb_dns", "database_hostname", "primary_redis_endpoint", "dr_redis_endpoint", "primary_bastion_address", "dr_bastion_address"]) {
      expect([name, (outputs[name]?.description ?? "").length > 20]).toEqual([name, true]);
      expect(outputs[name].sensitive).toBeUndefined();
    }
  });
});

describe("providers", () => {
  test("a third us-east-1 provider appears only when neither region is us-east-1", () => {
    const doc = synthStack(STACK, testConfig({ primaryRegion: "eu-west-1", secondaryRegion: "eu-central-1" }));
    const aliases = doc.provider!.aws.map((p) => p.alias ?? "(default)");
    expect(aliases.sort()).toEqual(["(default)", "secondary", "us-east-1"]);
    const [, cdn] = resourcesOf(doc, "aws_cloudfront_distribution")[0];
    expect(cdn.provider).toBe("aws.us-east-1");
    expect(referenced(doc, cdn.web_acl_id).config.provider).toBe("aws.us-east-1");
    expect(referenced(doc, cdn.viewer_certificate.acm_certificate_arn).config.provider).toBe("aws.us-east-1");
  });
  test("a us-east-1 secondary region is reused for CloudFront", () => {
    const doc = synthStack(STACK, testConfig({ primaryRegion: "us-west-2", secondaryRegion: "us-east-1" }));
    expect(doc.provider!.aws).toHaveLength(2);
    expect(resourcesOf(doc, "aws_cloudfront_distribution")[0][1].provider).toBe(DR);
  });
  test("without Namecheap (offline profile) no delegation is written", () => {
    const doc = synthStack(STACK, testConfig(undefined, "offline"));
    expect(resourcesOf(doc, "namecheap_domain_records")).toHaveLength(0);
    expect(doc.data?.aws_availability_zones).toBeUndefined();
    expect(doc.data?.aws_caller_identity).toBeUndefined();
  });
});

describe("names", () => {
  test("the longest project name still fits every AWS name limit", () => {
    const doc = synthStack(STACK, testConfig({ project: "abcdefghijklmnopqrst" }));
    for (const [, lb] of resourcesOf(doc, "aws_lb")) expect(lb.name.length).toBeLessThanOrEqual(32);
    for (const [, tg] of resourcesOf(doc, "aws_lb_target_group")) expect([tg.name, tg.name_prefix.length <= 6]).toEqual([undefined, true]);
    for (const [, rg] of resourcesOf(doc, "aws_elasticache_replication_group")) expect(rg.replication_group_id.length).toBeLessThanOrEqual(40);
    for (const [, b] of resourcesOf(doc, "aws_s3_bucket")) expect(b.bucket_prefix.length).toBeLessThanOrEqual(37);
    for (const [, r] of resourcesOf(doc, "aws_iam_role")) expect(r.name.length).toBeLessThanOrEqual(64);
  });
});

describe("launch template user data", () => {
  /** Reassembles base64encode(join("", [base64decode("…"), <reference>, …])) into text with `<ref:…>` for references. */
  const userDataText = (expression: string): string => {
    const text = readLaunchTemplateUserData(expression, (reference) => `<ref:${reference}>`);
    if (text === undefined) throw new Error(`not a launch template user data expression: ${expression.slice(0, 60)}`);
    return text;
  };

  const secretName = resourcesOf(json, "aws_secretsmanager_secret").find(([n]) => n.startsWith("database-secret"))![0];
  const drArnLocal = Object.keys((json as Res).locals ?? {}).find((n) => n.startsWith("database-secret_dr-arn"))!;
  /** The reference each region's hosts use for their copy of the database secret. */
  const secretRef = (role: "primary" | "dr") => (role === "primary" ? `aws_secretsmanager_secret.${secretName}.arn` : `local.${drArnLocal}`);
  const backendTemplate = (doc: TfJson, role: "primary" | "dr") => ofRegion(doc, "aws_launch_template", role).find(([, t]) => t.name.endsWith("-backend"))![1];

  test.each(["primary", "dr"] as const)("%s backend hosts: their own region's Redis, the stable DB name, its certificate name and their region's secret copy", (role) => {
    const text = userDataText(backendTemplate(json, role).user_data);
    const env = fileFromCloudConfig(text, "/etc/platform/app.env");
    const [, redisName] = ofRegion(json, "aws_elasticache_replication_group", role)[0];
    const redis = resourcesOf(json, "aws_elasticache_replication_group").find(([, r]) => r === redisName)![0];
    const db = resourcesOf(json, "aws_db_instance").find(([n]) => n.includes(role === "primary" ? "primary" : "dr-replica"))![0];
    expect(env).toContain(`REDIS_HOST=<ref:aws_elasticache_replication_group.${redis}.primary_endpoint_address>\n`);
    // The IAM token is signed for the group's id and the IAM user of the same region.
    expect(env).toContain(`REDIS_CACHE_NAME=${redisName.replication_group_id}\n`);
    const iamUsers = ofRegion(json, "aws_elasticache_user", role).filter(([, u]) => u.authentication_mode.type === "iam");
    expect(iamUsers).toHaveLength(1);
    expect(env).toContain(`REDIS_USER=${iamUsers[0][1].user_name}\n`);
    expect(env).toContain("DB_WRITER_HOST=sql.db.internal\n");
    expect(env).toContain(`DB_TLS_SERVER_NAME=<ref:aws_db_instance.${db}.address>\n`);
    expect(env).toContain(`DB_SECRET_ARN=<ref:${secretRef(role)}>\n`);
    expect(env).toContain(`DB_REGION=${role === "primary" ? "us-east-1" : "us-west-2"}\n`);
    expect(text.startsWith("#cloud-config\n")).toBe(true);
  });
  test("the DR copy's ARN is the primary's with the DR region (Secrets Manager keeps name and suffix)", () => {
    expect((json as Res).locals[drArnLocal]).toBe(`\${replace(aws_secretsmanager_secret.${secretName}.arn, ":us-east-1:", ":us-west-2:")}`);
  });
  test.each(["primary", "dr"] as const)("%s frontend hosts proxy to their own region's backend ALB name over https", (role) => {
    const [, lt] = ofRegion(json, "aws_launch_template", role).find(([, t]) => t.name.endsWith("-frontend"))!;
    const site = fileFromCloudConfig(userDataText(lt.user_data), "/etc/nginx/sites-available/default");
    const region = role === "primary" ? "us-east-1" : "us-west-2";
    expect(site).toContain(`set $backend_alb backend-${region}.app.example.com;`);
    expect(site).toContain("proxy_pass https://$backend_alb;");
    expect(site).toContain("proxy_ssl_verify on;");
    expect(site).toContain('proxy_set_header X-Origin-Verify "";');
    // The name is the backend ALB's alias in the public zone.
    const alias = resourcesOf(json, "aws_route53_record").find(([, r]) => r.name === `backend-${region}.app.example.com`)![1];
    expect(alias.alias.name).toMatch(/^\$\{aws_lb\..*_backend-alb_.*\.dns_name\}$/);
  });
});

describe("the database secret: readable by the backend role in both regions, and only there", () => {
  const secrets = resourcesOf(json, "aws_secretsmanager_secret").filter(([n]) => n.startsWith("database-secret"));
  const [secretName, secret] = secrets[0];
  const drArnLocal = Object.keys((json as Res).locals ?? {}).find((n) => n.startsWith("database-secret_dr-arn"))!;
  const policies = resourcesOf(json, "aws_iam_role_policy").map(([n, p]) => [n, JSON.parse(p.policy).Statement as Res[]] as const);
  const grantsOn = (ref: string) => policies.filter(([, st]) => st.some((s) => JSON.stringify(s.Resource ?? "").includes(ref)));

  test("one secret in the primary region with a replica in the DR region, each encrypted with a customer managed key of its region", () => {
    expect(secrets).toHaveLength(1);
    expect(PRIMARY(secret.provider)).toBe(true);
    expect(PRIMARY(referenced(json, secret.kms_key_id).config.provider)).toBe(true);
    expect(secret.replica).toHaveLength(1);
    expect(secret.replica[0].region).toBe("us-west-2");
    const drKey = referenced(json, secret.replica[0].kms_key_id);
    expect(drKey.type).toBe("aws_kms_key");
    expect(drKey.config.provider).toBe(DR);
    expect(drKey.config.enable_key_rotation).toBe(true);
  });
  test.each([
    ["primary", "us-east-1"],
    ["dr", "us-west-2"],
  ] as const)("%s backend role: GetSecretValue on its region's copy and Decrypt with its region's key through Secrets Manager; nothing else of Secrets Manager", (role, region) => {
    const copy = role === "primary" ? `\${aws_secretsmanager_secret.${secretName}.arn}` : `\${local.${drArnLocal}}`;
    const key = role === "primary" ? secret.kms_key_id : secret.replica[0].kms_key_id;
    const name = `${role}_backend_launch-template`;
    const statements = policies.find(([n]) => n.startsWith(name))![1];
    const secretStatements = statements.filter((s) => JSON.stringify(s.Action).includes("secretsmanager:"));
    expect(secretStatements).toEqual([{ Sid: "ReadDatabaseSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [copy] }]);
    const kmsStatements = statements.filter((s) => JSON.stringify(s.Action).includes("kms:"));
    expect(kmsStatements).toEqual([{ Sid: "DecryptDatabaseSecret", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [key], Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${region}.amazonaws.com` } } }]);
  });
  test("no other role may read either copy or use either key", () => {
    const readers = [...grantsOn(`aws_secretsmanager_secret.${secretName}.arn`), ...grantsOn(`local.${drArnLocal}`)].map(([n]) => n.replace(/_[0-9A-F]{8}$/, "")).sort();
    expect(readers).toEqual(["dr_backend_launch-template_host-role_policy", "primary_backend_launch-template_host-role_policy"]);
    const keyUsers = [...grantsOn(secret.kms_key_id.slice(2, -1)), ...grantsOn(secret.replica[0].kms_key_id.slice(2, -1))].map(([n]) => n.replace(/_[0-9A-F]{8}$/, "")).sort();
    expect(keyUsers).toEqual(readers);
  });
  test("the password is generated by Secrets Manager and reaches RDS only through write-only arguments (Terraform ≥ 1.11)", () => {
    const ephemeral = (json as Res).ephemeral;
    const [generatorName, generator] = Object.entries(ephemeral.aws_secretsmanager_random_password)[0] as [string, Res];
    expect(generator).toMatchObject({ password_length: 32, exclude_punctuation: true });
    // Unknown until the secret exists, so a first plan makes no call for it.
    expect(generator.exclude_characters).toBe(`\${substr(aws_secretsmanager_secret.${secretName}.arn, 0, 0)}`);
    const [readName, read] = Object.entries(ephemeral.aws_secretsmanager_secret_version)[0] as [string, Res];
    expect(read.secret_id).toBe(`\${aws_secretsmanager_secret.${secretName}.id}`);
    const [versionName, version] = resourcesOf(json, "aws_secretsmanager_secret_version").find(([n]) => n.startsWith("database-secret"))!;
    expect(read.depends_on).toEqual([`aws_secretsmanager_secret_version.${versionName}`]);
    expect(version.secret_string_wo).toContain(`ephemeral.aws_secretsmanager_random_password.${generatorName}.random_password`);
    expect(version.secret_string_wo_version).toBe(DEFAULT_CONFIG.warmStandby.databasePasswordVersion);
    const [, writer] = resourcesOf(json, "aws_db_instance").find(([n]) => n.includes("primary"))!;
    expect(writer.password_wo).toBe(`\${jsondecode(ephemeral.aws_secretsmanager_secret_version.${readName}.secret_string).password}`);
    expect(writer.password_wo_version).toBe(DEFAULT_CONFIG.warmStandby.databasePasswordVersion);
    expect(writer.username).toBe("dbadmin");
    expect((json as Res).terraform.required_version).toBe(">= 1.11");
  });
  test("raising databasePasswordVersion rotates: both write-only versions follow it", () => {
    const doc = synthStack(STACK, testConfig({ warmStandby: { databasePasswordVersion: 2 } }));
    expect(resourcesOf(doc, "aws_secretsmanager_secret_version").find(([n]) => n.startsWith("database-secret"))![1].secret_string_wo_version).toBe(2);
    expect(resourcesOf(doc, "aws_db_instance").find(([n]) => n.includes("primary"))![1].password_wo_version).toBe(2);
  });
});
