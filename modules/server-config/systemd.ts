/**
 * Minimal systemd service + timer pairs for the periodic jobs the roles run
 * (backend sync, certificate renewal). Pure: no cdktf import.
 */
import { check } from "../core/validation";
import { checkAbsolutePath, checkIntegerRange } from "./inputs";
import { SYSTEMD_DIR } from "./paths";
import { CloudConfigFile } from "../core/cloud-config";

export interface PeriodicJobParams {
  /** Unit name without suffix, e.g. "haproxy-backend-sync". */
  readonly name: string;
  readonly description: string;
  /** Absolute path of the executable to run. */
  readonly command: string;
  /** First run this many seconds after boot. */
  readonly firstRunAfterBootSeconds: number;
  /** Then every this many seconds. */
  readonly everySeconds: number;
  /** Random delay added to each run (spreads the pair's calls). @default 0 */
  readonly randomDelaySeconds?: number;
}

/** The .service and .timer files of one periodic job. */
export function renderPeriodicJob(params: PeriodicJobParams): CloudConfigFile[] {
  check(/^[a-z][a-z0-9-]{1,60}$/.test(params.name), "systemd.name", params.name, "a unit name of lower-case letters, digits and -");
  check(/^[^\n]{1,120}$/.test(params.description), "systemd.description", params.description, "one line of at most 120 characters");
  checkAbsolutePath("systemd.command", params.command);
  checkIntegerRange("systemd.firstRunAfterBootSeconds", params.firstRunAfterBootSeconds, 0, 86400);
  checkIntegerRange("systemd.everySeconds", params.everySeconds, 10, 604800);
  const delay = params.randomDelaySeconds ?? 0;
  checkIntegerRange("systemd.randomDelaySeconds", delay, 0, 86400);
  return [
    {
      path: `${SYSTEMD_DIR}/${params.name}.service`,
      content: `[Unit]
Description=${params.description}
Wants=network-online.target
After=network-online.target

[Service]
Type=oneshot
ExecStart=${params.command}
`,
    },
    {
      path: `${SYSTEMD_DIR}/${params.name}.timer`,
      content: `[Unit]
Description=${params.description} (timer)

[Timer]
OnBootSec=${params.firstRunAfterBootSeconds}s
OnUnitActiveSec=${params.everySeconds}s
RandomizedDelaySec=${delay}s

[Install]
WantedBy=timers.target
`,
    },
  ];
}
