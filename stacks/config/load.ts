/**
 * Builds the effective configuration: DEFAULT_CONFIG, deep-merged with the JSON
 * file named by INFRA_CONFIG (or the cdktf context key `infraConfig`), then the
 * offline overrides when INFRA_PROFILE=offline, then validated.
 */
import { readFileSync } from "fs";
import { resolve } from "path";
import { DEFAULT_CONFIG, offlineOverrides } from "./defaults";
import { InfraConfig } from "./infra-config";
import { ConfigError, isPlainObject, validateConfig } from "./validate";

/** Objects merge key by key; lists and scalars replace. */
export function deepMerge<T>(base: T, override: unknown): T {
  if (!isPlainObject(base) || !isPlainObject(override)) return (override === undefined ? base : override) as T;
  const out: Record<string, unknown> = { ...base };
  for (const [key, value] of Object.entries(override)) out[key] = deepMerge((base as Record<string, unknown>)[key], value);
  return out as T;
}

export interface LoadOptions {
  /** Path of a JSON override file. @default process.env.INFRA_CONFIG */
  readonly file?: string;
  /** Override object (e.g. from cdktf context), applied after the file. @default none */
  readonly overrides?: unknown;
  /** "offline" applies the offline profile. @default process.env.INFRA_PROFILE */
  readonly profile?: string;
}

export function loadConfig(options: LoadOptions = {}): InfraConfig {
  let config: InfraConfig = DEFAULT_CONFIG;
  const file = options.file ?? process.env.INFRA_CONFIG;
  if (file) config = deepMerge(config, readOverrideFile(file));
  if (options.overrides !== undefined) config = deepMerge(config, options.overrides);
  const profile = options.profile ?? process.env.INFRA_PROFILE ?? "";
  if (profile === "offline") config = deepMerge(config, offlineOverrides([config.primaryRegion, config.secondaryRegion]));
  else if (profile !== "") throw new ConfigError([`INFRA_PROFILE: ${JSON.stringify(profile)} is not allowed; expected "offline" or unset`]);
  return validateConfig(config);
}

function readOverrideFile(file: string): unknown {
  let text: string;
  try {
    text = readFileSync(resolve(file), "utf8");
  } catch (error) {
    throw new ConfigError([`INFRA_CONFIG: cannot read ${JSON.stringify(file)} (${(error as Error).message})`]);
  }
  try {
    const parsed: unknown = JSON.parse(text);
    if (!isPlainObject(parsed)) throw new Error("the top level is not an object");
    return parsed;
  } catch (error) {
    throw new ConfigError([`INFRA_CONFIG: ${JSON.stringify(file)} is not a JSON object (${(error as Error).message})`]);
  }
}
