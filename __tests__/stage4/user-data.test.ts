/** The hosts' first-boot configuration: content facts, and the Nginx site accepted by the real `nginx -t`. */
import { parseCloudConfig, fileFromCloudConfig } from "../../modules/core/cloud-config";
import { backendUserData, frontendUserData, nginxSite } from "../../modules/warm-standby";
import { describeWithTools } from "../support/tools";
import { checkNginx } from "../support/validators";
import { wrapNginxSite } from "../support/file-checks";

const backend = backendUserData({ region: "us-west-2", healthCheckPath: "/health", databaseHostname: "sql.db.internal", databasePort: 3306, cacheHost: "__REDIS__" });

describe("user data", () => {
  test("the backend is configured with the stable database name, TLS, and the cache placeholder", () => {
    const env = fileFromCloudConfig(backend, "/etc/app/backend.env");
    expect(env).toContain("DB_HOST=sql.db.internal\n");
    expect(env).toContain("DB_PORT=3306\n");
    expect(env).toContain("REDIS_HOST=__REDIS__\n");
    expect(env).toContain("REDIS_TLS=required\n");
    expect(env).not.toMatch(/PASSWORD/i);
  });
  test("both roles install and start nginx and serve their health path", () => {
    for (const text of [backend, frontendUserData({ region: "us-east-1", healthCheckPath: "/" })]) {
      const doc = parseCloudConfig(text);
      // No agent that nothing reads: CloudWatch alarms watch stage 4. curl: the EC2 Instance Connect keys script.
      expect(doc.packages).toEqual(["nginx", "curl"]);
      expect(doc.runcmd).toContainEqual(["systemctl", "enable", "--now", "nginx"]);
    }
    expect(fileFromCloudConfig(backend, "/etc/nginx/sites-available/default")).toContain("location = /health {");
  });
});


describeWithTools("nginx -t accepts the rendered sites", ["nginx"], true, () => {
  test.each([["/"], ["/health"], ["/status/ready"]])("health path %s", (path) => {
    const result = checkNginx(wrapNginxSite(nginxSite(path, "backend")));
    expect(result).toEqual({ ok: true, output: expect.any(String) });
  });
  test("a broken site is rejected (the check can fail)", () => {
    const broken = nginxSite("/health", "backend").replace("return 200", "return");
    const result = checkNginx(wrapNginxSite(broken));
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/invalid number of arguments in "return"|invalid return code/);
  });
});
