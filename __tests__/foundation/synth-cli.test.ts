/** The real entry point (main.ts) as pipelines run it: output on success, nothing partial on failure. */
import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, resolve } from "path";
import { STACK_NAMES } from "../../stacks";
import { enforcePolicy } from "../../stacks/synthesize";

const ROOT = resolve(__dirname, "../..");

function runSynth(outdir: string, env: Record<string, string> = {}) {
  return spawnSync(process.execPath, ["node_modules/ts-node/dist/bin.js", "--swc", "main.ts"], {
    cwd: ROOT,
    env: { ...process.env, CDKTF_OUTDIR: outdir, INFRA_CONFIG: "", INFRA_PROFILE: "", ...env },
    encoding: "utf8",
  });
}

describe("main.ts synth", () => {
  const work = mkdtempSync(join(tmpdir(), "synth-"));

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
    expect(result.stderr).toContain('network.secondaryCidr: "10.10.0.0/16" is not allowed; expected a range that does not overlap network.primaryCidr (10.10.0.0/16)');
    expect(result.stderr).not.toMatch(/\n\s+at /); // no stack trace
    expect(existsSync(outdir)).toBe(false);
    expect(readdirSync(work).filter((e) => e.includes("partial"))).toEqual([]);
  });

  it("leaves the previous output untouched when a later synth fails", () => {
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
