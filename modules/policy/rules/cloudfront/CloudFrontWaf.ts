/**
 * Distributions are protected by a WAFv2 web ACL (scope CLOUDFRONT, us-east-1).
 *
 * Equivalents: checkov CKV_AWS_68; trivy AVD-AWS-0011; cdk-nag AwsSolutions-CFR2 (CloudFrontDistributionWAFIntegration).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { hasText } from "../../values";

export const CloudFrontWaf: PolicyRule = {
  id: "CLOUDFRONT-WAF",
  severity: "error",
  title: "CloudFront distributions have a web ACL",
  fix: "Set web_acl_id to the ARN of an aws_wafv2_web_acl with scope = \"CLOUDFRONT\".",
  appliesTo: ["aws_cloudfront_distribution"],
  evaluate(subject) {
    return hasText(subject.config.web_acl_id) ? COMPLIANT : nonCompliant("web_acl_id is not set");
  },
};
