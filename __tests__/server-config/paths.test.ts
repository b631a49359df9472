/**
 * The fixed host paths (modules/server-config/paths.ts). Renderers, cloud-configs and tests all take the constant, so
 * a wrong value moves writer and reader together and no other test notices: what pins each one is its shape here and,
 * where a Debian package reads the file, the installed package itself.
 */
import { readFileSync } from "fs";
import * as paths from "../../modules/server-config/paths";
import { describeWithTools, run } from "../support/tools";

const constants = Object.entries(paths) as [string, string][];

describe("fixed host paths", () => {
  it("each is an absolute path of plain segments (no empty, '.' or '..' segment, no trailing slash)", () => {
    const malformed = constants.filter(([, value]) => !/^(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)+$/.test(value));
    expect(malformed).toEqual([]);
  });

  it("no two name the same place", () => {
    const byValue = new Map<string, string[]>();
    for (const [name, value] of constants) byValue.set(value, [...(byValue.get(value) ?? []), name]);
    expect([...byValue.values()].filter((names) => names.length > 1)).toEqual([]);
  });

  it("each file of a directory constant lies in that directory", () => {
    expect(paths.TLS_KEY_PATH).toBe(`${paths.TLS_IDENTITY_DIR}/key.pem`);
    expect(paths.TLS_CERT_PATH).toBe(`${paths.TLS_IDENTITY_DIR}/cert.pem`);
    expect(paths.GRAFANA_DASHBOARD_PATH).toBe(`${paths.GRAFANA_DASHBOARDS_DIR}/platform-overview.json`);
    expect(paths.NGINX_INDEX_PATH).toBe(`${paths.NGINX_SITE_ROOT}/index.html`);
  });

  // Their names are pinned where the README names them (readme-promises.test.ts); here, where they live.
  it("the scripts the roles install live directly in /usr/local/sbin", () => {
    const scripts = constants.filter(([name]) => name.endsWith("_SCRIPT_PATH") || name === "CERT_DEPLOY_HOOK_PATH");
    expect(scripts.map(([name]) => name)).toEqual(expect.arrayContaining(["FAILOVER_SCRIPT_PATH", "BACKEND_SYNC_SCRIPT_PATH", "CERT_DEPLOY_HOOK_PATH"]));
    expect(scripts.filter(([, value]) => !/^\/usr\/local\/sbin\/[a-z0-9][a-z0-9-]*$/.test(value))).toEqual([]);
  });
});

/** A file the installed Debian package ships, found by its name ending (e.g. "/haproxy.service"). */
function packageFile(pkg: string, ending: string): string {
  const listed = run("dpkg", ["-L", pkg]).stdout.split("\n").filter((file) => file.endsWith(ending));
  expect(listed).toHaveLength(1);
  return readFileSync(listed[0], "utf8");
}

/** The default of a Go daemon's flag as its own --help prints it, e.g. --config.file="/etc/prometheus/prometheus.yml". */
function flagDefault(command: string, flag: string): string | undefined {
  const result = run(command, ["--help"]);
  return new RegExp(`--${flag.replace(/\./g, "\\.")}="([^"]*)"`).exec(`${result.stdout}${result.stderr}`)?.[1];
}

describeWithTools(
  "each path a Debian package reads is where the installed package reads it",
  ["dpkg", "haproxy", "keepalived", "nginx", "prometheus", "prometheus-alertmanager", "prometheus-blackbox-exporter", "prometheus-node-exporter", "systemd-analyze", "sshd"],
  false,
  () => {
    it("HAProxy: the unit's CONFIG and EnvironmentFile, and the package's chroot directory", () => {
      const unit = packageFile("haproxy", "/haproxy.service");
      expect(unit).toContain(`CONFIG=${paths.HAPROXY_CFG_PATH}"`);
      expect(unit).toMatch(new RegExp(`^EnvironmentFile=-?${paths.HAPROXY_DEFAULTS_PATH}$`, "m"));
      expect(run("dpkg", ["-L", "haproxy"]).stdout.split("\n")).toContain(paths.HAPROXY_CHROOT_PATH);
    });

    it("keepalived: its default configuration file", () => {
      const help = run("keepalived", ["--help"]);
      expect(`${help.stdout}${help.stderr}`).toContain(`default '${paths.KEEPALIVED_CONF_PATH}'`);
    });

    it("Nginx: its compiled-in --conf-path", () => {
      expect(run("nginx", ["-V"]).stderr.split(" ")).toContain(`--conf-path=${paths.NGINX_CONF_PATH}`);
    });

    it("Prometheus, Alertmanager and node_exporter: their --help defaults (Debian passes no flag that moves them)", () => {
      expect(flagDefault("prometheus", "config.file")).toBe(paths.PROMETHEUS_CONFIG_PATH);
      expect(flagDefault("prometheus-alertmanager", "config.file")).toBe(paths.ALERTMANAGER_CONFIG_PATH);
      expect(flagDefault("prometheus-node-exporter", "collector.textfile.directory")).toBe(paths.NODE_EXPORTER_TEXTFILE_DIR);
    });

    it("Alertmanager and blackbox_exporter: their units' EnvironmentFile, and the configuration file Debian's defaults name", () => {
      expect(packageFile("prometheus-alertmanager", "/prometheus-alertmanager.service")).toMatch(new RegExp(`^EnvironmentFile=-?${paths.ALERTMANAGER_DEFAULTS_PATH}$`, "m"));
      expect(packageFile("prometheus-blackbox-exporter", "/prometheus-blackbox-exporter.service")).toMatch(new RegExp(`^EnvironmentFile=-?${paths.BLACKBOX_DEFAULTS_PATH}$`, "m"));
      expect(packageFile("prometheus-blackbox-exporter", "/default/prometheus-blackbox-exporter")).toContain(`--config.file ${paths.BLACKBOX_CONFIG_PATH}"`);
    });

    it("systemd: the directory of local units is on its unit search path", () => {
      expect(run("systemd-analyze", ["unit-paths"]).stdout.split("\n")).toContain(paths.SYSTEMD_DIR);
    });

    it("sshd: Debian's sshd_config includes the directory of the Instance Connect drop-in", () => {
      const dropInDir = paths.INSTANCE_CONNECT_SSHD_CONFIG_PATH.slice(0, paths.INSTANCE_CONNECT_SSHD_CONFIG_PATH.lastIndexOf("/"));
      expect(packageFile("openssh-server", "/openssh/sshd_config")).toMatch(new RegExp(`^Include ${dropInDir}/\\*\\.conf$`, "m"));
      expect(paths.INSTANCE_CONNECT_SSHD_CONFIG_PATH).toMatch(/\.conf$/);
    });
  },
);
