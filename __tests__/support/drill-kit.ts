/**
 * Building blocks for the live drills: network namespaces the test creates
 * (all traffic stays inside them), processes tracked by PID and always
 * stopped, and small polling helpers. Nothing here talks to other addresses.
 */
import { ChildProcess, spawn } from "child_process";
import { closeSync, mkdtempSync, openSync, rmSync, writeFileSync } from "fs";
import { join } from "path";
import { run, RunResult, SYSTEM_PATH } from "./tools";

export const sleep = (ms: number): Promise<void> => new Promise((resolve) => setTimeout(resolve, ms));

/** Polls `probe` every `everyMs` until it returns a value or `timeoutMs` passes (then throws). */
export async function waitFor<T>(what: string, timeoutMs: number, probe: () => T | undefined | false | Promise<T | undefined | false>, everyMs = 100): Promise<T> {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const value = await probe();
    if (value !== undefined && value !== false) return value as T;
    if (Date.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/** A directory under /run (root-owned, not world-writable: keepalived's script security accepts it). */
export function makeDrillDir(prefix: string): string {
  return mkdtempSync(join("/run", `${prefix}-`));
}

export class Drill {
  private readonly processes: { name: string; child: ChildProcess }[] = [];
  private readonly namespaces: string[] = [];
  private readonly dirs: string[] = [];
  readonly logFile: string;

  constructor(readonly name: string, readonly dir: string) {
    this.dirs.push(dir);
    this.logFile = join(dir, "drill.log");
  }

  /** Creates a network namespace with `lo` up; deleted by cleanup(). */
  namespace(suffix: string): string {
    const ns = `${this.name}-${suffix}-${process.pid}`.slice(0, 40);
    must(run("ip", ["netns", "add", ns]), `ip netns add ${ns}`);
    this.namespaces.push(ns);
    must(run("ip", ["-n", ns, "link", "set", "lo", "up"]), "lo up");
    return ns;
  }

  /** Starts a long-running process and remembers its PID; output goes to <dir>/<name>.log. */
  start(name: string, command: string, args: readonly string[], env: NodeJS.ProcessEnv = {}): ChildProcess {
    // Output straight to a file (no pipes to drain, nothing written after cleanup).
    const out = openSync(join(this.dir, `${name}.log`), "a");
    const child = spawn(command, [...args], { env: { PATH: SYSTEM_PATH, ...env }, stdio: ["ignore", out, out] });
    closeSync(out);
    this.processes.push({ name, child });
    return child;
  }

  /** Stops every process this drill started (by PID: TERM, then KILL), deletes its namespaces and directory. */
  async cleanup(): Promise<void> {
    for (const { child } of this.processes.reverse()) {
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, "SIGTERM");
        } catch {
          /* already gone */
        }
      }
    }
    const deadline = Date.now() + 3000;
    for (const { child } of this.processes) {
      while (child.exitCode === null && child.signalCode === null && Date.now() < deadline) await sleep(50);
      if (child.pid !== undefined && child.exitCode === null && child.signalCode === null) {
        try {
          process.kill(child.pid, "SIGKILL");
        } catch {
          /* already gone */
        }
      }
    }
    for (const ns of this.namespaces) {
      // Any process left inside (e.g. a daemonised haproxy) dies by PID before the namespace goes.
      for (const pid of run("ip", ["netns", "pids", ns]).stdout.split(/\s+/).filter(Boolean)) {
        try {
          process.kill(Number(pid), "SIGKILL");
        } catch {
          /* already gone */
        }
      }
      run("ip", ["netns", "del", ns]);
    }
    if (process.env.KEEP_DRILL_DIRS !== "1") for (const dir of this.dirs) rmSync(dir, { recursive: true, force: true });
  }
}

export function must(result: RunResult, what: string): RunResult {
  if (result.code !== 0) throw new Error(`${what} failed (${result.code}): ${result.stdout}${result.stderr}`);
  return result;
}

/** Runs a command inside a namespace and returns its result. */
export function inNamespace(ns: string, command: string, args: readonly string[], timeoutMs = 10000): RunResult {
  return run("ip", ["netns", "exec", ns, command, ...args], { timeoutMs });
}

/** Creates a private test CA and a server certificate for `domain`; returns the CA path and writes the combined PEM. */
export function makeTestCa(dir: string, domain: string, combinedPemPath: string): string {
  const sh = `set -e
cd "${dir}"
openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=Drill Test CA" -keyout ca.key -out ca.pem 2>/dev/null
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=${domain}" -keyout server.key -out server.csr 2>/dev/null
printf 'subjectAltName=DNS:${domain}\\n' > san.ext
openssl x509 -req -in server.csr -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile san.ext -out server.pem 2>/dev/null
cat server.pem server.key > "${combinedPemPath}"`;
  must(run("bash", ["-c", sh]), "test CA");
  return join(dir, "ca.pem");
}

/** Elapsed seconds with millisecond precision, for printed timings. */
export function seconds(fromMs: number, toMs: number = Date.now()): string {
  return ((toMs - fromMs) / 1000).toFixed(2);
}

/**
 * Replaces the ec2_sd_configs block of prometheus.yml's node job with file
 * discovery (the file carries the __meta_ec2_* labels EC2 would produce) and
 * scrapes every second: the drills' only changes to the generated file.
 */
export function swapEc2ForFileDiscovery(config: string, targetsFile: string): string {
  const swapped = config.replace(/    ec2_sd_configs:\n(?:      .*\n|        .*\n|          .*\n|            .*\n)+/, `    file_sd_configs:\n      - files: ["${targetsFile}"]\n`);
  if (swapped === config) throw new Error("no ec2_sd_configs block found");
  return swapped.replace(/scrape_interval: \d+s/, "scrape_interval: 1s");
}

/** Writes the rule files prometheus.yml names (host path → content) into `dir` and points the config at them. */
export function relocateRuleFiles(config: string, dir: string, ruleFiles: Record<string, string>): string {
  let relocated = config;
  Object.entries(ruleFiles).forEach(([hostPath, content], i) => {
    const local = join(dir, `rules-${i}.yml`);
    writeFileSync(local, content);
    if (!relocated.includes(`  - ${hostPath}\n`)) throw new Error(`prometheus.yml names no rule file ${hostPath}`);
    relocated = relocated.split(`  - ${hostPath}\n`).join(`  - ${local}\n`);
  });
  return relocated;
}
