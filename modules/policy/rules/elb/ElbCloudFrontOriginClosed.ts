/**
 * An application load balancer that is a CloudFront origin answers only
 * CloudFront: otherwise a viewer who finds its name skips the distribution's
 * WAF, rate limit and caching. Closed means both layers:
 * - its security groups admit no CIDR (CloudFront's origin-facing prefix list
 *   and security groups only);
 * - its listeners forward nothing by default, and every forwarding rule
 *   requires a header that the distribution sends to that origin
 *   (custom_header: the secret origin-verification header).
 * An origin is recognised when its domain_name references the load balancer's
 * dns_name, or is the name of a Route 53 record whose alias targets it.
 *
 * Equivalents: none in checkov, trivy or cdk-nag (they check the ALB's WAF,
 * not whether CloudFront can be bypassed).
 */
import type { TfDocument } from "../../document";
import { refersTo } from "../../document";
import { ingressPermissions } from "../../inspect/ingress";
import { isApplicationLb, isInternetFacing, LB_TYPES, LISTENER_RULE_TYPES, listenersOf } from "../../inspect/load-balancers";
import type { PolicyRule, TfSubject } from "../../types";
import { COMPLIANT, fromProblems, NOT_APPLICABLE } from "../../types";
import { asString, block, blocks, strings } from "../../values";

export const ElbCloudFrontOriginClosed: PolicyRule = {
  id: "ELB-CLOUDFRONT-ORIGIN-CLOSED",
  severity: "error",
  title: "A load balancer that is a CloudFront origin accepts only CloudFront: no CIDR in its security groups (the origin-facing prefix list instead), no forward by default, every forwarding rule requires a header the distribution sends",
  fix: "Allow ingress only from the com.amazonaws.global.cloudfront.origin-facing prefix list, make the HTTPS listener's default action a fixed 403, and forward only in listener rules with an http_header condition on a header the distribution sends (origin custom_header).",
  appliesTo: LB_TYPES,
  evaluate(subject, doc) {
    if (!isApplicationLb(subject) || !isInternetFacing(subject)) return NOT_APPLICABLE;
    const headers = originHeadersOf(doc, subject);
    if (headers === undefined) return NOT_APPLICABLE;
    const problems: string[] = [];
    for (const group of strings(subject.config.security_groups).map((id) => doc.resolve(id)?.subject).filter((g): g is TfSubject => g !== undefined)) {
      const rules = [group, ...doc.referencing(group, "security_group_id", "aws_security_group_rule", "aws_vpc_security_group_ingress_rule")];
      for (const rule of rules) {
        for (const permission of ingressPermissions(rule)) {
          for (const cidr of permission.cidrs) problems.push(`${rule.address} ${permission.where} admits ${cidr}, which reaches the origin without CloudFront`);
        }
      }
    }
    for (const listener of listenersOf(doc, subject)) {
      if (blocks(listener.config.default_action).some((a) => a.type === "forward")) {
        problems.push(`${listener.address} forwards by default: requests without the origin header reach the targets`);
      }
      for (const rule of doc.referencing(listener, "listener_arn", ...LISTENER_RULE_TYPES)) {
        if (!blocks(rule.config.action).some((a) => a.type === "forward")) continue;
        const checked = blocks(rule.config.condition).map((c) => asString(block(c.http_header)?.http_header_name)?.toLowerCase());
        if (!checked.some((name) => name !== undefined && headers.has(name))) {
          problems.push(`${rule.address} forwards without requiring a header the distribution sends (${[...headers].join(", ") || "it sends none"})`);
        }
      }
    }
    return problems.length === 0 ? COMPLIANT : fromProblems(problems);
  },
};

/**
 * Lower-case names of the custom headers every CloudFront distribution that
 * uses `lb` as an origin sends to it (only the headers all of them send), or
 * undefined when no distribution in the document uses it.
 */
function originHeadersOf(doc: TfDocument, lb: TfSubject): Set<string> | undefined {
  const aliasNames = doc.resources("aws_route53_record")
    .filter((r) => blocks(r.config.alias).some((a) => refersTo(a.name, lb)))
    .map((r) => asString(r.config.name)?.replace(/\.$/, "").toLowerCase());
  let common: Set<string> | undefined;
  for (const distribution of doc.resources("aws_cloudfront_distribution")) {
    for (const origin of blocks(distribution.config.origin)) {
      const domain = origin.domain_name;
      const isThis = refersTo(domain, lb) || (typeof domain === "string" && aliasNames.includes(domain.replace(/\.$/, "").toLowerCase()));
      if (!isThis) continue;
      const names = new Set(blocks(origin.custom_header).map((h) => asString(h.name)?.toLowerCase()).filter((n): n is string => n !== undefined));
      common = common === undefined ? names : new Set([...common].filter((n) => names.has(n)));
    }
  }
  return common;
}
