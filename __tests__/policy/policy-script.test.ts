import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { tf } from "./fixtures";

const ROOT = path.resolve(__dirname, "../..");
const hardened = { metadata_options: { http_tokens: "required" }, root_block_device: { encrypted: true } };

function outDir(stacks: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-script-"));
  for (const [name, json] of Object.entries(stacks)) {
    fs.mkdirSync(path.join(dir, "stacks", name), { recursive: true });
    fs.writeFileSync(path.join(dir, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
  }
  return dir;
}

function run(args: string[], env: Record<string, string> = {}) {
  const result = spawnSync(process.execPath, ["-r", "ts-node/register/transpile-only", "scripts/policy.ts", ...args],
    { cwd: ROOT, encoding: "utf8", env: { ...process.env, ...env } });
  return { code: result.status, stdout: result.stdout, stderr: result.stderr };
}

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

describe("scripts/policy.ts", () => {
  const good = tf(["aws_instance", "web", hardened]);
  const bad = tf(["aws_instance", "web", { ...hardened, metadata_options: { http_tokens: "optional" } }]);

  test("exits 0 and prints a per-stack table when every stack is compliant", () => {
    const dir = outDir({ "stage0-single-server": good });
    dirs.push(dir);
    const r = run(["--out", dir]);
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/== stage0-single-server: 1 blocks checked against \d+ rules — 0 error\(s\)/);
    expect(r.stdout).toContain("Policy OK: 1 stack(s), 0 unsuppressed errors");
  }, 30000);

  test("exits 1 on an unsuppressed error and names rule, address and fix", () => {
    const dir = outDir({ a: good, b: bad });
    dirs.push(dir);
    const r = run([], { CDKTF_OUTDIR: dir });
    expect(r.code).toBe(1);
    expect(r.stdout).toMatch(/FAIL\s+EC2-IMDSv2\s+aws_instance\.web/);
    expect(r.stdout).toContain("Policy FAILED: 1 unsuppressed error(s) in 2 stack(s).");
  }, 30000);

  test("--json prints the report as JSON", () => {
    const dir = outDir({ b: bad });
    dirs.push(dir);
    const r = run(["--json", `--out=${dir}`]);
    expect(r.code).toBe(1);
    const json = JSON.parse(r.stdout);
    expect(json.ok).toBe(false);
    expect(json.stacks[0]).toMatchObject({ stack: "b", summary: { errors: 1, warnings: 0, suppressed: 0 } });
  }, 30000);

  test("exits 2 with a hint when nothing was synthesized", () => {
    const r = run(["--out", path.join(os.tmpdir(), "definitely-not-synthesized")]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/no synthesized stacks .* run `npm run synth` first/);
  }, 30000);
});
