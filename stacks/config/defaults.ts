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

/**
 * What `npm run rehearse` layers on top: the offline profile (its AMI ids are
 * registered in the emulator by its launcher) with every AWS endpoint pointed
 * at the local emulator, and deletion protection lifted so the rehearsal can
 * destroy what it applied. Rehearsal-only: the production defaults keep
 * database.deletionProtection and warmStandby.albDeletionProtection true.
 */
export function rehearsalOverrides(regions: readonly unknown[], endpoint: string): Record<string, unknown> {
  return {
    ...offlineOverrides(regions),
    emulatorEndpoint: endpoint,
    database: { deletionProtection: false },
    warmStandby: { albDeletionProtection: false },
  };
}
