/**
 * Every security group says what it is for. The provider's default description
 * ("Managed by Terraform") counts as missing.
 *
 * Equivalents: checkov CKV_AWS_23; trivy AVD-AWS-0099; cdk-nag AwsSolutions-EC27 (EC2SecurityGroupDescription).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { hasText, show } from "../../values";

export const PROVIDER_DEFAULT_DESCRIPTION = "Managed by Terraform";

export const SgDescription: PolicyRule = {
  id: "SG-DESCRIPTION",
  severity: "error",
  title: "Every security group has a meaningful description",
  fix: "Set description to who may reach what through this group, e.g. \"web servers: 80 from the load balancers\".",
  appliesTo: ["aws_security_group"],
  evaluate(subject) {
    const d = subject.config.description;
    if (hasText(d) && d !== PROVIDER_DEFAULT_DESCRIPTION) return COMPLIANT;
    return nonCompliant(`description is ${show(d)}`);
  },
};
