/**
 * Database storage, automated backups, replicas and snapshots are encrypted.
 *
 * Equivalents: checkov CKV_AWS_16; trivy AVD-AWS-0080; cdk-nag AwsSolutions-RDS2 (RDSStorageEncrypted).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { hasText, isTrue, show } from "../../values";
import { isReadReplica } from "./rds-facts";

export const RdsStorageEncrypted: PolicyRule = {
  id: "RDS-STORAGE-ENCRYPTED",
  severity: "error",
  title: "RDS instances have storage encryption",
  fix: "Set storage_encrypted = true (a cross-region replica sets kms_key_id instead).",
  appliesTo: ["aws_db_instance"],
  evaluate(subject) {
    const c = subject.config;
    if (isTrue(c.storage_encrypted)) return COMPLIANT;
    if (isReadReplica(subject) && hasText(c.kms_key_id)) return COMPLIANT;
    return nonCompliant(`storage_encrypted is ${show(c.storage_encrypted)}`);
  },
};
