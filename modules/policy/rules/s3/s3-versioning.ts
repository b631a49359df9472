/** Whether a bucket has versioning enabled, inline (legacy) or via aws_s3_bucket_versioning. */
import type { TfDocument } from "../../document";
import { bucketSettings } from "../../inspect/s3-links";
import type { TfSubject } from "../../types";
import { block, isTrue } from "../../values";

export function versioningEnabled(doc: TfDocument, bucket: TfSubject): boolean {
  if (isTrue(block(bucket.config.versioning)?.enabled)) return true;
  return bucketSettings(doc, bucket, "aws_s3_bucket_versioning")
    .some((v) => block(v.config.versioning_configuration)?.status === "Enabled");
}
