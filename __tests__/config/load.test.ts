/**
 * loadConfig and cdktfJsonContext: where overrides come from (cdktf.json context, INFRA_CONFIG, a profile) and the
 * exact message of each way a source can be wrong. Pure file reads, no synth.
 */
import { mkdirSync, mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ConfigError, DEFAULT_CONFIG, cdktfJsonContext, loadConfig } from "../../stacks/config";

const messageOf = (run: () => unknown): string => {
  try {
    run();
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems.join("\n");
  }
  throw new Error("no ConfigError");
};
const tempDir = () => mkdtempSync(join(tmpdir(), "cfg-load-"));

describe("loadConfig: sources and profiles", () => {
  test("the rehearsal profile needs the emulator's URL, and says where it comes from", () => {
    expect(messageOf(() => loadConfig({ file: "", profile: "rehearsal", emulatorEndpoint: "" }))).toBe(
      'INFRA_PROFILE: "rehearsal" needs REHEARSAL_ENDPOINT, the local emulator\'s URL such as http://127.0.0.1:5000 (npm run rehearse sets it)',
    );
  });

  test("the rehearsal profile points every endpoint at the emulator and lifts deletion protection (rehearsal only)", () => {
    const config = loadConfig({ file: "", profile: "rehearsal", emulatorEndpoint: "http://127.0.0.1:5999" });
    expect(config.emulatorEndpoint).toBe("http://127.0.0.1:5999");
    expect(config.database.deletionProtection).toBe(false);
    expect(config.warmStandby.albDeletionProtection).toBe(false);
    expect(DEFAULT_CONFIG.database.deletionProtection).toBe(true);
    expect(DEFAULT_CONFIG.warmStandby.albDeletionProtection).toBe(true);
    expect(config.dns.enabled).toBe(false);
  });

  test("the offline profile pins an AMI for the regions the overrides choose, not the default ones", () => {
    const config = loadConfig({ file: "", profile: "offline", overrides: { primaryRegion: "eu-west-1", secondaryRegion: "eu-central-1" } });
    expect(Object.keys(config.ami.ids).sort()).toEqual(["eu-central-1", "eu-west-1"]);
  });

  test("without options the profile and the emulator's URL come from INFRA_PROFILE and REHEARSAL_ENDPOINT; unset means no profile", () => {
    const saved = { INFRA_PROFILE: process.env.INFRA_PROFILE, REHEARSAL_ENDPOINT: process.env.REHEARSAL_ENDPOINT };
    try {
      delete process.env.INFRA_PROFILE;
      expect(loadConfig({ file: "" }).dns.enabled).toBe(DEFAULT_CONFIG.dns.enabled);
      process.env.INFRA_PROFILE = "rehearsal";
      process.env.REHEARSAL_ENDPOINT = "http://127.0.0.1:5998";
      expect(loadConfig({ file: "" }).emulatorEndpoint).toBe("http://127.0.0.1:5998");
    } finally {
      for (const [name, value] of Object.entries(saved)) {
        if (value === undefined) delete process.env[name];
        else process.env[name] = value;
      }
    }
  });

  test("an unknown profile is refused with the profiles there are", () => {
    expect(messageOf(() => loadConfig({ file: "", profile: "offlne" }))).toBe('INFRA_PROFILE: "offlne" is not allowed; expected "offline", "rehearsal" or unset');
  });

  test("a context override given as a path is read relative to the context base; \"$schema\" is not a setting", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "prod.json"), JSON.stringify({ $schema: "./config.schema.json", domain: "example.org" }));
    expect(loadConfig({ file: "", profile: "", overrides: "prod.json", contextBase: dir }).domain).toBe("example.org");
    expect(messageOf(() => loadConfig({ file: "", profile: "", overrides: "prod.json" }))).toMatch(/^cdktf\.json context\.infraConfig: cannot read ".*prod\.json" \(no such file\)$/);
  });

  test("a context override that is neither a path nor an object is refused", () => {
    expect(messageOf(() => loadConfig({ file: "", profile: "", overrides: 42 }))).toBe("cdktf.json context.infraConfig: 42 is not allowed; expected a path to a JSON file or an override object");
  });

  test("an override file that is a list, or a scalar, is refused", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "list.json"), "[]");
    writeFileSync(join(dir, "scalar.json"), "7");
    expect(messageOf(() => loadConfig({ file: join(dir, "list.json"), profile: "" }))).toBe(`INFRA_CONFIG: ${JSON.stringify(join(dir, "list.json"))} holds a list; expected a JSON object of overrides`);
    expect(messageOf(() => loadConfig({ file: join(dir, "scalar.json"), profile: "" }))).toBe(`INFRA_CONFIG: ${JSON.stringify(join(dir, "scalar.json"))} holds 7; expected a JSON object of overrides`);
  });

  test("an unreadable override file: the reason in words (a directory, a missing file)", () => {
    const dir = tempDir();
    expect(messageOf(() => loadConfig({ file: dir, profile: "" }))).toBe(`INFRA_CONFIG: cannot read ${JSON.stringify(dir)} (it is a directory)`);
    expect(messageOf(() => loadConfig({ file: join(dir, "none.json"), profile: "" }))).toBe(`INFRA_CONFIG: cannot read ${JSON.stringify(join(dir, "none.json"))} (no such file)`);
    writeFileSync(join(dir, "plain"), "x");
    expect(messageOf(() => loadConfig({ file: join(dir, "plain", "infra.json"), profile: "" }))).toBe(`INFRA_CONFIG: cannot read ${JSON.stringify(join(dir, "plain", "infra.json"))} (a parent is not a directory)`);
  });

  test("JSON that does not parse: the parser's reason without the text it echoes, even when it cuts the text short; line and column when the parser gives a position", () => {
    const dir = tempDir();
    const file = join(dir, "broken.json");
    writeFileSync(file, '{\n  "domain": "example.org",\n  "dns": }\n');
    expect(messageOf(() => loadConfig({ file, profile: "" }))).toBe(`INFRA_CONFIG: ${JSON.stringify(file)} is not valid JSON (Unexpected token '}')`);
    writeFileSync(file, `{"domain": "${"x".repeat(40)}", }`);
    expect(messageOf(() => loadConfig({ file, profile: "" }))).toBe(`INFRA_CONFIG: ${JSON.stringify(file)} is not valid JSON at line 1, column 56 (Expected double-quoted property name)`);
    writeFileSync(file, `{"domain": "${"x".repeat(40)}", "dns": ${"y".repeat(40)} }`);
    expect(messageOf(() => loadConfig({ file, profile: "" }))).toBe(`INFRA_CONFIG: ${JSON.stringify(file)} is not valid JSON (Unexpected token 'y')`);
    writeFileSync(file, '{"a": }');
    expect(messageOf(() => loadConfig({ file, profile: "" }))).toBe(`INFRA_CONFIG: ${JSON.stringify(file)} is not valid JSON (Unexpected token '}')`);
    writeFileSync(file, '{"domain": ');
    expect(messageOf(() => loadConfig({ file, profile: "" }))).toBe(`INFRA_CONFIG: ${JSON.stringify(file)} is not valid JSON (Unexpected end of JSON input)`);
  });
});

describe("cdktfJsonContext: the infraConfig context key of a cdktf.json", () => {
  test("undefined without a cdktf.json, or without the key", () => {
    const dir = tempDir();
    expect(cdktfJsonContext(dir)).toBeUndefined();
    writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ app: "x", context: {} }));
    expect(cdktfJsonContext(dir)).toBeUndefined();
    writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ app: "x", context: "none" }));
    expect(cdktfJsonContext(dir)).toBeUndefined();
  });

  test("the key's value, a path or an object", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "cdktf.json"), JSON.stringify({ context: { infraConfig: { domain: "example.org" } } }));
    expect(cdktfJsonContext(dir)).toEqual({ domain: "example.org" });
    mkdirSync(join(dir, "sub"));
    writeFileSync(join(dir, "sub", "cdktf.json"), JSON.stringify({ context: { infraConfig: "config/prod.json" } }));
    expect(cdktfJsonContext(join(dir, "sub"))).toBe("config/prod.json");
  });

  test("a cdktf.json that does not parse is refused by name", () => {
    const dir = tempDir();
    writeFileSync(join(dir, "cdktf.json"), "{ app: ");
    expect(messageOf(() => cdktfJsonContext(dir))).toBe(`cdktf.json: ${JSON.stringify(join(dir, "cdktf.json"))} is not valid JSON at line 1, column 3 (Expected property name or '}')`);
  });
});
