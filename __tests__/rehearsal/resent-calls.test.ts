/**
 * The evidence that lets a rehearsal repeat a failed apply: a non-idempotent call that reached the emulator again
 * (same action, same body) after it had been answered with success, the repeat failing (seen once in CI:
 * AddRoleToInstanceProfile answered 200, delivered again, 409). Anything else — a repeat after a failure, a different
 * body, a repeat that succeeds, an error on another action — is not evidence.
 */
import { describeResent, duplicateDeliveries, failedActions, replayedResends, resentAfterSuccess } from "../../scripts/rehearsal/resent-calls";

const ID_A = "a4103791-c3ef-4ca3-b9bf-28ade24f12de";
const ID_B = "9a79bf38-debb-45f9-b94f-e70a07e8b45a";
const BODY_WEB = "0123456789ab";
const BODY_LB = "ba9876543210";
const line = (action: string, id: string, attempt: number, status: number, body = BODY_WEB) => `ACTION 02:54:37 iam ${action} us-east-1 ${id} attempt=${attempt} ${status} ${body}`;
const APPLY_ERROR =
  "Error: adding IAM Role (web) to IAM Instance Profile (web): operation error IAM: AddRoleToInstanceProfile, https response error StatusCode: 409, RequestID: x, LimitExceeded: Cannot exceed quota for InstanceSessionsPerInstanceProfile: 1";

describe("resent calls in the emulator log", () => {
  it("finds a call the SDK resent (same invocation, attempt 2) after a 2xx answer, with every delivery", () => {
    const log = [line("CreateInstanceProfile", ID_B, 1, 200), line("AddRoleToInstanceProfile", ID_A, 1, 200), '127.0.0.1 - - [02/Dec/2026 02:54:37] "POST / HTTP/1.1" 200 -', line("AddRoleToInstanceProfile", ID_A, 2, 409)].join("\n");
    const [resent, ...more] = resentAfterSuccess(log);
    expect(more).toEqual([]);
    expect(resent).toEqual({ action: "AddRoleToInstanceProfile", body: BODY_WEB, deliveries: [`${ID_A} attempt=1 200`, `${ID_A} attempt=2 409`] });
    expect(describeResent(resent)).toBe(`AddRoleToInstanceProfile (${ID_A} attempt=1 200, then ${ID_A} attempt=2 409)`);
  });

  it("finds a call the provider sent again (a new invocation, same body)", () => {
    const log = [line("AddRoleToInstanceProfile", ID_A, 1, 200), line("AddRoleToInstanceProfile", ID_B, 1, 409)].join("\n");
    expect(resentAfterSuccess(log).map((c) => c.deliveries)).toEqual([[`${ID_A} attempt=1 200`, `${ID_B} attempt=1 409`]]);
  });

  it("is not evidence: a repeat after a failed first delivery, another body, a repeat that succeeds, a single delivery", () => {
    expect(resentAfterSuccess([line("AddRoleToInstanceProfile", ID_A, 1, 500), line("AddRoleToInstanceProfile", ID_A, 2, 200)].join("\n"))).toEqual([]);
    expect(resentAfterSuccess([line("AddRoleToInstanceProfile", ID_A, 1, 200, BODY_LB), line("AddRoleToInstanceProfile", ID_B, 1, 409, BODY_WEB)].join("\n"))).toEqual([]);
    expect(resentAfterSuccess([line("DescribeVpcs", ID_A, 1, 200), line("DescribeVpcs", ID_B, 1, 200)].join("\n"))).toEqual([]);
    expect(resentAfterSuccess(line("AddRoleToInstanceProfile", ID_A, 1, 200))).toEqual([]);
  });

  it("names the actions of the provider's errors in terraform's output", () => {
    expect(failedActions(`${APPLY_ERROR}\n\n${APPLY_ERROR}\nError: creating EC2 VPC: operation error EC2: CreateVpc, https response error StatusCode: 400`)).toEqual(["AddRoleToInstanceProfile", "CreateVpc"]);
    expect(failedActions("Error: Invalid reference")).toEqual([]);
  });

  it("explains an apply failure only with a resend of the action that failed", () => {
    const log = [line("AddRoleToInstanceProfile", ID_A, 1, 200), line("AddRoleToInstanceProfile", ID_A, 2, 409)].join("\n");
    expect(duplicateDeliveries(log, APPLY_ERROR).map((c) => c.action)).toEqual(["AddRoleToInstanceProfile"]);
    expect(duplicateDeliveries(log, "Error: creating EC2 VPC: operation error EC2: CreateVpc, https response error StatusCode: 400")).toEqual([]);
    expect(duplicateDeliveries("", APPLY_ERROR)).toEqual([]);
  });

  it("lists the SDK resends answered with the first answer (REPLAYED lines), which are not deliveries of their own", () => {
    const replayed = (attempt: number) => `REPLAYED 02:54:38 wafv2 CreateWebACL us-west-2 ${ID_A} attempt=${attempt} 200 ${BODY_WEB}`;
    const log = [line("CreateWebACL", ID_A, 1, 200), replayed(2), "REPLAYED garbled", replayed(3)].join("\n");
    expect(replayedResends(log)).toEqual([`CreateWebACL (${ID_A} attempt=2)`, `CreateWebACL (${ID_A} attempt=3)`]);
    expect(resentAfterSuccess(log)).toEqual([]);
    expect(replayedResends(line("CreateWebACL", ID_A, 2, 200))).toEqual([]);
  });
});
