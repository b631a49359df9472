/**
 * Stack twin of stage 3: the synthesized HAProxy pair (HTTPS), the 4 Nginx of
 * both regions, the application tier and the RDS stand-ins (writer + the read
 * replica stage 3 has again), each host in its own network namespace with its
 * private address from the stack. Asked over HTTPS through the first load
 * balancer's address only, TLS verified against the twin CA (which stands in
 * for Let's Encrypt).
 *
 * Not in this twin: keepalived and the Elastic IP move (Drill B runs them), the
 * monitoring host (off the request path), the VPC peering (both regions share
 * the twin's one link), TLS between the tiers (not built yet).
 *
 * Which layer checks what: HAProxy checks GET /readyz on every Nginx each
 * second (DOWN after 2 failures); Nginx passes it to an application server,
 * skipping one that refuses or answers 502/503/504 for 10 s (passive check) and
 * retrying the request on the next; the app answers 200 only while writer and
 * reader answer.
 */
import { existsSync, readFileSync } from "fs";
import { join } from "path";
import { StackTwin, TWIN_TOOLS } from "../support/stack-twin";
import { describeWithTools } from "../support/tools";
import { waitFor } from "../support/drill-kit";

describeWithTools("stack twin: stage 3 serves its application end to end", TWIN_TOOLS, true, () => {
  let twin: StackTwin;

  const webs = () => twin.hosts.filter((h) => h.role === "web");
  const apps = () => twin.hosts.filter((h) => h.role === "app");
  const accessLines = (root: string) => {
    const log = join(root, "var/log/nginx/access.log");
    return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter((l) => l.includes('"GET / ')).length : 0;
  };

  beforeAll(async () => {
    twin = new StackTwin("stage3-scale-up", "s3");
    await twin.start();
    await waitFor("HAProxy to see the 4 web servers UP", 20000, async () => (await twin.backendStatuses()).filter((s) => s === "UP").length === 4, 200);
  }, 85000);

  afterAll(async () => {
    await twin?.cleanup();
  });

  it("answers HTTPS with 200 for every published name, through every web server and app server", () => {
    expect(webs()).toHaveLength(4);
    expect(apps()).toHaveLength(2);
    const responses = Array.from({ length: 8 }, (_, i) => twin.get("/", 5, twin.siteNames[i % twin.siteNames.length]));
    expect(responses.map((r) => r.status)).toEqual(Array(8).fill(200));
    const bodies = responses.map((r) => JSON.parse(r.body));
    expect(new Set(bodies.map((b) => b.host))).toEqual(new Set(apps().map((h) => h.name)));
    for (const web of webs()) expect(accessLines(web.root)).toBeGreaterThan(0);
    for (const body of bodies) {
      expect(body.write.server).toBe(String(twin.writer.serverId));
      expect(body.read.server).toBe(String(twin.reader.serverId));
    }
    expect(Number(twin.sql(twin.writer, "SELECT COUNT(*) FROM platform.visits"))).toBe(8);
  });

  it("redirects plain HTTP to HTTPS", () => {
    const plain = twin.getPlain("/");
    expect(plain.status).toBe(301);
  });

  it("loses no request of 200 while one Nginx and one app server die", async () => {
    const loop = twin.loop("/", 200, 50);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await twin.stopHost(webs()[0]);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await twin.stopHost(apps()[0]);
    const results = await loop;
    expect(results).toHaveLength(200);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    expect(results.slice(-50).every((r) => JSON.parse(r.body).host === apps()[1].name)).toBe(true);
    await waitFor("HAProxy to mark the dead Nginx DOWN", 5000, async () => (await twin.backendStatuses()).filter((s) => s === "DOWN").length === 1, 200);
  });

  it("answers 503 when the database stops: /readyz fails through Nginx and HAProxy takes every web server out", async () => {
    await twin.stopDatabase(twin.writer);
    await waitFor("every web server DOWN", 10000, async () => (await twin.backendStatuses()).every((s) => s === "DOWN"), 200);
    expect(twin.get("/").status).toBe(503);
    expect(twin.get("/readyz").status).toBe(503);
  });
});
