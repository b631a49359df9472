/**
 * The configuration's schema language (stacks/config/schema-kit.ts) on small schemas of its own: each field kind's
 * exact problem at its boundaries, the JSON Schema it gives editors and the README row. The real schema's use of it
 * is tested by the other files of this folder.
 */
import { fieldProblems, list, map, markdownTable, object, string, toJsonSchema } from "../../stacks/config/schema-kit";

const NAME = string("A name.", "web", "a lowercase name", { pattern: /^[a-z]+$/, maxLength: 5 });
const SCHEMA = object("Root.", {
  name: NAME,
  tags: list("Tags.", [], string("A tag.", "", "a tag"), { min: 1, max: 2 }),
  sizes: map("Sizes per zone.", { pattern: /^z[0-9]$/, allowed: "zone keys such as z1" }, string("A size.", "s", "a size")),
  zones: map("Zone settings.", { pattern: /^z[0-9]$/, allowed: "zone keys such as z1" }, object("A zone.", { name: NAME })),
});
const problemsOf = (value: unknown): string[] => {
  const problems: string[] = [];
  fieldProblems(SCHEMA, value, "", problems);
  return problems;
};

describe("schema kit: problems, exact and at the boundaries", () => {
  test("a field left out takes its default: no problem", () => {
    expect(problemsOf({})).toEqual([]);
    expect(problemsOf(undefined)).toEqual([]);
  });
  test("a string of another type says it wants a string", () => {
    expect(problemsOf({ name: 7 })).toEqual(["name: 7 is not allowed; expected a string: a lowercase name"]);
  });
  test("maxLength: the limit itself is allowed, one more is refused with the limit named", () => {
    expect(problemsOf({ name: "abcde" })).toEqual([]);
    expect(problemsOf({ name: "abcdef" })).toEqual(['name: "abcdef" is not allowed; expected a lowercase name (at most 5 characters)']);
  });
  test("an undefined entry of a list or a map (a TypeScript caller's) is shown as undefined, not as the whole list or map", () => {
    expect(problemsOf({ tags: ["a", undefined] })).toEqual(["tags: undefined is not allowed; expected a tag"]);
  });
  test("a list's item count: min and max allowed, one outside refused", () => {
    expect(problemsOf({ tags: ["a"] })).toEqual([]);
    expect(problemsOf({ tags: ["a", "b"] })).toEqual([]);
    expect(problemsOf({ tags: [] })).toEqual(["tags: [] is not allowed; expected a list of 1–2 distinct values, each a tag"]);
    expect(problemsOf({ tags: ["a", "b", "c"] })).toEqual(['tags: ["a","b","c"] is not allowed; expected a list of 1–2 distinct values, each a tag']);
  });
  test("a map: a bad key, a null entry and a bad value each named", () => {
    expect(problemsOf({ sizes: { x1: "s" } })).toEqual(['sizes: key "x1" is not allowed; expected zone keys such as z1']);
    expect(problemsOf({ sizes: { z1: null } })).toEqual(["sizes: null is not allowed; expected a size"]);
    expect(problemsOf({ sizes: { z1: undefined } })).toEqual(["sizes: undefined is not allowed; expected a size"]);
    expect(problemsOf({ zones: { z2: null } })).toEqual(["zones: null is not allowed; expected an object"]);
    expect(problemsOf({ zones: { z2: { name: "A" } } })).toEqual(['zones.z2.name: "A" is not allowed; expected a lowercase name']);
  });
  test("an object: not an object, and an unknown field (at the root, named config)", () => {
    expect(problemsOf([])).toEqual([": [] is not allowed; expected an object with the fields name, tags, sizes, zones"]);
    expect(problemsOf({ nmae: "x" })).toEqual(['config: unknown field "nmae"; expected one of name, tags, sizes, zones']);
    expect(problemsOf({ zones: { z1: { nmae: "x" } } })).toEqual(['zones.z1: unknown field "nmae"; expected one of name']);
  });
});

describe("schema kit: what editors and the README get", () => {
  test("a string's JSON Schema carries its pattern and maxLength, and leaves out what it does not have", () => {
    expect(toJsonSchema(NAME)).toStrictEqual({ type: "string", description: "A name. Allowed: a lowercase name.", default: "web", pattern: "^[a-z]+$", maxLength: 5 });
    expect(toJsonSchema(string("Free.", "", "anything"))).toStrictEqual({ type: "string", description: "Free. Allowed: anything.", default: "" });
  });
  test("the README table escapes | in defaults, meanings and allowed values, so a row stays one row", () => {
    const table = markdownTable(object("Root.", { sep: string("Split on a | b | c.", "a|b", "one of | or ,") }));
    expect(table).toBe("| field | default | meaning | allowed |\n|---|---|---|---|\n| `sep` | `\"a\\|b\"` | Split on a \\| b \\| c. | one of \\| or , |");
  });
});
