/**
 * A throw-away MariaDB for tests: a fresh data directory (root by socket
 * authentication, no test database) and the server arguments that keep it
 * small and private to the test. The caller starts `mariadbd` through its
 * Drill (so it is stopped by PID) and adds how the server is reached.
 */
import { must, waitFor } from "./drill-kit";
import { run } from "./tools";

export const MARIADB_TOOLS = ["mariadbd", "mariadb-install-db", "mariadb", "mariadb-admin"];

/** A fresh data directory at `datadir`. */
export function installMariadbData(datadir: string): void {
  must(
    run("mariadb-install-db", ["--no-defaults", `--datadir=${datadir}`, "--auth-root-authentication-method=socket", "--user=root", "--skip-test-db", "--innodb-log-file-size=8M"], { timeoutMs: 60000 }),
    `mariadb-install-db into ${datadir}`,
  );
}

export interface MariadbFiles {
  readonly datadir: string;
  readonly socket: string;
  readonly pidFile: string;
  readonly logError: string;
}

/** mariadbd's arguments: the given files, small buffers, run as root; `reach` says how it listens (TCP, TLS, replication). */
export function mariadbdArgs(files: MariadbFiles, reach: readonly string[]): string[] {
  return [
    "--no-defaults", `--datadir=${files.datadir}`, `--socket=${files.socket}`, `--pid-file=${files.pidFile}`, `--log-error=${files.logError}`,
    "--user=root", "--innodb-log-file-size=8M", "--innodb-buffer-pool-size=32M", ...reach,
  ];
}

/** Waits until the server on `socket` answers a ping. */
export async function waitForMariadb(what: string, socket: string): Promise<void> {
  await waitFor(what, 20000, () => run("mariadb-admin", ["--no-defaults", `--socket=${socket}`, "-uroot", "ping"]).code === 0, 200);
}
