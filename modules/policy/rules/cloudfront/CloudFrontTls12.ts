/**
 * Viewers negotiate TLS 1.2 or newer. The default *.cloudfront.net certificate
 * forces TLSv1, so a custom certificate with a modern minimum is required.
 *
 * Equivalents: checkov CKV_AWS_174; trivy AVD-AWS-0013; cdk-nag CloudFrontDistributionHttpsViewerNoOutdatedSSL (AwsSolutions-CFR4).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { block, isTrue, show } from "../../values";

export const ALLOWED_CLOUDFRONT_TLS = ["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"];

export const CloudFrontTls12: PolicyRule = {
  id: "CLOUDFRONT-TLS12",
  severity: "error",
  title: "CloudFront viewer certificates require TLSv1.2_2021 or newer",
  fix: "Use an ACM certificate with viewer_certificate { minimum_protocol_version = \"TLSv1.2_2021\", ssl_support_method = \"sni-only\" }.",
  appliesTo: ["aws_cloudfront_distribution"],
  evaluate(subject) {
    const cert = block(subject.config.viewer_certificate);
    if (!cert) return nonCompliant("viewer_certificate is not configured");
    if (isTrue(cert.cloudfront_default_certificate)) {
      return nonCompliant("uses the default CloudFront certificate, which allows TLSv1");
    }
    const version = cert.minimum_protocol_version;
    return typeof version === "string" && ALLOWED_CLOUDFRONT_TLS.includes(version)
      ? COMPLIANT
      : nonCompliant(`viewer_certificate.minimum_protocol_version is ${show(version)}`);
  },
};
