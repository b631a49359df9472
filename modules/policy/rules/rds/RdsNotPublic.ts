/**
 * Databases get no public endpoint.
 *
 * Equivalents: checkov CKV_AWS_17; trivy AVD-AWS-0180; cdk-nag RDSInstancePublicAccess (NIST 800-53 packs).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { isTrue } from "../../values";

export const RdsNotPublic: PolicyRule = {
  id: "RDS-NOT-PUBLIC",
  severity: "error",
  title: "RDS instances are not publicly accessible",
  fix: "Set publicly_accessible = false and place the instance in private-data subnets.",
  appliesTo: ["aws_db_instance"],
  evaluate(subject) {
    return isTrue(subject.config.publicly_accessible) ? nonCompliant("publicly_accessible is true") : COMPLIANT;
  },
};
