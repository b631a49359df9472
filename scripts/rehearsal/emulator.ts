/**
 * Starts and stops the rehearsal's local AWS emulator (emulator.py: moto's
 * threaded server with the compatibility patches) as a child process owned by
 * its PID. Loopback only.
 */
import { ChildProcess, spawn, spawnSync } from "child_process";
import { createWriteStream } from "fs";
import { join } from "path";

const LAUNCHER = join(__dirname, "emulator.py");
/** moto's first import takes ~10 s on a busy 2-core machine. */
const START_TIMEOUT_MS = 180_000;

export interface Emulator {
  readonly url: string;
  readonly pid: number;
  /** Everything the launcher wrote to stderr (moto's request errors land there); the last 4–8 MB of it. */
  log(): string;
  /** A position in the log, for `logSince`. */
  logMark(): number;
  /** What the launcher wrote since `logMark()` returned `mark` (as much as the kept tail holds). */
  logSince(mark: number): string;
  stop(): Promise<void>;
}

export interface EmulatorOptions {
  /** AMI ids registered in every region's image catalogue. */
  readonly amis?: readonly string[];
  /** File that receives the emulator's request log and errors. */
  readonly logFile?: string;
  /** Test-only behaviour changes of emulator.py (--test-drift). */
  readonly testDrifts?: readonly string[];
  /**
   * Answer an SDK resend of a call already answered with success with that first answer (emulator.py, REPLAYED in
   * the log). false (tests only) runs the resend again, as AWS would.
   * @default true
   */
  readonly replayResends?: boolean;
}

export function python(): string {
  return process.env.REHEARSAL_PYTHON ?? "python3";
}

/** What is missing to run the emulator, or undefined when moto, boto3 and Python are there. */
export function missingEmulator(): string | undefined {
  const probe = spawnSync(python(), ["-c", "import moto, boto3, flask, werkzeug; from moto.server import ThreadedMotoServer; print(moto.__version__)"], { encoding: "utf8" });
  if (probe.error) return `${python()} (not found: ${probe.error.message}; set REHEARSAL_PYTHON)`;
  if (probe.status !== 0) return `moto[server] 5.2.1 and boto3 under ${python()} (${probe.stderr.trim().split("\n").pop()})`;
  return undefined;
}

export function startEmulator(options: EmulatorOptions = {}): Promise<Emulator> {
  const args = [
    LAUNCHER,
    ...(options.amis ?? []).flatMap((id) => ["--ami", id]),
    ...(options.testDrifts ?? []).flatMap((d) => ["--test-drift", d]),
    ...(options.replayResends === false ? ["--no-resend-replay"] : []),
  ];
  const child: ChildProcess = spawn(python(), args, { stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, PYTHONUNBUFFERED: "1" } });
  let stderr = "";
  // Characters ever received: marks stay valid when the front of the kept log is dropped.
  let received = 0;
  const logStream = options.logFile ? createWriteStream(options.logFile) : undefined;
  child.once("close", () => logStream?.end());
  child.stderr!.on("data", (chunk: Buffer) => {
    logStream?.write(chunk);
    const text = chunk.toString();
    stderr += text;
    received += text.length;
    // Keep the tail only: moto logs every failed request. A stage 4 rehearsal logs about 0.65 MB (CI, 2026-12-03), so
    // a whole stack's log stays for logSince (the resends of its apply, the replays of all its phases).
    if (stderr.length > 8_000_000) stderr = stderr.slice(-4_000_000);
  });
  return new Promise((resolvePromise, reject) => {
    let stdout = "";
    const timer = setTimeout(() => {
      child.kill("SIGKILL");
      reject(new Error(`emulator did not start within ${START_TIMEOUT_MS / 1000} s:\n${stderr}`));
    }, START_TIMEOUT_MS);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`emulator exited with ${code} before it served:\n${stderr}`));
    });
    child.stdout!.on("data", (chunk: Buffer) => {
      stdout += chunk.toString();
      const ready = /READY (http:\/\/127\.0\.0\.1:\d+)/.exec(stdout);
      if (!ready) return;
      clearTimeout(timer);
      child.removeAllListeners("exit");
      resolvePromise({
        url: ready[1],
        pid: child.pid!,
        log: () => stderr,
        logMark: () => received,
        logSince: (mark) => stderr.slice(Math.max(0, stderr.length - (received - mark))),
        stop: () => stopChild(child),
      });
    });
  });
}

function stopChild(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolvePromise) => {
    const force = setTimeout(() => process.kill(child.pid!, "SIGKILL"), 10_000);
    child.once("exit", () => {
      clearTimeout(force);
      resolvePromise();
    });
    process.kill(child.pid!, "SIGTERM");
  });
}
