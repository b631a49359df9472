/**
 * Builds the effective configuration from its sources, in this order (later
 * wins; objects merge key by key, lists and scalars replace):
 *   1. the schema's defaults;
 *   2. the cdktf context key `infraConfig` (a path to a JSON file, relative to
 *      cdktf.json, or an override object) — read from cdktf.json by
 *      `npm run synth` and handed over by `cdktf synth` alike;
 *   3. the JSON file named by INFRA_CONFIG;
 *   4. the offline profile when INFRA_PROFILE=offline, or the rehearsal
 *      profile (offline + local emulator endpoint from REHEARSAL_ENDPOINT +
 *      deletion protection lifted) when INFRA_PROFILE=rehearsal.
 * Then validated. Every failure is a ConfigError naming its source.
 */
import { readFileSync } from "fs";
import { resolve } from "path";
import { DEFAULT_CONFIG, offlineOverrides, rehearsalOverrides } from "./defaults";
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
  /**
   * The cdktf context value `infraConfig`: a path (relative to `contextBase`) or an override object.
   * @default none (synthesize() passes the app's context, or cdktf.json's when the app has none)
   */
  readonly overrides?: unknown;
  /** Directory a context path is relative to. @default the current directory */
  readonly contextBase?: string;
  /** "offline" applies the offline profile, "rehearsal" the rehearsal profile. @default process.env.INFRA_PROFILE */
  readonly profile?: string;
  /** Emulator URL of the rehearsal profile. @default process.env.REHEARSAL_ENDPOINT */
  readonly emulatorEndpoint?: string;
}

const CONTEXT_SOURCE = "cdktf.json context.infraConfig";

export function loadConfig(options: LoadOptions = {}): InfraConfig {
  let merged: unknown = {};
  if (options.overrides !== undefined) merged = deepMerge(merged, contextOverrides(options.overrides, options.contextBase ?? "."));
  const file = options.file ?? process.env.INFRA_CONFIG;
  if (file) merged = deepMerge(merged, readOverrideFile("INFRA_CONFIG", file));
  const profile = options.profile ?? process.env.INFRA_PROFILE ?? "";
  const chosen = merged as { primaryRegion?: unknown; secondaryRegion?: unknown };
  // A region that is not a string is reported by validation below; String() of e.g. a prototype-less object would throw first.
  const regionOr = (value: unknown, fallback: string) => (typeof value === "string" ? value : fallback);
  const regions = [regionOr(chosen.primaryRegion, DEFAULT_CONFIG.primaryRegion), regionOr(chosen.secondaryRegion, DEFAULT_CONFIG.secondaryRegion)];
  if (profile === "offline") {
    merged = deepMerge(merged, offlineOverrides(regions));
  } else if (profile === "rehearsal") {
    const endpoint = options.emulatorEndpoint ?? process.env.REHEARSAL_ENDPOINT ?? "";
    if (endpoint === "") throw new ConfigError(["INFRA_PROFILE: \"rehearsal\" needs REHEARSAL_ENDPOINT, the local emulator's URL such as http://127.0.0.1:5000 (npm run rehearse sets it)"]);
    merged = deepMerge(merged, rehearsalOverrides(regions, endpoint));
  } else if (profile !== "") throw new ConfigError([`INFRA_PROFILE: ${JSON.stringify(profile)} is not allowed; expected "offline", "rehearsal" or unset`]);
  return validateConfig(merged);
}

/** The `infraConfig` context key of the cdktf.json in `dir`, or undefined when there is none. */
export function cdktfJsonContext(dir = "."): unknown {
  const path = resolve(dir, "cdktf.json");
  let text: string;
  try {
    text = readFileSync(path, "utf8");
  } catch {
    return undefined;
  }
  const json = parseJson("cdktf.json", path, text) as { context?: { infraConfig?: unknown } };
  return isPlainObject(json) && isPlainObject(json.context) ? json.context.infraConfig : undefined;
}

function contextOverrides(value: unknown, base: string): Record<string, unknown> {
  if (typeof value === "string") return readOverrideFile(CONTEXT_SOURCE, resolve(base, value));
  if (!isPlainObject(value)) throw new ConfigError([`${CONTEXT_SOURCE}: ${JSON.stringify(value)} is not allowed; expected a path to a JSON file or an override object`]);
  return withoutSchemaKey(value);
}

function readOverrideFile(source: string, file: string): Record<string, unknown> {
  let text: string;
  try {
    text = readFileSync(resolve(file), "utf8");
  } catch (error) {
    throw new ConfigError([`${source}: cannot read ${JSON.stringify(file)} (${readFailure(error)})`]);
  }
  const parsed = parseJson(source, file, text);
  if (!isPlainObject(parsed)) throw new ConfigError([`${source}: ${JSON.stringify(file)} holds ${Array.isArray(parsed) ? "a list" : JSON.stringify(parsed)}; expected a JSON object of overrides`]);
  return withoutSchemaKey(parsed);
}

/** `"$schema"` points editors at config.schema.json; it is not a setting. */
function withoutSchemaKey(overrides: Record<string, unknown>): Record<string, unknown> {
  const { $schema: _schema, ...rest } = overrides;
  return rest;
}

function parseJson(source: string, file: string, text: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    const message = (error as Error).message;
    const position = /position (\d+)/.exec(message);
    let where = "";
    if (position) {
      const before = text.slice(0, Number(position[1]));
      where = ` at line ${before.split("\n").length}, column ${before.length - before.lastIndexOf("\n")}`;
    }
    const reason = message.replace(/ in JSON at position \d+.*$/s, "").replace(/, (\.\.\.)?".*"(\.\.\.)? is not valid JSON$/s, ""); // V8 echoes the text, cut to ..."…"... when long
    throw new ConfigError([`${source}: ${JSON.stringify(file)} is not valid JSON${where} (${reason})`]);
  }
}

function readFailure(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  const reasons: Record<string, string> = { ENOENT: "no such file", EACCES: "permission denied", EISDIR: "it is a directory", ENOTDIR: "a parent is not a directory" };
  return (code && reasons[code]) ?? (error as Error).message;
}

