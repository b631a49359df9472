/**
 * A small schema language for the configuration. One tree of field
 * descriptions gives the TypeScript type (`Infer`), the defaults, the
 * validation with the project's messages, the JSON Schema for editors and the
 * README table, so none of them can drift from the others.
 *
 * Why not a library: zod 4 would do the same but costs ~150 ms of module
 * loading in every synth (≈ 8 % of all five stacks), and its messages would
 * need an error map to read `field: value is not allowed; expected …`. The
 * five field kinds the configuration needs fit in this file. Pure: no cdktf.
 */
import { describe } from "../../modules/core/validation";

/** Extra rule on a value that passed its type: what is expected instead (ends "expected …"), or undefined when it is fine. */
export type Rule<T> = (value: T) => string | undefined;

interface Documented {
  /** What the field does (README and editor tooltip). */
  readonly doc: string;
  /** What is allowed, as it ends the error message "expected …". */
  readonly allowed: string;
}

export interface BooleanField extends Documented {
  readonly kind: "boolean";
  readonly default: boolean;
}

export interface IntegerField extends Documented {
  readonly kind: "integer";
  readonly default: number;
  readonly min: number;
  readonly max: number;
  /** When set, only these values (e.g. CloudWatch retention periods). */
  readonly values?: readonly number[];
}

export interface StringField extends Documented {
  readonly kind: "string";
  readonly default: string;
  readonly pattern?: RegExp;
  readonly maxLength?: number;
  readonly rule?: Rule<string>;
}

export interface EnumField<V extends string = string> extends Documented {
  readonly kind: "enum";
  readonly default: V;
  readonly values: readonly V[];
}

export interface ListField<I extends ScalarField = ScalarField> extends Documented {
  readonly kind: "list";
  readonly default: readonly Infer<I>[];
  readonly item: I;
  readonly minItems: number;
  readonly maxItems: number;
}

export interface MapField<V extends Field = Field> extends Documented {
  readonly kind: "map";
  readonly default: Readonly<Record<string, unknown>>;
  /** Keys allowed in the map, e.g. region names. */
  readonly key: { readonly pattern: RegExp; readonly allowed: string };
  readonly value: V;
}

export interface ObjectField<F extends Record<string, Field> = Record<string, Field>> {
  readonly kind: "object";
  readonly doc: string;
  readonly fields: F;
}

export type ScalarField = BooleanField | IntegerField | StringField | EnumField;
export type Field = ScalarField | ListField | MapField | ObjectField;

/** The TypeScript type a field describes. */
export type Infer<N> = N extends BooleanField
  ? boolean
  : N extends IntegerField
    ? number
    : N extends EnumField<infer V>
      ? V
      : N extends StringField
        ? string
        : N extends ListField<infer I>
          ? Infer<I>[]
          : N extends MapField<infer V>
            ? Record<string, Infer<V>>
            : N extends ObjectField<infer F>
              ? { readonly [K in keyof F]: Infer<F[K]> }
              : never;

// ---- builders ---------------------------------------------------------------

export function boolean(doc: string, def: boolean): BooleanField {
  return { kind: "boolean", doc, default: def, allowed: "true or false (a JSON boolean, not a string)" };
}

export function integer(doc: string, def: number, min: number, max: number, allowed = `an integer from ${min} to ${max}`): IntegerField {
  return { kind: "integer", doc, default: def, min, max, allowed };
}

export function integerOneOf(doc: string, def: number, values: readonly number[]): IntegerField {
  return { kind: "integer", doc, default: def, min: Math.min(...values), max: Math.max(...values), values, allowed: `one of ${values.join(", ")}` };
}

export function string(doc: string, def: string, allowed: string, options: { pattern?: RegExp; maxLength?: number; rule?: Rule<string> } = {}): StringField {
  return { kind: "string", doc, default: def, allowed, ...options };
}

export function oneOf<V extends string>(doc: string, def: V, values: readonly V[]): EnumField<V> {
  return { kind: "enum", doc, default: def, values, allowed: values.map((v) => JSON.stringify(v)).join(" or ") };
}

export function list<I extends ScalarField>(doc: string, def: readonly Infer<I>[], item: I, bounds: { min?: number; max: number }): ListField<I> {
  const min = bounds.min ?? 0;
  return { kind: "list", doc, default: def, item, minItems: min, maxItems: bounds.max, allowed: `a list of ${min}–${bounds.max} distinct values, each ${item.allowed}` };
}

export function map<V extends Field>(doc: string, key: { pattern: RegExp; allowed: string }, value: V): MapField<V> {
  return { kind: "map", doc, default: {}, key, value, allowed: `an object whose keys are ${key.allowed}` };
}

export function object<F extends Record<string, Field>>(doc: string, fields: F): ObjectField<F> {
  return { kind: "object", doc, fields };
}

// ---- defaults ---------------------------------------------------------------

export function defaultsOf<N extends Field>(field: N): Infer<N> {
  return defaultValue(field) as Infer<N>;
}

function defaultValue(field: Field): unknown {
  if (field.kind === "object") return Object.fromEntries(Object.entries(field.fields).map(([key, child]) => [key, defaultValue(child)]));
  return structuredClone(field.default as unknown);
}

// ---- validation -------------------------------------------------------------

/** Problems found in `value`, each `path: value is not allowed; expected …`. `undefined` means "use the default". */
export function fieldProblems(field: Field, value: unknown, path: string, problems: string[]): void {
  if (value === undefined) return;
  // `shown` is the entry at fault when it is not `value` itself; an explicit undefined entry is shown as such.
  const bad = (allowed: string, ...shown: [unknown?]): void => {
    problems.push(`${path}: ${describe(shown.length > 0 ? shown[0] : value)} is not allowed; expected ${allowed}`);
  };
  switch (field.kind) {
    case "boolean":
      if (typeof value !== "boolean") bad(field.allowed);
      return;
    case "integer":
      if (typeof value !== "number" || !Number.isInteger(value) || value < field.min || value > field.max || (field.values && !field.values.includes(value))) bad(field.allowed);
      return;
    case "enum":
      if (typeof value !== "string" || !(field.values as readonly string[]).includes(value)) bad(field.allowed);
      return;
    case "string": {
      if (typeof value !== "string") return bad(`a string: ${field.allowed}`);
      if (field.maxLength !== undefined && value.length > field.maxLength) return bad(`${field.allowed} (at most ${field.maxLength} characters)`);
      if (field.pattern && !field.pattern.test(value)) return bad(field.allowed);
      const expected = field.rule?.(value);
      if (expected) bad(expected);
      return;
    }
    case "list": {
      if (!Array.isArray(value)) return bad(field.allowed);
      if (value.length < field.minItems || value.length > field.maxItems) return bad(field.allowed);
      value.forEach((item, index) => {
        if (item === undefined) bad(field.item.allowed, item);
        else fieldProblems(field.item, item, `${path}[${index}]`, problems);
        if (value.indexOf(item) !== index) problems.push(`${path}[${index}]: ${describe(item)} is listed twice; expected each value once`);
      });
      return;
    }
    case "map":
      if (!isPlainObject(value)) return bad(field.allowed);
      for (const [key, entry] of Object.entries(value)) {
        if (!field.key.pattern.test(key)) problems.push(`${path}: key ${describe(key)} is not allowed; expected ${field.key.allowed}`);
        else if (entry === undefined || entry === null) bad(field.value.kind === "object" ? "an object" : (field.value as Documented).allowed, entry);
        else fieldProblems(field.value, entry, `${path}.${key}`, problems);
      }
      return;
    case "object": {
      const names = Object.keys(field.fields);
      if (!isPlainObject(value)) return bad(`an object with the fields ${names.join(", ")}`);
      for (const [key, child] of Object.entries(value)) {
        if (!(key in field.fields)) problems.push(`${path || "config"}: unknown field ${describe(key)}; expected one of ${names.join(", ")}`);
        else fieldProblems(field.fields[key], child, path ? `${path}.${key}` : key, problems);
      }
      return;
    }
  }
}

/** The value with every missing field filled from the defaults (call after fieldProblems found nothing). */
export function withDefaults<N extends Field>(field: N, value: unknown): Infer<N> {
  return filled(field, value) as Infer<N>;
}

function filled(field: Field, value: unknown): unknown {
  if (value === undefined) return defaultValue(field);
  if (field.kind === "object" && isPlainObject(value)) return Object.fromEntries(Object.entries(field.fields).map(([key, child]) => [key, filled(child, value[key])]));
  if (field.kind === "map" && isPlainObject(value)) return Object.fromEntries(Object.entries(value).map(([key, entry]) => [key, filled(field.value, entry)]));
  return structuredClone(value);
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}

// ---- JSON Schema (editors) --------------------------------------------------

export function toJsonSchema(field: Field): Record<string, unknown> {
  switch (field.kind) {
    case "boolean":
      return { type: "boolean", description: field.doc, default: field.default };
    case "integer":
      return { type: "integer", description: field.doc, default: field.default, ...(field.values ? { enum: field.values } : { minimum: field.min, maximum: field.max }) };
    case "enum":
      return { type: "string", description: field.doc, default: field.default, enum: field.values };
    case "string":
      return {
        type: "string",
        description: `${field.doc} Allowed: ${field.allowed}.`,
        default: field.default,
        ...(field.pattern ? { pattern: field.pattern.source } : {}),
        ...(field.maxLength !== undefined ? { maxLength: field.maxLength } : {}),
      };
    case "list":
      return { type: "array", description: field.doc, default: field.default, items: toJsonSchema(field.item), minItems: field.minItems, maxItems: field.maxItems, uniqueItems: true };
    case "map":
      return { type: "object", description: field.doc, default: field.default, propertyNames: { pattern: field.key.pattern.source }, additionalProperties: toJsonSchema(field.value) };
    case "object":
      return {
        type: "object",
        description: field.doc,
        properties: Object.fromEntries(Object.entries(field.fields).map(([key, child]) => [key, toJsonSchema(child)])),
        additionalProperties: false,
      };
  }
}

// ---- README table -----------------------------------------------------------

/** Every leaf field as `path`, default and meaning (object fields flatten into dotted paths). */
export function leafFields(field: Field, path = ""): { path: string; field: Exclude<Field, ObjectField> }[] {
  if (field.kind !== "object") return [{ path, field }];
  return Object.entries(field.fields).flatMap(([key, child]) => leafFields(child, path ? `${path}.${key}` : key));
}

export function markdownTable(root: ObjectField): string {
  const escape = (text: string) => text.replace(/\|/g, "\\|");
  const rows = leafFields(root).map(({ path, field }) => `| \`${path}\` | \`${escape(JSON.stringify(field.default))}\` | ${escape(field.doc)} | ${escape(field.allowed)} |`);
  return ["| field | default | meaning | allowed |", "|---|---|---|---|", ...rows].join("\n");
}
