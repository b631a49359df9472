/**
 * Property: any mutation of a complete configuration file — wrong types, nulls,
 * out-of-range numbers, random strings, removed and unknown keys, duplicates in
 * lists — either synthesizes every stack or fails with problems that each name
 * a configuration field, and writes nothing. No stack trace, `undefined`, `NaN`
 * or `[object Object]` ever reaches the user.
 * CONFIG_PROPERTY_RUNS sets the number of cases (default 300, about a minute).
 */
import fc from "fast-check";
import { DEFAULT_CONFIG } from "../../stacks/config";
import { INFRA_CONFIG_SCHEMA } from "../../stacks/config/schema";
import { Field, leafFields } from "../../stacks/config/schema-kit";
import { ALL_STACKS, NEVER_IN_MESSAGES, fieldNamed, problemsOf, synthFromOverrides } from "../support/config-synth";

const LEAVES = leafFields(INFRA_CONFIG_SCHEMA);
const SECTIONS = Object.entries(INFRA_CONFIG_SCHEMA.fields).filter(([, f]) => f.kind === "object").map(([key]) => key);
const PATHS = [...LEAVES.map((l) => l.path), ...SECTIONS, "warmStandby.primaryCapacity", "warmStandby.drCapacity.backend"];

type Mutation = { readonly path: string; readonly op: "set"; readonly value: unknown } | { readonly path: string; readonly op: "remove" } | { readonly path: string; readonly op: "duplicate" } | { readonly path: string; readonly op: "unknown"; readonly key: string };

/** Any JSON value: what a hand-edited file can hold. */
const anyJson: fc.Arbitrary<unknown> = fc.oneof(
  fc.constant(null),
  fc.boolean(),
  fc.integer({ min: -10, max: 70000 }),
  fc.double({ noNaN: true, noDefaultInfinity: true }),
  fc.string({ maxLength: 40 }),
  fc.constantFrom("false", "true", "1", "", " ", "10.0.0.0/8", "us-east-1", "@", "ami-0123456789abcdef0"),
  fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }),
  fc.dictionary(fc.string({ maxLength: 8 }), fc.string({ maxLength: 8 }), { maxKeys: 2 }),
);

/** A value near or inside a field's domain: range ends and one past them, enum values, both booleans, plausible strings. */
function nearDomain(field: Field): fc.Arbitrary<unknown> {
  switch (field.kind) {
    case "boolean":
      return fc.boolean();
    case "integer":
      return fc.oneof(fc.constantFrom(field.min, field.max, field.min - 1, field.max + 1, field.min + 0.5), fc.integer({ min: field.min, max: field.max }), ...(field.values ? [fc.constantFrom(...field.values)] : []));
    case "enum":
      return fc.oneof(fc.constantFrom(...field.values), fc.string({ maxLength: 10 }));
    case "list":
      return fc.oneof(fc.constant([]), fc.constant([...field.default, ...field.default]), fc.array(fc.oneof(fc.string({ maxLength: 20 }), fc.constantFrom("www", "10.1.0.0/16", "api", "@")), { maxLength: 4 }));
    case "string":
      return fc.oneof(fc.constant(field.default), fc.string({ maxLength: 30 }), fc.constantFrom("10.30.0.0/16", "10.10.0.0/20", "10.10.0.0/21", "10.10.0.0/24", "172.16.0.0/12", "eu-west-1", "ap-northeast-1", "us-west-1", "shop", "x", "a-b", "t3.large", "db.r6g.large"));
    case "map":
      return fc.oneof(fc.constant({}), fc.dictionary(fc.constantFrom("us-east-1", "us-west-2", "eu-west-1", "nowhere"), fc.oneof(fc.string({ maxLength: 20 }), fc.array(fc.string({ maxLength: 12 }), { maxLength: 3 }))));
    case "object":
      return anyJson;
  }
}

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  { weight: 4, arbitrary: fc.constantFrom(...LEAVES).chain(({ path, field }) => nearDomain(field).map((value): Mutation => ({ path, op: "set", value }))) },
  { weight: 2, arbitrary: fc.record({ path: fc.constantFrom(...PATHS), value: anyJson }).map(({ path, value }): Mutation => ({ path, op: "set", value })) },
  { weight: 2, arbitrary: fc.constantFrom(...PATHS).map((path): Mutation => ({ path, op: "remove" })) },
  { weight: 1, arbitrary: fc.constantFrom(...LEAVES.filter((l) => l.field.kind === "list").map((l) => l.path)).map((path): Mutation => ({ path, op: "duplicate" })) },
  { weight: 1, arbitrary: fc.record({ path: fc.constantFrom("", ...SECTIONS), key: fc.string({ minLength: 1, maxLength: 10 }) }).map(({ path, key }): Mutation => ({ path, op: "unknown", key })) },
);

/** The complete default file (as a user who copied it would have) with the mutations applied. */
function mutatedFile(mutations: readonly Mutation[]): Record<string, unknown> {
  const file = structuredClone(DEFAULT_CONFIG) as unknown as Record<string, unknown>;
  for (const m of mutations) {
    const keys = m.path === "" ? [] : m.path.split(".");
    let parent: Record<string, unknown> = file;
    for (const key of keys.slice(0, -1)) {
      const next = parent[key];
      if (typeof next !== "object" || next === null || Array.isArray(next)) break;
      parent = next as Record<string, unknown>;
    }
    const last = keys[keys.length - 1];
    if (m.op === "unknown") {
      const target = last === undefined ? file : parent[last];
      if (typeof target === "object" && target !== null && !Array.isArray(target)) (target as Record<string, unknown>)[m.key] = 1;
    } else if (last === undefined) continue;
    else if (m.op === "remove") delete parent[last];
    else if (m.op === "duplicate") parent[last] = Array.isArray(parent[last]) && (parent[last] as unknown[]).length > 0 ? [...(parent[last] as unknown[]), (parent[last] as unknown[])[0]] : parent[last];
    else parent[last] = m.value;
  }
  return file;
}

const RUNS = Number(process.env.CONFIG_PROPERTY_RUNS ?? 300);

describe("random mutations of a complete configuration file", () => {
  it(`synthesize every stack or fail with named fields and nothing written (${RUNS} cases)`, () => {
    let built = 0;
    let refused = 0;
    fc.assert(
      fc.property(fc.array(mutation, { minLength: 1, maxLength: 3 }), (mutations) => {
        const outcome = synthFromOverrides(mutatedFile(mutations));
        if (outcome.ok) {
          built++;
          expect(outcome.stacks.sort()).toEqual(ALL_STACKS);
          return;
        }
        refused++;
        expect(outcome.wroteSomething).toBe(false);
        for (const never of NEVER_IN_MESSAGES) expect(outcome.message).not.toMatch(never);
        const problems = problemsOf(outcome.message);
        if (!problems) throw new Error(`not a configuration error: ${outcome.message}`);
        for (const problem of problems) if (!fieldNamed(problem)) throw new Error(`names no configuration field: ${problem}`);
      }),
      { numRuns: RUNS },
    );
    // Both outcomes were exercised: the property is not vacuous.
    expect(built).toBeGreaterThan(RUNS / 20);
    expect(refused).toBeGreaterThan(RUNS / 4);
  }, 600_000);
});
