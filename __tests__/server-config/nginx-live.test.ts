/**
 * The web servers' nginx.conf, run by Debian's nginx on loopback and asked
 * real requests: what `nginx -t` cannot show. The rendered file is changed
 * only where the host's paths and ports would collide with this machine
 * (listen ports, pid and log files); every other line is the host's.
 *
 * The application servers are two small HTTP servers in this process; each
 * records what reached it.
 */
import { ChildProcess, spawn } from "child_process";
import { chmodSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { createServer, IncomingHttpHeaders, request, Server } from "http";
import { AddressInfo } from "net";
import { cpus, tmpdir } from "os";
import { join } from "path";
import { NginxParams, renderNginxConfig } from "../../modules/server-config/nginx";
import { waitFor } from "../support/drill-kit";
import { describeWithTools } from "../support/tools";

/** Short, so the test can wait it out; the default (10 s) is asserted on the rendered text. */
const FAIL_TIMEOUT_SECONDS = 1;

interface AppServer { server: Server; port: number; hits: { path: string; headers: IncomingHttpHeaders }[]; status: number }
interface Answer { status: number; body: string; headers: IncomingHttpHeaders }

async function appServer(status: number, name: string): Promise<AppServer> {
  const app: AppServer = { server: createServer(), port: 0, hits: [], status };
  app.server.on("request", (req, res) => {
    app.hits.push({ path: req.url ?? "", headers: req.headers });
    res.writeHead(app.status, { "content-type": "text/plain" });
    res.end(`${name}\n`);
  });
  await new Promise<void>((resolve) => app.server.listen(0, "127.0.0.1", resolve));
  app.port = (app.server.address() as AddressInfo).port;
  return app;
}

async function freePort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  const { port } = server.address() as AddressInfo;
  await new Promise((resolve) => server.close(resolve));
  return port;
}

function get(port: number, path: string, headers: Record<string, string> = {}): Promise<Answer> {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers, agent: false }, (res) => {
      let body = "";
      res.setEncoding("utf8");
      res.on("data", (chunk) => (body += chunk));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body, headers: res.headers }));
    });
    req.on("error", reject);
    req.end();
  });
}

/** nginx with the rendered file, the site on `sitePort` and stub_status on `statusPort`. */
class LiveNginx {
  readonly dir = mkdtempSync(join(tmpdir(), "nginx-live-"));
  private process?: ChildProcess;
  constructor(readonly sitePort: number, readonly statusPort: number) {}

  async start(params: NginxParams): Promise<void> {
    // The workers run as www-data (the file's `user`): they must reach the site root and the logs.
    chmodSync(this.dir, 0o755);
    writeFileSync(join(this.dir, "index.html"), "<h1>site</h1>\n");
    const conf = renderNginxConfig({ ...params, siteRoot: this.dir, stubStatusPort: this.statusPort })
      .replace("listen 80 default_server;", `listen 127.0.0.1:${this.sitePort} default_server;`)
      .replace(/^pid [^;]+;/m, `pid ${join(this.dir, "nginx.pid")};`)
      .replace(/^error_log \S+/m, `error_log ${join(this.dir, "error.log")}`)
      .replace(/access_log \/var\/log\/nginx\/access\.log/, `access_log ${join(this.dir, "access.log")}`);
    writeFileSync(join(this.dir, "nginx.conf"), conf);
    this.process = spawn("nginx", ["-p", `${this.dir}/`, "-c", join(this.dir, "nginx.conf"), "-e", join(this.dir, "error.log"), "-g", "daemon off;"], { stdio: "ignore" });
    await waitFor("nginx answering", 10000, async () => (await get(this.sitePort, "/healthz").catch(() => undefined))?.status === 200);
  }

  accessLog(): string[] {
    return readFileSync(join(this.dir, "access.log"), "utf8").trim().split("\n").filter(Boolean);
  }

  async stop(): Promise<void> {
    const child = this.process;
    if (child?.pid !== undefined && child.exitCode === null) {
      const exited = new Promise((resolve) => child.once("exit", resolve));
      process.kill(child.pid, "SIGTERM");
      await exited;
    }
    rmSync(this.dir, { recursive: true, force: true });
  }
}

describeWithTools("nginx.conf served by the real nginx", ["nginx"], true, () => {
  describe("stage 3: proxy to the application servers", () => {
    let unready: AppServer;
    let ready: AppServer;
    let nginx: LiveNginx;
    beforeAll(async () => {
      unready = await appServer(503, "unready");
      ready = await appServer(200, "ready");
      nginx = new LiveNginx(await freePort(), await freePort());
      await nginx.start({ upstreams: [`127.0.0.1:${unready.port}`, `127.0.0.1:${ready.port}`], trustedProxies: ["127.0.0.1"], upstreamFailTimeoutSeconds: FAIL_TIMEOUT_SECONDS });
    });
    afterAll(async () => {
      await nginx?.stop();
      for (const app of [unready, ready]) await new Promise((resolve) => app?.server.close(resolve));
    });

    it("\"`/healthz` answered by Nginx itself\": 200 \"ok\", plain text, not logged, no application server asked", async () => {
      const answer = await get(nginx.sitePort, "/healthz");
      expect([answer.status, answer.body, answer.headers["content-type"]]).toEqual([200, "ok\n", "text/plain"]);
      expect(answer.headers.server).toBe("nginx");
      expect(unready.hits.concat(ready.hits).filter((h) => h.path === "/healthz")).toEqual([]);
      expect(nginx.accessLog().filter((line) => line.includes("/healthz"))).toEqual([]);
    });

    it("\"a request that fails or gets 502/503/504 is retried on the next\" server, and a failed server is skipped for `upstreamFailTimeoutSeconds`", async () => {
      const answers: Answer[] = [];
      for (let i = 0; i < 8; i++) answers.push(await get(nginx.sitePort, `/page/${i}`));
      expect(answers.map((a) => `${a.status} ${a.body.trim()}`)).toEqual(Array(8).fill("200 ready"));
      expect(ready.hits.filter((h) => h.path.startsWith("/page/")).map((h) => h.path)).toEqual(answers.map((_, i) => `/page/${i}`));
      // Each worker keeps its own view of the upstreams: it asks the unready server once, then leaves it out.
      expect(unready.hits.length).toBeGreaterThan(0);
      expect(unready.hits.length).toBeLessThanOrEqual(Math.min(cpus().length, answers.length - 1));
    });

    it("passes the site's host name, the client's address and the scheme to the application", async () => {
      await get(nginx.sitePort, "/headers", { host: "shop.example.com", "x-forwarded-for": "203.0.113.7" });
      const hit = ready.hits.find((h) => h.path === "/headers")!;
      expect(hit.headers.host).toBe("shop.example.com");
      expect(hit.headers["x-forwarded-proto"]).toBe("http");
      expect(hit.headers["x-forwarded-for"]).toMatch(/^203\.0\.113\.7, /);
      // Keep-alive to the upstreams: nginx sends an empty Connection header, not "close".
      expect(hit.headers.connection).toBeUndefined();
    });

    it("\"client address from `X-Forwarded-For` trusted only from the load balancers' addresses\": the log names the client, not the load balancer", async () => {
      await get(nginx.sitePort, "/from-client", { "x-forwarded-for": "198.51.100.23" });
      const line = nginx.accessLog().find((l) => l.includes("/from-client"))!;
      expect(line.split(" ")[0]).toBe("198.51.100.23");
    });

    it("\"`stub_status` on `127.0.0.1:8080` only\": counters at /stub_status, nothing else on that port", async () => {
      const status = await get(nginx.statusPort, "/stub_status");
      expect(status.status).toBe(200);
      expect(status.body).toMatch(/^Active connections: \d+/);
      expect((await get(nginx.statusPort, "/")).status).toBe(404);
      expect((await get(nginx.sitePort, "/stub_status")).body.trim()).toBe("ready");
    });

    it("when every application server fails, the client gets the failure after one try on each", async () => {
      ready.status = 503;
      try {
        // Wait out the unready server's fail_timeout so that both are tried (nginx counts it in whole seconds).
        await new Promise((resolve) => setTimeout(resolve, (FAIL_TIMEOUT_SECONDS + 1) * 1000 + 300));
        const before = unready.hits.length + ready.hits.length;
        const answer = await get(nginx.sitePort, "/all-failing");
        expect(answer.status).toBe(503);
        expect(unready.hits.length + ready.hits.length - before).toBe(2);
      } finally {
        ready.status = 200;
      }
    });
  });

  describe("a static site behind a load balancer that is not trusted", () => {
    let nginx: LiveNginx;
    beforeAll(async () => {
      nginx = new LiveNginx(await freePort(), await freePort());
      await nginx.start({});
    });
    afterAll(async () => nginx?.stop());

    it("serves the site's files, 404 for anything else, and logs the peer's address whatever X-Forwarded-For says", async () => {
      expect(await get(nginx.sitePort, "/")).toMatchObject({ status: 200, body: "<h1>site</h1>\n" });
      expect((await get(nginx.sitePort, "/missing.html")).status).toBe(404);
      await get(nginx.sitePort, "/spoofed", { "x-forwarded-for": "198.51.100.23" });
      expect(nginx.accessLog().find((l) => l.includes("/spoofed"))!.split(" ")[0]).toBe("127.0.0.1");
    });

    it("\"`server_tokens off`\": no version in the Server header or the error pages", async () => {
      const missing = await get(nginx.sitePort, "/missing.html");
      expect(missing.headers.server).toBe("nginx");
      expect(missing.body).not.toMatch(/nginx\/\d/);
    });
  });
});
