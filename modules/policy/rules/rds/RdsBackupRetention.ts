/**
 * Primary databases keep automated backups for at least 7 days (point-in-time recovery).
 *
 * Equivalents: checkov CKV_AWS_133; trivy AVD-AWS-0077; cdk-nag AwsSolutions-RDS13 (RDSInstanceBackupEnabled).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE } from "../../types";
import { asNumber, show } from "../../values";
import { isReadReplica } from "./rds-facts";

export const MIN_BACKUP_RETENTION_DAYS = 7;

export const RdsBackupRetention: PolicyRule = {
  id: "RDS-BACKUP-RETENTION",
  severity: "error",
  title: `Primary RDS instances retain automated backups for at least ${MIN_BACKUP_RETENTION_DAYS} days`,
  fix: `Set backup_retention_period to ${MIN_BACKUP_RETENTION_DAYS} or more (up to 35).`,
  appliesTo: ["aws_db_instance"],
  evaluate(subject) {
    if (isReadReplica(subject)) return NOT_APPLICABLE;
    const days = asNumber(subject.config.backup_retention_period);
    return days !== undefined && days >= MIN_BACKUP_RETENTION_DAYS
      ? COMPLIANT
      : nonCompliant(`backup_retention_period is ${show(subject.config.backup_retention_period)}`);
  },
};
