/**
 * modules/server-config/README.md, sentence by sentence: every promise about the rendered files
 * that no other test of this folder asserted yet (test names quote the README). Renderers are
 * called directly; "the stacks" promises read the synthesized user data (support/rendered-files).
 * Scripts run for real (bash, sh, openssl) with fake `aws`/`curl`/`certbot`/`ip`/`logger`.
 */
import { spawn } from "child_process";
import { get as httpGet } from "http";
import { get as httpsGet } from "https";
import { createServer, AddressInfo } from "net";
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from "fs";
import { join } from "path";
import { gunzipSync } from "zlib";
import { Lazy } from "cdktf";
import { parseCloudConfig, renderCloudConfig, USER_DATA_MAX_BYTES } from "../../modules/core/cloud-config";
import { monitoringNode } from "../../modules/server-config/roles/monitoring-node";
import { relocateHaproxyPaths } from "../support/validators";
import { renderHaproxyBackendsHeader, renderHaproxyConfig } from "../../modules/server-config/haproxy";
import { renderKeepalivedConfig } from "../../modules/server-config/keepalived";
import { renderPrometheusConfig } from "../../modules/server-config/prometheus";
import { renderGrafanaDatasources } from "../../modules/server-config/grafana";
import { renderBackendSyncScript } from "../../modules/server-config/backend-sync-script";
import { renderPeriodicJob } from "../../modules/server-config/systemd";
import { renderStaticIndex } from "../../modules/server-config/nginx";
import { InvalidInputError } from "../../modules/core/validation";
import { renderNginxConfig } from "../../modules/server-config/nginx";
import { renderFailoverScript } from "../../modules/server-config/failover-script";
import { renderCertDeployHook, renderCertRenewScript, CertificateParams } from "../../modules/server-config/certificates";
import { haproxyNode } from "../../modules/server-config/roles/haproxy-node";
import { withTlsIdentity, withTrustSync } from "../../modules/server-config/roles/tier-tls";
import { renderTlsIdentityScript, renderTrustSyncScript } from "../../modules/server-config/tier-tls";
import { renderInstanceConnectKeysScript } from "../../modules/server-config/instance-connect";
import { renderAlertmanagerConfig } from "../../modules/server-config/alertmanager";
import { renderBlackboxConfig } from "../../modules/server-config/blackbox";
import { renderGrafanaDashboard, renderGrafanaDashboardProvider } from "../../modules/server-config/grafana";
import { grafanaAptInstallFile } from "../../modules/server-config/roles/grafana-apt";
import * as paths from "../../modules/server-config/paths";
import { recordedCalls, writeFakeCommands } from "../support/fake-commands";
import { daemonTestsEnabled, describeWithTools, run, SYSTEM_PATH, withTempDir, withTempDirAsync } from "../support/tools";
import { REFERENCE_APP_PATH, REFERENCE_APP_UNIT_PATH } from "../../modules/server-config/reference-app/reference-app";
import { renderHaproxyDefaults } from "../../modules/server-config/haproxy";
import { deliveredUserDataBytesByRole, publishedBackends, renderedFile, userDataByRole } from "../support/rendered-files";

type RawFile = { path: string; permissions?: string; owner?: string; encoding?: string; content: string };
/** write_files exactly as the user data carries them (before cloud-init decodes anything). */
const rawFiles = (userData: string): RawFile[] => JSON.parse(userData.replace(/^#cloud-config\n/, "")).write_files;
const unit = (role: string, name: string) => renderedFile(role, `${paths.SYSTEMD_DIR}/${name}`);

describe("Server configuration", () => {
  it("\"Pure functions ... (data in, text out; no cdktf import)\": no file of modules/server-config imports cdktf or the provider", () => {
    const root = join(__dirname, "../../modules/server-config");
    const files = (dir: string): string[] => readdirSync(dir).flatMap((f) => (statSync(join(dir, f)).isDirectory() ? files(join(dir, f)) : [join(dir, f)]));
    const sources = files(root).filter((f) => f.endsWith(".ts"));
    expect(sources.length).toBeGreaterThan(20);
    const importing = sources.filter((f) => /from\s+["'](cdktf|@cdktf\/[^"']+|constructs)["']/.test(readFileSync(f, "utf8")));
    expect(importing).toEqual([]);
  });

  it("\"exercised live in five drills (`__tests__/drills`)\": drills A to E", () => {
    const drills = readdirSync(join(__dirname, "../drills")).filter((f) => /^drill-[a-z]-.+\.test\.ts$/.test(f));
    expect(drills.map((f) => f.slice(0, 7)).sort()).toEqual(["drill-a", "drill-b", "drill-c", "drill-d", "drill-e"]);
  });

  it("the host paths the README names are the constants in paths.ts", () => {
    expect(paths).toMatchObject({
      HAPROXY_CERT_PATH: "/etc/haproxy/certs/site.pem",
      HAPROXY_BACKENDS_PATH: "/etc/haproxy/backends.cfg",
      HAPROXY_DEFAULTS_PATH: "/etc/default/haproxy",
      HAPROXY_STATS_SOCKET_PATH: "/run/haproxy/admin.sock",
      BACKEND_SYNC_SCRIPT_PATH: "/usr/local/sbin/haproxy-backend-sync",
      FAILOVER_SCRIPT_PATH: "/usr/local/sbin/eip-failover",
      CERT_PLACEHOLDER_SCRIPT_PATH: "/usr/local/sbin/haproxy-cert-placeholder",
      CERT_DEPLOY_HOOK_PATH: "/usr/local/sbin/haproxy-cert-deploy",
      CERT_PULL_SCRIPT_PATH: "/usr/local/sbin/haproxy-cert-pull",
      GRAFANA_ADMIN_PASSWORD_PATH: "/etc/grafana-admin/password",
      ALERTMANAGER_DEFAULTS_PATH: "/etc/default/prometheus-alertmanager",
      TLS_IDENTITY_SCRIPT_PATH: "/usr/local/sbin/tls-identity",
      TLS_TRUST_SYNC_SCRIPT_PATH: "/usr/local/sbin/tls-trust-sync",
    });
  });
});

describe("Every input that could produce a broken file", () => {
  const cases: [string, () => unknown, string, unknown][] = [
    ["haproxy", () => renderHaproxyConfig({ privateIp: "10.0.1.10", exporterAllowedCidrs: ["0.0.0.0/0"] }), "haproxy.exporterAllowedCidrs[0]", "0.0.0.0/0"],
    ["backend sync", () => renderBackendSyncScript({ parameterName: "no slash", region: "eu-west-1" }), "backendSync.parameterName", "no slash"],
    ["keepalived", () => renderKeepalivedConfig({ nodeName: "lb-a", privateIp: "10.0.1.10", peerPrivateIp: "10.0.2.10", priority: 255 }), "keepalived.priority", 255],
    ["failover", () => renderFailoverScript({ allocationId: "eip-1", region: "eu-west-1" }), "failover.allocationId", "eip-1"],
    ["certificates", () => renderCertRenewScript({ domain: "example.com", email: "not-an-address" }), "certificates.email", "not-an-address"],
    ["nginx", () => renderStaticIndex("<b>"), "nginx.indexTitle", "<b>"],
    ["prometheus", () => renderPrometheusConfig({ regions: ["eu-west-1"], projectTagKey: "Project", projectTagValue: "shop", scrapeIntervalSeconds: 0 }), "prometheus.scrapeIntervalSeconds", 0],
    ["grafana", () => renderGrafanaDatasources({ prometheusPort: 70000 }), "grafana.prometheusPort", 70000],
    ["alertmanager", () => renderAlertmanagerConfig({ snsTopicArn: "topic", snsRegion: "eu-west-1" }), "alertmanager.snsTopicArn", "topic"],
    ["blackbox", () => renderBlackboxConfig({ serverName: "not a name" }), "blackbox.serverName", "not a name"],
    ["systemd", () => renderPeriodicJob({ name: "Job", description: "d", command: "/bin/true", firstRunAfterBootSeconds: 1, everySeconds: 60 }), "systemd.name", "Job"],
    ["tier TLS", () => renderTlsIdentityScript({ serverName: "app.shop.internal", parameterPrefix: "/shop/tls/app", region: "eu-west-1", reloadCommand: ["true"], renewDays: 90 }), "tlsIdentity.renewDays", 90],
    ["instance connect", () => renderInstanceConnectKeysScript({ imdsEndpoint: "https://x/y" }), "instanceConnect.imdsEndpoint", "https://x/y"],
  ];
  it.each(cases)("%s: \"throws `InvalidInputError` naming the field, the value and what is allowed\"", (_name, render, field, value) => {
    let error: unknown;
    try {
      render();
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(InvalidInputError);
    const e = error as InvalidInputError;
    expect([e.field, e.value]).toEqual([field, value]);
    expect(e.allowed.length).toBeGreaterThan(5);
    expect(e.message).toBe(`${field}: ${JSON.stringify(value)} is not allowed; expected ${e.allowed}`);
  });
});

describeWithTools("\"Target OS: Debian 12\"", ["dpkg-query"], false, () => {
  it.each([
    ["haproxy", "2.6."],
    ["keepalived", "1:2.2.7-"],
    ["nginx-light", "1.22."],
    ["prometheus", "2.42."],
    ["prometheus-alertmanager", "0.25."],
    ["prometheus-blackbox-exporter", "0.23."],
    ["prometheus-node-exporter", "1.5."],
  ])("\"What is tested here is Debian 12's own\" %s %s", (pkg, version) => {
    const r = run("dpkg-query", ["-W", "-f", "${Version}", pkg]);
    expect(r.code).toBe(0);
    expect(r.stdout.startsWith(version)).toBe(true);
  });
});

describe("Load balancer: HAProxy", () => {
  it("\"TLS 1.2 minimum, forward-secret AEAD ciphers, no session tickets\": every TLS 1.2 cipher is ECDHE with GCM or ChaCha20-Poly1305", () => {
    const cfg = renderHaproxyConfig({ privateIp: "10.0.1.10", exporterAllowedCidrs: ["10.0.0.0/16"] });
    const ciphers = cfg.match(/ssl-default-bind-ciphers (\S+)/)![1].split(":");
    expect(ciphers.length).toBeGreaterThan(0);
    for (const c of ciphers) expect(c).toMatch(/^ECDHE-(ECDSA|RSA)-(AES(128|256)-GCM-SHA(256|384)|CHACHA20-POLY1305)$/);
    for (const s of cfg.match(/ssl-default-bind-ciphersuites (\S+)/)![1].split(":")) expect(s).toMatch(/^TLS_(AES_(128|256)_GCM_SHA(256|384)|CHACHA20_POLY1305_SHA256)$/);
    expect(cfg).toContain("ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets");
  });

  it("\"`maxconn 4096` by default\"", () => {
    const base = { privateIp: "10.0.1.10", exporterAllowedCidrs: ["10.0.0.0/16"] };
    expect(renderHaproxyConfig(base)).toMatch(/^ {4}maxconn 4096$/m);
    expect(renderHaproxyConfig({ ...base, maxConnections: 2000 })).toMatch(/^ {4}maxconn 2000$/m);
  });
});

describe("Growing the fleet without touching the load balancers", () => {
  it("\"The timer `haproxy-backend-sync.timer` (every 60 s) runs `/usr/local/sbin/haproxy-backend-sync`\"", () => {
    expect(unit("lb-a", "haproxy-backend-sync.timer")).toMatch(/^OnUnitActiveSec=60s$/m);
    expect(unit("lb-a", "haproxy-backend-sync.service")).toMatch(/^ExecStart=\/usr\/local\/sbin\/haproxy-backend-sync$/m);
    expect(parseCloudConfig(userDataByRole()["lb-a"]).runcmd).toContainEqual(["systemctl", "enable", "--now", "haproxy-backend-sync.timer", "haproxy-cert-renew.timer"]);
  });

  it("\"The fleet is not in the load balancers' user data: they boot with a `web` backend without servers ... and run the sync once before starting HAProxy\"", () => {
    const userData = userDataByRole();
    for (const [role, stack] of [["lb-a", "stage3-scale-up"], ["lb-b", "stage3-scale-up"], ["stage1-lb", "stage1-distributed"], ["stage2-lb", "stage2-secured-monitored"]]) {
      const config = parseCloudConfig(userData[role]);
      const backends = config.write_files.find((f) => f.path === paths.HAPROXY_BACKENDS_PATH)!.content;
      expect(backends).toMatch(/^backend web$/m);
      expect(backends).not.toMatch(/^\s*server /m);
      const fleet = publishedBackends(stack);
      expect(fleet.length).toBeGreaterThan(0);
      for (const server of fleet) expect(userData[role]).not.toContain(server.split(":")[0]);
      const sync = config.runcmd.findIndex((c) => c.join(" ") === paths.BACKEND_SYNC_SCRIPT_PATH);
      const start = config.runcmd.findIndex((c) => c.join(" ") === "systemctl restart haproxy");
      expect(sync).toBeGreaterThanOrEqual(0);
      expect(start).toBeGreaterThan(sync);
    }
  });
});

describeWithTools("Debian's haproxy unit", ["haproxy"], false, () => {
  it("\"Debian's unit runs `haproxy -Ws -f $CONFIG -p $PIDFILE $EXTRAOPTS`\" with /etc/default/haproxy, whose EXTRAOPTS keeps the unit's master socket", () => {
    const unitFile = readFileSync("/lib/systemd/system/haproxy.service", "utf8");
    expect(unitFile).toMatch(/^ExecStart=\/usr\/sbin\/haproxy -Ws -f \$CONFIG -p \$PIDFILE \$EXTRAOPTS$/m);
    expect(unitFile).toMatch(/^EnvironmentFile=-\/etc\/default\/haproxy$/m);
    const unitDefault = unitFile.match(/"EXTRAOPTS=([^"]*)"/)![1];
    const ours = renderHaproxyDefaults().match(/^EXTRAOPTS="([^"]*)"$/m)![1];
    expect(ours.startsWith(`${unitDefault} `)).toBe(true);
    expect(ours).toBe("-S /run/haproxy-master.sock -f /etc/haproxy/backends.cfg");
  });
});

describeWithTools("first boot HAProxy (real haproxy on loopback)", ["haproxy"], false, () => {
  it("\"they boot with a `web` backend without servers (valid; it answers 503)\"", async () => {
    await withTempDirAsync("readme-haproxy", async (dir) => {
      const [port, exporter] = await freePorts(2);
      const cfg = relocateHaproxyPaths(renderHaproxyConfig({ privateIp: "127.0.0.1", exporterAllowedCidrs: ["127.0.0.1/32"], exporterPort: exporter, tls: false }), dir)
        .replace(/^ {4}bind :80$/m, `    bind 127.0.0.1:${port}`);
      expect(cfg).toContain(`bind 127.0.0.1:${port}`);
      writeFileSync(join(dir, "haproxy.cfg"), cfg);
      writeFileSync(join(dir, "backends.cfg"), renderHaproxyBackendsHeader());
      const haproxy = spawn("haproxy", ["-db", "-f", join(dir, "haproxy.cfg"), "-f", join(dir, "backends.cfg")], { env: { PATH: SYSTEM_PATH }, stdio: ["ignore", "ignore", "pipe"] });
      let stderr = "";
      haproxy.stderr!.on("data", (chunk) => (stderr += chunk));
      try {
        let status = 0;
        const deadline = Date.now() + 10000;
        while (status === 0) {
          if (Date.now() > deadline || haproxy.exitCode !== null) throw new Error(`haproxy did not answer: ${stderr}`);
          status = await statusOf(`http://127.0.0.1:${port}/`).catch(() => 0);
          if (status === 0) await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(status).toBe(503);
      } finally {
        if (haproxy.exitCode === null) {
          const exited = new Promise((resolve) => haproxy.once("exit", resolve));
          process.kill(haproxy.pid!, "SIGTERM");
          await exited;
        }
      }
    });
  });
});

describe("Load balancer pair: keepalived and Elastic IP failover", () => {
  it("\"The priority (lb-a 150, lb-b 100) only decides the first MASTER\": both nodes `state BACKUP`", () => {
    for (const [role, priority] of [["lb-a", 150], ["lb-b", 100]] as const) {
      const conf = renderedFile(role, paths.KEEPALIVED_CONF_PATH);
      expect(conf).toMatch(new RegExp(`^ {4}priority ${priority}$`, "m"));
      expect(conf.match(/^\s+state \S+$/gm)!.map((l) => l.trim())).toEqual(["state BACKUP"]);
      expect(conf).toMatch(/^ {4}nopreempt$/m);
    }
  });

  it("\"scripts are written 0750 root\": every script keepalived runs, and the certificate pull the failover runs", () => {
    const files = rawFiles(userDataByRole()["lb-a"]);
    const conf = renderedFile("lb-a", paths.KEEPALIVED_CONF_PATH);
    const hooks = [...conf.matchAll(/^\s+notify(?:_master)? "([^"]+)"$/gm)].map((m) => m[1]);
    expect(hooks.sort()).toEqual([paths.FAILOVER_SCRIPT_PATH, paths.KEEPALIVED_STATE_SCRIPT_PATH].sort());
    for (const path of [...hooks, paths.CERT_PULL_SCRIPT_PATH]) {
      const file = files.find((f) => f.path === path)!;
      expect([path, file.permissions, file.owner]).toEqual([path, "0750", "root:root"]);
    }
  });

  it("\"The two LBs differ only in keepalived's name, addresses and priority and the exporter bind address\"", () => {
    const lines = (role: string, path: string) => renderedFile(role, path).split("\n");
    const differing = (path: string) => {
      const [a, b] = [lines("lb-a", path), lines("lb-b", path)];
      expect(a).toHaveLength(b.length);
      return a.flatMap((line, i) => (line === b[i] ? [] : [line.trim().replace(/[0-9.]+/g, "N")]));
    };
    expect(differing(paths.HAPROXY_CFG_PATH)).toEqual(["bind N:N"]);
    expect(differing(paths.KEEPALIVED_CONF_PATH)).toEqual(["router_id webplat-dev-stageN-lb-a", "priority N", "unicast_src_ip N", "N"]);
  });

  it("\"It then runs `/usr/local/sbin/haproxy-cert-pull` (best effort)\": the pair's failover script pulls the certificate after the EIP move", () => {
    const script = renderedFile("lb-a", paths.FAILOVER_SCRIPT_PATH);
    expect(script).toMatch(/retry associate_address \|\| exit 2\n[\s\S]*if ! "\/usr\/local\/sbin\/haproxy-cert-pull"; then\n\s+log "[^"]*continuing/);
  });
});

describeWithTools("failover script: \"every step logged via `logger` and stderr\"", ["bash"], false, () => {
  it("each stderr line of a failover also goes to logger -t eip-failover", () => {
    withTempDir("readme-failover", (dir) => {
      const bin = writeFakeCommands(dir);
      writeFileSync(join(bin, "logger"), `#!/bin/bash\nprintf '%s\\n' "$*" >>"${dir}/logger.log"\n`, { mode: 0o755 });
      // IMDSv2 as curl sees it: a token for PUT, the instance id only with that token.
      writeFileSync(join(bin, "curl"), `#!/bin/bash
case "$*" in
  *"-X PUT"*latest/api/token) printf tok ;;
  *"X-aws-ec2-metadata-token: tok"*latest/meta-data/instance-id) printf i-0123456789abcdef0 ;;
  *) exit 22 ;;
esac
`, { mode: 0o755 });
      writeFileSync(join(dir, "failover"), renderFailoverScript({ allocationId: "eipalloc-0a1b2c3d4e5f60718", region: "eu-west-1" }));
      writeFileSync(join(dir, "aws-failures"), "1");
      const r = run("bash", [join(dir, "failover")], { env: { PATH: `${bin}:${SYSTEM_PATH}` } });
      expect(r.code).toBe(0);
      // The script's own lines (the fake aws prints its error to stderr too).
      const stderr = r.stderr.trim().split("\n").filter((l) => l.startsWith("eip-failover: ")).map((l) => l.slice("eip-failover: ".length));
      expect(stderr).toHaveLength(4);
      expect(readFileSync(join(dir, "logger.log"), "utf8").trim().split("\n")).toEqual(stderr.map((l) => `-t eip-failover -- ${l}`));
      expect(recordedCalls(dir, "aws")).toHaveLength(2);
    });
  });
});

describe("Certificates (Let's Encrypt)", () => {
  it("\"`haproxy-cert-renew.timer` (90 s after boot, then hourly + up to 5 min), both nodes\"", () => {
    for (const role of ["lb-a", "lb-b"]) {
      const timer = unit(role, "haproxy-cert-renew.timer");
      expect(timer).toMatch(/^OnBootSec=90s$/m);
      expect(timer).toMatch(/^OnUnitActiveSec=3600s$/m);
      expect(timer).toMatch(/^RandomizedDelaySec=300s$/m);
      expect(unit(role, "haproxy-cert-renew.service")).toMatch(/^ExecStart=\/usr\/local\/sbin\/haproxy-cert-renew$/m);
    }
  });

  it("\"Debian's `certbot.timer` is disabled\" on every load balancer that obtains certificates", () => {
    const userData = userDataByRole();
    for (const role of ["lb-a", "lb-b", "stage2-lb"]) {
      expect(parseCloudConfig(userData[role]).runcmd).toContainEqual(["systemctl", "disable", "--now", "certbot.timer"]);
    }
  });

  it("\"one certificate for `domain` and every `additionalNames` entry (the stacks pass every published host name, apex and `www` by default\"", () => {
    const renew = renderedFile("lb-a", paths.CERT_RENEW_SCRIPT_PATH);
    expect(renew).toContain('DOMAIN="example.com"');
    expect(renew).toMatch(/certbot certonly [\s\S]*-d "\$DOMAIN" -d www\.example\.com\n$/);
  });

  it("\"`letsEncryptStaging: true` uses the staging CA while testing\" (and only then)", () => {
    const node = (staging?: boolean) => haproxyNode({
      privateIp: "10.0.1.10", peerPrivateIp: "10.0.2.10", region: "eu-west-1", nodeName: "lb-a", priority: 150,
      backendsParameterName: "/shop/haproxy/backends", exporterAllowedCidrs: ["10.0.0.0/16"], eipAllocationId: "eipalloc-0a1b2c3d4e5f60718",
      certificateParameterName: "/shop/haproxy/certificate", domain: "shop.example.com", letsEncryptEmail: "ops@example.com", letsEncryptStaging: staging,
    }).writeFiles!.find((f) => f.path === paths.CERT_RENEW_SCRIPT_PATH)!.content;
    expect(node(true)).toMatch(/certbot certonly [^\n]*\\\n[\s\S]*--staging/);
    expect(node()).not.toContain("--staging");
    expect(node(false)).not.toContain("--staging");
  });
});

describeWithTools("certificate scripts run: README steps 2 and 3", ["bash", "openssl"], false, () => {
  const domain = "example.com";
  const params: CertificateParams = { domain, additionalNames: ["www.example.com"], email: "ops@example.com", sharing: { parameterName: "/shop/haproxy/certificate", region: "eu-west-1", masterMarkerAddress: "192.0.2.51" } };

  /** A certificate for the domain, signed by a CA (issuer ≠ subject, like Let's Encrypt's), valid `days`. */
  function caSigned(dir: string, days: number): string {
    const o = (args: string[]) => expect(run("openssl", args).code).toBe(0);
    o(["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "400", "-subj", "/CN=Test CA", "-keyout", join(dir, "ca.key"), "-out", join(dir, "ca.pem")]);
    o(["req", "-new", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-subj", `/CN=${domain}`, "-keyout", join(dir, "leaf.key"), "-out", join(dir, "leaf.csr")]);
    o(["x509", "-req", "-in", join(dir, "leaf.csr"), "-CA", join(dir, "ca.pem"), "-CAkey", join(dir, "ca.key"), "-CAcreateserial", "-days", String(days), "-out", join(dir, "leaf.pem")]);
    return readFileSync(join(dir, "leaf.pem"), "utf8") + readFileSync(join(dir, "leaf.key"), "utf8");
  }
  /** The placeholder's kind of certificate: self-signed, issuer CN = the domain. */
  function selfSigned(dir: string, days: number): string {
    expect(run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", String(days), "-subj", `/CN=${domain}`, "-keyout", join(dir, "ss.key"), "-out", join(dir, "ss.pem")]).code).toBe(0);
    return readFileSync(join(dir, "ss.pem"), "utf8") + readFileSync(join(dir, "ss.key"), "utf8");
  }

  /**
   * Runs haproxy-cert-renew with fake `ip` (MASTER: the marker on lo, or not), `certbot` and pull script
   * (both record that they ran); the script's two absolute host paths point into the temp dir.
   */
  function renew(dir: string, options: { master: boolean; lineage: boolean; served: string }): { code: number | null; certbot: string[]; pulled: boolean } {
    const bin = writeFakeCommands(dir);
    const lo = options.master ? "1: lo    inet 192.0.2.51/32 scope global lo\\       valid_lft forever preferred_lft forever" : "1: lo    inet 127.0.0.1/8 scope host lo\\       valid_lft forever preferred_lft forever";
    writeFileSync(join(bin, "ip"), `#!/bin/bash\n[ "$*" = "-o addr show dev lo" ] || exit 2\necho '${lo}'\n`, { mode: 0o755 });
    writeFileSync(join(bin, "certbot"), `#!/bin/bash\nprintf '%s\\n' "$*" >>"${dir}/certbot.log"\n`, { mode: 0o755 });
    writeFileSync(join(dir, "pull"), `#!/bin/bash\necho pulled >>"${dir}/pull.log"\n`, { mode: 0o755 });
    if (options.lineage) mkdirSync(join(dir, "live", domain), { recursive: true });
    writeFileSync(join(dir, "site.pem"), options.served);
    const script = renderCertRenewScript(params).split(paths.CERT_PULL_SCRIPT_PATH).join(join(dir, "pull")).split("/etc/letsencrypt/live/").join(`${dir}/live/`);
    expect(script).not.toContain("/etc/letsencrypt");
    writeFileSync(join(dir, "renew"), script);
    const r = run("bash", [join(dir, "renew")], { env: { PATH: `${bin}:${SYSTEM_PATH}`, CERT_FILE: join(dir, "site.pem") } });
    const certbot = existsSync(join(dir, "certbot.log")) ? readFileSync(join(dir, "certbot.log"), "utf8").trim().split("\n") : [];
    return { code: r.code, certbot, pulled: existsSync(join(dir, "pull.log")) };
  }

  it("\"BACKUP (no marker address on `lo`): run `haproxy-cert-pull`\", never certbot", () => {
    withTempDir("renew", (dir) => {
      expect(renew(dir, { master: false, lineage: true, served: caSigned(dir, 60) })).toEqual({ code: 0, certbot: [], pulled: true });
    });
  });

  it("\"MASTER: if it has no Let's Encrypt lineage ... first pull the published PEM and stop if it is a real certificate good for 30 more days\"", () => {
    withTempDir("renew", (dir) => {
      expect(renew(dir, { master: true, lineage: false, served: caSigned(dir, 60) })).toEqual({ code: 0, certbot: [], pulled: true });
    });
  });

  it.each([
    ["the placeholder (self-signed)", (dir: string) => selfSigned(dir, 90)],
    ["a real certificate with fewer than 30 days left", (dir: string) => caSigned(dir, 20)],
  ])("MASTER without lineage holding %s: \"Otherwise `certbot certonly --standalone --http-01-address 127.0.0.1 --http-01-port 8888 --key-type ecdsa --keep-until-expiring --expand --deploy-hook haproxy-cert-deploy -d DOMAIN -d NAME…`\"", (_name, served) => {
    withTempDir("renew", (dir) => {
      const r = renew(dir, { master: true, lineage: false, served: served(dir) });
      expect([r.code, r.pulled]).toEqual([0, true]);
      expect(r.certbot).toEqual([
        "certonly --non-interactive --agree-tos --email ops@example.com --standalone --http-01-address 127.0.0.1 --http-01-port 8888 --key-type ecdsa --keep-until-expiring --expand --deploy-hook /usr/local/sbin/haproxy-cert-deploy -d example.com -d www.example.com",
      ]);
    });
  });

  it("MASTER with its lineage: \"the same command obtains the first certificate and renews it\" (no pull first)", () => {
    withTempDir("renew", (dir) => {
      const r = renew(dir, { master: true, lineage: true, served: caSigned(dir, 60) });
      expect([r.code, r.pulled, r.certbot.length]).toEqual([0, false, 1]);
      expect(r.certbot[0]).toMatch(/^certonly .*--keep-until-expiring --expand --deploy-hook \/usr\/local\/sbin\/haproxy-cert-deploy -d example\.com -d www\.example\.com$/);
    });
  });

  it("\"`haproxy-cert-deploy` (certbot deploy hook): `fullchain.pem + privkey.pem` → `/etc/haproxy/certs/site.pem` (0600), `systemctl reload haproxy`, `aws ssm put-parameter --type SecureString --overwrite`\"", () => {
    withTempDir("deploy", (dir) => {
      const bin = writeFakeCommands(dir);
      const lineage = join(dir, "live", domain);
      mkdirSync(lineage, { recursive: true });
      const pem = caSigned(dir, 60);
      writeFileSync(join(lineage, "fullchain.pem"), readFileSync(join(dir, "leaf.pem")));
      writeFileSync(join(lineage, "privkey.pem"), readFileSync(join(dir, "leaf.key")));
      const hook = renderCertDeployHook(params);
      expect(hook).toContain('CERT_FILE="${CERT_FILE:-/etc/haproxy/certs/site.pem}"');
      writeFileSync(join(dir, "hook"), hook);
      const site = join(dir, "certs", "site.pem");
      const r = run("bash", [join(dir, "hook")], { env: { PATH: `${bin}:${SYSTEM_PATH}`, CERT_FILE: site, RENEWED_LINEAGE: lineage } });
      expect(r.code).toBe(0);
      expect(readFileSync(site, "utf8")).toBe(pem);
      expect(statSync(site).mode & 0o777).toBe(0o600);
      expect(recordedCalls(dir, "systemctl")).toEqual(["reload haproxy"]);
      const calls = recordedCalls(dir, "aws");
      expect(calls).toHaveLength(1);
      expect(calls[0]).toMatch(/^ssm put-parameter --region eu-west-1 --name \/shop\/haproxy\/certificate --type SecureString --overwrite --value file:\/\/\S+\/combined\.pem$/);
    });
  });
});

describe("Web servers: Nginx", () => {
  it.each([
    [1, 1],
    [2, 2],
    [4, 4],
    [6, 4],
  ])("\"a request is retried on the next server, at most as many tries as servers, up to 4\": %i servers → %i tries", (servers, tries) => {
    const upstreams = Array.from({ length: servers }, (_, i) => `10.0.${i}.10:8080`);
    const conf = renderNginxConfig({ upstreams });
    expect(conf.match(/proxy_next_upstream_tries (\d+);/)![1]).toBe(String(tries));
    expect(conf.match(/max_fails=1 fail_timeout=10s;/g)).toHaveLength(servers);
  });

  it("\"keepalive connections\" to the application servers: an idle pool, HTTP/1.1 without `Connection: close`", () => {
    const conf = renderNginxConfig({ upstreams: ["10.0.1.10:8080"] });
    expect(conf).toMatch(/upstream app_servers \{[^}]*keepalive \d+;\n\s+\}/);
    expect(conf).toContain("proxy_http_version 1.1;");
    expect(conf).toContain('proxy_set_header Connection "";');
  });

  it("\"The stacks' HAProxy checks `GET /readyz`, which Nginx passes to the app\"", () => {
    for (const [lb, web] of [["stage1-lb", "stage1-web"], ["lb-a", "web"]]) {
      expect(renderedFile(lb, paths.HAPROXY_BACKENDS_PATH)).toContain("http-check send meth GET uri /readyz ver HTTP/1.1");
      const nginx = renderedFile(web, paths.NGINX_CONF_PATH);
      expect(nginx).not.toContain("/readyz");
      expect(nginx).toMatch(/location \/ \{\n\s+proxy_pass https?:\/\/\S+;/);
    }
  });

  it("the stacks' web servers take the client address \"from `X-Forwarded-For` trusted only from the load balancers' addresses\"", () => {
    const lbs = [renderedFile("lb-a", paths.HAPROXY_CFG_PATH), renderedFile("lb-b", paths.HAPROXY_CFG_PATH)].map((c) => c.match(/bind ([0-9.]+):8405/)![1]);
    const nginx = renderedFile("web", paths.NGINX_CONF_PATH);
    expect([...nginx.matchAll(/set_real_ip_from (\S+);/g)].map((m) => m[1])).toEqual(lbs);
  });
});

describe("TLS between the tiers", () => {
  const trust = { serverName: "app.shop.internal", parameterPrefix: "/shop/tls/app", region: "eu-west-1" };

  it("\"`renderTlsIdentityScript` (`/usr/local/sbin/tls-identity`, first boot + daily timer)\" and \"rotates when fewer than `renewDays` (30) of `validityDays` (90) remain ... `overlapSeconds` (150)\"", () => {
    const role = withTlsIdentity({ runcmd: [["systemctl", "restart", "nginx"]] }, trust, ["systemctl", "reload", "nginx"]);
    const file = (path: string) => role.writeFiles!.find((f) => f.path === path)!.content;
    expect(file(paths.TLS_IDENTITY_SCRIPT_PATH)).toBe(renderTlsIdentityScript({ ...trust, reloadCommand: ["systemctl", "reload", "nginx"] }));
    expect(file(`${paths.SYSTEMD_DIR}/tls-identity.timer`)).toMatch(/^OnUnitActiveSec=86400s$/m);
    expect(role.runcmd![0]).toEqual([paths.TLS_IDENTITY_SCRIPT_PATH]);
    const script = file(paths.TLS_IDENTITY_SCRIPT_PATH);
    expect(script).toMatch(/^VALIDITY_DAYS=90$/m);
    expect(script).toMatch(/^RENEW_DAYS=30$/m);
    expect(script).toContain('OVERLAP_SECONDS="${OVERLAP_SECONDS:-150}"');
    expect(script).toContain("-checkend $((RENEW_DAYS * 86400))");
  });

  it("\"`withTlsIdentity` / `withTrustSync` add the scripts, timers and first-boot commands to a role (identity first ...)\": the stage 3 web server", () => {
    const runcmd = parseCloudConfig(userDataByRole()["web"]).runcmd.map((c) => c.join(" "));
    const at = (command: string) => runcmd.indexOf(command);
    expect(at(paths.TLS_IDENTITY_SCRIPT_PATH)).toBe(0);
    expect(at(paths.TLS_TRUST_SYNC_SCRIPT_PATH)).toBeGreaterThan(at(paths.TLS_IDENTITY_SCRIPT_PATH));
    expect(at("systemctl restart nginx")).toBeGreaterThan(at(paths.TLS_TRUST_SYNC_SCRIPT_PATH));
    expect(runcmd).toContain("systemctl enable --now tls-identity.timer");
    expect(runcmd).toContain("systemctl enable --now tls-trust-sync.timer");
  });

  it("\"The HAProxy backend sync calls it with the slots of the servers it lists; Nginx's timer with the app servers' slots\"", () => {
    const sync = renderedFile("lb-a", paths.BACKEND_SYNC_SCRIPT_PATH);
    expect(sync).toMatch(/for backend in "\$\{backends\[@\]\}"; do\n\s+slots\+=\("\/webplat-dev-stage3\/tls\/web\/\$\{backend%:\*\}"\)\ndone\n"\/usr\/local\/sbin\/tls-trust-sync" "\$\{slots\[@\]\}"/);
    const webSync = renderedFile("web", paths.TLS_TRUST_SYNC_SCRIPT_PATH);
    const apps = [...renderedFile("web", paths.NGINX_CONF_PATH).matchAll(/server ([0-9.]+):\d+ max_fails/g)].map((m) => m[1]);
    expect(apps.length).toBeGreaterThan(0);
    expect(webSync).toContain(`DEFAULT_SLOTS=(${apps.map((ip) => `/webplat-dev-stage3/tls/app/${ip}`).join(" ")})`);
  });

  describeWithTools("trust sync runs", ["bash", "openssl"], false, () => {
    it("\"every certificate in the named slots (`get-parameters`, 10 names per call)\": 12 slots → two calls of 10 and 2", () => {
      withTempDir("readme-trust", (dir) => {
        const bin = writeFakeCommands(dir);
        const ips = Array.from({ length: 12 }, (_, i) => `10.0.${i}.20`);
        writeFileSync(join(dir, "sync"), renderTrustSyncScript({ ...trust, bundlePath: "/nonexistent/b.pem", checkCommand: ["true"], reloadCommand: ["systemctl", "try-reload-or-restart", "nginx"], serverIps: ips }));
        const r = run("bash", [join(dir, "sync")], { env: { PATH: `${bin}:${SYSTEM_PATH}`, TRUST_BUNDLE: join(dir, "bundle.pem") } });
        expect(r.code).toBe(0);
        const names = recordedCalls(dir, "aws").map((call) => call.match(/--names (.*) --query/)![1].split(" "));
        expect(names.map((n) => n.length)).toEqual([10, 2]);
        expect(names.flat()).toEqual(ips.map((ip) => `/shop/tls/app/${ip}`));
        expect(recordedCalls(dir, "systemctl")).toEqual(["try-reload-or-restart nginx"]);
      });
    });
  });

  describeWithTools("tls-identity runs", ["bash", "openssl"], false, () => {
    /** Runs tls-identity with a fake `ip` (private IP 10.0.64.20), a fake SSM that keeps what is put, and a fake reload. */
    function identity(dir: string, args: string[] = []): { code: number | null; puts: string[] } {
      const bin = writeFakeCommands(dir);
      writeFileSync(join(bin, "ip"), "#!/bin/bash\necho '192.0.2.1 via 10.0.64.1 dev ens5 src 10.0.64.20 uid 0'\n", { mode: 0o755 });
      // SSM: put-parameter keeps the value file's content (and logs the call), get-parameter prints the last one.
      writeFileSync(join(bin, "aws"), `#!/bin/bash
printf '%s\\n' "$*" >>"${dir}/aws.log"
if [ "$2" = put-parameter ]; then
  for a in "$@"; do case "$a" in file://*) n=$(ls "${dir}"/put-*.pem 2>/dev/null | wc -l); cp "\${a#file://}" "${dir}/put-$n.pem"; cp "\${a#file://}" "${dir}/slot.pem" ;; esac; done
elif [ "$2" = get-parameter ]; then
  [ -f "${dir}/slot.pem" ] && cat "${dir}/slot.pem"
fi
exit 0
`, { mode: 0o755 });
      writeFileSync(join(dir, "identity"), renderTlsIdentityScript({ ...trust, reloadCommand: ["systemctl", "reload", "nginx"] }));
      const r = run("bash", [join(dir, "identity"), ...args], { env: { PATH: `${bin}:${SYSTEM_PATH}`, TLS_DIR: join(dir, "tls") } });
      const puts = readdirSync(dir).filter((f) => /^put-\d+\.pem$/.test(f)).sort().map((f) => readFileSync(join(dir, f), "utf8"));
      return { code: r.code, puts };
    }
    const certs = (pem: string) => pem.match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];

    it("\"makes the host's key and a self-signed `CA:FALSE` certificate for the tier name, publishes the certificate (only) to `<prefix>/<private IP>`\"", () => {
      withTempDir("readme-identity", (dir) => {
        const r = identity(dir);
        expect(r.code).toBe(0);
        expect(recordedCalls(dir, "aws").filter((c) => c.startsWith("ssm put-parameter"))).toEqual([
          expect.stringMatching(/^ssm put-parameter --region eu-west-1 --name \/shop\/tls\/app\/10\.0\.64\.20 --type String --overwrite --value file:\/\//),
        ]);
        expect(r.puts).toHaveLength(1);
        expect(r.puts[0]).not.toMatch(/PRIVATE KEY/);
        expect(certs(r.puts[0])).toEqual(certs(readFileSync(join(dir, "tls", "cert.pem"), "utf8")));
        expect(statSync(join(dir, "tls", "key.pem")).mode & 0o777).toBe(0o600);
        // Unchanged identity, slot current: a second run publishes nothing.
        expect(identity(dir).puts).toHaveLength(1);
      });
    });

    it("\"rotates ... with `--rotate` — publishing the next certificate beside the current one for `overlapSeconds` (150) before switching\"", () => {
      withTempDir("readme-identity", (dir) => {
        expect(identity(dir).code).toBe(0);
        const before = readFileSync(join(dir, "tls", "cert.pem"), "utf8");
        const r = identity(dir, ["--rotate"]);
        expect(r.code).toBe(0);
        const after = readFileSync(join(dir, "tls", "cert.pem"), "utf8");
        expect(after).not.toBe(before);
        // Published: the first identity, then current + next together, then the next alone.
        expect(r.puts.map((p) => certs(p).length)).toEqual([1, 2, 1]);
        expect(certs(r.puts[1])).toEqual([...certs(before), ...certs(after)]);
        expect(certs(r.puts[2])).toEqual(certs(after));
        expect(recordedCalls(dir, "sleep")).toEqual(["150"]);
        expect(recordedCalls(dir, "systemctl")).toEqual(["reload nginx"]);
      });
    });
  });

  it("withTrustSync pins the named servers \"first boot, then every minute\"", () => {
    const role = withTrustSync({}, { ...trust, bundlePath: "/etc/x/b.pem", checkCommand: ["true"], reloadCommand: ["true"], serverIps: ["10.0.0.1"] });
    expect(role.runcmd![0]).toEqual([paths.TLS_TRUST_SYNC_SCRIPT_PATH]);
    expect(role.writeFiles!.find((f) => f.path.endsWith("tls-trust-sync.timer"))!.content).toMatch(/^OnUnitActiveSec=60s$/m);
  });
});

/** Ports free on loopback right now (the app binds them a moment later). */
async function freePorts(count: number): Promise<number[]> {
  const ports: number[] = [];
  for (let i = 0; i < count; i++) {
    const server = createServer();
    await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
    ports.push((server.address() as AddressInfo).port);
    await new Promise<void>((resolve) => server.close(() => resolve()));
  }
  return ports;
}

/** HTTP status of a GET (TLS without verification: the test only asks which paths a listener answers). */
function statusOf(url: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const request = url.startsWith("https:") ? httpsGet(url, { rejectUnauthorized: false, timeout: 5000 }, done) : httpGet(url, { timeout: 5000 }, done);
    function done(res: import("http").IncomingMessage) {
      res.resume();
      resolve(res.statusCode ?? 0);
    }
    request.on("error", reject);
    request.on("timeout", () => request.destroy(new Error(`timeout ${url}`)));
  });
}

describeWithTools("reference app listeners (real python3 on loopback)", ["python3", "openssl"], false, () => {
  it("\"The reference app serves TLS with `tlsListen` (key as the systemd credential `tls-key`), its plain listener then answering only `/healthz` and `/readyz`\"", async () => {
    await withTempDirAsync("readme-app", async (dir) => {
      const unitText = renderedFile("app", REFERENCE_APP_UNIT_PATH);
      expect(unitText).toMatch(/^LoadCredential=tls-key:\/etc\/platform\/tls\/key\.pem$/m);
      const env: Record<string, string> = {};
      for (const m of unitText.matchAll(/^Environment=(.*)$/gm)) {
        for (const pair of m[1].split(" ")) env[pair.slice(0, pair.indexOf("="))] = pair.slice(pair.indexOf("=") + 1);
      }
      expect([env.APP_TLS_KEY_CREDENTIAL, env.APP_TLS_LISTEN]).toEqual(["tls-key", expect.stringMatching(/:\d+$/)]);
      // The host's identity as tls-identity makes it; the key reaches the app only as a credential file.
      mkdirSync(join(dir, "credentials"));
      expect(run("openssl", ["req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "2", "-subj", "/CN=app.test", "-keyout", join(dir, "credentials", "tls-key"), "-out", join(dir, "cert.pem")]).code).toBe(0);
      writeFileSync(join(dir, "app.py"), renderedFile("app", REFERENCE_APP_PATH));
      const [plain, tls] = await freePorts(2);
      const app = spawn("/usr/bin/python3", [join(dir, "app.py")], {
        env: { PATH: SYSTEM_PATH, ...env, APP_LISTEN: `127.0.0.1:${plain}`, APP_TLS_LISTEN: `127.0.0.1:${tls}`, APP_TLS_CERT: join(dir, "cert.pem"), CREDENTIALS_DIRECTORY: join(dir, "credentials"), DB_WRITER_HOST: "127.0.0.1", DB_PORT: "1" },
        stdio: ["ignore", "ignore", "pipe"],
      });
      let stderr = "";
      app.stderr!.on("data", (chunk) => (stderr += chunk));
      try {
        const deadline = Date.now() + 15000;
        while (!stderr.includes("platform-app on")) {
          if (Date.now() > deadline || app.exitCode !== null) throw new Error(`app did not start: ${stderr}`);
          await new Promise((resolve) => setTimeout(resolve, 100));
        }
        expect(await statusOf(`http://127.0.0.1:${plain}/healthz`)).toBe(200);
        // Answered (no database here, so 503), not refused as "not on this listener" (404).
        expect(await statusOf(`http://127.0.0.1:${plain}/readyz`)).toBe(503);
        expect(await statusOf(`http://127.0.0.1:${plain}/`)).toBe(404);
        expect(await statusOf(`https://127.0.0.1:${tls}/healthz`)).toBe(200);
        expect(await statusOf(`https://127.0.0.1:${tls}/`)).toBe(503);
      } finally {
        if (app.exitCode === null) {
          const exited = new Promise((resolve) => app.once("exit", resolve));
          process.kill(app.pid!, "SIGTERM");
          await exited;
        }
      }
    });
  });
});

describe("Monitoring host", () => {
  it("\"one `ec2_sd_configs` entry per region filtered on the project tag and `instance-state-name=running`, relabelled to `<private_ip>:9100` with `name`, `region`, `role`, `instance_id` labels\"", () => {
    const conf = renderedFile("monitoring", paths.PROMETHEUS_CONFIG_PATH);
    const regions = conf.match(/^ {6}- region: \S+$/gm)!;
    expect(regions.map((r) => r.trim())).toEqual(["- region: us-east-1", "- region: us-west-2"]);
    expect(conf.match(/name: "tag:Project"\n\s+values: \["webplat"\]\n[\s\S]*?- name: instance-state-name\n\s+values: \["running"\]/g)).toHaveLength(2);
    expect(conf).toContain('replacement: "${1}:9100"');
    for (const [source, label] of [["__meta_ec2_tag_Name", "name"], ["__meta_ec2_region", "region"], ["__meta_ec2_tag_Role", "role"], ["__meta_ec2_instance_id", "instance_id"]]) {
      expect(conf).toContain(`- source_labels: [${source}]\n        target_label: ${label}\n`);
    }
  });

  it("\"replaces admin/admin with a random password in `/etc/grafana-admin/password` (root only)\"", () => {
    const script = grafanaAptInstallFile().content;
    expect(script).toContain("(umask 077 && openssl rand -base64 24 >/etc/grafana-admin/password)");
    expect(script).toContain('admin reset-admin-password "$(cat /etc/grafana-admin/password)"');
  });

  it("\"a file dashboard provider, dashboard \"Platform overview\" (requests/s per backend ..., servers up, CPU, memory, network, targets up)\"", () => {
    expect(renderGrafanaDashboardProvider()).toMatch(/type: file\n[\s\S]*path: \/var\/lib\/grafana\/dashboards\n/);
    const dashboard = JSON.parse(renderGrafanaDashboard());
    expect(dashboard.title).toBe("Platform overview");
    const titles: string[] = dashboard.panels.map((p: { title: string }) => p.title);
    for (const word of [/^Requests per second by backend/, /servers up/i, /^CPU/, /^Memory/, /^Network/, /^Targets up/]) {
      expect(titles.some((t) => word.test(t))).toBe(true);
    }
  });
});

describe("Alerting (monitoring host)", () => {
  it("\"`prometheus.yml` gets `alerting:` → `localhost:9093` and `rule_files:` → the rule file\"", () => {
    const conf = renderedFile("monitoring", paths.PROMETHEUS_CONFIG_PATH);
    expect(conf).toMatch(/\nalerting:\n\s+alertmanagers:\n\s+- static_configs:\n\s+- targets: \["localhost:9093"\]\n/);
    expect(conf).toMatch(/\nrule_files:\n {2}- \/etc\/prometheus\/rules\/platform\.rules\.yml\n/);
  });

  it("\"every target carries a `host` label (its private IP)\": each static target and the discovered ones", () => {
    const conf = renderedFile("monitoring", paths.PROMETHEUS_CONFIG_PATH);
    const statics = [...conf.matchAll(/- targets: \["([^"]+)"\]\n(?:\s+labels:\n\s+host: (\S+)\n)?/g)].filter((m) => m[1] !== "localhost:9090" && m[1] !== "localhost:9093");
    expect(statics.length).toBeGreaterThan(4);
    for (const [, target, host] of statics) expect(target).toContain(`${host}:`);
    expect(conf).toContain("- source_labels: [__meta_ec2_private_ip]\n        target_label: host\n");
  });

  it("\"jobs `tls`, `app-healthz`, `app-readyz` probe through blackbox_exporter on `127.0.0.1:9115`\" with modules `tls_expiry`, `http_200`", () => {
    const conf = renderedFile("monitoring", paths.PROMETHEUS_CONFIG_PATH);
    for (const [job, module] of [["tls", "tls_expiry"], ["app-healthz", "http_200"], ["app-readyz", "http_200"]]) {
      const block = conf.split(/\n {2}- job_name: /).find((b) => b.startsWith(`${job}\n`))!;
      expect(block).toContain(`module: [${module}]`);
      expect(block).toMatch(/- target_label: __address__\n\s+replacement: "127\.0\.0\.1:9115"/);
    }
    const blackbox = renderBlackboxConfig();
    expect([...blackbox.matchAll(/^ {2}(\S+):$/gm)].map((m) => m[1])).toEqual(["tls_expiry", "http_200"]);
  });

  it("\"Alertmanager (`/etc/default/prometheus-alertmanager`: `--web.listen-address=127.0.0.1:9093 --cluster.listen-address=`)\"", () => {
    expect(renderedFile("monitoring", paths.ALERTMANAGER_DEFAULTS_PATH)).toMatch(/^ARGS="--web.listen-address=127\.0\.0\.1:9093 --cluster\.listen-address="$/m);
  });

  it("\"routes everything to one receiver with `sns_configs` (SigV4 with the instance role) and an optional `webhook_configs`\"", () => {
    const conf = renderAlertmanagerConfig({ snsTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts", snsRegion: "eu-west-1", webhookUrl: "https://hooks.example.com/x" });
    expect(conf.match(/^ {2}- name: /gm)).toHaveLength(1);
    expect(conf).not.toMatch(/^\s+routes:/m);
    expect(conf).toMatch(/sns_configs:\n\s+- topic_arn: "arn:aws:sns:eu-west-1:123456789012:alerts"\n\s+sigv4:\n\s+region: eu-west-1\n/);
    expect(conf).not.toMatch(/access_key|secret_key|role_arn/);
    expect(conf).toContain('webhook_configs:\n      - url: "https://hooks.example.com/x"');
  });
});

describe("EC2 Instance Connect on Debian 12", () => {
  it("\"The script is shipped gzip-compressed\" in every host's user data", () => {
    for (const [role, userData] of Object.entries(userDataByRole())) {
      const file = rawFiles(userData).find((f) => f.path === paths.INSTANCE_CONNECT_KEYS_SCRIPT_PATH);
      expect([role, file?.encoding]).toEqual([role, "gz+b64"]);
    }
  });

  it("\"the load balancers' user data is within 500 bytes of the 16 KB limit\"", () => {
    const sizes = deliveredUserDataBytesByRole();
    for (const role of ["lb-a", "lb-b"]) {
      expect(sizes[role]).toBeLessThanOrEqual(USER_DATA_MAX_BYTES);
      expect(USER_DATA_MAX_BYTES - sizes[role]).toBeLessThan(500);
    }
  });

  describeWithTools("keys script runs", ["sh", "awk"], false, () => {
    it("\"prints a key only when its `#Instance=` is this instance and its `#Timestamp=` expiry lies ahead; the IAM caller of each accepted key goes to the journal (`-t ec2-instance-connect`)\"", () => {
      withTempDir("readme-eic", (dir) => {
        const bin = join(dir, "bin");
        mkdirSync(bin);
        const now = Math.floor(Date.now() / 1000);
        const block = (instance: string, ts: number, caller: string, key: string) =>
          `#Timestamp=${ts}\n#Instance=${instance}\n#Caller=${caller}\n#Request=req-1\n${key}\nsignature-line-1\nsignature-line-2\n`;
        writeFileSync(join(dir, "keys"), [
          block("i-0aaaaaaaaaaaaaaaa", now + 60, "arn:aws:iam::123456789012:user/alice", "ssh-ed25519 AAAAalice alice"),
          block("i-0aaaaaaaaaaaaaaaa", now - 60, "arn:aws:iam::123456789012:user/bob", "ssh-ed25519 AAAAbob bob"),
          block("i-0bbbbbbbbbbbbbbbb", now + 60, "arn:aws:iam::123456789012:user/carol", "ssh-ed25519 AAAAcarol carol"),
        ].join("\n"));
        // IMDSv2 as curl sees it: token on PUT, metadata only with the token.
        writeFileSync(join(bin, "curl"), `#!/bin/sh
case "$*" in
  *"-X PUT"*/latest/api/token) printf tok ;;
  *"X-aws-ec2-metadata-token: tok"*/latest/meta-data/instance-id) printf i-0aaaaaaaaaaaaaaaa ;;
  *"X-aws-ec2-metadata-token: tok"*/latest/meta-data/managed-ssh-keys/active-keys/root/) cat "${dir}/keys" ;;
  *) exit 22 ;;
esac
`);
        writeFileSync(join(bin, "logger"), `#!/bin/sh\nprintf '%s | %s\\n' "$*" "$(cat)" >>"${dir}/logger.log"\n`);
        for (const f of ["curl", "logger"]) chmodSync(join(bin, f), 0o755);
        writeFileSync(join(dir, "script"), renderInstanceConnectKeysScript());
        const r = run("sh", [join(dir, "script"), "root"], { env: { PATH: `${bin}:${SYSTEM_PATH}` } });
        expect(r.code).toBe(0);
        expect(r.stdout).toBe("ssh-ed25519 AAAAalice alice\n");
        expect(readFileSync(join(dir, "logger.log"), "utf8")).toBe("-p authpriv.info -t ec2-instance-connect | key for root from arn:aws:iam::123456789012:user/alice\n");
      });
    });
  });
});

describe("Notes for the constructs", () => {
  it("\"User data sizes (sample stage 3, bytes EC2 receives): load balancer ≈ 15.5 KB of the 16 KB limit, monitoring ≈ 11.4 KB, web ≈ 9.2 KB, app ≈ 13.5 KB\"", () => {
    const kb = deliveredUserDataBytesByRole();
    const approx = (role: string, expected: number) => expect([role, Math.abs(kb[role] / 1024 - expected) <= 0.3]).toEqual([role, true]);
    approx("lb-a", 15.5);
    approx("lb-b", 15.5);
    approx("monitoring", 11.4);
    approx("web", 9.2);
    approx("app", 13.5);
  });
});

describe("roles and the cloud-config format", () => {
  it("\"`roles/monitoring-node.ts`: Prometheus, optional alerting (rules, Alertmanager, blackbox_exporter)\"", () => {
    const base = { regions: ["eu-west-1"], projectTagKey: "Project", projectTagValue: "shop" };
    const alertPaths = [paths.ALERT_RULES_PATH, paths.ALERTMANAGER_CONFIG_PATH, paths.ALERTMANAGER_DEFAULTS_PATH, paths.BLACKBOX_CONFIG_PATH, paths.BLACKBOX_DEFAULTS_PATH];
    const without = monitoringNode(base);
    expect(without.writeFiles!.filter((f) => alertPaths.includes(f.path))).toEqual([]);
    expect(without.packages).not.toContain("prometheus-alertmanager");
    expect(without.writeFiles!.find((f) => f.path === paths.PROMETHEUS_CONFIG_PATH)!.content).not.toContain("alerting:");
    const withAlerting = monitoringNode({ ...base, alerting: { alertmanager: { snsTopicArn: "arn:aws:sns:eu-west-1:123456789012:alerts", snsRegion: "eu-west-1" } } });
    expect(withAlerting.writeFiles!.map((f) => f.path)).toEqual(expect.arrayContaining(alertPaths));
    expect(withAlerting.packages).toEqual(expect.arrayContaining(["prometheus", "prometheus-alertmanager", "prometheus-blackbox-exporter"]));
  });

  it("\"`CloudConfigFile.compress` ships a file as cloud-init `gz+b64` (content known at synth only); `parseCloudConfig` returns it decompressed\"", () => {
    const content = "#!/bin/sh\necho ${HOME}\n".repeat(20);
    const userData = renderCloudConfig({ writeFiles: [{ path: "/usr/local/sbin/x", content, compress: true }, { path: "/etc/y", content: "plain\n" }] });
    const [zipped, plain] = rawFiles(userData);
    expect(zipped.encoding).toBe("gz+b64");
    expect(gunzipSync(Buffer.from(zipped.content, "base64")).toString("utf8")).toBe(content);
    expect(zipped.content.length).toBeLessThan(content.length);
    expect([plain.encoding, plain.content]).toEqual([undefined, "plain\n"]);
    expect(parseCloudConfig(userData).write_files.map((f) => f.content)).toEqual([content, "plain\n"]);
    const token = Lazy.stringValue({ produce: () => "eipalloc-0a1b2c3d4e5f60718" });
    expect(() => renderCloudConfig({ writeFiles: [{ path: "/usr/local/sbin/z", content: `ID=${token}\n`, compress: true }] })).toThrow(/cannot be compressed/);
  });
});

describe("Tests: missing tools", () => {
  const saved = process.env.SKIP_DAEMON_TESTS;
  afterEach(() => {
    if (saved === undefined) delete process.env.SKIP_DAEMON_TESTS;
    else process.env.SKIP_DAEMON_TESTS = saved;
  });
  it("\"Missing tools or root make these suites fail\"", () => {
    delete process.env.SKIP_DAEMON_TESTS;
    expect(() => daemonTestsEnabled("suite", ["no-such-tool-readme-16"])).toThrow(/suite: missing no-such-tool-readme-16/);
  });
  it("\"`SKIP_DAEMON_TESTS=1` skips them with a loud `SKIPPED` line\"", () => {
    process.env.SKIP_DAEMON_TESTS = "1";
    const warn = jest.spyOn(console, "warn").mockImplementation(() => undefined);
    try {
      expect(daemonTestsEnabled("suite", ["no-such-tool-readme-16"])).toBe(false);
      expect(warn).toHaveBeenCalledWith(expect.stringContaining("*** SKIPPED: suite (SKIP_DAEMON_TESTS=1)"));
    } finally {
      warn.mockRestore();
    }
  });
});
