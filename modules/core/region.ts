/** AWS regions and their availability zone names. Pure: no cdktf import. */

/** The shape of a region code, e.g. us-east-1, ap-southeast-2, us-gov-west-1, eusc-de-east-1. */
export const REGION_SHAPE = /^[a-z]{2,4}(-[a-z]+)+-[1-9]$/;

/** Regions this release knows (commercial, GovCloud, China), as of 2026-12. Newer ones: config `extraRegions`. */
export const AWS_REGIONS: readonly string[] = [
  "us-east-1", "us-east-2", "us-west-1", "us-west-2",
  "af-south-1",
  "ap-east-1", "ap-east-2", "ap-south-1", "ap-south-2",
  "ap-southeast-1", "ap-southeast-2", "ap-southeast-3", "ap-southeast-4", "ap-southeast-5", "ap-southeast-6", "ap-southeast-7",
  "ap-northeast-1", "ap-northeast-2", "ap-northeast-3",
  "ca-central-1", "ca-west-1",
  "eu-central-1", "eu-central-2", "eu-west-1", "eu-west-2", "eu-west-3", "eu-south-1", "eu-south-2", "eu-north-1",
  "il-central-1", "me-south-1", "me-central-1", "mx-central-1", "sa-east-1",
  "us-gov-east-1", "us-gov-west-1", "cn-north-1", "cn-northwest-1",
];

/** True when the text has the shape of a region code (known or not). */
export function isRegionName(value: unknown): value is string {
  return typeof value === "string" && REGION_SHAPE.test(value);
}

/**
 * Regions whose zone letters are not a, b, c, …: new accounts in ap-northeast-1
 * get a, c, d; ca-central-1 has a, b, d; us-west-1 gives each account two of
 * a/b/c, so its zones can only come from the configuration.
 */
const ZONE_LETTERS: Readonly<Record<string, readonly string[]>> = {
  "ap-northeast-1": ["a", "c", "d"],
  "ca-central-1": ["a", "b", "d"],
  "us-west-1": [],
};

/** Zone names a region has by default, in order; empty when they differ per account. */
export function defaultAvailabilityZones(region: string): string[] {
  return (ZONE_LETTERS[region] ?? ["a", "b", "c", "d"]).map((letter) => `${region}${letter}`);
}
