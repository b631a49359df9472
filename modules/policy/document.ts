/**
 * Read-only view over one synthesized Terraform JSON document (`cdk.tf.json`).
 * Rules get it to answer cross-resource questions ("does this VPC have a flow
 * log?") without knowing how the JSON was produced.
 */
import type { TfSubject } from "./types";
import { isObject, Json } from "./values";

const METADATA_KEY = "//";

export class TfDocument {
  private readonly all: readonly TfSubject[];
  private readonly byType = new Map<string, TfSubject[]>();
  private readonly byAddress = new Map<string, TfSubject>();

  constructor(tfJson: unknown) {
    if (!isObject(tfJson)) {
      throw new Error(`policy: expected a Terraform JSON object, got ${tfJson === null ? "null" : typeof tfJson}`);
    }
    const frozen = deepFreeze(structuredClone(tfJson));
    const subjects: TfSubject[] = [
      ...namedBlocks(frozen.resource, "resource"),
      ...namedBlocks(frozen.data, "data"),
      ...providerBlocks(frozen.provider),
    ];
    this.all = Object.freeze(subjects);
    for (const subject of subjects) {
      const key = typeKey(subject.kind, subject.type);
      const list = this.byType.get(key) ?? [];
      list.push(subject);
      this.byType.set(key, list);
      this.byAddress.set(subject.address, subject);
    }
  }

  /** Every resource, data source and provider block. */
  subjects(): readonly TfSubject[] {
    return this.all;
  }

  /** Resources of the given types (aliases such as aws_alb / aws_lb can be passed together). */
  resources(...types: string[]): readonly TfSubject[] {
    return types.flatMap((t) => this.byType.get(typeKey("resource", t)) ?? []);
  }

  byAddressOf(address: string): TfSubject | undefined {
    return this.byAddress.get(address);
  }

  /**
   * The resource or data source a value points at, when the value is a single
   * reference such as `${aws_subnet.a.id}` or `${data.aws_iam_policy_document.p.json}`.
   */
  resolve(value: unknown): { subject: TfSubject; attribute: string } | undefined {
    if (typeof value !== "string") return undefined;
    const match = /^\$\{(data\.)?([a-z][a-z0-9_]*)\.([A-Za-z0-9_-]+)(?:\[[^\]]*\])?\.([A-Za-z0-9_.]+)\}$/.exec(value.trim());
    if (!match) return undefined;
    const address = `${match[1] ? "data." : ""}${match[2]}.${match[3]}`;
    const subject = this.byAddress.get(address);
    return subject ? { subject, attribute: match[4] } : undefined;
  }

  /** Resources of `types` whose attribute `key` references `target` (e.g. flow logs whose vpc_id is the VPC). */
  referencing(target: TfSubject, key: string, ...types: string[]): TfSubject[] {
    return this.resources(...types).filter((r) => refersTo(r.config[key], target));
  }
}

/** True when a value (string, or list of strings) contains a reference to `target`. */
export function refersTo(value: unknown, target: TfSubject): boolean {
  if (Array.isArray(value)) return value.some((v) => refersTo(v, target));
  if (typeof value !== "string" || !value.includes("${")) return false;
  const prefix = target.kind === "data" ? `data\\.${escapeRegExp(target.type)}` : escapeRegExp(target.type);
  const pattern = new RegExp(`(^|[^A-Za-z0-9_.])${prefix}\\.${escapeRegExp(target.name)}(?=[.\\[}\\s,)])`);
  return pattern.test(value);
}

function namedBlocks(section: unknown, kind: "resource" | "data"): TfSubject[] {
  if (!isObject(section)) return [];
  const out: TfSubject[] = [];
  for (const [type, byName] of Object.entries(section)) {
    if (!isObject(byName)) continue;
    for (const [name, config] of Object.entries(byName)) {
      if (!isObject(config)) continue;
      const address = kind === "data" ? `data.${type}.${name}` : `${type}.${name}`;
      out.push({ kind, type, name, address, constructPath: constructPathOf(config), config });
    }
  }
  return out;
}

function providerBlocks(section: unknown): TfSubject[] {
  if (!isObject(section)) return [];
  const out: TfSubject[] = [];
  for (const [type, value] of Object.entries(section)) {
    const configs = Array.isArray(value) ? value : [value];
    for (const config of configs) {
      if (!isObject(config)) continue;
      const alias = typeof config.alias === "string" ? config.alias : undefined;
      out.push({
        kind: "provider",
        type,
        name: alias ?? "default",
        address: alias ? `provider.${type}.${alias}` : `provider.${type}`,
        constructPath: constructPathOf(config),
        config,
      });
    }
  }
  return out;
}

/** cdktf writes `"//": { "metadata": { "path": "stack/construct/id" } }` into every block. */
export function constructPathOf(config: Json): string | undefined {
  const meta = config[METADATA_KEY];
  if (!isObject(meta) || !isObject(meta.metadata)) return undefined;
  return typeof meta.metadata.path === "string" ? meta.metadata.path : undefined;
}

/** The `//` comment object of a block (ignored by Terraform, read by the policy engine). */
export function metadataOf(config: Readonly<Json>): Json | undefined {
  const meta = config[METADATA_KEY];
  return isObject(meta) ? meta : undefined;
}

function typeKey(kind: string, type: string): string {
  return `${kind}:${type}`;
}

function escapeRegExp(text: string): string {
  return text.replace(/[.*+?^${}()|[\]\\]/g, "\\$&");
}

function deepFreeze<T>(value: T): T {
  if (typeof value === "object" && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}
