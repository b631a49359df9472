/**
 * A call the SDK resends after its answer was lost (the emulator loses the first answer per profile / web ACL on
 * purpose: test drifts). On AWS the resend runs again: IAM answers the second AddRoleToInstanceProfile 409, WAF the
 * second CreateWebACL WAFDuplicateItemException. CI met both (2026-12-02 and 2026-12-03).
 *
 * - The emulator as AWS (no replay): the rehearsal tells a resend apart from a defect of the stack by the emulator log
 *   and runs the apply once more; without that evidence the failure stands. A repeat cannot get past a named create
 *   (the web ACL exists outside the state), which is why the emulator replays:
 * - the emulator as the rehearsal runs it: an SDK resend of a call already answered with success gets the first answer
 *   again, the apply passes at once, and the result names the resend.
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

const DRIFTS = ["test-iam-add-role-answer-lost", "test-wafv2-create-web-acl-answer-lost"];

function instanceProfile(name: string): object {
  const assume = JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ec2.amazonaws.com" }, Action: "sts:AssumeRole" }] });
  return {
    aws_iam_role: { host: { name, assume_role_policy: assume } },
    aws_iam_instance_profile: { host: { name, role: "${aws_iam_role.host.name}" } },
  };
}

function webAcl(name: string): object {
  return {
    aws_wafv2_web_acl: {
      edge: { name, scope: "REGIONAL", default_action: [{ allow: [{}] }], visibility_config: [{ cloudwatch_metrics_enabled: false, metric_name: name, sampled_requests_enabled: false }] },
    },
  };
}

const SDK_RESEND = (action: string, secondStatus: number) => new RegExp(`^${action} \\(([0-9a-f-]{36}) attempt=1 200, then \\1 attempt=2 ${secondStatus}\\)$`);

(missing ? describe.skip : describe)("apply rehearsal with a resent call", () => {
  const dir = mkdtempSync(join(tmpdir(), "rehearsal-resent-"));
  const tf = missing ? undefined! : prepareOfflineTerraform(join(dir, "terraform"));
  let asAws: Emulator;
  let replaying: Emulator;

  beforeAll(async () => {
    [asAws, replaying] = await Promise.all([
      startEmulator({ testDrifts: DRIFTS, replayResends: false, logFile: join(dir, "emulator-as-aws.log") }),
      startEmulator({ testDrifts: DRIFTS, logFile: join(dir, "emulator-replaying.log") }),
    ]);
  }, 180_000);
  afterAll(async () => Promise.all([asAws?.stop(), replaying?.stop()]));

  const rehearse = (emulator: Emulator, name: string, resource: object, withLog: boolean) => {
    writeFileSync(join(dir, `${name}.tf.json`), JSON.stringify(emulatorDocument(emulator.url, resource)));
    return rehearseStack(tf, { stack: name, stackJson: join(dir, `${name}.tf.json`), workDir: join(dir, name), emulatorLog: withLog ? emulator : undefined });
  };

  describe("the emulator as AWS: the resend runs again", () => {
    it("without the emulator log the apply fails on the 409 of the resent call, and destroy still empties the state", async () => {
      const result = await rehearse(asAws, "resent-no-evidence", instanceProfile("resent-no-evidence"), false);
      expect(result.ok).toBe(false);
      expect(result.failures.join("\n")).toMatch(/apply failed[\s\S]*AddRoleToInstanceProfile, https response error StatusCode: 409[\s\S]*LimitExceeded/);
      expect(result.applyRepeatedAfter).toEqual([]);
      expect(result.remainingAfterDestroy).toEqual([]);
    }, 300_000);

    it("with it the apply runs once more, the stack passes, and the summary names the resent call", async () => {
      const result = await rehearse(asAws, "resent-with-evidence", instanceProfile("resent-with-evidence"), true);
      // The SDK resends on the closed connection: the same invocation, attempt 2.
      expect(result.applyRepeatedAfter).toEqual([expect.stringMatching(SDK_RESEND("AddRoleToInstanceProfile", 409))]);
      expect(result.resendsReplayed).toEqual([]);
      expect(result.failures).toEqual([]);
      expect(result).toMatchObject({ ok: true, replanExitCode: 0, remainingAfterDestroy: [] });
      expect(asAws.log()).toMatch(/^DROPPED .*ConnectionResetError: \(test drift\) the answer to AddRoleToInstanceProfile is lost$/m);
    }, 300_000);

    it("a resent named create (CreateWebACL, CI 2026-12-03) fails the repeated apply too: the web ACL exists outside the state", async () => {
      const result = await rehearse(asAws, "resent-web-acl", webAcl("resent-web-acl"), true);
      expect(result.applyRepeatedAfter).toEqual([expect.stringMatching(SDK_RESEND("CreateWebACL", 400))]);
      expect(result.ok).toBe(false);
      expect(result.failures).toEqual([expect.stringMatching(/^apply failed:[\s\S]*CreateWebACL, https response error StatusCode: 400[\s\S]*WafV2DuplicateItem/)]);
      expect(result.remainingAfterDestroy).toEqual([]);
    }, 300_000);
  });

  it("the emulator as the rehearsal runs it answers an SDK resend with the first answer: one apply, nothing repeated, the resends named", async () => {
    const result = await rehearse(replaying, "resent-replayed", { ...instanceProfile("resent-replayed"), ...webAcl("resent-replayed") }, true);
    expect(result.failures).toEqual([]);
    expect(result).toMatchObject({ ok: true, replanExitCode: 0, remainingAfterDestroy: [], applyRepeatedAfter: [] });
    expect([...result.resendsReplayed].sort()).toEqual([expect.stringMatching(/^AddRoleToInstanceProfile \([0-9a-f-]{36} attempt=2\)$/), expect.stringMatching(/^CreateWebACL \([0-9a-f-]{36} attempt=2\)$/)]);
    const log = replaying.log();
    for (const action of ["AddRoleToInstanceProfile", "CreateWebACL"]) {
      // Delivered once (ACTION), its answer lost (DROPPED), the resend answered without running again (REPLAYED).
      expect(log.match(new RegExp(`^ACTION \\S+ \\S+ ${action} `, "gm"))).toHaveLength(1);
      expect(log).toMatch(new RegExp(`^DROPPED .*the answer to ${action} is lost$`, "m"));
      expect(log).toMatch(new RegExp(`^REPLAYED \\S+ \\S+ ${action} \\S+ [0-9a-f-]{36} attempt=2 200 [0-9a-f]{12}$`, "m"));
    }
  }, 300_000);
});
