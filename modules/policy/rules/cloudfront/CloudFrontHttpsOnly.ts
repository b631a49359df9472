/**
 * Viewers never fetch content over plain HTTP: every cache behavior redirects to
 * HTTPS or serves HTTPS only.
 *
 * Equivalents: checkov CKV_AWS_34; trivy AVD-AWS-0012; cdk-nag none (CloudFrontDistributionHttpsViewerNoOutdatedSSL covers TLS versions).
 */
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";
import { block, blocks, show } from "../../values";

const SECURE = ["redirect-to-https", "https-only"];

export const CloudFrontHttpsOnly: PolicyRule = {
  id: "CLOUDFRONT-HTTPS-ONLY",
  severity: "error",
  title: "CloudFront cache behaviors never use viewer_protocol_policy allow-all",
  fix: "Set viewer_protocol_policy = \"redirect-to-https\" (or \"https-only\") on the default and every ordered cache behavior.",
  appliesTo: ["aws_cloudfront_distribution"],
  evaluate(subject) {
    const c = subject.config;
    const behaviors = [
      { where: "default_cache_behavior", b: block(c.default_cache_behavior) },
      ...blocks(c.ordered_cache_behavior).map((b, i) => ({ where: `ordered_cache_behavior[${i}]`, b })),
    ];
    return fromProblems(behaviors
      .filter(({ b }) => !SECURE.includes(String(b?.viewer_protocol_policy)))
      .map(({ where, b }) => `${where}.viewer_protocol_policy is ${show(b?.viewer_protocol_policy)}`));
  },
};
