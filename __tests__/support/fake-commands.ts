/** Fake `aws` / `systemctl` for running rendered scripts in tests: they record their arguments. */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";

/**
 * Writes <dir>/bin/aws and <dir>/bin/systemctl. `aws` appends its arguments to
 * <dir>/aws.log and prints <dir>/aws-stdout (if any) with exit code from
 * <dir>/aws-exit (default 0); while <dir>/aws-failures holds N > 0, the call
 * fails with 255 (like an unreachable endpoint) and decrements N, so "fails N
 * times, then succeeds" is one file. `systemctl` appends to <dir>/systemctl.log;
 * `sleep` (so retries cost no wall time) appends its argument to <dir>/sleep.log.
 * Returns the bin directory to put first on PATH.
 */
export function writeFakeCommands(dir: string): string {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "aws"), `#!/bin/bash
printf '%s\\n' "$*" >>"${dir}/aws.log"
failures="$(cat "${dir}/aws-failures" 2>/dev/null || echo 0)"
if [ "$failures" -gt 0 ]; then
  echo "$((failures - 1))" >"${dir}/aws-failures"
  echo "Could not connect to the endpoint URL (fake)" >&2
  exit 255
fi
[ -f "${dir}/aws-stdout" ] && cat "${dir}/aws-stdout"
exit "$(cat "${dir}/aws-exit" 2>/dev/null || echo 0)"
`, { mode: 0o755 });
  writeFileSync(join(bin, "systemctl"), `#!/bin/bash\nprintf '%s\\n' "$*" >>"${dir}/systemctl.log"\n`, { mode: 0o755 });
  writeFileSync(join(bin, "logger"), "#!/bin/bash\nexit 0\n", { mode: 0o755 });
  writeFileSync(join(bin, "sleep"), `#!/bin/bash\nprintf '%s\\n' "$1" >>"${dir}/sleep.log"\n`, { mode: 0o755 });
  return bin;
}

/** Lines a fake command recorded in <dir>/<command>.log, [] when it never ran. */
export function recordedCalls(dir: string, command: string): string[] {
  const file = join(dir, `${command}.log`);
  return existsSync(file) ? readFileSync(file, "utf8").trim().split("\n").filter((l) => l !== "") : [];
}
