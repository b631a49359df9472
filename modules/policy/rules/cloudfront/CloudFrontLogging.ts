/**
 * Distributions write standard access logs.
 *
 * Equivalents: checkov CKV_AWS_86; trivy AVD-AWS-0010; cdk-nag AwsSolutions-CFR3 (CloudFrontDistributionAccessLogging).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { block, hasText } from "../../values";

export const CloudFrontLogging: PolicyRule = {
  id: "CLOUDFRONT-LOGGING",
  severity: "error",
  title: "CloudFront distributions have access logging",
  fix: "Set logging_config { bucket = <log bucket>.bucket_domain_name, prefix = \"cloudfront/\" }.",
  appliesTo: ["aws_cloudfront_distribution"],
  evaluate(subject) {
    return hasText(block(subject.config.logging_config)?.bucket)
      ? COMPLIANT
      : nonCompliant("logging_config.bucket is not set");
  },
};
