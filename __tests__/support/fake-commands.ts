/** Fake `aws` / `systemctl` for running rendered scripts in tests: they record their arguments. */
import { mkdirSync, writeFileSync } from "fs";
import { join } from "path";

/**
 * Writes <dir>/bin/aws and <dir>/bin/systemctl. `aws` appends its arguments to
 * <dir>/aws.log and prints <dir>/aws-stdout (if any) with exit code from
 * <dir>/aws-exit (default 0); `systemctl` appends to <dir>/systemctl.log.
 * Returns the bin directory to put first on PATH.
 */
export function writeFakeCommands(dir: string): string {
  const bin = join(dir, "bin");
  mkdirSync(bin, { recursive: true });
  writeFileSync(join(bin, "aws"), `#!/bin/bash
printf '%s\\n' "$*" >>"${dir}/aws.log"
[ -f "${dir}/aws-stdout" ] && cat "${dir}/aws-stdout"
exit "$(cat "${dir}/aws-exit" 2>/dev/null || echo 0)"
`, { mode: 0o755 });
  writeFileSync(join(bin, "systemctl"), `#!/bin/bash\nprintf '%s\\n' "$*" >>"${dir}/systemctl.log"\n`, { mode: 0o755 });
  writeFileSync(join(bin, "logger"), "#!/bin/bash\nexit 0\n", { mode: 0o755 });
  return bin;
}
