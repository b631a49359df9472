/**
 * Validation harness: each function takes the text of one rendered file (as
 * the host would receive it), runs the real tool on it and returns {ok, output}.
 * Host paths in the text (certificates, sockets, chroot, pid and log files)
 * are rewritten into a temporary directory so checks never touch the host.
 */
import { execFileSync } from "child_process";
import { copyFileSync, existsSync, mkdirSync, readdirSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import Ajv from "ajv";
import { CheckResult, run, toCheck, withTempDir } from "./tools";
import { GRAFANA_SCHEMAS, GrafanaFileKind } from "./grafana-schema";

/** Writes a self-signed combined PEM (certificate + key) for `crt` checks. */
export function writeSelfSignedPem(path: string, commonName = "test.invalid"): void {
  const dir = `${path}.parts`;
  mkdirSync(dir, { recursive: true });
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
    "-subj", `/CN=${commonName}`, "-keyout", join(dir, "key.pem"), "-out", join(dir, "cert.pem"),
  ], { stdio: "pipe" });
  execFileSync("sh", ["-c", `cat "${dir}/cert.pem" "${dir}/key.pem" > "${path}"`]);
}

/** Points the host paths of a haproxy.cfg at `dir` (certificate, chroot, stats socket). */
export function relocateHaproxyPaths(cfgText: string, dir: string): string {
  return cfgText
    .replace(/(\bcrt )\S+/g, `$1${join(dir, "site.pem")}`)
    .replace(/^(\s*chroot )\S+/m, `$1${dir}`)
    .replace(/^(\s*stats socket )\S+/m, `$1${join(dir, "admin.sock")}`);
}

/** Points the backends' pinned-certificate bundle (`ca-file`) at `bundlePath`. */
export function relocateBackendTrust(backendsText: string, bundlePath: string): string {
  return backendsText.replace(/(\bca-file )\S+/g, `$1${bundlePath}`);
}

/** A self-signed server certificate and key for `name` (also its DNS SAN), as a tier host makes its TLS identity. */
export function writeServerIdentity(dir: string, name: string): { cert: string; key: string } {
  mkdirSync(dir, { recursive: true });
  const cert = join(dir, "cert.pem");
  const key = join(dir, "key.pem");
  execFileSync("openssl", [
    "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2",
    "-subj", `/CN=${name}`, "-addext", `subjectAltName=DNS:${name}`, "-addext", "basicConstraints=critical,CA:FALSE", "-keyout", key, "-out", cert,
  ], { stdio: "pipe" });
  return { cert, key };
}

/** `haproxy -c -dW` (warnings are errors) on the main file plus the backends file. */
export function checkHaproxy(cfgText: string, backendsText: string): CheckResult {
  return withTempDir("check-haproxy", (dir) => {
    writeSelfSignedPem(join(dir, "site.pem"));
    writeFileSync(join(dir, "haproxy.cfg"), relocateHaproxyPaths(cfgText, dir));
    // A pinned-certificate bundle as the trust sync writes it (one certificate is enough for the check).
    if (/\bca-file /.test(backendsText)) writeSelfSignedPem(join(dir, "trust.pem"));
    writeFileSync(join(dir, "backends.cfg"), relocateBackendTrust(backendsText, join(dir, "trust.pem")));
    return toCheck(run("haproxy", ["-c", "-dW", "-f", join(dir, "haproxy.cfg"), "-f", join(dir, "backends.cfg")]));
  });
}

let netnsCounter = 0;

/**
 * `keepalived -t` inside a throw-away network namespace that has every
 * interface the config names (a veth pair; this kernel lacks `dummy`).
 */
export function checkKeepalived(text: string): CheckResult {
  const interfaces = [...new Set([...text.matchAll(/^\s*interface\s+(\S+)/gm)].map((m) => m[1]))].filter((i) => i !== "lo");
  const ns = `kacheck-${process.pid}-${netnsCounter++}`;
  return withTempDir("check-keepalived", (dir) => {
    const conf = join(dir, "keepalived.conf");
    writeFileSync(conf, text);
    const created = run("ip", ["netns", "add", ns]);
    if (created.code !== 0) return toCheck(created);
    try {
      for (const [i, iface] of interfaces.entries()) {
        const link = run("ip", ["-n", ns, "link", "add", iface, "type", "veth", "peer", "name", `kapeer${i}`]);
        if (link.code !== 0) return toCheck(link);
      }
      return toCheck(run("ip", ["netns", "exec", ns, "keepalived", "-t", "-f", conf]));
    } finally {
      run("ip", ["netns", "del", ns]);
    }
  });
}

/** `nginx -t` with pid, log and temp paths moved into a temporary prefix. */
export function checkNginx(text: string): CheckResult {
  return withTempDir("check-nginx", (dir) => {
    const relocated = text
      .replace(/^(\s*pid )[^;]+;/m, `$1${join(dir, "nginx.pid")};`)
      .replace(/^(\s*error_log )\S+/gm, `$1${join(dir, "error.log")}`)
      .replace(/^(\s*access_log )(?!off)[^;\s]+/gm, `$1${join(dir, "access.log")}`)
      // The host's own key and certificate (made at first boot) and the pinned bundle of the upstreams.
      .replace(/^(\s*(?:ssl_certificate|ssl_certificate_key|proxy_ssl_trusted_certificate) )[^;]+;/gm, `$1${join(dir, "tls.pem")};`);
    if (relocated !== text && /ssl_certificate|proxy_ssl_trusted_certificate/.test(text)) writeSelfSignedPem(join(dir, "tls.pem"));
    const conf = join(dir, "nginx.conf");
    writeFileSync(conf, relocated);
    return toCheck(run("nginx", ["-t", "-q", "-p", `${dir}/`, "-c", conf, "-e", join(dir, "error.log")]));
  });
}

/**
 * `promtool check config` (validates ec2_sd_configs offline). The rule files it
 * names are written next to it from `ruleFiles` (host path → content) and
 * checked with it, as Prometheus would load them.
 */
export function checkPrometheus(text: string, ruleFiles: Record<string, string> = {}): CheckResult {
  return withTempDir("check-prometheus", (dir) => {
    let relocated = text;
    Object.entries(ruleFiles).forEach(([hostPath, content], i) => {
      const local = join(dir, `rules-${i}.yml`);
      writeFileSync(local, content);
      relocated = relocated.split(`  - ${hostPath}\n`).join(`  - ${local}\n`);
    });
    const file = join(dir, "prometheus.yml");
    writeFileSync(file, relocated);
    return toCheck(run("promtool", ["check", "config", file]));
  });
}

/** `promtool check rules` on a rule file. */
export function checkAlertRules(text: string): CheckResult {
  return withTempDir("check-rules", (dir) => {
    const file = join(dir, "rules.yml");
    writeFileSync(file, text);
    return toCheck(run("promtool", ["check", "rules", file]));
  });
}

/** `amtool check-config` (Debian's prometheus-alertmanager) on an Alertmanager config. */
export function checkAlertmanager(text: string): CheckResult {
  return withTempDir("check-alertmanager", (dir) => {
    const file = join(dir, "alertmanager.yml");
    writeFileSync(file, text);
    return toCheck(run("amtool", ["check-config", file]));
  });
}

/** blackbox_exporter's own strict config check (`--config.check`). */
export function checkBlackbox(text: string): CheckResult {
  return withTempDir("check-blackbox", (dir) => {
    const file = join(dir, "blackbox.yml");
    writeFileSync(file, text);
    return toCheck(run("prometheus-blackbox-exporter", ["--config.check", `--config.file=${file}`]));
  });
}

/** `shellcheck` on a bash (or POSIX sh) script (all severities, external sources not followed). */
export function checkShell(text: string, shell: "bash" | "sh" = "bash"): CheckResult {
  return withTempDir("check-shell", (dir) => {
    const file = join(dir, "script.sh");
    writeFileSync(file, text);
    return toCheck(run("shellcheck", [`--shell=${shell}`, "--severity=style", file]));
  });
}

/** sshd's privilege separation directory on Debian. */
export const SSHD_PRIVSEP_DIR = "/run/sshd";

/**
 * `sshd -t` on an sshd_config.d drop-in, included first as Debian 12's
 * sshd_config does, with a throw-away host key.
 */
export function checkSshdDropIn(text: string): CheckResult {
  return withTempDir("check-sshd", (dir) => {
    const dropIn = join(dir, "drop-in.conf");
    writeFileSync(dropIn, text);
    const key = join(dir, "host_ed25519");
    const keygen = run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-f", key]);
    if (keygen.code !== 0) return toCheck(keygen);
    // sshd refuses to run without its privilege separation directory, which Debian's unit creates at start.
    mkdirSync(SSHD_PRIVSEP_DIR, { recursive: true, mode: 0o755 });
    const main = join(dir, "sshd_config");
    writeFileSync(main, `Include ${dropIn}\nHostKey ${key}\nPidFile ${join(dir, "sshd.pid")}\nUsePAM no\n`);
    return toCheck(run("/usr/sbin/sshd", ["-t", "-f", main]));
  });
}

/** yamllint in strict mode (warnings fail): default rules, no `---` required, lines up to 200. */
export const YAMLLINT_CONFIG = "{extends: default, rules: {document-start: disable, line-length: {max: 200}}}";

export function checkYaml(text: string): CheckResult {
  return withTempDir("check-yaml", (dir) => {
    const file = join(dir, "file.yaml");
    writeFileSync(file, text);
    return toCheck(run("yamllint", ["--strict", "-d", YAMLLINT_CONFIG, file]));
  });
}

/** Parses YAML with the python3-yaml that yamllint brings (no extra npm package). */
export function parseYaml(text: string): unknown {
  const result = run("/usr/bin/python3", ["-c", "import sys, json, yaml; json.dump(yaml.safe_load(sys.stdin), sys.stdout)"], { input: text });
  if (result.code !== 0) throw new Error(`YAML does not parse: ${result.stderr}`);
  return JSON.parse(result.stdout);
}

const ajv = new Ajv({ allErrors: true, strict: true });
const validators = Object.fromEntries(
  Object.entries(GRAFANA_SCHEMAS).map(([kind, schema]) => [kind, ajv.compile(schema)]),
) as Record<GrafanaFileKind, ReturnType<typeof ajv.compile>>;

/**
 * Grafana has no Debian package to run here: provisioning YAML must pass
 * yamllint and the JSON schema of its kind; the dashboard must be JSON matching its schema.
 */
export function checkGrafana(kind: GrafanaFileKind, text: string): CheckResult {
  let document: unknown;
  if (kind === "dashboard") {
    try {
      document = JSON.parse(text);
    } catch (error) {
      return { ok: false, output: `dashboard is not JSON: ${String(error)}` };
    }
  } else {
    const lint = checkYaml(text);
    if (!lint.ok) return lint;
    try {
      document = parseYaml(text);
    } catch (error) {
      return { ok: false, output: String(error) };
    }
  }
  const validate = validators[kind];
  const ok = validate(document) as boolean;
  return { ok, output: ok ? "" : ajv.errorsText(validate.errors, { separator: "\n" }) };
}

/** Units Debian packages install on the hosts, which the rendered units require. */
const PACKAGED_UNITS = ["mariadb.service", "docker.service"];
/** Programs a unit runs, systemd's prefixes (- @ : + !) stripped. */
const UNIT_PROGRAMS = /^Exec(?:Start|StartPre|StartPost|Stop|StopPost|Reload)=[-@:+!]*(\S+)/gm;
const STOCK_UNITS = "/usr/lib/systemd/system";

/**
 * `systemd-analyze verify` of units (host path → content) inside a throw-away
 * root: systemd need not run. The root holds Debian's stock targets and
 * slices, a stub for each program the units run, and a stand-in for each unit
 * a package installs on the host (PACKAGED_UNITS): any other unit a `Requires=`
 * names must be among the units checked. A setting systemd cannot parse is
 * only a warning to it, so any output fails the check.
 */
export function checkSystemdUnits(units: Record<string, string>): CheckResult {
  return withTempDir("check-systemd", (root) => {
    const local = join(root, "etc/systemd/system");
    const stock = join(root, STOCK_UNITS.slice(1));
    mkdirSync(local, { recursive: true });
    mkdirSync(stock, { recursive: true });
    for (const name of readdirSync(STOCK_UNITS).filter((n) => /\.(target|slice)$/.test(n))) copyFileSync(join(STOCK_UNITS, name), join(stock, name));
    for (const [path, content] of Object.entries(units)) {
      mkdirSync(dirname(join(root, path)), { recursive: true });
      writeFileSync(join(root, path), content);
      for (const [, program] of content.matchAll(UNIT_PROGRAMS)) {
        mkdirSync(dirname(join(root, program)), { recursive: true });
        if (!existsSync(join(root, program))) writeFileSync(join(root, program), "#!/bin/sh\n", { mode: 0o755 });
      }
    }
    for (const name of PACKAGED_UNITS) {
      writeFileSync(join(local, name), `[Unit]\nDescription=stand-in for ${name}, which a Debian package installs\n[Service]\nExecStart=/bin/true\n`);
    }
    const result = run("systemd-analyze", ["verify", "--man=no", `--root=${root}`, ...Object.keys(units)]);
    const output = `${result.stdout}${result.stderr}`.trim();
    return { ok: result.code === 0 && output === "", output };
  });
}

/** True when every tool the harness needs exists (used by the suites' guards). */
export const HARNESS_TOOLS = ["haproxy", "keepalived", "nginx", "promtool", "amtool", "prometheus-blackbox-exporter", "shellcheck", "yamllint", "openssl", "ip", "sshd", "ssh-keygen", "systemd-analyze"] as const;

export function pathExists(path: string): boolean {
  return existsSync(path);
}
