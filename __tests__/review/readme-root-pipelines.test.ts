/**
 * README.md, "Reviewing a plan" (issue 16): the review CLI's exit code for bad
 * input, as a pipeline sees it (the real process, not the function).
 * Exit 0 and 3 on real plans: review-plans.test.ts.
 */
import { spawnSync } from "child_process";
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

const ROOT = join(__dirname, "..", "..");
const review = (...args: string[]) =>
  spawnSync(process.execPath, [join(ROOT, "node_modules/ts-node/dist/bin.js"), "--swc", join(ROOT, "scripts/review.ts"), ...args], { cwd: ROOT, encoding: "utf8", timeout: 60000 });

describe("npm run review", () => {
  it("\"**Exit code:** … `2` bad arguments or unreadable input\"", () => {
    const dir = mkdtempSync(join(tmpdir(), "review-exit-"));
    writeFileSync(join(dir, "broken.json"), "{ not json");
    const cases = [
      { args: [], why: /name a stack/ },
      { args: ["--from", "stage2-secured-monitored"], why: /--from and --to go together/ },
      { args: ["stage3-scale-up", "--plan", join(dir, "missing.json")], why: /no plan at .*missing\.json/ },
      { args: ["stage3-scale-up", "--plan", join(dir, "broken.json")], why: /broken\.json/ },
    ];
    for (const { args, why } of cases) {
      const run = review(...args);
      expect([args.join(" "), run.status, run.stdout]).toEqual([args.join(" "), 2, ""]);
      expect(run.stderr).toMatch(new RegExp(`^review: [\\s\\S]*${why.source}`));
    }
  });
});
