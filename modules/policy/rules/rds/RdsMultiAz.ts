/**
 * Primary databases run Multi-AZ so an AZ failure or maintenance fails over
 * instead of going down. Read replicas are exempt (their source is checked).
 *
 * Equivalents: checkov CKV_AWS_157; trivy none; cdk-nag RDSMultiAZSupport (NIST 800-53 packs).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE } from "../../types";
import { isTrue, show } from "../../values";
import { isReadReplica } from "./rds-facts";

export const RdsMultiAz: PolicyRule = {
  id: "RDS-MULTI-AZ",
  severity: "error",
  title: "Primary RDS instances are Multi-AZ",
  fix: "Set multi_az = true.",
  appliesTo: ["aws_db_instance"],
  evaluate(subject) {
    if (isReadReplica(subject)) return NOT_APPLICABLE;
    return isTrue(subject.config.multi_az) ? COMPLIANT : nonCompliant(`multi_az is ${show(subject.config.multi_az)}`);
  },
};
