import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { Wafv2WebAcl, Wafv2WebAclRule } from "@cdktf/provider-aws/lib/wafv2-web-acl";
import { Wafv2WebAclAssociation } from "@cdktf/provider-aws/lib/wafv2-web-acl-association";
import { Wafv2IpSet } from "@cdktf/provider-aws/lib/wafv2-ip-set";
import { Wafv2WebAclLoggingConfiguration } from "@cdktf/provider-aws/lib/wafv2-web-acl-logging-configuration";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { check, isToken } from "../core/validation";
import { cidrProblem } from "../core/cidr";
import { LOG_RETENTION_DAYS } from "../network/flow-logs";

/** Where a web ACL can be attached. */
export enum WebAclScope {
  /** CloudFront distributions; the ACL must be created in us-east-1. */
  CLOUDFRONT = "CLOUDFRONT",
  /** Load balancers (and API gateways) of the ACL's own region. */
  REGIONAL = "REGIONAL",
}

/** AWS managed rule groups every ACL of the platform evaluates, in this order. */
export const MANAGED_RULE_GROUPS = [
  "AWSManagedRulesAmazonIpReputationList",
  "AWSManagedRulesAnonymousIpList",
  "AWSManagedRulesCommonRuleSet",
  "AWSManagedRulesKnownBadInputsRuleSet",
  "AWSManagedRulesSQLiRuleSet",
] as const;

/** The opt-in Bot Control group (common inspection level): priced per request on top of WAF (see the README). */
export const BOT_CONTROL_RULE_GROUP = "AWSManagedRulesBotControlRuleSet";

export interface ManagedRulesWebAclProps {
  /** AWS provider: us-east-1 for CLOUDFRONT scope, the resources' region for REGIONAL. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** ACL name (also the metric and log group suffix). Letters, digits, hyphens, underscores, at most 100 characters. */
  readonly name: string;
  readonly scope: WebAclScope;
  /** Requests per 5 minutes one IP may make before it is blocked (100–2,000,000,000); 0 turns the rule off. @default 2000 */
  readonly rateLimitPer5Minutes?: number;
  /**
   * Sources the rate limit does not count (e.g. this region's NAT addresses, from
   * which all frontend → backend traffic comes), as IPv4 CIDRs. @default [] (every source counted)
   */
  readonly rateLimitExemptCidrs?: readonly string[];
  /** Add AWS Bot Control (common level) after the other groups. It costs extra per request. @default false */
  readonly botControl?: boolean;
  /** Retention of the WAF log group in days; one of the values CloudWatch accepts (LOG_RETENTION_DAYS). @default 90 */
  readonly logRetentionDays?: number;
}

/**
 * A WAFv2 web ACL: a per-IP rate limit, then the AWS managed IP reputation,
 * anonymous IP, common, known-bad-inputs and SQL injection rule groups (and Bot Control when asked); everything else is
 * allowed. Requests are logged to CloudWatch Logs with metrics per rule.
 * Regional ACLs attach to load balancers with `associate`; CloudFront ACLs are
 * referenced by the distribution's `web_acl_id` (`arn`).
 */
export class ManagedRulesWebAcl extends Construct {
  readonly arn: string;
  readonly scope: WebAclScope;
  private readonly provider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: ManagedRulesWebAclProps) {
    super(scope, id);
    check(/^[a-zA-Z0-9_-]{1,100}$/.test(props.name), `${id}.name`, props.name, "1–100 letters, digits, hyphens or underscores");
    check(Object.values(WebAclScope).includes(props.scope), `${id}.scope`, props.scope, Object.values(WebAclScope).join(" | "));
    const logRetentionDays = props.logRetentionDays ?? 90;
    check(LOG_RETENTION_DAYS.includes(logRetentionDays), `${id}.logRetentionDays`, logRetentionDays, `one of the CloudWatch Logs retention values ${LOG_RETENTION_DAYS.join(", ")}`);
    for (const [i, cidr] of (props.rateLimitExemptCidrs ?? []).entries()) {
      const problem = isToken(cidr) ? undefined : cidrProblem(cidr);
      check(problem === undefined, `${id}.rateLimitExemptCidrs[${i}]`, cidr, `an IPv4 CIDR such as 203.0.113.7/32 (${problem})`);
    }
    const limit = props.rateLimitPer5Minutes ?? 2000;
    check(limit === 0 || (Number.isInteger(limit) && limit >= 100 && limit <= 2_000_000_000), `${id}.rateLimitPer5Minutes`, limit, "0 (off) or an integer from 100 to 2000000000");
    this.provider = props.provider;
    this.scope = props.scope;
    const visibility = (metric: string) => ({ cloudwatchMetricsEnabled: true, sampledRequestsEnabled: true, metricName: metric });

    const rules: Wafv2WebAclRule[] = [];
    if (limit > 0) {
      rules.push({
        name: "rate-limit-per-ip",
        priority: 0,
        action: { block: {} },
        // `statement` is passed through untyped: keys are Terraform's own (snake_case).
        statement: { rate_based_statement: { limit, aggregate_key_type: "IP", ...this.rateLimitScope(props) } },
        visibilityConfig: visibility(`${props.name}-rate-limit`),
      });
    }
    const groups: string[] = [...MANAGED_RULE_GROUPS, ...(props.botControl ? [BOT_CONTROL_RULE_GROUP] : [])];
    groups.forEach((group, index) =>
      rules.push({
        name: group,
        priority: index + 1,
        overrideAction: { none: {} },
        statement: {
          managed_rule_group_statement: {
            name: group,
            vendor_name: "AWS",
            ...(group === BOT_CONTROL_RULE_GROUP ? { managed_rule_group_configs: [{ aws_managed_rules_bot_control_rule_set: { inspection_level: "COMMON" } }] } : {}),
          },
        },
        visibilityConfig: visibility(`${props.name}-${group}`),
      }),
    );
    const acl = new Wafv2WebAcl(this, "acl", {
      provider: props.provider,
      name: props.name,
      description: `Managed rules and rate limit (${props.scope})`,
      scope: props.scope,
      defaultAction: { allow: {} },
      rule: rules,
      visibilityConfig: visibility(props.name),
      tags: { Name: props.name },
    });
    // WAF only logs to groups named aws-waf-logs-*.
    const logs = new CloudwatchLogGroup(this, "logs", { provider: props.provider, name: `aws-waf-logs-${props.name}`, retentionInDays: logRetentionDays });
    new Wafv2WebAclLoggingConfiguration(this, "logging", { provider: props.provider, resourceArn: acl.arn, logDestinationConfigs: [logs.arn] });
    this.arn = acl.arn;
  }

  /** Count every source except the exempt CIDRs (an IP set of this ACL's scope). */
  private rateLimitScope(props: ManagedRulesWebAclProps): Record<string, unknown> {
    const exempt = props.rateLimitExemptCidrs ?? [];
    if (exempt.length === 0) return {};
    const set = new Wafv2IpSet(this, "rate-limit-exempt", {
      provider: props.provider,
      name: `${props.name}-rate-limit-exempt`,
      description: "Sources the per-IP rate limit does not count",
      scope: props.scope,
      ipAddressVersion: "IPV4",
      addresses: [...exempt],
    });
    return { scope_down_statement: { not_statement: { statement: { ip_set_reference_statement: { arn: set.arn } } } } };
  }

  /** Attaches this REGIONAL ACL to a load balancer of the same region. */
  associate(id: string, resourceArn: string): this {
    check(this.scope === WebAclScope.REGIONAL, `${this.node.id}.associate`, this.scope, "a REGIONAL ACL (CloudFront takes the ACL's arn as web_acl_id)");
    new Wafv2WebAclAssociation(this, `association-${id}`, { provider: this.provider, resourceArn, webAclArn: this.arn });
    return this;
  }
}
