/**
 * How long `environment` may be is computed from what the modules derive: the
 * synth checks every name against its AWS limit, and this test searches the
 * longest environment that still builds with the longest project. The schema's
 * limit must be exactly that, so it can neither refuse names that fit nor
 * accept names that fail.
 */
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { ConfigError, DEFAULT_CONFIG, InfraConfig } from "../../stacks/config";
import { MAX_ENVIRONMENT_LENGTH } from "../../stacks/config/schema";
import { tooLongNamesError } from "../../stacks/config-boundary";
import { tooLongNames } from "../../stacks/name-limits";
import { synthesize } from "../../stacks/synthesize";

const LONGEST_PROJECT = "p".repeat(20);
const work = mkdtempSync(join(tmpdir(), "name-budget-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** Synth with validation bypassed (synthesize() takes a finished config), so lengths past the schema's limit can be tried. */
function buildsWith(environment: string): { ok: boolean; message: string } {
  const config: InfraConfig = { ...DEFAULT_CONFIG, project: LONGEST_PROJECT, environment };
  try {
    synthesize({ outdir: join(work, environment), config });
    return { ok: true, message: "" };
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return { ok: false, message: (error as Error).message };
  }
}

describe("name budget of project + environment", () => {
  it("the schema allows exactly the longest environment that builds with a 20-character project", () => {
    let fits = 1;
    let fails = 40;
    expect(buildsWith("e".repeat(fits)).ok).toBe(true);
    expect(buildsWith("e".repeat(fails)).ok).toBe(false);
    while (fails - fits > 1) {
      const middle = Math.floor((fits + fails) / 2);
      if (buildsWith("e".repeat(middle)).ok) fits = middle;
      else fails = middle;
    }
    expect(fits).toBe(MAX_ENVIRONMENT_LENGTH);
  });

  it("one character more fails, naming environment and project and the derived name", () => {
    const { message } = buildsWith("e".repeat(MAX_ENVIRONMENT_LENGTH + 1));
    expect(message).toMatch(new RegExp(`environment: "e{${MAX_ENVIRONMENT_LENGTH + 1}}" \\(with project "${LONGEST_PROJECT}", \\d+ characters together\\) is not allowed; expected a shorter environment or project: stage\\d-[a-z0-9-]+ derives `));
  });

  it("every AWS name limit is checked on the synthesized JSON, references excepted", () => {
    const stack = {
      resource: {
        aws_lb: { ok: { name: "x".repeat(32) }, long: { name: "x".repeat(33) }, ref: { name: "${aws_x.y.name}-and-a-long-literal-suffix" } },
        aws_iam_role: { long: { name: "r".repeat(70) } },
        aws_instance: { untracked: { name: "n".repeat(500) } },
      },
    };
    const found = tooLongNames(stack);
    expect(found.map((f) => `${f.address}.${f.attribute}:${f.limit}`).sort()).toEqual(["aws_iam_role.long.name:64", "aws_lb.long.name:32"]);
    const error = tooLongNamesError("stage9", { ...DEFAULT_CONFIG, project: "shop", environment: "prod" }, found);
    expect(error.message).toContain('environment: "prod" (with project "shop", 8 characters together) is not allowed; expected a shorter environment or project: stage9 derives aws_iam_role.long.name');
    expect(error.message).toContain("and 1 more too-long name(s)");
  });
});
