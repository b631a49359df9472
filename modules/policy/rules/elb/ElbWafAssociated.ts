/**
 * Internet-facing application load balancers sit behind a WAFv2 web ACL.
 *
 * Equivalents: checkov CKV2_AWS_28; trivy none; cdk-nag ALBWAFEnabled (NIST 800-53 packs).
 */
import { isApplicationLb, isInternetFacing, LB_TYPES } from "../../inspect/load-balancers";
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE } from "../../types";

export const ElbWafAssociated: PolicyRule = {
  id: "ELB-WAF",
  severity: "error",
  title: "Internet-facing application load balancers have a WAFv2 web ACL association",
  fix: "Add aws_wafv2_web_acl_association { resource_arn = <lb>.arn, web_acl_arn = <web ACL>.arn }.",
  appliesTo: LB_TYPES,
  evaluate(subject, doc) {
    if (!isApplicationLb(subject) || !isInternetFacing(subject)) return NOT_APPLICABLE;
    return doc.referencing(subject, "resource_arn", "aws_wafv2_web_acl_association").length > 0
      ? COMPLIANT
      : nonCompliant("internet-facing ALB has no aws_wafv2_web_acl_association");
  },
};
