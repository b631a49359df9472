/** The real entry point (main.ts) as pipelines run it: output on success, nothing partial on failure. */
import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { STACK_NAMES } from "../../stacks";
import { enforcePolicy } from "../../stacks/synthesize";

const ROOT = resolve(__dirname, "../..");

function runSynth(outdir: string, env: Record<string, string> = {}, cwd = ROOT) {
  return spawnSync(process.execPath, [join(ROOT, "node_modules/ts-node/dist/bin.js"), "--swc", join(ROOT, "main.ts")], {
    cwd,
    env: { ...process.env, CDKTF_OUTDIR: outdir, INFRA_CONFIG: "", INFRA_PROFILE: "", ...env },
    encoding: "utf8",
  });
}

describe("main.ts synth", () => {
  const work = mkdtempSync(join(tmpdir(), "synth-"));

  describe("reads cdktf.json's context.infraConfig like cdktf synth does (npm run synth used to ignore it)", () => {
    const project = mkdtempSync(join(tmpdir(), "project-"));
    writeFileSync(join(project, "cdktf.json"), JSON.stringify({ language: "typescript", app: "npm run synth", context: { infraConfig: "infra.json" } }));
    const domainOf = (outdir: string) => JSON.parse(readFileSync(join(outdir, "stacks", "stage0-single-server", "cdk.tf.json"), "utf8")).output.site_names.value[0];

    it("a path relative to cdktf.json", () => {
      writeFileSync(join(project, "infra.json"), JSON.stringify({ domain: "from-cdktf-json.com" }));
      const outdir = join(work, "context-path");
      const result = runSynth(outdir, {}, project);
      expect(result.stderr).toBe("");
      expect(domainOf(outdir)).toBe("from-cdktf-json.com");
    });
    it("the same value handed over by the cdktf CLI (CDKTF_CONTEXT_JSON) gives the same output", () => {
      const outdir = join(work, "context-cli");
      expect(runSynth(outdir, { CDKTF_CONTEXT_JSON: JSON.stringify({ infraConfig: "infra.json" }) }, project).status).toBe(0);
      expect(readFileSync(join(outdir, "stacks", "stage0-single-server", "cdk.tf.json"), "utf8")).toBe(readFileSync(join(work, "context-path", "stacks", "stage0-single-server", "cdk.tf.json"), "utf8"));
    });
    it("a malformed file fails with the source, the file and the line, and writes nothing", () => {
      writeFileSync(join(project, "infra.json"), '{\n  "domain": "x.com",\n  oops\n}');
      const outdir = join(work, "context-broken");
      const result = runSynth(outdir, {}, project);
      expect(result.status).toBe(1);
      expect(result.stderr).toMatch(/^synth failed: invalid configuration \(1 problem\):\n  - cdktf\.json context\.infraConfig: ".*infra\.json" is not valid JSON at line 3, column 3/);
      expect(existsSync(outdir)).toBe(false);
    });
  });

  it("writes every stack to <outdir>/stacks/<name>/cdk.tf.json", () => {
    const outdir = join(work, "ok");
    const result = runSynth(outdir);
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(readdirSync(join(outdir, "stacks")).sort()).toEqual([...STACK_NAMES].sort());
    for (const name of STACK_NAMES) expect(JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")).resource).toBeDefined();
    expect(readdirSync(work).filter((e) => e.includes("partial"))).toEqual([]);
  });

  it("fails with one clear message and leaves no output on bad config", () => {
    const outdir = join(work, "bad");
    const file = join(work, "bad.json");
    writeFileSync(file, JSON.stringify({ network: { secondaryCidr: "10.10.0.0/16" } }));
    const result = runSynth(outdir, { INFRA_CONFIG: file });
    expect(result.status).toBe(1);
    expect(result.stderr).toContain('network.secondaryCidr: "10.10.0.0/16" is not allowed; expected a range whose stage blocks (10.10.0.0/16, 10.11.0.0/16, 10.12.0.0/16, 10.13.0.0/16, 10.14.0.0/16) do not overlap network.primaryCidr\'s');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(work).filter((e) => e.includes("partial"))).toEqual([]);
  });

  it("\"A failed synth leaves the previous `cdktf.out` untouched\"", () => {
    const outdir = join(work, "ok");
    const before = readFileSync(join(outdir, "stacks", STACK_NAMES[0], "cdk.tf.json"), "utf8");
    const file = join(work, "bad-ttl.json");
    writeFileSync(file, JSON.stringify({ dns: { ttl: 10 } }));
    expect(runSynth(outdir, { INFRA_CONFIG: file }).status).toBe(1);
    expect(readFileSync(join(outdir, "stacks", STACK_NAMES[0], "cdk.tf.json"), "utf8")).toBe(before);
  });
});

describe("synth-time policy gate", () => {
  it("refuses a stack with an unsuppressed finding, naming rule, address, construct path and fix", () => {
    const dir = mkdtempSync(join(tmpdir(), "policy-gate-"));
    const stackDir = join(dir, "stacks", "bad-stack");
    mkdirSync(stackDir, { recursive: true });
    const instance = { "//": { metadata: { path: "bad-stack/web/instance" } }, ami: "ami-0123456789abcdef0", instance_type: "t3.micro", metadata_options: { http_tokens: "optional" } };
    writeFileSync(join(stackDir, "cdk.tf.json"), JSON.stringify({ resource: { aws_instance: { web: instance } } }));
    expect(() => enforcePolicy(dir, ["bad-stack"])).toThrow(/\[EC2-IMDSv2\] aws_instance\.web \(construct bad-stack\/web\/instance\)[\s\S]*fix: /);
  });
});
