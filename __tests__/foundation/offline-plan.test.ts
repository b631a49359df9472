/**
 * The offline plan harness can fail: a stack Terraform rejects is reported as
 * such (the full plan of every stack runs in `npm run plan:offline`).
 */
import { spawnSync } from "child_process";
import { mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { initStack, validateAndPlan } from "../../scripts/plan-offline";
import { missingOfflineTerraform, prepareOfflineTerraform } from "../../scripts/offline-terraform";
import { loadConfig } from "../../stacks/config";
import { synthesize } from "../../stacks/synthesize";

const ROOT = join(__dirname, "../..");
const missing = missingOfflineTerraform();
if (missing) {
  console.warn(`offline plan harness test: SKIPPED — missing ${missing}`);
  if (process.env.CI) throw new Error(`CI must run the offline plan harness test; missing ${missing}`);
}

(missing ? describe.skip : describe)("offline terraform plan harness", () => {
  const dir = mkdtempSync(join(tmpdir(), "offline-plan-"));
  const tf = missing ? undefined! : prepareOfflineTerraform(join(dir, "terraform"));
  synthesize({ outdir: join(dir, "out"), config: loadConfig({ file: "", profile: "offline" }) });
  const stackJson = join(dir, "out", "stacks", "stage0-single-server", "cdk.tf.json");

  it("plans stage 0 with the real AWS provider and no network", async () => {
    initStack(tf, stackJson, join(dir, "good"));
    const resources = await validateAndPlan(tf, join(dir, "good"), join(dir, "good.json"));
    expect(resources).toBe(27);
    const plan = JSON.parse(readFileSync(join(dir, "good.json"), "utf8"));
    expect(plan.configuration.provider_config.aws.full_name).toBe("registry.terraform.io/hashicorp/aws");
  });

  it("fails on an attribute the provider does not have", async () => {
    const doc = JSON.parse(readFileSync(stackJson, "utf8"));
    const [instance] = Object.values(doc.resource.aws_instance) as Record<string, unknown>[];
    instance.imds_v2 = true; // not an aws_instance attribute
    const broken = join(dir, "broken.tf.json");
    writeFileSync(broken, JSON.stringify(doc));
    initStack(tf, broken, join(dir, "broken"));
    await expect(validateAndPlan(tf, join(dir, "broken"), join(dir, "broken.json"))).rejects.toThrow(/No argument or block type is named "imds_v2"/);
  });

  it("\"`npm run plan:offline -- --config infra.json [stack…]` plans your own configuration\"; \"The README's resource counts are compared only for the default configuration\"", () => {
    const config = join(dir, "mine.json");
    writeFileSync(config, JSON.stringify({ access: { ssh: true, adminCidrs: ["198.51.100.0/24", "192.0.2.0/24"] } })); // two SSH rules more than the default
    const result = spawnSync(process.execPath, [join(ROOT, "node_modules/ts-node/dist/bin.js"), "--swc", join(ROOT, "scripts/plan-offline.ts"), "--config", config, "stage0-single-server"], {
      cwd: ROOT,
      env: { ...process.env, CDKTF_OUTDIR: join(dir, "cli-out"), INFRA_CONFIG: "" },
      encoding: "utf8",
    });
    expect(result.stderr).toBe("");
    expect(result.status).toBe(0);
    expect(result.stdout).toContain("stage0-single-server: validate ok, plan ok, 29 resources to create");
    expect(result.stdout).toContain("the README's resource counts (default configuration) are not compared");
  }, 300_000);
});
