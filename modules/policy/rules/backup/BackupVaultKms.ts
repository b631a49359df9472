/**
 * Backup vaults encrypt recovery points with a KMS key the project controls.
 *
 * Equivalents: checkov CKV_AWS_166; trivy none; cdk-nag none.
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { hasText } from "../../values";

export const BackupVaultKms: PolicyRule = {
  id: "BACKUP-VAULT-KMS",
  severity: "error",
  title: "Backup vaults use a KMS key",
  fix: "Set kms_key_arn to a customer-managed aws_kms_key with rotation enabled.",
  appliesTo: ["aws_backup_vault"],
  evaluate(subject) {
    return hasText(subject.config.kms_key_arn) ? COMPLIANT : nonCompliant("kms_key_arn is not set");
  },
};
