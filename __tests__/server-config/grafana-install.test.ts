/**
 * The monitoring host's Grafana install script (roles/grafana-apt.ts) run by bash with its /etc relocated into a
 * directory of the test: real openssl and install; recorders stand in for curl, apt-get, systemctl, grafana-cli and
 * aws (the test must not download or install). The README promises Grafana from its upstream apt repository with the
 * repository's key pinned, and admin/admin replaced by a random password readable by root only, kept in an SSM
 * SecureString when asked.
 */
import { mkdirSync, readFileSync, statSync, writeFileSync } from "fs";
import { join } from "path";
import { renderGrafanaAptInstallScript, grafanaAptInstallFile } from "../../modules/server-config/roles/grafana-apt";
import { recordedCalls, writeFakeCommands } from "../support/fake-commands";
import { describeWithTools, run, SYSTEM_PATH, withTempDir } from "../support/tools";

const PARAMETER = { name: "/webplat-dev-stage3/grafana/admin-password", region: "eu-west-1", keyAlias: "alias/webplat-dev-stage3-grafana" };

/** Runs the script once in `dir` (its /etc under `dir`); the recorders log to `<dir>/<command>.log`. */
function install(dir: string, script: string, failing: string[] = []) {
  const bin = writeFakeCommands(dir);
  for (const command of ["curl", "apt-get", "grafana-cli"]) {
    const fail = failing.includes(command) ? `echo "${command}: failed (test)" >&2; exit 22` : "";
    // curl writes what it was asked to download (-o <file>), so the script's next steps find it.
    const write = command === "curl" ? 'while [ $# -gt 0 ]; do [ "$1" = -o ] && echo "-----BEGIN PGP PUBLIC KEY BLOCK-----" >"$2"; shift; done' : "";
    writeFileSync(join(bin, command), `#!/bin/bash\nprintf '%s\\n' "$*" >>"${dir}/${command}.log"\n${fail}\n${write}\n`, { mode: 0o755 });
  }
  mkdirSync(join(dir, "etc/apt/sources.list.d"), { recursive: true }); // there on every Debian host
  writeFileSync(join(dir, "install"), script.split("/etc/").join(`${dir}/etc/`));
  return run("bash", [join(dir, "install")], { env: { PATH: `${bin}:${SYSTEM_PATH}` } });
}

describeWithTools("Grafana install script (real bash and openssl; download, apt, systemd, grafana-cli and aws recorded)", ["bash", "openssl"], false, () => {
  it("pins the repository's key, installs grafana without recommends, starts it, and sets a random password readable by root only", () => {
    withTempDir("grafana-install", (dir) => {
      const first = install(dir, renderGrafanaAptInstallScript());
      expect([first.code, first.stderr]).toEqual([0, ""]);
      expect(recordedCalls(dir, "curl")).toEqual([`-fsSL https://apt.grafana.com/gpg.key -o ${dir}/etc/apt/keyrings/grafana.asc`]);
      expect(readFileSync(join(dir, "etc/apt/sources.list.d/grafana.list"), "utf8")).toBe(
        `deb [signed-by=${dir}/etc/apt/keyrings/grafana.asc] https://apt.grafana.com stable main\n`,
      );
      expect(statSync(join(dir, "etc/apt/keyrings")).mode & 0o777).toBe(0o755);
      expect(recordedCalls(dir, "apt-get")).toEqual(["update", "install -y --no-install-recommends grafana"]);
      expect(recordedCalls(dir, "systemctl")).toEqual(["daemon-reload", "enable --now grafana-server"]);
      const password = readFileSync(join(dir, "etc/grafana-admin/password"), "utf8");
      expect(password).toMatch(/^[A-Za-z0-9+/]{32}\n$/);
      expect(statSync(join(dir, "etc/grafana-admin/password")).mode & 0o777).toBe(0o600);
      expect(statSync(join(dir, "etc/grafana-admin")).mode & 0o777).toBe(0o700);
      expect(recordedCalls(dir, "grafana-cli")).toEqual([`--homepath /usr/share/grafana admin reset-admin-password ${password.trim()}`]);
      expect(recordedCalls(dir, "aws")).toEqual([]);
    });
  });

  it("keeps the password in the SSM SecureString under the given key when asked, read from the file (never on the command line)", () => {
    withTempDir("grafana-install", (dir) => {
      expect(install(dir, renderGrafanaAptInstallScript(PARAMETER)).code).toBe(0);
      expect(recordedCalls(dir, "aws")).toEqual([
        `ssm put-parameter --region eu-west-1 --name ${PARAMETER.name} --type SecureString --key-id ${PARAMETER.keyAlias} --overwrite --value file://${dir}/etc/grafana-admin/password`,
      ]);
    });
  });

  it("a second run (a re-run by hand, a reinstall) keeps the password and sets or publishes nothing again", () => {
    withTempDir("grafana-install", (dir) => {
      expect(install(dir, renderGrafanaAptInstallScript(PARAMETER)).code).toBe(0);
      const password = readFileSync(join(dir, "etc/grafana-admin/password"), "utf8");
      expect(install(dir, renderGrafanaAptInstallScript(PARAMETER)).code).toBe(0);
      expect(readFileSync(join(dir, "etc/grafana-admin/password"), "utf8")).toBe(password);
      expect(recordedCalls(dir, "grafana-cli")).toHaveLength(1);
      expect(recordedCalls(dir, "aws")).toHaveLength(1);
      expect(recordedCalls(dir, "apt-get")).toEqual(["update", "install -y --no-install-recommends grafana", "update", "install -y --no-install-recommends grafana"]);
    });
  });

  it("an empty password file (a first boot cut short) gets a password, set and published", () => {
    withTempDir("grafana-install", (dir) => {
      mkdirSync(join(dir, "etc/grafana-admin"), { recursive: true });
      writeFileSync(join(dir, "etc/grafana-admin/password"), "");
      expect(install(dir, renderGrafanaAptInstallScript(PARAMETER)).code).toBe(0);
      expect(readFileSync(join(dir, "etc/grafana-admin/password"), "utf8")).toMatch(/^[A-Za-z0-9+/]{32}\n$/);
      expect(recordedCalls(dir, "grafana-cli")).toHaveLength(1);
      expect(recordedCalls(dir, "aws")).toHaveLength(1);
    });
  });

  it.each([
    ["the key download", "curl"],
    ["the package install", "apt-get"],
  ])("stops at a failed step (%s): nothing after it runs, no password is made", (_step, command) => {
    withTempDir("grafana-install", (dir) => {
      const failed = install(dir, renderGrafanaAptInstallScript(PARAMETER), [command]);
      expect([failed.code, failed.stderr.trim()]).toEqual([22, `${command}: failed (test)`]);
      expect(recordedCalls(dir, "systemctl")).toEqual([]);
      expect(recordedCalls(dir, "grafana-cli")).toEqual([]);
      expect(recordedCalls(dir, "aws")).toEqual([]);
    });
  });

  it("a failed password reset publishes nothing: the parameter never holds a password Grafana does not have", () => {
    withTempDir("grafana-install", (dir) => {
      const failed = install(dir, renderGrafanaAptInstallScript(PARAMETER), ["grafana-cli"]);
      expect(failed.code).toBe(22);
      expect(recordedCalls(dir, "aws")).toEqual([]);
    });
  });

  it("is written root-only (0750) at the path the role runs", () => {
    const file = grafanaAptInstallFile(PARAMETER);
    expect([file.path, file.permissions]).toEqual(["/usr/local/sbin/grafana-apt-install", "0750"]);
    expect(file.content).toBe(renderGrafanaAptInstallScript(PARAMETER));
  });
});
