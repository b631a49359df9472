/**
 * Every security group rule (inline or standalone) says why it exists.
 *
 * Equivalents: checkov CKV_AWS_23; trivy AVD-AWS-0124; cdk-nag none (AwsSolutions-EC27 covers groups only).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, fromProblems, nonCompliant } from "../../types";
import { blocks, hasText } from "../../values";

export const SgRuleDescription: PolicyRule = {
  id: "SG-RULE-DESCRIPTION",
  severity: "error",
  title: "Every security group rule has a description",
  fix: "Set description on each ingress/egress rule, e.g. \"HTTP from the load balancers\".",
  appliesTo: [
    "aws_security_group",
    "aws_security_group_rule",
    "aws_vpc_security_group_ingress_rule",
    "aws_vpc_security_group_egress_rule",
  ],
  evaluate(subject) {
    const c = subject.config;
    if (subject.type === "aws_security_group") {
      const problems = (["ingress", "egress"] as const).flatMap((kind) =>
        blocks(c[kind]).flatMap((rule, i) => (hasText(rule.description) ? [] : [`${kind}[${i}] has no description`])));
      return fromProblems(problems);
    }
    return hasText(c.description) ? COMPLIANT : nonCompliant("the rule has no description");
  },
};
