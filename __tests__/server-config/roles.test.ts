/** Facts about the per-role cloud-configs (through the user-data format). */
import { parseCloudConfig, USER_DATA_MAX_BYTES } from "../../modules/core/cloud-config";
import {
  BACKEND_SYNC_SCRIPT_PATH,
  CERT_PLACEHOLDER_SCRIPT_PATH,
  FAILOVER_SCRIPT_PATH,
  KEEPALIVED_CONF_PATH,
} from "../../modules/server-config/paths";
import { deliveredUserDataBytesByRole, renderedFile, renderedFiles, userDataByRole } from "../support/rendered-files";

const userData = userDataByRole();

describe("role cloud-configs", () => {
  // Stages 0–3 are scraped by Prometheus; stage 4 is watched by CloudWatch alarms, so it runs no exporter nothing reads.
  const scraped = Object.keys(userData).filter((role) => !role.startsWith("stage4-"));
  it.each(scraped)("%s installs node_exporter", (role) => {
    expect(parseCloudConfig(userData[role]).packages).toContain("prometheus-node-exporter");
  });
  it.each(Object.keys(userData).filter((role) => role.startsWith("stage4-")))("%s runs no node_exporter (nothing in stage 4 would scrape it)", (role) => {
    expect(parseCloudConfig(userData[role]).packages).not.toContain("prometheus-node-exporter");
  });
  // Launch templates travel gzip-compressed (cloud-init unpacks them), so their limit applies to the compressed bytes.
  const deliveredBytes = deliveredUserDataBytesByRole();
  it.each(Object.keys(userData))("%s fits the 16 KB user-data limit as EC2 receives it", (role) => {
    expect(deliveredBytes[role]).toBeLessThanOrEqual(USER_DATA_MAX_BYTES);
  });
  it("load balancers install haproxy, keepalived, awscli and certbot", () => {
    expect(parseCloudConfig(userData["lb-a"]).packages).toEqual(expect.arrayContaining(["haproxy", "keepalived", "awscli", "certbot"]));
  });
  it("load balancers write the placeholder certificate first and start keepalived last", () => {
    const runcmd = parseCloudConfig(userData["lb-a"]).runcmd;
    expect(runcmd[0]).toEqual([CERT_PLACEHOLDER_SCRIPT_PATH]);
    expect(runcmd[runcmd.length - 1]).toEqual(["systemctl", "restart", "keepalived"]);
    expect(runcmd).toContainEqual(["systemctl", "enable", "--now", "haproxy-backend-sync.timer", "haproxy-cert-renew.timer"]);
  });
  it("scripts keepalived runs are root-only writable", () => {
    for (const path of [FAILOVER_SCRIPT_PATH, BACKEND_SYNC_SCRIPT_PATH]) {
      expect(renderedFiles().find((f) => f.role === "lb-a" && f.path === path)!.permissions).toBe("0750");
    }
  });
  it("the two load balancers differ only in keepalived's own/peer address and priority", () => {
    const differing = renderedFiles()
      .filter((f) => f.role === "lb-a")
      .filter((f) => f.content !== renderedFile("lb-b", f.path))
      .map((f) => f.path);
    expect(differing).toEqual(expect.arrayContaining([KEEPALIVED_CONF_PATH]));
    expect(differing.every((p) => p === KEEPALIVED_CONF_PATH || p === "/etc/haproxy/haproxy.cfg")).toBe(true);
  });
  it("\"Grafana from `https://apt.grafana.com` (Debian has no package), installed by one isolated script\"", () => {
    const script = renderedFile("monitoring", "/usr/local/sbin/grafana-apt-install");
    expect(script).toContain("https://apt.grafana.com stable main");
    expect(script).toContain("signed-by=/etc/apt/keyrings/grafana.asc");
    expect(script).toContain("reset-admin-password");
  });
});
