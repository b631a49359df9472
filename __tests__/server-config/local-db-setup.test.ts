/**
 * Stage 0's database setup script (renderLocalDbSetup) run by bash against Debian's MariaDB, started by the test on
 * a unix socket of its own (no TCP listener) and stopped by its PID. The README promises the password is made on
 * the host, kept root-only and handed to the app as a credential; the grants are least privilege: the app may read,
 * add and create tables in its own database, nothing more.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from "fs";
import { join } from "path";
import { renderLocalDbSetup, LOCAL_DB_PASSWORD_PATH, REFERENCE_APP_USER } from "../../modules/server-config/reference-app/reference-app";
import { Drill, makeDrillDir, must } from "../support/drill-kit";
import { installMariadbData, MARIADB_TOOLS, mariadbdArgs, waitForMariadb } from "../support/throwaway-mariadb";
import { describeWithTools, run, SYSTEM_PATH } from "../support/tools";

describeWithTools("stage 0 database setup, run against MariaDB", [...MARIADB_TOOLS, "openssl", "bash"], true, () => {
  const drill = new Drill("local-db", makeDrillDir("local-db"));
  const dir = drill.dir;
  const socket = join(dir, "mysqld.sock");
  const passwordPath = join(dir, "etc/platform/db-password");
  const script = join(dir, "platform-app-db-setup");
  const bin = join(dir, "bin");

  /** SQL as the database's root (socket authentication, as on the host). */
  const asRoot = (sql: string) => must(run("mariadb", ["--no-defaults", `--socket=${socket}`, "-uroot", "-N", "-B", "-e", sql]), `root: ${sql}`).stdout.trim();
  /** SQL as the app's user with a password; returns the whole result so refusals can be read. */
  const asApp = (sql: string, password = readFileSync(passwordPath, "utf8").trim()) =>
    run("mariadb", ["--no-defaults", `--socket=${socket}`, `-u${REFERENCE_APP_USER}`, `-p${password}`, "-N", "-B", "platform", "-e", sql]);
  const setup = (mysqlDir = bin) => run("bash", [script], { env: { PATH: `${mysqlDir}:${SYSTEM_PATH}` } });

  beforeAll(async () => {
    const data = join(dir, "data");
    installMariadbData(data);
    drill.start("mariadbd", "mariadbd", mariadbdArgs({ datadir: data, socket, pidFile: join(dir, "mysqld.pid"), logError: join(dir, "error.log") }, ["--skip-networking"]));
    await waitForMariadb("mariadbd", socket);
    // The host's `mysql` reaches Debian's socket; here it reaches the test's.
    mkdirSync(bin);
    writeFileSync(join(bin, "mysql"), `#!/bin/sh\nexec mariadb --no-defaults --socket=${socket} "$@"\n`, { mode: 0o755 });
    mkdirSync(join(dir, "bin-down"));
    mkdirSync(join(dir, "bin-no-random"));
    writeFileSync(join(dir, "bin-no-random/mysql"), `#!/bin/sh\nexec mariadb --no-defaults --socket=${socket} "$@"\n`, { mode: 0o755 });
    writeFileSync(join(dir, "bin-no-random/openssl"), "#!/bin/sh\necho 'openssl: no entropy' >&2\nexit 1\n", { mode: 0o755 });
    writeFileSync(join(dir, "bin-down/mysql"), `#!/bin/sh\nexec mariadb --no-defaults --socket=${join(dir, "none.sock")} "$@"\n`, { mode: 0o755 });
    writeFileSync(script, renderLocalDbSetup().split(LOCAL_DB_PASSWORD_PATH).join(passwordPath), { mode: 0o750 });
  }, 90000);
  afterAll(() => drill.cleanup());

  it("makes a password of 48 hex digits on the host, readable by root only, in a directory others may enter", () => {
    const first = setup();
    expect(first.stderr).toBe("");
    expect(first.code).toBe(0);
    expect(readFileSync(passwordPath, "utf8")).toMatch(/^[0-9a-f]{48}\n$/);
    expect(statSync(passwordPath).mode & 0o777).toBe(0o600);
    expect(statSync(join(dir, "etc/platform")).mode & 0o777).toBe(0o755);
  });

  it("grants the app read, insert and create on its own database, and nothing else", () => {
    expect(asRoot("SHOW DATABASES LIKE 'platform'")).toBe("platform");
    expect(asRoot(`SHOW GRANTS FOR '${REFERENCE_APP_USER}'@'localhost'`).split("\n")).toEqual([
      expect.stringMatching(/^GRANT USAGE ON \*\.\* TO `platform-app`@`localhost` IDENTIFIED BY PASSWORD '\*[0-9A-F]{40}'$/),
      "GRANT SELECT, INSERT, CREATE ON `platform`.* TO `platform-app`@`localhost`",
    ]);
    expect(asRoot(`SELECT COUNT(*) FROM mysql.user WHERE user = '${REFERENCE_APP_USER}'`)).toBe("1");
  });

  it("the app logs in with that password and works in its database; it may not delete, drop or read elsewhere", () => {
    expect(asApp("CREATE TABLE IF NOT EXISTS visits (host VARCHAR(64)); INSERT INTO visits VALUES ('a'); SELECT COUNT(*) FROM visits").stdout.trim()).toBe("1");
    expect(asApp("DELETE FROM visits").stderr).toMatch(/DELETE command denied/);
    expect(asApp("DROP TABLE visits").stderr).toMatch(/DROP command denied/);
    expect(asApp("SELECT COUNT(*) FROM mysql.user").stderr).toMatch(/SELECT command denied/);
    expect(asApp("SELECT 1", "wrong").stderr).toMatch(/Access denied for user 'platform-app'@'localhost'/);
  });

  it("runs again (every boot of a rebuilt instance, a re-run by hand) without a new password or a second user", () => {
    const before = readFileSync(passwordPath, "utf8");
    const again = setup();
    expect([again.code, again.stderr]).toEqual([0, ""]);
    expect(readFileSync(passwordPath, "utf8")).toBe(before);
    expect(asApp("SELECT COUNT(*) FROM visits").stdout.trim()).toBe("1");
    expect(asRoot(`SELECT COUNT(*) FROM mysql.user WHERE user = '${REFERENCE_APP_USER}'`)).toBe("1");
  });

  it("an empty password file (a boot cut short) gets a new password, and the user follows it", () => {
    writeFileSync(passwordPath, "");
    const repaired = setup();
    expect([repaired.code, repaired.stderr]).toEqual([0, ""]);
    expect(readFileSync(passwordPath, "utf8")).toMatch(/^[0-9a-f]{48}\n$/);
    expect(asApp("SELECT COUNT(*) FROM visits").stdout.trim()).toBe("1");
  });

  it("stops when no password can be made, and never gives the user an empty one", () => {
    const old = readFileSync(passwordPath, "utf8").trim();
    writeFileSync(passwordPath, "");
    const failed = setup(join(dir, "bin-no-random"));
    expect([failed.code, failed.stderr.trim()]).toEqual([1, "openssl: no entropy"]);
    expect(asApp("SELECT 1", "").stderr).toMatch(/Access denied/);
    expect(asApp("SELECT 1", old).stdout.trim()).toBe("1");
    writeFileSync(passwordPath, `${old}\n`);
  });

  it("fails, and says so, when the database does not answer (cloud-init then reports the step as failed)", () => {
    const down = setup(join(dir, "bin-down"));
    expect(down.code).not.toBe(0);
    expect(down.stderr).toMatch(/Can't connect to local server through socket/);
  });
});
