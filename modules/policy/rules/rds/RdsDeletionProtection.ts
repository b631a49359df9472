/**
 * Databases cannot be deleted by a stray `terraform destroy` or a replacement.
 *
 * Equivalents: checkov CKV_AWS_293; trivy AVD-AWS-0177; cdk-nag AwsSolutions-RDS10 (RDSInstanceDeletionProtectionEnabled).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { isTrue, show } from "../../values";

export const RdsDeletionProtection: PolicyRule = {
  id: "RDS-DELETION-PROTECTION",
  severity: "error",
  title: "RDS instances have deletion protection",
  fix: "Set deletion_protection = true.",
  appliesTo: ["aws_db_instance"],
  evaluate(subject) {
    const v = subject.config.deletion_protection;
    return isTrue(v) ? COMPLIANT : nonCompliant(`deletion_protection is ${show(v)}`);
  },
};
