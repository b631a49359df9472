/**
 * The rehearsal can fail: a perpetual diff (here a tag value the emulator is
 * told to normalize, test-only) makes it fail and names the resource and the
 * attribute. (That a clean stack passes is shown by the stage rehearsals that
 * npm test runs after jest.)
 */
import { mkdtempSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { missingOfflineTerraform, prepareOfflineTerraform } from "../../scripts/offline-terraform";
import { Emulator, missingEmulator, startEmulator } from "../../scripts/rehearsal/emulator";
import { rehearseStack } from "../../scripts/rehearsal/rehearsal";
import { emulatorDocument } from "../support/emulator-document";

const missing = missingOfflineTerraform() ?? missingEmulator();
if (missing) {
  console.warn(`rehearsal perpetual-diff test: SKIPPED — missing ${missing}`);
  if (process.env.CI) throw new Error(`CI must run the rehearsal perpetual-diff test; missing ${missing}`);
}

const doc = (url: string, tags: Record<string, string>) => emulatorDocument(url, { aws_vpc: { drift: { cidr_block: "10.42.0.0/16", tags } } });

(missing ? describe.skip : describe)("apply rehearsal", () => {
  const dir = mkdtempSync(join(tmpdir(), "rehearsal-drift-"));
  const tf = missing ? undefined! : prepareOfflineTerraform(join(dir, "terraform"));
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator({ testDrifts: ["test-ec2-tag-value-uppercase"], logFile: join(dir, "emulator.log") });
  }, 180_000);
  afterAll(async () => emulator?.stop());

  it("fails on a perpetual diff and names the attribute", async () => {
    writeFileSync(join(dir, "drift.tf.json"), JSON.stringify(doc(emulator.url, { Name: "rehearsal-drift", RehearsalDrift: "lower-case" })));
    const result = await rehearseStack(tf, { stack: "drift", stackJson: join(dir, "drift.tf.json"), workDir: join(dir, "drift") });
    expect(result.ok).toBe(false);
    expect(result.replanExitCode).toBe(2);
    expect(result.replanChanges).toEqual([{ address: "aws_vpc.drift", actions: ["update"], attributes: expect.arrayContaining(["tags.RehearsalDrift"]) }]);
    expect(result.failures.join("\n")).toMatch(/perpetual diff[\s\S]*aws_vpc\.drift \(update\): .*tags\.RehearsalDrift/);
    // The failed rehearsal still cleans up after itself.
    expect(result.remainingAfterDestroy).toEqual([]);
  }, 300_000);

  it("logs each call with the SDK's invocation id and attempt, its status and a hash of its body, so a call that arrives twice shows who sent it again", () => {
    const created = emulator.log().split("\n").filter((line) => /^ACTION \S+ ec2 CreateVpc us-east-1 /.test(line));
    expect(created.length).toBeGreaterThan(0);
    for (const line of created) expect(line).toMatch(/ [0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12} attempt=\d+ 200 [0-9a-f]{12}$/);
  });
});
