/**
 * Images are encrypted with a KMS key the project controls (rotation, key
 * policy, audit in CloudTrail) rather than ECR's default AES-256. Creation
 * templates are held to it too: without one, a replica is created AES-256.
 *
 * Equivalents: checkov CKV_AWS_136; trivy AVD-AWS-0033; cdk-nag none.
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { blocks, hasText, show } from "../../values";

export const EcrKmsEncryption: PolicyRule = {
  id: "ECR-KMS-ENCRYPTION",
  severity: "error",
  title: "ECR repositories and repository creation templates encrypt with a customer managed KMS key",
  fix: 'Set encryption_configuration { encryption_type = "KMS", kms_key = <aws_kms_key arn> }.',
  appliesTo: ["aws_ecr_repository", "aws_ecr_repository_creation_template"],
  evaluate(subject) {
    const encryption = blocks(subject.config.encryption_configuration)[0];
    if (!encryption) return nonCompliant("no encryption_configuration: ECR uses AES-256 with a key nobody here controls");
    if (encryption.encryption_type !== "KMS") return nonCompliant(`encryption_type is ${show(encryption.encryption_type)}`);
    // KMS without kms_key is the AWS managed aws/ecr key: no key policy or rotation of the project's own.
    return hasText(encryption.kms_key) ? COMPLIANT : nonCompliant("encryption_type is KMS but kms_key is not set (the AWS managed aws/ecr key)");
  },
};
