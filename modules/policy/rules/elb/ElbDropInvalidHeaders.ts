/**
 * Application load balancers drop HTTP headers with invalid names instead of
 * forwarding them (request smuggling / header injection towards the backends).
 *
 * Equivalents: checkov CKV_AWS_131; trivy AVD-AWS-0052; cdk-nag ALBHttpDropInvalidHeaderEnabled (NIST 800-53 packs).
 */
import { isApplicationLb, LB_TYPES } from "../../inspect/load-balancers";
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE } from "../../types";
import { isTrue, show } from "../../values";

export const ElbDropInvalidHeaders: PolicyRule = {
  id: "ELB-DROP-INVALID-HEADERS",
  severity: "error",
  title: "Application load balancers drop invalid header fields",
  fix: "Set drop_invalid_header_fields = true.",
  appliesTo: LB_TYPES,
  evaluate(subject) {
    if (!isApplicationLb(subject)) return NOT_APPLICABLE;
    const v = subject.config.drop_invalid_header_fields;
    return isTrue(v) ? COMPLIANT : nonCompliant(`drop_invalid_header_fields is ${show(v)}`);
  },
};
