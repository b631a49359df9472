/**
 * Every bucket has a public access block with all four settings on, so no ACL
 * or bucket policy can make it public by mistake.
 *
 * Equivalents: checkov CKV2_AWS_6 (CKV_AWS_53/54/55/56); trivy AVD-AWS-0094, 0086, 0087, 0091, 0093;
 * cdk-nag AwsSolutions-S2 (S3BucketLevelPublicAccessProhibited).
 */
import { bucketSettings } from "../../inspect/s3-links";
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { isTrue } from "../../values";

const FLAGS = ["block_public_acls", "block_public_policy", "ignore_public_acls", "restrict_public_buckets"];

export const S3PublicAccessBlock: PolicyRule = {
  id: "S3-PUBLIC-ACCESS-BLOCK",
  severity: "error",
  title: "S3 buckets have a public access block with all four settings true",
  fix: `Add aws_s3_bucket_public_access_block { bucket = <bucket>.id, ${FLAGS.map((f) => `${f} = true`).join(", ")} }.`,
  appliesTo: ["aws_s3_bucket"],
  evaluate(subject, doc) {
    const blocks = bucketSettings(doc, subject, "aws_s3_bucket_public_access_block");
    if (blocks.length === 0) return nonCompliant("no aws_s3_bucket_public_access_block references this bucket");
    if (blocks.some((b) => FLAGS.every((f) => isTrue(b.config[f])))) return COMPLIANT;
    const missing = FLAGS.filter((f) => !blocks.some((b) => isTrue(b.config[f])));
    return nonCompliant(`public access block leaves ${missing.join(", ")} off`);
  },
};
