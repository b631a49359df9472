/** Facts every stack of the project must hold, read from the real synth output (policy metadata included). */
import { mkdtempSync, readFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { checkAgainstProviderSchema, loadNamecheapProviderSchema } from "../../modules/dns";
import { evaluateStack, unsuppressedErrors } from "../../modules/policy";
import { STACK_NAMES } from "../../stacks";
import { loadConfig } from "../../stacks/config";
import { synthesize } from "../../stacks/synthesize";

const outdir = mkdtempSync(join(tmpdir(), "all-stacks-"));
const names = synthesize({ outdir, config: loadConfig({ file: "", profile: "" }) });
const stacks = names.map((name) => ({ name, json: JSON.parse(readFileSync(join(outdir, "stacks", name, "cdk.tf.json"), "utf8")) }));

describe("every stack", () => {
  it("is synthesized under its exact name", () => {
    expect(names).toEqual(["stage0-single-server", "stage1-distributed", "stage2-secured-monitored", "stage3-scale-up", "stage4-warm-standby"]);
    expect(names).toEqual(STACK_NAMES);
  });

  it.each(STACK_NAMES)("%s has zero unsuppressed policy errors, and every suppression says why", (name) => {
    const { json } = stacks.find((s) => s.name === name)!;
    const findings = evaluateStack(json, { stackName: name });
    expect(unsuppressedErrors(findings)).toEqual([]);
    for (const finding of findings.filter((f) => f.suppressed)) expect(finding.suppressionReason!.length).toBeGreaterThanOrEqual(40);
  });

  it.each(STACK_NAMES)("%s emits only Namecheap attributes the provider schema has", (name) => {
    const { json } = stacks.find((s) => s.name === name)!;
    expect(checkAgainstProviderSchema(json, loadNamecheapProviderSchema())).toEqual([]);
  });

  it.each(STACK_NAMES)("%s describes every output and exposes no secret in them", (name) => {
    const { json } = stacks.find((s) => s.name === name)!;
    const outputs = Object.entries(json.output as Record<string, { description?: string; value: unknown }>);
    expect(outputs.length).toBeGreaterThan(1);
    for (const [, output] of outputs) {
      expect(output.description?.length).toBeGreaterThan(10);
      expect(JSON.stringify(output.value)).not.toMatch(/password|secret_string|auth_token|private_key/i);
    }
  });

  it.each(STACK_NAMES)("%s keeps its state under the project, never at an absolute path", (name) => {
    const { json } = stacks.find((s) => s.name === name)!;
    expect(json.terraform.backend.local.path).toBe(`../../../state/webplat-dev/${name}.tfstate`);
  });
});
