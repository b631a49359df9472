/**
 * Evidence that a failed apply met a duplicate delivery rather than a defect of the stack: a call reached the emulator
 * again (same action, same request body) after the emulator had already answered it with success, and the repeat
 * failed — the second delivery of a non-idempotent call (AddRoleToInstanceProfile → 409 LimitExceeded). Real AWS answers
 * a repeat the same way; an operator re-runs the apply. The repeat may come from the SDK (same invocation, attempt 2)
 * or from the provider calling again after its own timeout (a new invocation). Reads the ACTION lines of emulator.py.
 */

export interface ResentCall {
  readonly action: string;
  /** Hash of the request body (emulator.py): the same call, whoever sent it again. */
  readonly body: string;
  /** "invocation attempt=N status" of every delivery, in arrival order. */
  readonly deliveries: readonly string[];
}

/** The fields of an ACTION or REPLAYED line of emulator.py (call_line): time, service, action, region, invocation, attempt, status, body hash. */
const callLine = (kind: "ACTION" | "REPLAYED", flags = "") => new RegExp(String.raw`^${kind} \S+ \S+ (\S+) \S+ ([0-9a-f-]{36}) attempt=(\d+) (\d{3}) ([0-9a-f]{12})$`, flags);
const ACTION_LINE = callLine("ACTION");
const ok = (status: number) => status >= 200 && status < 300;

/** Calls delivered again after a 2xx answer, whose later delivery failed. */
export function resentAfterSuccess(emulatorLog: string): ResentCall[] {
  const byCall = new Map<string, { action: string; body: string; deliveries: { invocation: string; attempt: number; status: number }[] }>();
  for (const line of emulatorLog.split("\n")) {
    const match = ACTION_LINE.exec(line);
    if (!match) continue;
    const [, action, invocation, attempt, status, body] = match;
    const key = `${action} ${body}`;
    const entry = byCall.get(key) ?? { action, body, deliveries: [] };
    entry.deliveries.push({ invocation, attempt: Number(attempt), status: Number(status) });
    byCall.set(key, entry);
  }
  return [...byCall.values()]
    .filter(({ deliveries }) => {
      const firstSuccess = deliveries.findIndex((d) => ok(d.status));
      return firstSuccess >= 0 && deliveries.slice(firstSuccess + 1).some((d) => !ok(d.status));
    })
    .map(({ action, body, deliveries }) => ({ action, body, deliveries: deliveries.map((d) => `${d.invocation} attempt=${d.attempt} ${d.status}`) }));
}

/** The API actions named by the provider's errors in terraform's output ("operation error IAM: AddRoleToInstanceProfile, …"). */
export function failedActions(terraformOutput: string): string[] {
  return [...new Set([...terraformOutput.matchAll(/operation error [^:\n]+: (\w+),/g)].map((m) => m[1]))];
}

/** The resent calls that explain an apply failure: resent after success, and named by one of the apply's errors. */
export function duplicateDeliveries(emulatorLog: string, applyOutput: string): ResentCall[] {
  const failed = failedActions(applyOutput);
  return resentAfterSuccess(emulatorLog).filter((call) => failed.includes(call.action));
}

export const describeResent = (call: ResentCall): string => `${call.action} (${call.deliveries.join(", then ")})`;

const REPLAYED_LINE = callLine("REPLAYED", "gm");

/** SDK resends the emulator answered with its first answer (REPLAYED lines of emulator.py), as "Action (invocation attempt=N)". */
export function replayedResends(emulatorLog: string): string[] {
  return [...emulatorLog.matchAll(REPLAYED_LINE)].map(([, action, invocation, attempt]) => `${action} (${invocation} attempt=${attempt})`);
}
