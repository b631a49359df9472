/**
 * Terraform state buckets keep every version, so a corrupted or deleted state
 * can be restored. A bucket is a state bucket when tagged Purpose =
 * "terraform-state" or named like one (tfstate, terraform-state, a `state` word).
 *
 * Equivalents: checkov CKV_AWS_21; trivy AVD-AWS-0090; cdk-nag S3BucketVersioningEnabled (NIST 800-53 packs).
 */
import { isStateBucket } from "../../inspect/s3-links";
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE } from "../../types";
import { versioningEnabled } from "./s3-versioning";

export const S3StateBucketVersioning: PolicyRule = {
  id: "S3-STATE-VERSIONING",
  severity: "error",
  title: "Terraform state buckets have versioning enabled",
  fix: "Add aws_s3_bucket_versioning { bucket = <bucket>.id, versioning_configuration { status = \"Enabled\" } }.",
  appliesTo: ["aws_s3_bucket"],
  evaluate(subject, doc) {
    if (!isStateBucket(subject)) return NOT_APPLICABLE;
    return versioningEnabled(doc, subject) ? COMPLIANT : nonCompliant("state bucket has no enabled aws_s3_bucket_versioning");
  },
};
