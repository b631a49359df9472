/** S3 bucket settings live in separate resources linked by the `bucket` attribute. */
import { refersTo, TfDocument } from "../document";
import type { TfSubject } from "../types";

/** Resources of `type` configuring `bucket`, linked by reference or by literal bucket name. */
export function bucketSettings(doc: TfDocument, bucket: TfSubject, type: string): TfSubject[] {
  const name = bucket.config.bucket;
  return doc.resources(type).filter((r) =>
    refersTo(r.config.bucket, bucket) || (typeof name === "string" && name !== "" && r.config.bucket === name));
}

/**
 * A Terraform state bucket: tagged Purpose = "terraform-state", or named like one
 * (`…tfstate…`, `…terraform-state…`, or a `state` word in the name).
 */
export function isStateBucket(bucket: TfSubject): boolean {
  const tags = bucket.config.tags;
  if (tags && typeof tags === "object") {
    for (const [key, value] of Object.entries(tags as Record<string, unknown>)) {
      if (/^purpose$/i.test(key) && typeof value === "string" && /state/i.test(value)) return true;
    }
  }
  const names = [bucket.config.bucket, bucket.config.bucket_prefix, bucket.name]
    .filter((v): v is string => typeof v === "string");
  return names.some((n) => /tfstate|terraform-state|(^|[-_.])state([-_.]|$)/i.test(n));
}
