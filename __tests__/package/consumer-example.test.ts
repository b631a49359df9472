/**
 * The proof of the published package (scripts/consumer-example.ts): another team's project
 * installs the packed tarball from a clean directory, passes the policy gate with one
 * suppression, plans offline, and gets the same policy result from a directory install.
 * npm installs from its cache only (--offline); without Terraform the plan step is SKIPPED,
 * with CI set the script fails instead.
 */
import { spawnSync } from "child_process";
import { join } from "path";

const ROOT = join(__dirname, "..", "..");

test("the consumer example installs the packed package, passes the policy gate and plans offline", () => {
  const result = spawnSync(process.execPath, [join(ROOT, "node_modules/ts-node/dist/bin.js"), "--swc", join(ROOT, "scripts/consumer-example.ts")],
    { cwd: ROOT, encoding: "utf8", env: process.env, maxBuffer: 64 * 1024 * 1024 });
  const output = `${result.stdout}${result.stderr}`;
  expect({ status: result.status, output }).toEqual({ status: 0, output: expect.stringContaining("same policy result from both installs") });
  expect(output).toMatch(/tarball install: policy \{"errors":0,"warnings":0,"suppressed":\d+\}/);
  // the consumer's own suppression, next to the modules' built-in ones
  expect(output).toMatch(/SUPPRESSED ASG-SCALING-POLICY aws_autoscaling_group\.workers_group_\w+/);
  expect(output).toContain("match the committed provider schema");
  if (!/offline plan SKIPPED/.test(output)) expect(output).toMatch(/offline plan of shop: terraform validate OK, plan creates \d+ resources/);
}, 900_000);
