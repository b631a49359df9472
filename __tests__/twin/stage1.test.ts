/**
 * Stack twin of stage 1: the synthesized HAProxy load balancer and both
 * web/app servers (Nginx → reference app), each in its own network namespace
 * with its private address from the stack, an RDS stand-in per database
 * (MariaDB writer with a replicating read-only reader, TLS required) and a
 * Secrets Manager stand-in holding the master secret. Asked through the load
 * balancer's address only.
 *
 * Which layer checks what: HAProxy checks GET /readyz on every web/app server
 * every second (DOWN after 2 failures); Nginx passes it to the local app, which
 * answers 200 only while writer and reader answer SELECT 1. A dead server
 * refuses connections and HAProxy redispatches the request to the other one.
 */
import { StackTwin, TWIN_TOOLS } from "../support/stack-twin";
import { describeWithTools } from "../support/tools";
import { waitFor } from "../support/drill-kit";

describeWithTools("stack twin: stage 1 serves its application end to end", TWIN_TOOLS, true, () => {
  let twin: StackTwin;

  const apps = () => twin.hosts.filter((h) => h.role === "web");

  beforeAll(async () => {
    twin = new StackTwin("stage1-distributed", "s1");
    await twin.start();
    await waitFor("HAProxy to see both servers UP", 15000, async () => (await twin.backendStatuses()).filter((s) => s === "UP").length === 2, 200);
  }, 80000);

  afterAll(async () => {
    await twin?.cleanup();
  });

  it("answers 200 from both app servers, writing on the writer and reading on the reader", () => {
    const responses = Array.from({ length: 6 }, () => twin.get("/"));
    expect(responses.map((r) => r.status)).toEqual([200, 200, 200, 200, 200, 200]);
    const bodies = responses.map((r) => JSON.parse(r.body));
    expect(new Set(bodies.map((b) => b.host))).toEqual(new Set(apps().map((h) => h.name)));
    for (const body of bodies) {
      expect(body.write.server).toBe(String(twin.writer.serverId));
      expect(body.read.server).toBe(String(twin.reader.serverId));
    }
    expect(Number(twin.sql(twin.writer, "SELECT COUNT(*) FROM platform.visits"))).toBe(6);
    // Each app fetched the password once from Secrets Manager with its role, nothing else knows it.
    expect(twin.secretFetches()).toBe(apps().length);
  });

  it("the reader serves what the writer took (replication), and refuses writes", async () => {
    await waitFor("reader to replicate", 5000, () => twin.sql(twin.reader, "SELECT COUNT(*) FROM platform.visits") === twin.sql(twin.writer, "SELECT COUNT(*) FROM platform.visits"), 100);
    expect(twin.sql(twin.reader, "SELECT @@read_only")).toBe("1");
  });

  it("loses no request of 200 while one web/app server dies", async () => {
    const loop = twin.loop("/", 200, 50);
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await twin.stopHost(apps()[0]);
    const results = await loop;
    expect(results).toHaveLength(200);
    expect(results.filter((r) => r.status !== 200)).toEqual([]);
    const served = new Set(results.map((r) => JSON.parse(r.body).host));
    expect(served).toEqual(new Set(apps().map((h) => h.name)));
    await waitFor("HAProxy to mark the dead server DOWN", 5000, async () => (await twin.backendStatuses()).includes("DOWN"), 200);
  });

  it("answers 503 when the database stops: /readyz fails on the app and HAProxy takes the servers out", async () => {
    await twin.stopDatabase(twin.writer);
    await waitFor("every server DOWN", 10000, async () => (await twin.backendStatuses()).every((s) => s === "DOWN"), 200);
    expect(twin.get("/").status).toBe(503);
    expect(twin.get("/readyz").status).toBe(503);
  });
});
