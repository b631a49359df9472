/**
 * Stack twin of stage 2: stage 1's request path behind HTTPS. The synthesized
 * HAProxy (TLS, certificate from the twin CA standing in for Let's Encrypt,
 * issued for exactly the names the host's renew script asks certbot for), both
 * web/app servers (Nginx → reference app), the RDS stand-ins and the Secrets
 * Manager stand-in; the monitoring host is off the request path. Asked through
 * the load balancer's address only, TLS verified against the twin CA.
 * HAProxy checks GET /readyz (Nginx → app → writer and reader).
 */
import { StackTwin, TWIN_TOOLS } from "../support/stack-twin";
import { describeWithTools } from "../support/tools";
import { waitFor } from "../support/drill-kit";

describeWithTools("stack twin: stage 2 serves its application end to end over HTTPS", TWIN_TOOLS, true, () => {
  let twin: StackTwin;

  const apps = () => twin.hosts.filter((h) => h.role === "web");

  beforeAll(async () => {
    twin = new StackTwin("stage2-secured-monitored", "s2");
    await twin.start();
    await waitFor("HAProxy to see both servers UP", 15000, async () => (await twin.backendStatuses()).filter((s) => s === "UP").length === 2, 200);
  }, 80000);

  afterAll(async () => {
    await twin?.cleanup();
  });

  it("answers HTTPS with 200 on every published name, writing on the writer and reading on the reader", () => {
    expect(twin.https).toBe(true);
    expect(twin.siteNames.length).toBeGreaterThanOrEqual(2);
    const responses = Array.from({ length: 4 }, (_, i) => twin.get("/", 5, twin.siteNames[i % twin.siteNames.length]));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200]);
    const bodies = responses.map((r) => JSON.parse(r.body));
    expect(new Set(bodies.map((b) => b.host))).toEqual(new Set(apps().map((h) => h.name)));
    for (const body of bodies) {
      expect(body.write.server).toBe(String(twin.writer.serverId));
      expect(body.read.server).toBe(String(twin.reader.serverId));
    }
  });

  it("redirects plain HTTP to HTTPS", () => {
    expect(twin.getPlain("/").status).toBe(301);
  });

  it("loses no request of 200 while one web/app server dies", async () => {
    const loop = twin.loop("/", 200, 50);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await twin.stopHost(apps()[0]);
    const results = await loop;
    expect(results).toHaveLength(200);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
  });

  it("answers 503 when the database stops: HAProxy takes the servers out", async () => {
    await twin.stopDatabase(twin.writer);
    await waitFor("every server DOWN", 10000, async () => (await twin.backendStatuses()).every((s) => s === "DOWN"), 200);
    expect(twin.get("/").status).toBe(503);
  });
});
