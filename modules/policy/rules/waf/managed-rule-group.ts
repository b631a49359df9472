/** A rule demanding one AWS managed rule group in every web ACL, blocking rather than counting. */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { block, blocks } from "../../values";

export function requiresManagedRuleGroup(id: string, group: string): PolicyRule {
  return {
    id,
    severity: "error",
    title: `WAFv2 web ACLs include ${group}, not in count mode`,
    fix: `Add a rule { statement { managed_rule_group_statement { vendor_name = "AWS", name = "${group}" } }, override_action { none {} } }.`,
    appliesTo: ["aws_wafv2_web_acl"],
    evaluate(subject) {
      const rules = blocks(subject.config.rule).filter((r) => {
        const statement = block(block(r.statement)?.managed_rule_group_statement);
        return statement?.name === group && statement?.vendor_name === "AWS";
      });
      if (rules.length === 0) return nonCompliant(`no rule uses the ${group} managed rule group`);
      if (rules.every((r) => block(block(r.override_action)?.count) !== undefined)) return nonCompliant(`${group} only counts (override_action count); it must block`);
      return COMPLIANT;
    },
  };
}
