/**
 * The classes of wrong input a new user meets (issue: "every wrong input refused
 * with a message naming the field"), each through the real synth of all stacks:
 * refused with the field named and nothing written, or built as documented.
 */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ConfigError, loadConfig } from "../../stacks/config";
import { ALL_STACKS, NEVER_IN_MESSAGES, fieldNamed, problemsOf, synthFromOverrides } from "../support/config-synth";
import { resourcesOf, synthStack, testConfig } from "../support/synth";

function expectRefused(overrides: unknown, expected: string | RegExp): string {
  const outcome = synthFromOverrides(overrides);
  if (outcome.ok) throw new Error(`synthesized ${outcome.stacks.join(", ")} from ${JSON.stringify(overrides)}`);
  expect(outcome.wroteSomething).toBe(false);
  for (const never of NEVER_IN_MESSAGES) expect(outcome.message).not.toMatch(never);
  const problems = problemsOf(outcome.message);
  expect(problems).toBeDefined();
  for (const problem of problems!) expect(fieldNamed(problem)).toBeDefined();
  if (typeof expected === "string") expect(outcome.message).toContain(expected);
  else expect(outcome.message).toMatch(expected);
  return outcome.message;
}

function expectBuilt(overrides: unknown, keep = false) {
  const outcome = synthFromOverrides(overrides, { keep });
  if (!outcome.ok) throw new Error(outcome.message);
  expect(outcome.stacks.sort()).toEqual(ALL_STACKS);
  return outcome;
}

describe("wrong types are refused, never coerced", () => {
  it.each([
    ["SSH as the string \"false\" (used to open port 22)", { access: { ssh: "false" } }, 'access.ssh: "false" is not allowed; expected true or false'],
    ["DNS as the string \"false\"", { dns: { enabled: "false" } }, 'dns.enabled: "false" is not allowed; expected true or false'],
    ["null for a string", { domain: null }, "domain: null is not allowed"],
    ["null for a whole section", { network: null }, "network: null is not allowed; expected an object with the fields primaryCidr"],
    ["a list where a section belongs", { access: [] }, "access: [] is not allowed; expected an object with the fields adminCidrs"],
    ["a number as a string", { fleet: { appServers: "2" } }, 'fleet.appServers: "2" is not allowed; expected an integer from 1 to 20'],
    ["an object for a list", { dns: { hostnames: { www: true } } }, 'dns.hostnames: {"www":true} is not allowed'],
    ["null in a list", { access: { adminCidrs: [null] } }, "access.adminCidrs[0]: null is not allowed"],
    ["null in a map", { ami: { ids: { "us-east-1": null } } }, "ami.ids: null is not allowed"],
  ])("%s", (_label, overrides, expected) => {
    const message = expectRefused(overrides, expected);
    expect(problemsOf(message)).toHaveLength(1); // no follow-on errors
  });

  it("a list where a section belongs gives one problem, not follow-on ones", () => {
    expect(problemsOf(expectRefused({ network: [], dns: { ttl: 5 } }, "network: [] is not allowed"))).toHaveLength(2);
  });
});

describe("the cdktf context path is guarded and read by npm run synth too", () => {
  const dir = mkdtempSync(join(tmpdir(), "context-"));
  const load = (value: unknown) => () => loadConfig({ file: "", overrides: value, contextBase: dir, profile: "" });

  it("a missing file names the source and the file", () => {
    expect(load("missing.json")).toThrow(/cdktf\.json context\.infraConfig: cannot read ".*missing\.json" \(no such file\)/);
  });
  it("malformed JSON names the source, the file and the line", () => {
    writeFileSync(join(dir, "broken.json"), '{\n  "domain": "x.com",\n  oops\n}');
    expect(load("broken.json")).toThrow(/cdktf\.json context\.infraConfig: ".*broken\.json" is not valid JSON at line 3, column 3/);
  });
  it("a value that is neither a path nor an object", () => {
    expect(load(5)).toThrow('cdktf.json context.infraConfig: 5 is not allowed; expected a path to a JSON file or an override object');
    expect(load(["a"])).toThrow(ConfigError);
  });
  it("a file holding a list", () => {
    writeFileSync(join(dir, "list.json"), "[1]");
    expect(load("list.json")).toThrow(/holds a list; expected a JSON object of overrides/);
  });
  it("the cdktf context key `infraConfig` is \"a path to a JSON file (relative to `cdktf.json`)\", and `INFRA_CONFIG` wins over it (\"later wins\")", () => {
    writeFileSync(join(dir, "ctx.json"), JSON.stringify({ domain: "from-context.com", fleet: { appServers: 3 } }));
    writeFileSync(join(dir, "env.json"), JSON.stringify({ domain: "from-env.com" }));
    const config = loadConfig({ overrides: "ctx.json", contextBase: dir, file: join(dir, "env.json"), profile: "" });
    expect(config.domain).toBe("from-env.com");
    expect(config.fleet.appServers).toBe(3);
  });
  it("\"$schema\" in an override is for editors and ignored", () => {
    expect(loadConfig({ file: "", overrides: { $schema: "./config.schema.json", domain: "mysite.com" }, profile: "" }).domain).toBe("mysite.com");
  });
});

describe("documented values build or are refused up front with the reason", () => {
  it("a /21 VPC builds with the default fleets", () => {
    expectBuilt({ network: { primaryCidr: "10.10.0.0/21", secondaryCidr: "10.20.0.0/21" } });
  });
  it("a /22 VPC is refused at validation, naming the field and the range that builds", () => {
    expectRefused({ network: { primaryCidr: "10.10.0.0/22" } }, 'network.primaryCidr: "10.10.0.0/22" is not allowed; expected a prefix from /16 to /21');
  });
  it("a /21 VPC too small for the configured fleets names the CIDR, the host and the size that fits", () => {
    expectRefused(
      { network: { primaryCidr: "10.10.0.0/21", secondaryCidr: "10.20.0.0/21" }, fleet: { appServers: 20 } },
      /network\.primaryCidr: "10\.10\.0\.0\/21" is not allowed; expected a \/20 or wider range for this configuration: stage3-scale-up places a fixed address at host number 127 of subnet 10\.10\.\d+\.0\/25, which holds host numbers 4\.\.126/,
    );
  });
  it("azCount 1 is refused with the reason", () => {
    expectRefused({ network: { azCount: 1 } }, "network.azCount: 1 is not allowed; expected an integer from 2 to 4");
  });
  it("azCount 4 builds", () => {
    expectBuilt({ network: { azCount: 4 } });
  });
  it("us-west-1 needs its zones listed, then builds", () => {
    expectRefused({ secondaryRegion: "us-west-1" }, "network.azCount: 2 is not allowed; expected zone names for us-west-1 in network.availabilityZones.us-west-1");
    expectBuilt({ secondaryRegion: "us-west-1", network: { availabilityZones: { "us-west-1": ["us-west-1b", "us-west-1c"] } } });
  });
  it("database.deletionProtection false builds, with an audited suppression naming the field", () => {
    const json = expectBuilt({ database: { deletionProtection: false } }, true).json("stage1-distributed");
    const databases = resourcesOf(json, "aws_db_instance");
    expect(databases).toHaveLength(2);
    for (const [, db] of databases) {
      expect(db.deletion_protection).toBe(false);
      expect(JSON.stringify(db["//"])).toContain("database.deletionProtection is false in the configuration");
    }
  });
});

describe("text fields are checked for what they mean, not only their shape", () => {
  it("a hostname that repeats the domain", () => {
    expectRefused({ dns: { hostnames: ["@", "www.example.com"] } }, 'dns.hostnames[1]: "www.example.com" is not allowed; expected a name relative to domain (example.com): "www" publishes www.example.com');
  });
  it("the domain itself as a hostname", () => {
    expectRefused({ dns: { hostnames: ["example.com"] } }, '"@" publishes example.com');
  });
  it("a region code that does not exist", () => {
    expectRefused({ primaryRegion: "us-east-9" }, 'primaryRegion: "us-east-9" is not allowed; expected an AWS region');
  });
  it("a new region through extraRegions, whose provider skips the region check", () => {
    const config = testConfig({ secondaryRegion: "eu-west-9", extraRegions: ["eu-west-9"] });
    const json = synthStack("stage3-scale-up", config);
    const secondary = json.provider!.aws.find((p) => p.region === "eu-west-9")!;
    expect(secondary.skip_region_validation).toBe(true);
    expect(json.provider!.aws.find((p) => p.region === "us-east-1")!.skip_region_validation).toBeUndefined();
  });
  it.each(["shop-", "shop--eu", "-shop", "Shop"])("project %j", (project) => {
    expectRefused({ project }, `project: "${project}" is not allowed`);
  });
  it("a duplicate admin range (used to crash inside cdktf)", () => {
    expectRefused({ access: { adminCidrs: ["198.51.100.0/24", "198.51.100.0/24"] } }, 'access.adminCidrs[1]: "198.51.100.0/24" is listed twice; expected each value once');
  });
  it("a duplicate hostname", () => {
    expectRefused({ dns: { hostnames: ["www", "www"] } }, 'dns.hostnames[1]: "www" is listed twice');
  });
});

describe("module errors carry the configuration path", () => {
  it("an AWS name limit reached through project and environment", async () => {
    const { configErrorFrom } = await import("../../stacks/config-boundary");
    const { InvalidInputError } = await import("../../modules/core/validation");
    const config = testConfig({ project: "shop", environment: "prod" });
    const error = configErrorFrom(new InvalidInputError("database.name", "shop-prod-stage1-db", "1–50 characters"), "stage1-distributed", config);
    expect(error.message).toContain('environment: "prod" (with project "shop", 8 characters together) is not allowed; expected a shorter environment or project: stage1-distributed derives database.name');
  });
  it("anything else is reported as an internal error of the stack, never raw", async () => {
    const { configErrorFrom } = await import("../../stacks/config-boundary");
    const error = configErrorFrom(new TypeError("Cannot read properties of null (reading 'x')"), "stage3-scale-up", testConfig());
    expect(error.message).toContain("stage3-scale-up: internal error while building the stack from a valid configuration");
  });
});
