/**
 * ManagedRulesWebAcl (modules/warm-standby/managed-rules-web-acl.ts), construct level:
 * "A WAFv2 web ACL: a per-IP rate limit, then the AWS managed IP reputation, anonymous IP, common,
 * known-bad-inputs and SQL injection rule groups (and Bot Control when asked); everything else is
 * allowed. Requests are logged to CloudWatch Logs with metrics per rule. Regional ACLs attach to
 * load balancers with `associate`; CloudFront ACLs are referenced by the distribution's
 * `web_acl_id` (`arn`)."
 */
import { LOG_RETENTION_DAYS } from "../../modules/network/flow-logs";
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  BOT_CONTROL_RULE_GROUP,
  MANAGED_RULE_GROUPS,
  ManagedRulesWebAcl,
  ManagedRulesWebAclProps,
  WebAclScope,
} from "../../modules/warm-standby/managed-rules-web-acl";
import { TfJson, onlyResourceOf, ref, resourcesOf } from "../support/synth";

type Res = Record<string, any>;
type Built = { json: TfJson; acl: ManagedRulesWebAcl };

function build(over: Partial<ManagedRulesWebAclProps> = {}, options: { withProvider?: boolean; associate?: string[] } = {}): Built {
  const stack = new TerraformStack(Testing.app(), "t");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const provider = options.withProvider ? new AwsProvider(stack, "use1", { region: "us-east-1", alias: "use1" }) : undefined;
  const acl = new ManagedRulesWebAcl(stack, "waf", { provider, name: "acme-prod-backend", scope: WebAclScope.REGIONAL, ...over });
  for (const id of options.associate ?? []) acl.associate(id, `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/${id}/0123456789abcdef`);
  new TerraformOutput(stack, "arn", { value: acl.arn });
  const json = JSON.parse(Testing.synth(stack)) as TfJson;
  return { json, acl };
}

function construct(over: Partial<ManagedRulesWebAclProps>): () => ManagedRulesWebAcl {
  const stack = new TerraformStack(Testing.app(), "t");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  return () => new ManagedRulesWebAcl(stack, "waf", { name: "acme-prod-backend", scope: WebAclScope.REGIONAL, ...over });
}

const aclOf = (json: TfJson) => onlyResourceOf(json, "aws_wafv2_web_acl");
const visibility = (metric: string) => ({ cloudwatch_metrics_enabled: true, sampled_requests_enabled: true, metric_name: metric });
const managedRule = (name: string, group: string, priority: number): Res => ({
  name: group,
  priority,
  override_action: { none: {} },
  statement: { managed_rule_group_statement: { name: group, vendor_name: "AWS" } },
  visibility_config: visibility(`${name}-${group}`),
});
const FIVE_GROUPS = ["AWSManagedRulesAmazonIpReputationList", "AWSManagedRulesAnonymousIpList", "AWSManagedRulesCommonRuleSet", "AWSManagedRulesKnownBadInputsRuleSet", "AWSManagedRulesSQLiRuleSet"];

describe("the web ACL", () => {
  test("defaults: rate limit 2000 per IP per 5 minutes (block), then the five managed groups in order (their own actions), everything else allowed, metrics and samples everywhere", () => {
    const { json } = build();
    expect(aclOf(json)[1]).toEqual({
      name: "acme-prod-backend",
      description: "Managed rules and rate limit (REGIONAL)",
      scope: "REGIONAL",
      default_action: { allow: {} },
      rule: [
        {
          name: "rate-limit-per-ip",
          priority: 0,
          action: { block: {} },
          statement: { rate_based_statement: { limit: 2000, aggregate_key_type: "IP" } },
          visibility_config: visibility("acme-prod-backend-rate-limit"),
        },
        ...FIVE_GROUPS.map((group, i) => managedRule("acme-prod-backend", group, i + 1)),
      ],
      visibility_config: visibility("acme-prod-backend"),
      tags: { Name: "acme-prod-backend" },
    });
  });

  test("the managed groups every ACL evaluates, in this order", () => {
    expect([...MANAGED_RULE_GROUPS]).toEqual(FIVE_GROUPS);
    expect(BOT_CONTROL_RULE_GROUP).toBe("AWSManagedRulesBotControlRuleSet");
  });

  test("CLOUDFRONT scope lands in the ACL and its description", () => {
    const { json, acl } = build({ scope: WebAclScope.CLOUDFRONT });
    expect(aclOf(json)[1]).toMatchObject({ scope: "CLOUDFRONT", description: "Managed rules and rate limit (CLOUDFRONT)" });
    expect(acl.scope).toBe(WebAclScope.CLOUDFRONT);
    expect(WebAclScope.CLOUDFRONT).toBe("CLOUDFRONT");
    expect(WebAclScope.REGIONAL).toBe("REGIONAL");
  });

  test("rateLimitPer5Minutes lands in the rate-based rule", () => {
    const rule = aclOf(build({ rateLimitPer5Minutes: 500 }).json)[1].rule[0];
    expect(rule.statement).toEqual({ rate_based_statement: { limit: 500, aggregate_key_type: "IP" } });
  });

  test("rateLimitPer5Minutes 0 turns the rule off: only the managed groups, still at priorities 1–5", () => {
    const { json } = build({ rateLimitPer5Minutes: 0 });
    expect(aclOf(json)[1].rule).toEqual(FIVE_GROUPS.map((group, i) => managedRule("acme-prod-backend", group, i + 1)));
  });
});

describe("Bot Control (@default false)", () => {
  test("botControl: false adds nothing (same ACL as the default)", () => {
    const explicit = build({ botControl: false }).json;
    expect(explicit).toEqual(build().json);
  });

  test("botControl adds AWS Bot Control at the common inspection level after the other groups", () => {
    const rules = aclOf(build({ botControl: true }).json)[1].rule;
    expect(rules.map((r: Res) => r.name)).toEqual(["rate-limit-per-ip", ...FIVE_GROUPS, "AWSManagedRulesBotControlRuleSet"]);
    expect(rules[6]).toEqual({
      name: "AWSManagedRulesBotControlRuleSet",
      priority: 6,
      override_action: { none: {} },
      statement: {
        managed_rule_group_statement: {
          name: "AWSManagedRulesBotControlRuleSet",
          vendor_name: "AWS",
          managed_rule_group_configs: [{ aws_managed_rules_bot_control_rule_set: { inspection_level: "COMMON" } }],
        },
      },
      visibility_config: visibility("acme-prod-backend-AWSManagedRulesBotControlRuleSet"),
    });
    // Only the Bot Control group carries a configuration.
    expect(rules.slice(1, 6)).toEqual(FIVE_GROUPS.map((group, i) => managedRule("acme-prod-backend", group, i + 1)));
  });
});

describe("rate limit exemptions (@default [] — every source counted)", () => {
  test("no exemptions: no IP set and no scope-down statement", () => {
    const { json } = build({ rateLimitExemptCidrs: [] });
    expect(resourcesOf(json, "aws_wafv2_ip_set")).toEqual([]);
    expect(aclOf(json)[1].rule[0].statement).toEqual({ rate_based_statement: { limit: 2000, aggregate_key_type: "IP" } });
  });

  test("exempt CIDRs become an IPv4 IP set of the ACL's scope, and the rate rule counts every source NOT in it", () => {
    const { json } = build({ rateLimitExemptCidrs: ["203.0.113.10/32", "198.51.100.7/32"] });
    const [setName, set] = onlyResourceOf(json, "aws_wafv2_ip_set");
    expect(set).toEqual({
      name: "acme-prod-backend-rate-limit-exempt",
      description: "Sources the per-IP rate limit does not count",
      scope: "REGIONAL",
      ip_address_version: "IPV4",
      addresses: ["203.0.113.10/32", "198.51.100.7/32"],
    });
    expect(aclOf(json)[1].rule[0].statement).toEqual({
      rate_based_statement: {
        limit: 2000,
        aggregate_key_type: "IP",
        scope_down_statement: { not_statement: { statement: { ip_set_reference_statement: { arn: ref("aws_wafv2_ip_set", setName, "arn") } } } },
      },
    });
  });

  test("the IP set takes the ACL's scope (CLOUDFRONT)", () => {
    const { json } = build({ scope: WebAclScope.CLOUDFRONT, rateLimitExemptCidrs: ["203.0.113.10/32"] });
    expect(onlyResourceOf(json, "aws_wafv2_ip_set")[1].scope).toBe("CLOUDFRONT");
  });

  test("with the rate limit off, exemptions create nothing", () => {
    const { json } = build({ rateLimitPer5Minutes: 0, rateLimitExemptCidrs: ["203.0.113.10/32"] });
    expect(resourcesOf(json, "aws_wafv2_ip_set")).toEqual([]);
  });
});

describe("logging", () => {
  test("a log group aws-waf-logs-<name> (WAF's required prefix) kept 90 days by default, and the ACL logs to it", () => {
    const { json } = build();
    const [aclName] = aclOf(json);
    const [groupName, group] = onlyResourceOf(json, "aws_cloudwatch_log_group");
    expect(group).toEqual({ name: "aws-waf-logs-acme-prod-backend", retention_in_days: 90 });
    expect(onlyResourceOf(json, "aws_wafv2_web_acl_logging_configuration")[1]).toEqual({
      resource_arn: ref("aws_wafv2_web_acl", aclName, "arn"),
      log_destination_configs: [ref("aws_cloudwatch_log_group", groupName, "arn")],
    });
  });

  test("logRetentionDays lands in the log group", () => {
    expect(onlyResourceOf(build({ logRetentionDays: 365 }).json, "aws_cloudwatch_log_group")[1].retention_in_days).toBe(365);
  });

  test.each([0, 45, 3654])("a retention CloudWatch does not accept (%p days) is refused at synth, not at apply", (logRetentionDays) => {
    expect(construct({ logRetentionDays })).toThrow(
      `waf.logRetentionDays: ${logRetentionDays} is not allowed; expected one of the CloudWatch Logs retention values ${LOG_RETENTION_DAYS.join(", ")}`);
  });

  test.each([
    ["203.0.113.7", "not in the form a.b.c.d/n"],
    ["2001:db8::/32", "not in the form a.b.c.d/n"],
    ["10.0.0.300/32", "an octet is above 255 or has leading zeros"],
    ["203.0.113.7/24", "host bits are set (the network address is 203.0.113.0/24)"],
  ])("a rate-limit exemption that is not an IPv4 CIDR (%p) is refused at synth, naming its index (the IP set is IPv4)", (bad, problem) => {
    expect(construct({ rateLimitExemptCidrs: ["198.51.100.0/24", bad] })).toThrow(
      `waf.rateLimitExemptCidrs[1]: ${JSON.stringify(bad)} is not allowed; expected an IPv4 CIDR such as 203.0.113.7/32 (${problem})`);
  });
});

describe("provider", () => {
  test("the given provider creates the ACL, IP set, log group, logging configuration and associations", () => {
    const { json } = build({ rateLimitExemptCidrs: ["203.0.113.10/32"] }, { withProvider: true, associate: ["alb"] });
    for (const type of ["aws_wafv2_web_acl", "aws_wafv2_ip_set", "aws_cloudwatch_log_group", "aws_wafv2_web_acl_logging_configuration", "aws_wafv2_web_acl_association"]) {
      expect([type, onlyResourceOf(json, type)[1].provider]).toEqual([type, "aws.use1"]);
    }
  });

  test("without one, the stack's default provider (no provider argument written)", () => {
    const { json } = build({ rateLimitExemptCidrs: ["203.0.113.10/32"] }, { associate: ["alb"] });
    for (const type of ["aws_wafv2_web_acl", "aws_wafv2_ip_set", "aws_cloudwatch_log_group", "aws_wafv2_web_acl_logging_configuration", "aws_wafv2_web_acl_association"]) {
      expect([type, "provider" in onlyResourceOf(json, type)[1]]).toEqual([type, false]);
    }
  });
});

describe("attachment", () => {
  test("arn is the ACL's ARN (what a distribution's web_acl_id takes)", () => {
    const { json } = build();
    expect(json.output?.arn.value).toBe(ref("aws_wafv2_web_acl", aclOf(json)[0], "arn"));
  });

  test("associate attaches a REGIONAL ACL to each load balancer given, and returns the ACL for chaining", () => {
    const { json } = build({}, { associate: ["frontend-alb", "backend-alb"] });
    const [aclName] = aclOf(json);
    const associations = resourcesOf(json, "aws_wafv2_web_acl_association").map(([key, a]) => [key.replace(/_[0-9A-F]{8}$/, ""), a]);
    expect(Object.fromEntries(associations)).toEqual(
      Object.fromEntries(
        ["frontend-alb", "backend-alb"].map((id) => [
          `waf_association-${id}`,
          { resource_arn: `arn:aws:elasticloadbalancing:eu-west-1:123456789012:loadbalancer/app/${id}/0123456789abcdef`, web_acl_arn: ref("aws_wafv2_web_acl", aclName, "arn") },
        ]),
      ),
    );
    const stack = new TerraformStack(Testing.app(), "t");
    const acl = new ManagedRulesWebAcl(stack, "waf", { name: "x", scope: WebAclScope.REGIONAL });
    expect(acl.associate("lb", "arn:lb")).toBe(acl);
  });

  test("associate refuses a CLOUDFRONT ACL (CloudFront takes the ARN as web_acl_id)", () => {
    const acl = construct({ scope: WebAclScope.CLOUDFRONT })();
    expect(() => acl.associate("lb", "arn:lb")).toThrow('waf.associate: "CLOUDFRONT" is not allowed; expected a REGIONAL ACL (CloudFront takes the ACL\'s arn as web_acl_id)');
  });
});

describe("validation", () => {
  const NAME_ALLOWED = "1–100 letters, digits, hyphens or underscores";
  const RATE_ALLOWED = "0 (off) or an integer from 100 to 2000000000";

  test("name: every allowed character, 1 character and 100 characters are accepted", () => {
    expect(aclOf(build({ name: "azAZ09_-" }).json)[1].name).toBe("azAZ09_-");
    expect(aclOf(build({ name: "a" }).json)[1].name).toBe("a");
    expect(aclOf(build({ name: "n".repeat(100) }).json)[1].name).toBe("n".repeat(100));
  });

  test("name: empty, 101 characters and any other character are rejected, naming the field, the value and what is allowed", () => {
    for (const bad of ["", "n".repeat(101), "bad name", "acme.prod", "acme-prod!", "!acme-prod", "a[b", "a`b", "a{b", "a:b", "a/b", "a@b"]) {
      expect(construct({ name: bad })).toThrow(`waf.name: ${JSON.stringify(bad)} is not allowed; expected ${NAME_ALLOWED}`);
    }
  });

  test("scope must be CLOUDFRONT or REGIONAL", () => {
    expect(construct({ scope: "GLOBAL" as WebAclScope })).toThrow('waf.scope: "GLOBAL" is not allowed; expected CLOUDFRONT | REGIONAL');
  });

  test("rateLimitPer5Minutes 100 and 2,000,000,000 (the ends) are accepted", () => {
    expect(aclOf(build({ rateLimitPer5Minutes: 100 }).json)[1].rule[0].statement.rate_based_statement.limit).toBe(100);
    expect(aclOf(build({ rateLimitPer5Minutes: 2_000_000_000 }).json)[1].rule[0].statement.rate_based_statement.limit).toBe(2_000_000_000);
  });

  test("rateLimitPer5Minutes 99, 2,000,000,001, 1, -1 and 150.5 are rejected", () => {
    for (const bad of [99, 2_000_000_001, 1, -1, 150.5]) {
      expect(construct({ rateLimitPer5Minutes: bad })).toThrow(`waf.rateLimitPer5Minutes: ${bad} is not allowed; expected ${RATE_ALLOWED}`);
    }
  });
});
