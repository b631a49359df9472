/** The hardening settings HardenedInstance and HardenedLaunchTemplate share. */
import { check } from "../core/validation";

/** IMDSv2 only; hop limit 1 so containers on the host cannot reach the metadata service. */
export const IMDS_V2_ONLY = { httpEndpoint: "enabled", httpTokens: "required", httpPutResponseHopLimit: 1, instanceMetadataTags: "enabled" } as const;

/** The encrypted gp3 root volume size, validated. @default 16 GiB */
export function rootVolumeSize(id: string, gb: number | undefined): number {
  const size = gb ?? 16;
  check(Number.isInteger(size) && size >= 8 && size <= 16384, `${id}.rootVolumeGb`, size, "an integer 8–16384");
  return size;
}

/** Every apply-time value must have a placeholder in the user data, or it would be silently dropped. */
export function checkUserDataPlaceholders(id: string, text: string, values: Record<string, string>): void {
  for (const placeholder of Object.keys(values)) {
    check(text.includes(placeholder), `${id}.userDataValues`, placeholder, "a placeholder that appears in the user data");
  }
}
