import { InfraConfig } from "./infra-config";
import { INFRA_CONFIG_SCHEMA } from "./schema";
import { defaultsOf } from "./schema-kit";

/** Synthesizes every stack with no file and no credentials (the schema's defaults). */
export const DEFAULT_CONFIG: InfraConfig = defaultsOf(INFRA_CONFIG_SCHEMA);

/**
 * What `npm run plan:offline` layers on top of the user's config: no API call
 * at plan time (fixed placeholder AMI ids), no Namecheap (its provider is not
 * available offline).
 */
export function offlineOverrides(regions: readonly unknown[]): Record<string, unknown> {
  const ids = Object.fromEntries(regions.map((region, index) => [String(region), `ami-0${String(index + 1).padStart(16, "0")}`]));
  return { offline: true, ami: { mode: "ids", ids }, dns: { enabled: false } };
}
