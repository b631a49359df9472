/**
 * Every bucket declares default server-side encryption (explicit, reviewable).
 *
 * Equivalents: checkov CKV_AWS_19 (CKV_AWS_145 for KMS); trivy AVD-AWS-0088 (AVD-AWS-0132 for CMK);
 * cdk-nag AwsSolutions-S3 (S3BucketServerSideEncryptionEnabled).
 */
import { bucketSettings } from "../../inspect/s3-links";
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { block, blocks } from "../../values";

const ALGORITHMS = ["AES256", "aws:kms", "aws:kms:dsse"];

function encrypts(configuration: unknown): boolean {
  return blocks(block(configuration)?.rule ?? configuration).some((rule) =>
    ALGORITHMS.includes(String(block(rule.apply_server_side_encryption_by_default)?.sse_algorithm)));
}

export const S3Encryption: PolicyRule = {
  id: "S3-ENCRYPTION",
  severity: "error",
  title: "S3 buckets declare default server-side encryption",
  fix: "Add aws_s3_bucket_server_side_encryption_configuration { bucket = <bucket>.id, rule { apply_server_side_encryption_by_default { sse_algorithm = \"aws:kms\" } } }.",
  appliesTo: ["aws_s3_bucket"],
  evaluate(subject, doc) {
    if (encrypts(subject.config.server_side_encryption_configuration)) return COMPLIANT;
    const configs = bucketSettings(doc, subject, "aws_s3_bucket_server_side_encryption_configuration");
    return configs.some((c) => encrypts(c.config.rule))
      ? COMPLIANT
      : nonCompliant(configs.length === 0
        ? "no aws_s3_bucket_server_side_encryption_configuration references this bucket"
        : `no rule sets sse_algorithm to one of ${ALGORITHMS.join(", ")}`);
  },
};
