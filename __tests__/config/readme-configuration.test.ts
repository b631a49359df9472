/**
 * README.md, "Pointing it at a real account and domain" and "Configuration"
 * (issue 16): the promises about how configuration is read and what it puts
 * into the synthesized stacks. Test names quote the README.
 * (Already asserted elsewhere: merging and INFRA_CONFIG in
 * __tests__/foundation/config.test.ts; the cdktf context, "$schema" and
 * strict types in wrong-input-classes.test.ts; environments side by side and
 * required_version in environments.test.ts; "a failed synth writes nothing"
 * in __tests__/foundation/synth-cli.test.ts.)
 */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { loadConfig } from "../../stacks/config";
import { resourcesOf, synthStack, testConfig } from "../support/synth";

const ALL_STACKS = ["stage0-single-server", "stage1-distributed", "stage2-secured-monitored", "stage3-scale-up", "stage4-warm-standby"];

/** The message validation gives for `overrides`, or "" when it is accepted. */
function rejection(overrides: unknown): string {
  try {
    loadConfig({ file: "", overrides, profile: "" });
    return "";
  } catch (error) {
    return (error as Error).message;
  }
}

describe("README \"Pointing it at a real account and domain\"", () => {
  it("the sample override file builds: \"every field is optional\"", () => {
    const config = testConfig({
      domain: "mysite.com", certificateEmail: "ops@mysite.com",
      access: { adminCidrs: ["198.51.100.0/24"], keyName: "ops" },
      state: { bucket: "mysite-terraform-state" },
    });
    expect([config.domain, config.access.keyName, config.state.bucket, config.fleet.webServers]).toEqual(["mysite.com", "ops", "mysite-terraform-state", 4]);
  });

  it.each(ALL_STACKS)("%s: \"AWS credentials come from the standard provider chain …; nothing is written into the JSON\"", (stack) => {
    const json = synthStack(stack);
    const providers = json.provider!.aws as Record<string, unknown>[];
    expect(providers.length).toBeGreaterThan(0);
    const credentialKeys = ["access_key", "secret_key", "token", "profile", "shared_credentials_files", "shared_config_files", "assume_role", "assume_role_with_web_identity"];
    for (const provider of providers) expect(Object.keys(provider).filter((k) => credentialKeys.includes(k))).toEqual([]);
    expect(JSON.stringify(json)).not.toMatch(/AKIA[0-9A-Z]{16}|aws_secret_access_key/i);
  });

  it.each(ALL_STACKS)("%s: \"State: local by default, in `state/<project>-<environment>/<stack>.tfstate` under the project (the backend path is relative)\"", (stack) => {
    const backend = (synthStack(stack, testConfig({ project: "shop", environment: "prod" })).terraform as any).backend;
    expect(Object.keys(backend)).toEqual(["local"]);
    const path: string = backend.local.path;
    expect(path.startsWith("/")).toBe(false);
    // cdk.tf.json lives in cdktf.out/stacks/<stack>/: three levels below the project.
    expect(path).toBe(`../../../state/shop-prod/${stack}.tfstate`);
  });

  it.each(ALL_STACKS)("%s: \"With `state.bucket` set …, each stack uses the S3 backend with key `<keyPrefix>/<project>/<environment>/<stack>.tfstate`, encryption and Terraform's native lock file (`use_lockfile`, no DynamoDB table)\"", (stack) => {
    const config = testConfig({ project: "shop", environment: "prod", state: { bucket: "mysite-terraform-state", keyPrefix: "platform/states" } });
    const backend = (synthStack(stack, config).terraform as any).backend;
    expect(Object.keys(backend)).toEqual(["s3"]);
    expect(backend.s3).toEqual({
      bucket: "mysite-terraform-state",
      key: `platform/states/shop/prod/${stack}.tfstate`,
      region: config.primaryRegion,
      encrypt: true,
      use_lockfile: true,
    });
  });

  it("\"Records are written in `MERGE` mode (records the project does not own are left alone); `dns.overwriteExistingRecords: true` switches to `OVERWRITE`\"", () => {
    const modes = (overrides: unknown) => resourcesOf(synthStack("stage3-scale-up", testConfig(overrides)), "namecheap_domain_records").map(([, r]) => r.mode);
    expect(modes({})).toEqual(["MERGE"]);
    expect(modes({ dns: { overwriteExistingRecords: true } })).toEqual(["OVERWRITE"]);
  });
});

describe("README \"Configuration\"", () => {
  it("\"every message names the field, the value and what is allowed, e.g. `access.ssh: \"false\" is not allowed; expected true or false (a JSON boolean, not a string)`\"", () => {
    expect(rejection({ access: { ssh: "false" } })).toContain('access.ssh: "false" is not allowed; expected true or false (a JSON boolean, not a string)');
  });

  it("\"`null` is never allowed\": not for a scalar, a list or a section", () => {
    for (const overrides of [{ domain: null }, { dns: { hostnames: null } }, { alerts: null }, { access: { adminCidrs: [null] } }]) {
      expect([JSON.stringify(overrides), rejection(overrides)]).toEqual([JSON.stringify(overrides), expect.stringMatching(/null is not allowed/)]);
    }
  });

  it("\"every problem of a file is reported at once\"", () => {
    const message = rejection({ access: { ssh: "false" }, fleet: { webServers: 0 }, dns: { hostnames: ["www", "www"] }, colour: "blue" });
    for (const field of ["access.ssh", "fleet.webServers", "dns.hostnames", "colour"]) expect([field, message.includes(`${field}`)]).toEqual([field, true]);
    expect(message).toMatch(/^invalid configuration \(4 problems\):/);
  });

  it("\"Sources, in order (later wins …)\": `INFRA_PROFILE=offline` over the `INFRA_CONFIG` file over the cdktf context over the defaults", () => {
    const dir = mkdtempSync(join(tmpdir(), "readme-sources-"));
    writeFileSync(join(dir, "context.json"), JSON.stringify({ domain: "from-context.com", certificateEmail: "context@example.com", fleet: { appServers: 3 } }));
    writeFileSync(join(dir, "file.json"), JSON.stringify({ domain: "from-file.com", ami: { mode: "lookup" }, dns: { enabled: true } }));
    const config = loadConfig({ overrides: "context.json", contextBase: dir, file: join(dir, "file.json"), profile: "offline" });
    expect(config.fleet.appServers).toBe(3); // context over defaults
    expect(config.certificateEmail).toBe("context@example.com");
    expect(config.domain).toBe("from-file.com"); // INFRA_CONFIG over context
    expect([config.ami.mode, config.dns.enabled, config.offline]).toEqual(["ids", false, true]); // the profile over the file
    expect(config.network).toEqual(testConfig().network); // untouched sections keep the defaults
  });
});
