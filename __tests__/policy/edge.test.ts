import { CloudFrontHttpsOnly } from "../../modules/policy/rules/cloudfront/CloudFrontHttpsOnly";
import { CloudFrontLogging } from "../../modules/policy/rules/cloudfront/CloudFrontLogging";
import { CloudFrontTls12 } from "../../modules/policy/rules/cloudfront/CloudFrontTls12";
import { CloudFrontWaf } from "../../modules/policy/rules/cloudfront/CloudFrontWaf";
import { WafKnownBadInputs } from "../../modules/policy/rules/waf/WafKnownBadInputs";
import { WafSqlInjection } from "../../modules/policy/rules/waf/WafSqlInjection";
import { describeRules, Entry, tf } from "./fixtures";

const goodDistribution = {
  default_cache_behavior: { viewer_protocol_policy: "redirect-to-https" },
  ordered_cache_behavior: [{ path_pattern: "/api/*", viewer_protocol_policy: "https-only" }],
  viewer_certificate: { acm_certificate_arn: "arn", minimum_protocol_version: "TLSv1.2_2021", ssl_support_method: "sni-only" },
  web_acl_id: "${aws_wafv2_web_acl.edge.arn}",
  logging_config: { bucket: "${aws_s3_bucket.logs.bucket_domain_name}" },
};
const cf = (name: string, override: Record<string, unknown> = {}): Entry => ["aws_cloudfront_distribution", name, { ...goodDistribution, ...override }];

const managedRule = (name: string, override: Record<string, unknown> = { none: {} }) => ({
  name, priority: 1, override_action: override,
  statement: { managed_rule_group_statement: { name, vendor_name: "AWS" } },
  visibility_config: { metric_name: name, sampled_requests_enabled: true, cloudwatch_metrics_enabled: true },
});

describeRules([
  {
    rule: CloudFrontHttpsOnly,
    compliant: tf(cf("site")),
    nonCompliant: tf(
      cf("default_allows_http", { default_cache_behavior: { viewer_protocol_policy: "allow-all" } }),
      cf("ordered_allows_http", { ordered_cache_behavior: [{ viewer_protocol_policy: "https-only" }, { viewer_protocol_policy: "allow-all" }] }),
      cf("ok"),
    ),
    failing: ["aws_cloudfront_distribution.default_allows_http", "aws_cloudfront_distribution.ordered_allows_http"],
    texts: [
      "aws_cloudfront_distribution.default_allows_http: default_cache_behavior.viewer_protocol_policy is \"allow-all\"",
      "aws_cloudfront_distribution.ordered_allows_http: ordered_cache_behavior[1].viewer_protocol_policy is \"allow-all\"",
    ],
  },
  {
    rule: CloudFrontTls12,
    compliant: tf(cf("site"), cf("tls13", { viewer_certificate: { acm_certificate_arn: "a", minimum_protocol_version: "TLSv1.3_2025" } })),
    nonCompliant: tf(
      cf("default_cert", { viewer_certificate: { cloudfront_default_certificate: true } }),
      cf("old", { viewer_certificate: { acm_certificate_arn: "a", minimum_protocol_version: "TLSv1.2_2019" } }),
      cf("ok"),
    ),
    failing: ["aws_cloudfront_distribution.default_cert", "aws_cloudfront_distribution.old"],
    texts: [
      "aws_cloudfront_distribution.default_cert: uses the default CloudFront certificate, which allows TLSv1",
      "aws_cloudfront_distribution.old: viewer_certificate.minimum_protocol_version is \"TLSv1.2_2019\"",
    ],
  },
  {
    rule: CloudFrontWaf,
    compliant: tf(cf("site")),
    nonCompliant: tf(cf("open", { web_acl_id: undefined }), cf("ok")),
    failing: ["aws_cloudfront_distribution.open"],
    texts: ["aws_cloudfront_distribution.open: web_acl_id is not set"],
  },
  {
    rule: CloudFrontLogging,
    compliant: tf(cf("site")),
    nonCompliant: tf(cf("silent", { logging_config: undefined }), cf("ok")),
    failing: ["aws_cloudfront_distribution.silent"],
    texts: ["aws_cloudfront_distribution.silent: logging_config.bucket is not set"],
  },
  {
    rule: WafKnownBadInputs,
    compliant: tf(["aws_wafv2_web_acl", "main", { scope: "REGIONAL", rule: [managedRule("AWSManagedRulesCommonRuleSet"), managedRule("AWSManagedRulesKnownBadInputsRuleSet")] }]),
    nonCompliant: tf(
      ["aws_wafv2_web_acl", "missing", { rule: [managedRule("AWSManagedRulesCommonRuleSet")] }],
      ["aws_wafv2_web_acl", "count_only", { rule: managedRule("AWSManagedRulesKnownBadInputsRuleSet", { count: {} }) }],
      ["aws_wafv2_web_acl", "empty", {}],
      ["aws_wafv2_web_acl", "ok", { rule: [managedRule("AWSManagedRulesKnownBadInputsRuleSet")] }],
    ),
    failing: ["aws_wafv2_web_acl.count_only", "aws_wafv2_web_acl.empty", "aws_wafv2_web_acl.missing"],
    texts: [
      "aws_wafv2_web_acl.count_only: AWSManagedRulesKnownBadInputsRuleSet only counts (override_action count); it must block",
      "aws_wafv2_web_acl.empty: no rule uses the AWSManagedRulesKnownBadInputsRuleSet managed rule group",
      "aws_wafv2_web_acl.missing: no rule uses the AWSManagedRulesKnownBadInputsRuleSet managed rule group",
    ],
  },
  {
    rule: WafSqlInjection,
    compliant: tf(["aws_wafv2_web_acl", "main", { scope: "REGIONAL", rule: [managedRule("AWSManagedRulesKnownBadInputsRuleSet"), managedRule("AWSManagedRulesSQLiRuleSet")] }]),
    nonCompliant: tf(
      ["aws_wafv2_web_acl", "missing", { rule: [managedRule("AWSManagedRulesKnownBadInputsRuleSet")] }],
      ["aws_wafv2_web_acl", "count_only", { rule: managedRule("AWSManagedRulesSQLiRuleSet", { count: {} }) }],
      ["aws_wafv2_web_acl", "other_vendor", { rule: [{ ...managedRule("AWSManagedRulesSQLiRuleSet"), statement: { managed_rule_group_statement: { name: "AWSManagedRulesSQLiRuleSet", vendor_name: "Someone" } } }] }],
      ["aws_wafv2_web_acl", "ok", { rule: [managedRule("AWSManagedRulesSQLiRuleSet")] }],
    ),
    failing: ["aws_wafv2_web_acl.count_only", "aws_wafv2_web_acl.missing", "aws_wafv2_web_acl.other_vendor"],
    texts: [
      "aws_wafv2_web_acl.count_only: AWSManagedRulesSQLiRuleSet only counts (override_action count); it must block",
      "aws_wafv2_web_acl.missing: no rule uses the AWSManagedRulesSQLiRuleSet managed rule group",
      "aws_wafv2_web_acl.other_vendor: no rule uses the AWSManagedRulesSQLiRuleSet managed rule group",
    ],
  },
]);
