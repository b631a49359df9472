/**
 * A non-idempotent call the SDK resends after its answer was lost fails the apply (IAM answers the second
 * AddRoleToInstanceProfile 409, as it would on AWS). The rehearsal tells that apart from a defect of the stack by the
 * emulator log (the same call answered 200, then delivered again and answered 409) and runs the apply once more; without
 * that evidence the failure stands. The emulator loses the first answer per profile on purpose (test drift).
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
  console.warn(`rehearsal resent-call test: SKIPPED — missing ${missing}`);
  if (process.env.CI) throw new Error(`CI must run the rehearsal resent-call test; missing ${missing}`);
}

function doc(url: string, name: string): object {
  const assume = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
  return emulatorDocument(url, {
    aws_iam_role: { host: { name, assume_role_policy: assume } },
    aws_iam_instance_profile: { host: { name, role: "${aws_iam_role.host.name}" } },
  });
}

(missing ? describe.skip : describe)("apply rehearsal with a resent call", () => {
  const dir = mkdtempSync(join(tmpdir(), "rehearsal-resent-"));
  const tf = missing ? undefined! : prepareOfflineTerraform(join(dir, "terraform"));
  let emulator: Emulator;

  beforeAll(async () => {
    emulator = await startEmulator({ testDrifts: ["test-iam-add-role-answer-lost"], logFile: join(dir, "emulator.log") });
  }, 180_000);
  afterAll(async () => emulator?.stop());

  const rehearse = (name: string, emulatorLog?: Emulator) => {
    writeFileSync(join(dir, `${name}.tf.json`), JSON.stringify(doc(emulator.url, name)));
    return rehearseStack(tf, { stack: name, stackJson: join(dir, `${name}.tf.json`), workDir: join(dir, name), emulatorLog });
  };

  it("without the emulator log the apply fails on the 409 of the resent call, and destroy still empties the state", async () => {
    const result = await rehearse("resent-no-evidence");
    expect(result.ok).toBe(false);
    expect(result.failures.join("\n")).toMatch(/apply failed[\s\S]*AddRoleToInstanceProfile, https response error StatusCode: 409[\s\S]*LimitExceeded/);
    expect(result.applyRepeatedAfter).toEqual([]);
    expect(result.remainingAfterDestroy).toEqual([]);
  }, 300_000);

  it("with it the apply runs once more, the stack passes, and the summary names the resent call", async () => {
    const result = await rehearse("resent-with-evidence", emulator);
    // The SDK resends on the closed connection: the same invocation, attempt 2.
    expect(result.applyRepeatedAfter).toEqual([expect.stringMatching(/^AddRoleToInstanceProfile \(([0-9a-f-]{36}) attempt=1 200, then \1 attempt=2 409\)$/)]);
    expect(result.failures).toEqual([]);
    expect(result).toMatchObject({ ok: true, replanExitCode: 0, remainingAfterDestroy: [] });
    expect(emulator.log()).toMatch(/^DROPPED .*ConnectionResetError: \(test drift\) the answer to AddRoleToInstanceProfile is lost$/m);
  }, 300_000);
});
