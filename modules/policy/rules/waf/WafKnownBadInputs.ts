/**
 * Web ACLs include AWS's Known Bad Inputs managed rule group (Log4Shell, Java
 * deserialization, host-header tricks) in blocking mode, not count-only.
 *
 * Equivalents: checkov CKV_AWS_192 (and CKV2_AWS_76 / CKV2_AWS_47 for the attached ACL); trivy none; cdk-nag none.
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { block, blocks } from "../../values";

export const KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";

export const WafKnownBadInputs: PolicyRule = {
  id: "WAF-KNOWN-BAD-INPUTS",
  severity: "error",
  title: "WAFv2 web ACLs include AWSManagedRulesKnownBadInputsRuleSet, not in count mode",
  fix: `Add a rule { statement { managed_rule_group_statement { vendor_name = "AWS", name = "${KNOWN_BAD_INPUTS}" } }, override_action { none {} } }.`,
  appliesTo: ["aws_wafv2_web_acl"],
  evaluate(subject) {
    const rules = blocks(subject.config.rule).filter((r) => {
      const group = block(block(r.statement)?.managed_rule_group_statement);
      return group?.name === KNOWN_BAD_INPUTS && group?.vendor_name === "AWS";
    });
    if (rules.length === 0) return nonCompliant(`no rule uses the ${KNOWN_BAD_INPUTS} managed rule group`);
    if (rules.every((r) => block(block(r.override_action)?.count) !== undefined)) {
      return nonCompliant(`${KNOWN_BAD_INPUTS} only counts (override_action count); it must block`);
    }
    return COMPLIANT;
  },
};
