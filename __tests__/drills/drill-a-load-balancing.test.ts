/**
 * Drill A (issue 3, proof 3): the generated haproxy.cfg + backends.cfg and the
 * generated nginx.conf, run for real in two network namespaces this test
 * creates (load balancer, web servers) joined by a veth pair and carrying the
 * generated private IPs, so the backends file runs unchanged; only file paths (certificate, chroot,
 * sockets, pid, logs, site root) are moved into a temporary directory.
 * TLS uses a test CA made with openssl. Each Nginx serves its own page and
 * answers HAProxy's /readyz check itself (the real proxy to the app tier runs
 * in the stage-3 stack twin).
 * Expect: 8 requests spread 2/2/2/2; one Nginx stopped → no failed request
 * and the server marked DOWN within 3 s.
 */
import { chmodSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { HAPROXY_BACKENDS_PATH, HAPROXY_CFG_PATH, NGINX_CONF_PATH } from "../../modules/server-config/paths";
import { WEB_BACKEND_NAME } from "../../modules/server-config/haproxy";
import { Drill, inNamespace, makeDrillDir, makeTestCa, must, seconds, sleep, waitFor } from "../support/drill-kit";
import { serverStatuses } from "../support/haproxy-stats";
import { renderedFile } from "../support/rendered-files";
import { describeWithTools, run } from "../support/tools";
import { relocateBackendTrust, relocateHaproxyPaths, writeServerIdentity } from "../support/validators";

const DOMAIN = "www.example.com";

/** The web role's nginx.conf with its proxied `location /` replaced by static files and a local /readyz. */
function servedLocally(conf: string): string {
  const proxied = /        location \/ \{\n            proxy_pass[\s\S]*?\n        \}/;
  expect(conf).toMatch(proxied);
  return conf.replace(proxied, `        location = /readyz {
            default_type text/plain;
            return 200 "ready\\n";
        }

        location / {
            try_files $uri $uri/ =404;
        }`);
}

describeWithTools("Drill A: HAProxy spreads load over 4 Nginx and survives one dying", ["haproxy", "nginx", "openssl", "ip", "curl"], true, () => {
  let drill: Drill;
  let ns: string;
  let webNs: string;
  let socket: string;
  let caPath: string;
  const nginxByServer = new Map<string, ReturnType<Drill["start"]>>();

  const get = (path: string, extra: string[] = []) =>
    inNamespace(ns, "curl", ["-sS", "-m", "3", "-o", "-", "-w", "\n%{http_code}", "--cacert", caPath, "--resolve", `${DOMAIN}:443:127.0.0.1`, ...extra, `https://${DOMAIN}${path}`]);

  beforeAll(async () => {
    drill = new Drill("drilla", makeDrillDir("drill-a"));
    const dir = drill.dir;
    ns = drill.namespace("lb");
    const haproxyCfg = renderedFile("lb-a", HAPROXY_CFG_PATH);
    const backendsCfg = renderedFile("lb-a", HAPROXY_BACKENDS_PATH);
    const nginxCfg = renderedFile("web", NGINX_CONF_PATH);

    // Two namespaces like the VPC: the LB (its private IP) and the web servers (their private IPs), joined by a veth pair.
    const lbIp = /bind (\d+\.\d+\.\d+\.\d+):\d+/.exec(haproxyCfg)![1];
    const servers = [...backendsCfg.matchAll(/^\s*server (\S+) (\d+\.\d+\.\d+\.\d+):(\d+)/gm)].map((m) => ({ name: m[1], ip: m[2], port: m[3] }));
    expect(servers).toHaveLength(4);
    webNs = drill.namespace("web");
    const link = `dra${process.pid % 100000}`;
    must(run("ip", ["link", "add", `${link}l`, "netns", ns, "type", "veth", "peer", "name", `${link}w`, "netns", webNs]), "veth");
    must(run("ip", ["-n", ns, "addr", "add", `${lbIp}/32`, "dev", `${link}l`]), "lb addr");
    must(run("ip", ["-n", ns, "link", "set", `${link}l`, "up"]), "lb up");
    must(run("ip", ["-n", webNs, "link", "set", `${link}w`, "up"]), "web up");
    must(run("ip", ["-n", webNs, "route", "add", `${lbIp}/32`, "dev", `${link}w`]), "route to lb");
    for (const server of servers) {
      must(run("ip", ["-n", webNs, "addr", "add", `${server.ip}/32`, "dev", `${link}w`]), `addr ${server.ip}`);
      must(run("ip", ["-n", ns, "route", "add", `${server.ip}/32`, "dev", `${link}l`, "src", lbIp]), `route ${server.ip}`);
    }

    // One Nginx per server: listen on its own IP with its own TLS identity (as the host makes it at first boot),
    // stub_status on its own IP, its own site root. HAProxy pins exactly these certificates, like the trust sync.
    const verifyHost = /\bverifyhost (\S+)/.exec(backendsCfg)![1];
    const identities = servers.map((_, i) => writeServerIdentity(join(dir, `tls${i}`), verifyHost));
    writeFileSync(join(dir, "backend-trust.pem"), identities.map((id) => readFileSync(id.cert, "utf8")).join(""));
    servers.forEach((server, i) => {
      const root = join(dir, `site${i}`);
      mkdirSync(root, { recursive: true });
      writeFileSync(join(root, "index.html"), `served-by ${server.name}\n`);
      chmodSync(dir, 0o755);
      chmodSync(root, 0o755);
      // The drill is about the load balancer: each Nginx answers itself (its site and the /readyz check) instead of
      // proxying to the application tier, which the stage-3 stack twin (__tests__/twin/stage3.test.ts) runs for real.
      const conf = servedLocally(nginxCfg)
        .replace(/listen 443 ssl default_server;/, `listen ${server.ip}:${server.port} ssl default_server;`)
        .replace(/^(\s*ssl_certificate )\S+;/m, `$1${identities[i].cert};`)
        .replace(/^(\s*ssl_certificate_key )\S+;/m, `$1${identities[i].key};`)
        .replace(/listen 127\.0\.0\.1:(\d+);/, `listen ${server.ip}:$1;`)
        .replace(/^(\s*root )\S+;/m, `$1${root};`)
        .replace(/^(\s*pid )\S+;/m, `$1${join(dir, `nginx${i}.pid`)};`)
        .replace(/^(\s*error_log )\S+/m, `$1${join(dir, `nginx${i}-error.log`)}`)
        .replace(/^(\s*access_log )\S+;/m, `$1${join(dir, `nginx${i}-access.log`)};`);
      const confPath = join(dir, `nginx${i}.conf`);
      writeFileSync(confPath, conf);
      nginxByServer.set(server.name, drill.start(`nginx${i}`, "ip", ["netns", "exec", webNs, "nginx", "-p", `${dir}/`, "-c", confPath, "-e", join(dir, `nginx${i}-error.log`), "-g", "daemon off;"]));
    });

    caPath = makeTestCa(dir, DOMAIN, join(dir, "site.pem"));
    writeFileSync(join(dir, "haproxy.cfg"), relocateHaproxyPaths(haproxyCfg, dir));
    writeFileSync(join(dir, "backends.cfg"), relocateBackendTrust(backendsCfg, join(dir, "backend-trust.pem")));
    socket = join(dir, "admin.sock");
    drill.start("haproxy", "ip", ["netns", "exec", ns, "haproxy", "-db", "-f", join(dir, "haproxy.cfg"), "-f", join(dir, "backends.cfg")]);

    await waitFor("all 4 servers UP", 10000, async () => {
      try {
        const st = await serverStatuses(socket, WEB_BACKEND_NAME);
        return Object.keys(st).length === 4 && Object.values(st).every((s) => s === "UP");
      } catch {
        return false;
      }
    });
  });

  afterAll(async () => {
    await drill?.cleanup();
  });

  it("redirects plain HTTP to HTTPS but routes ACME challenges to the local certbot port", () => {
    const plain = inNamespace(ns, "curl", ["-sS", "-m", "3", "-o", "/dev/null", "-w", "%{http_code} %{redirect_url}", "http://127.0.0.1/some/page"]);
    expect(plain.stdout).toBe("301 https://127.0.0.1/some/page");
    const acme = inNamespace(ns, "curl", ["-sS", "-m", "10", "-o", "/dev/null", "-w", "%{http_code}", "http://127.0.0.1/.well-known/acme-challenge/token"], 15000);
    // No certbot is listening during the drill: HAProxy answers 503 from the acme backend instead of redirecting.
    expect(acme.stdout).toBe("503");
    expect(acme.stderr).toBe("");
  });

  it("serves the Prometheus exporter to the monitoring host only", () => {
    const cfg = renderedFile("lb-a", HAPROXY_CFG_PATH);
    const lbIp = /bind (\d+\.\d+\.\d+\.\d+):(\d+)/.exec(cfg)!;
    // The generated config admits only the sources the stack named (stage 3: the monitoring host's /32).
    const allowed = /reject unless \{ src (\d+\.\d+\.\d+\.\d+)\/32/.exec(cfg)![1];
    must(run("ip", ["-n", ns, "addr", "add", `${allowed}/32`, "dev", "lo"]), "monitoring source address");
    const url = `http://${lbIp[1]}:${lbIp[2]}/metrics`;
    const fromMonitoring = inNamespace(ns, "curl", ["-sS", "-m", "3", "--interface", allowed, url]);
    expect(fromMonitoring.stdout).toMatch(/haproxy_backend_http_requests_total\{proxy="web"\}/);
    for (const source of ["127.0.0.1", lbIp[1]]) {
      expect(inNamespace(ns, "curl", ["-sS", "-m", "3", "--interface", source, url]).code).not.toBe(0);
    }
  });

  it("spreads 8 requests evenly (2 per server) over TLS with a certificate from the test CA", () => {
    const counts: Record<string, number> = {};
    for (let i = 0; i < 8; i++) {
      const r = get("/");
      const lines = r.stdout.trim().split("\n");
      const [body, code] = [lines[0], lines[lines.length - 1]];
      expect(code).toBe("200");
      counts[body] = (counts[body] ?? 0) + 1;
    }
    // eslint-disable-next-line no-console
    console.log(`Drill A: distribution over 8 requests: ${JSON.stringify(counts)}`);
    expect(Object.values(counts)).toEqual([2, 2, 2, 2]);
  });

  it("loses no request when one Nginx stops, and marks it DOWN within 3 s", async () => {
    const [victim, child] = [...nginxByServer.entries()][0];
    const stoppedAt = Date.now();
    process.kill(child.pid!, "SIGTERM");
    let failures = 0;
    let requests = 0;
    let downAfterMs: number | undefined;
    while (Date.now() - stoppedAt < 4000) {
      const r = get("/");
      requests++;
      if (!r.stdout.trim().endsWith("200")) failures++;
      if (downAfterMs === undefined && (await serverStatuses(socket, WEB_BACKEND_NAME))[victim]?.startsWith("DOWN")) {
        downAfterMs = Date.now() - stoppedAt;
      }
      await sleep(50);
    }
    // eslint-disable-next-line no-console
    console.log(`Drill A: ${victim} stopped; ${requests} requests, ${failures} failed; marked DOWN after ${downAfterMs === undefined ? "never" : seconds(0, downAfterMs)} s`);
    expect(failures).toBe(0);
    expect(downAfterMs).toBeDefined();
    expect(downAfterMs!).toBeLessThanOrEqual(3000);
  });
});
