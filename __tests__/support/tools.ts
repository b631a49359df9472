/**
 * Running the real daemons and linters from tests. Missing tools or a non-root
 * user make a test fail loudly, unless SKIP_DAEMON_TESTS=1 is set, which skips
 * with a loud SKIPPED line instead (never a silent pass).
 */
import { spawnSync } from "child_process";
import { mkdtempSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";

export interface CheckResult {
  /** True when the tool accepted the input. */
  ok: boolean;
  /** Combined stdout and stderr of the tool, for assertion messages. */
  output: string;
}

export interface RunResult {
  code: number | null;
  stdout: string;
  stderr: string;
}

export const SYSTEM_PATH = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";

export function run(command: string, args: readonly string[], options: { input?: string; env?: NodeJS.ProcessEnv; timeoutMs?: number; cwd?: string } = {}): RunResult {
  const result = spawnSync(command, [...args], {
    input: options.input,
    env: options.env ?? { ...process.env, PATH: `${SYSTEM_PATH}:${process.env.PATH ?? ""}` },
    encoding: "utf8",
    timeout: options.timeoutMs ?? 30000,
    cwd: options.cwd,
  });
  if (result.error) return { code: null, stdout: result.stdout ?? "", stderr: String(result.error) };
  return { code: result.status, stdout: result.stdout ?? "", stderr: result.stderr ?? "" };
}

export function toCheck(result: RunResult): CheckResult {
  return { ok: result.code === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

/** Runs fn with a fresh temporary directory, always removed afterwards. */
export function withTempDir<T>(prefix: string, fn: (dir: string) => T): T {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  try {
    return fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export function hasCommand(name: string): boolean {
  return run("sh", ["-c", `command -v ${name}`]).code === 0;
}

/** Names of tools that are missing (or "root" when root is needed and we are not). */
export function missingPrerequisites(tools: readonly string[], needsRoot: boolean): string[] {
  const missing = tools.filter((t) => !hasCommand(t));
  if (needsRoot && process.getuid?.() !== 0) missing.push("root privileges");
  return missing;
}

/**
 * Decides whether daemon-backed tests run. Returns true to run. When something
 * is missing: with SKIP_DAEMON_TESTS=1 prints a loud SKIPPED line and returns
 * false; otherwise throws, so the suite fails instead of passing silently.
 */
export function daemonTestsEnabled(suite: string, tools: readonly string[], needsRoot = false): boolean {
  if (process.env.SKIP_DAEMON_TESTS === "1") {
    // eslint-disable-next-line no-console
    console.warn(`\n*** SKIPPED: ${suite} (SKIP_DAEMON_TESTS=1) — configs NOT checked by their daemons ***\n`);
    return false;
  }
  const missing = missingPrerequisites(tools, needsRoot);
  if (missing.length > 0) {
    const tools = missing.filter((m) => m !== "root privileges");
    const advice = [
      tools.length > 0 ? `install ${tools.join(", ")} with "sudo bash scripts/install-validators.sh"` : "",
      // keepalived -t, nginx -t and the network-namespace drills only run as root: no install fixes that.
      missing.includes("root privileges") ? "run the tests as root (keepalived -t, nginx -t and the namespace drills need it)" : "",
    ].filter(Boolean);
    throw new Error(`${suite}: missing ${missing.join(", ")}: ${advice.join(", and ")}; or set SKIP_DAEMON_TESTS=1 to skip these tests explicitly.`);
  }
  return true;
}

/** `describe` that runs only when daemonTestsEnabled() allows it. */
export function describeWithTools(suite: string, tools: readonly string[], needsRoot: boolean, body: () => void): void {
  if (daemonTestsEnabled(suite, tools, needsRoot)) describe(suite, body);
  else describe.skip(`${suite} [SKIPPED: SKIP_DAEMON_TESTS=1]`, body);
}

/** withTempDir for async bodies: the directory is removed once the promise settles. */
export async function withTempDirAsync<T>(prefix: string, fn: (dir: string) => Promise<T>): Promise<T> {
  const dir = mkdtempSync(join(tmpdir(), `${prefix}-`));
  try {
    return await fn(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
