/** Synthesizes project stacks in-process for assertions on the Terraform JSON. */
import { Testing } from "cdktf";
import { InfraConfig, loadConfig } from "../../stacks/config";
import { STACKS } from "../../stacks";

export type TfJson = {
  resource?: Record<string, Record<string, Record<string, unknown>>>;
  data?: Record<string, Record<string, Record<string, unknown>>>;
  output?: Record<string, { value: unknown; description?: string; sensitive?: boolean }>;
  provider?: Record<string, Record<string, unknown>[]>;
  terraform?: Record<string, unknown>;
};

/** The effective config for tests: defaults + overrides (validated like a real synth). */
export function testConfig(overrides?: unknown, profile = ""): InfraConfig {
  return loadConfig({ file: "", overrides, profile });
}

const cache = new Map<string, TfJson>();

/** cdk.tf.json of one project stack built from `config` (memoized per stack and config). */
export function synthStack(name: string, config: InfraConfig = testConfig()): TfJson {
  const key = `${name}:${JSON.stringify(config)}`;
  const hit = cache.get(key);
  if (hit) return hit;
  const Stack = STACKS[name];
  if (!Stack) throw new Error(`unknown stack ${name}`);
  const app = Testing.app();
  const stack = new Stack(app, name, config);
  const json = JSON.parse(Testing.synth(stack)) as TfJson;
  cache.set(key, json);
  return json;
}

/** Every resource of a type as [name, config] pairs. */
export function resourcesOf(json: TfJson, type: string): [string, Record<string, any>][] {
  return Object.entries(json.resource?.[type] ?? {});
}

/** The configs of every resource of a type. */
export function resourceValuesOf(json: TfJson, type: string): Record<string, any>[] {
  return resourcesOf(json, type).map(([, config]) => config);
}

/** The one resource of a type as [name, config]; throws when there is none or more than one. */
export function onlyResourceOf(json: TfJson, type: string): [string, Record<string, any>] {
  const found = resourcesOf(json, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
}

/** Resolves "${aws_x.name.attr}" to the referenced resource's config. */
export function referenced(json: TfJson, ref: unknown): { type: string; name: string; config: Record<string, any> } {
  const m = /^\$\{([a-z0-9_]+)\.([A-Za-z0-9_-]+)\.[a-z_]+\}$/.exec(String(ref));
  if (!m) throw new Error(`not a plain reference: ${String(ref)}`);
  const config = json.resource?.[m[1]]?.[m[2]];
  if (!config) throw new Error(`dangling reference ${String(ref)}`);
  return { type: m[1], name: m[2], config };
}

/** Reference string of a resource's attribute, as cdktf writes it. */
export function ref(type: string, name: string, attr = "id"): string {
  return `\${${type}.${name}.${attr}}`;
}
