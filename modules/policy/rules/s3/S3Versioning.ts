/**
 * Other buckets (e.g. logs) should version too, so an overwrite or delete can be
 * undone; a warning only, because log buckets often rely on lifecycle expiry instead.
 *
 * Equivalents: checkov CKV_AWS_21; trivy AVD-AWS-0090; cdk-nag S3BucketVersioningEnabled (NIST 800-53 packs).
 */
import { isStateBucket } from "../../inspect/s3-links";
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE } from "../../types";
import { versioningEnabled } from "./s3-versioning";

export const S3Versioning: PolicyRule = {
  id: "S3-VERSIONING",
  severity: "warning",
  title: "Non-state S3 buckets have versioning enabled (warning)",
  fix: "Add aws_s3_bucket_versioning with status \"Enabled\" and a lifecycle rule expiring noncurrent versions.",
  appliesTo: ["aws_s3_bucket"],
  evaluate(subject, doc) {
    if (isStateBucket(subject)) return NOT_APPLICABLE;
    return versioningEnabled(doc, subject) ? COMPLIANT : nonCompliant("bucket has no enabled aws_s3_bucket_versioning");
  },
};
