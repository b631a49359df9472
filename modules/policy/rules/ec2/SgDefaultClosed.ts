/**
 * Every VPC's default security group is managed by Terraform and has no rules:
 * AWS creates it allowing all traffic between members and all egress, and
 * anything launched without a group lands in it.
 *
 * Equivalents: checkov CKV2_AWS_12; trivy AVD-AWS-0173; cdk-nag VPCDefaultSecurityGroupClosed (NIST 800-53 packs).
 */
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";
import { blocks } from "../../values";

const STANDALONE_RULE_TYPES = [
  "aws_security_group_rule",
  "aws_vpc_security_group_ingress_rule",
  "aws_vpc_security_group_egress_rule",
];

export const SgDefaultClosed: PolicyRule = {
  id: "SG-DEFAULT-CLOSED",
  severity: "error",
  title: "Each VPC's default security group is managed (aws_default_security_group) and has no rules",
  fix: "Add aws_default_security_group { vpc_id = <vpc> } with no ingress and no egress blocks (the network module does this).",
  appliesTo: ["aws_vpc", "aws_default_security_group"],
  evaluate(subject, doc) {
    const problems: string[] = [];
    if (subject.type === "aws_default_security_group") {
      for (const kind of ["ingress", "egress"] as const) {
        const n = blocks(subject.config[kind]).length;
        if (n > 0) problems.push(`it declares ${n} ${kind} rule(s)`);
      }
      return fromProblems(problems);
    }
    if (doc.referencing(subject, "vpc_id", "aws_default_security_group").length === 0) {
      problems.push("no aws_default_security_group manages this VPC's default group, so it keeps AWS's allow-all rules");
    }
    for (const rule of doc.resources(...STANDALONE_RULE_TYPES)) {
      const target = String(rule.config.security_group_id ?? "");
      if (target.includes(`${subject.type}.${subject.name}.default_security_group_id`)) {
        problems.push(`${rule.address} adds a rule to the default security group`);
      }
    }
    return fromProblems(problems);
  },
};
