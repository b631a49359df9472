/**
 * Offline stand-in for `terraform validate` on the Namecheap part of a synthesized stack:
 * no Namecheap provider binary is available offline, so cdk.tf.json is checked against the
 * committed provider schema (the `terraform providers schema -json` format).
 * Pure: no cdktf import; data in, list of problems out (empty = passes).
 */
import { readFileSync } from "fs";
import { join } from "path";

/** Where the committed namecheap/namecheap 2.9.0 schema lives (also the input of the generator). */
export const NAMECHEAP_SCHEMA_PATH = join(__dirname, "..", "..", "scripts", "namecheap", "provider-schema.json");
export const NAMECHEAP_PROVIDER_FQPN = "registry.terraform.io/namecheap/namecheap";

/** A Terraform type expression: "string" | "number" | "bool" | "dynamic" | ["set", T] | ["list", T] | ["map", T] | ["object", {…}] | ["tuple", […]]. */
export type SchemaType = string | [string, unknown];

export interface SchemaAttribute {
  readonly type: SchemaType;
  readonly required?: boolean;
  readonly optional?: boolean;
  readonly computed?: boolean;
  readonly sensitive?: boolean;
}

export interface SchemaBlock {
  readonly attributes?: Record<string, SchemaAttribute>;
  readonly block_types?: Record<string, SchemaNestedBlock>;
}

export interface SchemaNestedBlock {
  readonly nesting_mode: "single" | "group" | "list" | "set" | "map";
  readonly block: SchemaBlock;
  readonly min_items?: number;
  readonly max_items?: number;
}

export interface ProviderSchemaEntry {
  readonly provider?: { readonly block: SchemaBlock };
  readonly resource_schemas?: Record<string, { readonly block: SchemaBlock }>;
  readonly data_source_schemas?: Record<string, { readonly block: SchemaBlock }>;
}

export interface ProvidersSchemaJson {
  readonly format_version: string;
  readonly provider_schemas: Record<string, ProviderSchemaEntry>;
}

/** Loads the committed namecheap/namecheap schema. */
export function loadNamecheapProviderSchema(path: string = NAMECHEAP_SCHEMA_PATH): ProvidersSchemaJson {
  return JSON.parse(readFileSync(path, "utf8")) as ProvidersSchemaJson;
}

/** Keys Terraform itself handles on resources, data sources and provider blocks; never in a provider schema. */
const META_ARGUMENTS = new Set(["//", "alias", "count", "for_each", "provider", "depends_on", "lifecycle", "provisioner", "connection", "dynamic"]);

/**
 * Checks every `namecheap_*` resource and data source and every `namecheap` provider block of a
 * synthesized cdk.tf.json against the schema: unknown attributes or blocks, wrong value types
 * (a Terraform interpolation "${…}" is accepted for any type), read-only attributes that are set,
 * missing required attributes, block counts. Resources of other providers are ignored.
 * Stricter than Terraform on purpose: "300" for a number attribute is reported (Terraform would
 * convert it), since generated code should emit the schema's own type.
 */
export function checkAgainstProviderSchema(tfJson: object, schema: object, providerFqpn: string = NAMECHEAP_PROVIDER_FQPN): string[] {
  const providerSchema = (schema as Partial<ProvidersSchemaJson>).provider_schemas?.[providerFqpn];
  if (!providerSchema) return [`schema: provider_schemas["${providerFqpn}"] is missing`];
  const localName = providerFqpn.split("/").pop() as string;
  const config = tfJson as Record<string, unknown>;
  const problems: string[] = [];

  for (const [index, providerConfig] of asArray(asRecord(config.provider)[localName]).entries()) {
    const where = `provider "${localName}"[${index}]`;
    if (providerSchema.provider) checkBlock(where, providerConfig, providerSchema.provider.block, problems);
    else problems.push(`${where}: the schema has no provider block`);
  }
  checkTypedBlocks("resource", asRecord(config.resource), providerSchema.resource_schemas ?? {}, localName, problems);
  checkTypedBlocks("data", asRecord(config.data), providerSchema.data_source_schemas ?? {}, localName, problems);
  return problems;
}

function checkTypedBlocks(
  kind: "resource" | "data",
  byType: Record<string, unknown>,
  schemas: Record<string, { readonly block: SchemaBlock }>,
  localName: string,
  problems: string[],
): void {
  for (const [type, byName] of Object.entries(byType)) {
    if (!type.startsWith(`${localName}_`)) continue;
    for (const [name, body] of Object.entries(asRecord(byName))) {
      const where = `${kind} "${type}" "${name}"`;
      const schema = schemas[type];
      if (!schema) problems.push(`${where}: ${kind === "data" ? "data source" : "resource"} type "${type}" is not in the ${localName} provider schema`);
      else checkBlock(where, body, schema.block, problems);
    }
  }
}

function checkBlock(where: string, body: unknown, block: SchemaBlock, problems: string[]): void {
  if (!isPlainObject(body)) {
    problems.push(`${where}: expected an object, got ${typeName(body)}`);
    return;
  }
  const attributes = block.attributes ?? {};
  const blockTypes = block.block_types ?? {};
  for (const [key, value] of Object.entries(body)) {
    if (META_ARGUMENTS.has(key) || value === null || value === undefined) continue;
    const attribute = attributes[key];
    const nested = blockTypes[key];
    if (attribute) {
      if (attribute.computed && !attribute.optional && !attribute.required) {
        problems.push(`${where}: attribute "${key}" is read-only (computed) and cannot be set`);
      } else {
        const mismatch = typeMismatch(value, attribute.type);
        if (mismatch) problems.push(`${where}: attribute "${key}" must be ${typeLabel(attribute.type)}, got ${mismatch}`);
      }
    } else if (nested) {
      checkNestedBlock(`${where} ${key}`, value, nested, problems);
    } else {
      problems.push(`${where}: unknown attribute or block "${key}"`);
    }
  }
  for (const [key, attribute] of Object.entries(attributes)) {
    if (attribute.required && (body[key] === undefined || body[key] === null)) {
      problems.push(`${where}: required attribute "${key}" is missing`);
    }
  }
  for (const [key, nested] of Object.entries(blockTypes)) {
    if ((nested.min_items ?? 0) > 0 && body[key] === undefined) {
      problems.push(`${where}: block "${key}" needs at least ${nested.min_items} entr${nested.min_items === 1 ? "y" : "ies"}`);
    }
  }
}

function checkNestedBlock(where: string, value: unknown, nested: SchemaNestedBlock, problems: string[]): void {
  if (isInterpolation(value)) return; // a whole block from an expression: only known to Terraform
  if (nested.nesting_mode === "single" || nested.nesting_mode === "group") {
    const single = Array.isArray(value) && value.length === 1 ? value[0] : value;
    checkBlock(where, single, nested.block, problems);
    return;
  }
  if (nested.nesting_mode === "map") {
    if (!isPlainObject(value)) problems.push(`${where}: block must be a map of objects, got ${typeName(value)}`);
    else Object.entries(value).forEach(([k, item]) => checkBlock(`${where}["${k}"]`, item, nested.block, problems));
    return;
  }
  const items = Array.isArray(value) ? value : [value]; // Terraform JSON accepts one object for a list/set block
  if (nested.min_items !== undefined && items.length < nested.min_items) {
    problems.push(`${where}: needs at least ${nested.min_items} entries, got ${items.length}`);
  }
  if (nested.max_items !== undefined && items.length > nested.max_items) {
    problems.push(`${where}: allows at most ${nested.max_items} entries, got ${items.length}`);
  }
  items.forEach((item, index) => checkBlock(`${where}[${index}]`, item, nested.block, problems));
}

/** Returns a description of what is wrong, or undefined when the value fits the type. */
function typeMismatch(value: unknown, type: SchemaType): string | undefined {
  if (isInterpolation(value)) return undefined;
  if (typeof type === "string") {
    switch (type) {
      case "string":
        return typeof value === "string" ? undefined : typeName(value);
      case "number":
        return typeof value === "number" && Number.isFinite(value) ? undefined : typeName(value);
      case "bool":
        return typeof value === "boolean" ? undefined : typeName(value);
      case "dynamic":
        return undefined;
      default:
        return `a value of the unsupported schema type ${JSON.stringify(type)}`;
    }
  }
  const [kind, inner] = type;
  if (kind === "list" || kind === "set") {
    if (!Array.isArray(value)) return typeName(value);
    for (const [index, item] of value.entries()) {
      const mismatch = typeMismatch(item, inner as SchemaType);
      if (mismatch) return `${mismatch} at [${index}]`;
    }
    if (kind === "set" && value.every((item) => !isInterpolation(item))) {
      const distinct = new Set(value.map((item) => JSON.stringify(item)));
      if (distinct.size !== value.length) return "duplicate elements (a set keeps each element once)";
    }
    return undefined;
  }
  if (kind === "map") {
    if (!isPlainObject(value)) return typeName(value);
    for (const [key, item] of Object.entries(value)) {
      const mismatch = typeMismatch(item, inner as SchemaType);
      if (mismatch) return `${mismatch} at ["${key}"]`;
    }
    return undefined;
  }
  if (kind === "object") {
    if (!isPlainObject(value)) return typeName(value);
    const fields = inner as Record<string, SchemaType>;
    for (const [key, item] of Object.entries(value)) {
      if (!(key in fields)) return `unknown object attribute "${key}"`;
      const mismatch = typeMismatch(item, fields[key]);
      if (mismatch) return `${mismatch} at .${key}`;
    }
    return undefined;
  }
  if (kind === "tuple") {
    const elements = inner as SchemaType[];
    if (!Array.isArray(value) || value.length !== elements.length) return typeName(value);
    for (const [index, item] of value.entries()) {
      const mismatch = typeMismatch(item, elements[index]);
      if (mismatch) return `${mismatch} at [${index}]`;
    }
    return undefined;
  }
  return `a value of the unsupported schema type ${JSON.stringify(type)}`;
}

/** A Terraform template expression, resolved at plan time: "${aws_eip.web.public_ip}". */
function isInterpolation(value: unknown): boolean {
  return typeof value === "string" && value.includes("${");
}

function typeLabel(type: SchemaType): string {
  if (typeof type === "string") return type;
  const [kind, inner] = type;
  if (kind === "list" || kind === "set" || kind === "map") return `${kind} of ${typeLabel(inner as SchemaType)}`;
  return kind;
}

function typeName(value: unknown): string {
  if (value === null) return "null";
  if (Array.isArray(value)) return "list";
  if (typeof value === "boolean") return "bool";
  if (typeof value === "string") return `string ${JSON.stringify(value)}`;
  if (typeof value === "number") return `number ${value}`;
  return typeof value;
}

function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

function asRecord(value: unknown): Record<string, unknown> {
  return isPlainObject(value) ? value : {};
}

function asArray(value: unknown): unknown[] {
  if (value === undefined || value === null) return [];
  return Array.isArray(value) ? value : [value];
}
