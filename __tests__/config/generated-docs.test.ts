/** The README's configuration section and config.schema.json are generated from the schema: stale copies fail here. */
import Ajv2020 from "ajv/dist/2020";
import { readFileSync } from "fs";
import { join } from "path";
import { DEFAULT_CONFIG, configProblems } from "../../stacks/config";
import { configJsonSchema, readmeConfigSection, README_TABLE_END, README_TABLE_START, withGeneratedSection } from "../../stacks/config/docs";
import { INFRA_CONFIG_SCHEMA } from "../../stacks/config/schema";
import { leafFields } from "../../stacks/config/schema-kit";

const ROOT = join(__dirname, "../..");

describe("generated from the schema", () => {
  it("README's configuration section is current (npm run docs:config)", () => {
    const readme = readFileSync(join(ROOT, "README.md"), "utf8");
    const section = readme.slice(readme.indexOf(README_TABLE_START), readme.indexOf(README_TABLE_END) + README_TABLE_END.length);
    expect(section).toBe(readmeConfigSection());
  });

  it("README's table has one row per field with its default", () => {
    const section = readmeConfigSection();
    for (const { path, field } of leafFields(INFRA_CONFIG_SCHEMA)) expect(section).toContain(`| \`${path}\` | \`${JSON.stringify(field.default).replace(/\|/g, "\\|")}\` |`);
  });

  it("config.schema.json is current (npm run docs:config)", () => {
    expect(JSON.parse(readFileSync(join(ROOT, "config.schema.json"), "utf8"))).toEqual(configJsonSchema());
  });

  describe("the JSON Schema agrees with validation", () => {
    const validate = new Ajv2020({ strict: false }).compile(configJsonSchema());
    it.each([
      ["the defaults", DEFAULT_CONFIG],
      ["an override file with $schema", { $schema: "./config.schema.json", domain: "mysite.com", network: { azCount: 3 } }],
      ["an empty file", {}],
    ])("accepts %s", (_label, value) => {
      expect(validate(value)).toBe(true);
    });
    it.each([
      ["a string for a boolean", { access: { ssh: "false" } }],
      ["null for a string", { domain: null }],
      ["null for a section", { network: null }],
      ["a list for a section", { dns: [] }],
      ["an unknown field", { netwrok: {} }],
      ["an integer out of range", { fleet: { appServers: 0 } }],
      ["a value outside an enum", { database: { engine: "oracle" } }],
      ["a duplicate in a list", { access: { adminCidrs: ["10.0.0.0/24", "10.0.0.0/24"] } }],
      ["a project ending with a dash", { project: "shop-" }],
    ])("rejects %s, as validation does", (_label, value) => {
      expect(validate(value)).toBe(false);
      expect(configProblems(value)).not.toEqual([]);
    });
  });
});

describe("npm run docs:config rewrites only the README's generated section", () => {
  test("the text before the start marker and after the end marker is kept; the section between is replaced", () => {
    const readme = `# Title\n\nbefore\n${README_TABLE_START}\nstale table\n${README_TABLE_END}\nafter\n`;
    expect(withGeneratedSection(readme)).toBe(`# Title\n\nbefore\n${readmeConfigSection()}\nafter\n`);
  });
  test("a README without both markers, or with them out of order, is refused rather than appended to", () => {
    const error = `README.md has no generated configuration section (markers ${README_TABLE_START} … ${README_TABLE_END})`;
    expect(() => withGeneratedSection("# Title\n")).toThrow(error);
    expect(() => withGeneratedSection(`${README_TABLE_START}\n`)).toThrow(error);
    expect(() => withGeneratedSection(`${README_TABLE_END}\n${README_TABLE_START}\n`)).toThrow(error);
    expect(withGeneratedSection(`${README_TABLE_START}${README_TABLE_END}`)).toBe(readmeConfigSection());
  });
});
