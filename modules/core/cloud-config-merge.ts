/**
 * Adds packages, files and commands to user data made by renderCloudConfig
 * (the `#cloud-config` + JSON form), e.g. the release runner onto a fleet's
 * default or custom cloud-config. Pure: no cdktf import.
 */
import { CLOUD_CONFIG_HEADER, CloudConfig, renderCloudConfig } from "./cloud-config";
import { check } from "./validation";

interface RawCloudConfig {
  package_update?: boolean;
  packages?: string[];
  write_files?: unknown[];
  runcmd?: unknown[];
  [key: string]: unknown;
}

/** `userData` plus `extra`: packages (once each), files after its files, commands after its commands. */
export function extendCloudConfig(userData: string, extra: CloudConfig, field = "userData"): string {
  let doc: RawCloudConfig | undefined;
  if (userData.startsWith(CLOUD_CONFIG_HEADER)) {
    try {
      const parsed: unknown = JSON.parse(userData.slice(CLOUD_CONFIG_HEADER.length));
      if (parsed !== null && typeof parsed === "object" && !Array.isArray(parsed)) doc = parsed as RawCloudConfig;
    } catch {
      doc = undefined;
    }
  }
  check(doc !== undefined, field, `${userData.slice(0, 40)}…`, "cloud-config in the form renderCloudConfig writes (#cloud-config followed by JSON), so the release runner can be added to it");
  const added = JSON.parse(renderCloudConfig(extra).slice(CLOUD_CONFIG_HEADER.length)) as Required<RawCloudConfig>;
  const packages = [...(doc!.packages ?? [])];
  for (const p of added.packages) if (!packages.includes(p)) packages.push(p);
  const merged: RawCloudConfig = {
    ...doc,
    package_update: packages.length > 0,
    packages,
    write_files: [...(doc!.write_files ?? []), ...added.write_files],
    runcmd: [...(doc!.runcmd ?? []), ...added.runcmd],
  };
  return CLOUD_CONFIG_HEADER + JSON.stringify(merged, null, 1) + "\n";
}
