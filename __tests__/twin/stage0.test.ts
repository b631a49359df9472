/**
 * Stack twin of stage 0: the single server of the synthesized stack (Nginx →
 * reference app → local MariaDB), booted from its own user data in a network
 * namespace carrying its address, asked through that address only.
 * See __tests__/support/stack-twin.ts for what is real and what stands in.
 */
import { StackTwin, TWIN_TOOLS } from "../support/stack-twin";
import { describeWithTools } from "../support/tools";
import { waitFor } from "../support/drill-kit";

describeWithTools("stack twin: stage 0 serves its application end to end", TWIN_TOOLS, true, () => {
  let twin: StackTwin;

  beforeAll(async () => {
    twin = new StackTwin("stage0-single-server", "s0");
    await twin.start();
  }, 60000);

  afterAll(async () => {
    await twin?.cleanup();
  });

  it("answers / with the serving host and a round trip through the local database", () => {
    const first = twin.get("/");
    expect(first.status).toBe(200);
    const second = twin.get("/");
    expect(second.status).toBe(200);
    const a = JSON.parse(first.body);
    const b = JSON.parse(second.body);
    expect(a.host).toBe(twin.hosts[0].name);
    // Written and read back on the one server: each request adds a row the next one counts.
    expect(b.write.visit_id).toBe(a.write.visit_id + 1);
    expect(b.read.visits).toBe(a.read.visits + 1);
    expect(b.read.server).toBe(b.write.server);
    expect(twin.sql(twin.databases[0], "SELECT COUNT(*) FROM platform.visits")).toBe(String(b.read.visits));
  });

  it("keeps the app's password off the user data: made on the host, read as a systemd credential", () => {
    const userData = JSON.stringify(twin.hosts[0].userData);
    expect(userData).not.toMatch(/IDENTIFIED BY '[^$]/);
    expect(twin.hosts[0].userData.write_files.map((f) => f.path)).not.toContain("/etc/platform/db-password");
  });

  it("answers /healthz and /readyz while the database runs", () => {
    expect(twin.get("/healthz").status).toBe(200);
    expect(twin.get("/readyz").status).toBe(200);
  });

  it("turns /readyz and / into 503 when the database stops, while /healthz stays 200", async () => {
    await twin.stopDatabase(twin.databases[0]);
    await waitFor("/readyz to turn 503", 10000, () => twin.get("/readyz").status === 503, 200);
    expect(twin.get("/").status).toBe(503);
    expect(twin.get("/healthz").status).toBe(200);
  });
});
