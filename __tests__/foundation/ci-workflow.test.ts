/** The sample CI workflow is a valid GitHub Actions workflow and runs the project's real commands. */
import { readFileSync } from "fs";
import { join } from "path";
import { validateWorkflow } from "@action-validator/core";
import pkg from "../../package.json";

const WORKFLOW = readFileSync(join(__dirname, "../../examples/ci/github-actions.yml"), "utf8");

describe("examples/ci/github-actions.yml", () => {
  it("\"`npm test` validates it against the workflow schema\"", () => {
    expect(validateWorkflow(WORKFLOW).errors).toEqual([]);
  });
  it("the validator rejects a broken workflow (the check can fail)", () => {
    expect(validateWorkflow(WORKFLOW.replace("runs-on: ubuntu-latest", "runs-onn: ubuntu-latest")).errors.length).toBeGreaterThan(0);
  });
  it("\"apply after an environment approval (the job plans the merged commit again and applies exactly that saved plan …), a daily drift check with `terraform plan -detailed-exitcode`, and short-lived OIDC roles\"; only scripts the package has", () => {
    const applyJob = WORKFLOW.slice(WORKFLOW.indexOf("\n  apply:\n"), WORKFLOW.indexOf("\n  drift:\n"));
    expect(applyJob).toMatch(/\n    environment: production\b/);
    expect(applyJob.indexOf("terraform plan -input=false -lock-timeout=5m -out=tfplan")).toBeGreaterThan(0);
    expect(applyJob.indexOf("terraform apply -input=false -lock-timeout=5m tfplan")).toBeGreaterThan(applyJob.indexOf("-out=tfplan"));
    for (const [, script] of WORKFLOW.matchAll(/npm run (?:--silent )?([a-z:]+)/g)) expect(Object.keys(pkg.scripts)).toContain(script);
    expect(WORKFLOW).toContain("terraform apply -input=false -lock-timeout=5m tfplan");
    expect(WORKFLOW).toContain("-detailed-exitcode");
    expect(WORKFLOW).toMatch(/id-token: write/);
    expect(WORKFLOW).not.toMatch(/AWS_SECRET_ACCESS_KEY|aws-secret-access-key/);
  });
});
