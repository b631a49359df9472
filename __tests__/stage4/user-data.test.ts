/** The hosts' first-boot configuration: content facts, and the Nginx sites accepted by the real `nginx -t`. */
import { parseCloudConfig, fileFromCloudConfig, USER_DATA_MAX_BYTES } from "../../modules/core/cloud-config";
import { launchTemplateUserDataBytes } from "../../modules/core/launch-template-user-data";
import { APP_ENV_PATH, REFERENCE_APP_PATH, REFERENCE_APP_UNIT_PATH, rdsRootCa, renderReferenceApp } from "../../modules/server-config";
import { backendNginxSite, backendUserData, frontendNginxSite, frontendUserData } from "../../modules/warm-standby";
import { describeWithTools } from "../support/tools";
import { checkNginx } from "../support/validators";
import { wrapNginxSite } from "../support/file-checks";

const SECRET_ARN = "arn:aws:secretsmanager:us-west-2:123456789012:secret:webplat-dev-stage4-db-master-AbCdEf";
const backendInput = {
  region: "us-west-2",
  databaseHostname: "sql.db.internal",
  databasePort: 3306,
  databaseTlsName: "webplat-dev-stage4-db-dr.abcdefghijkl.us-west-2.rds.amazonaws.com",
  databaseSecretArn: SECRET_ARN,
  cacheHost: "__REDIS__",
  cachePort: 6379,
  cacheUser: "webplat-dev-stage4-dr-app",
  cacheName: "webplat-dev-stage4-dr-redis",
};
const frontendInput = { region: "us-west-2", healthCheckPath: "/healthz", backendName: "backend-us-west-2.app.example.com", dropRequestHeaders: ["X-Origin-Verify"] };
// Rendered inside the tests, never while the file loads: Stryker counts code run at load as reached by every test (a
// static mutant), and runs each such mutant against all of the target's tests.
const backend = () => backendUserData(backendInput);
const site = () => frontendNginxSite(frontendInput);

describe("backend hosts run the reference application", () => {
  test("the env file names the private database name, its certificate's name, this region's secret copy and Redis; no password", () => {
    const env = fileFromCloudConfig(backend(), APP_ENV_PATH);
    expect(env).toContain("DB_WRITER_HOST=sql.db.internal\n");
    expect(env).toContain("DB_READER_HOST=sql.db.internal\n");
    expect(env).toContain("DB_PORT=3306\n");
    expect(env).toContain("DB_TLS_SERVER_NAME=webplat-dev-stage4-db-dr.abcdefghijkl.us-west-2.rds.amazonaws.com\n");
    expect(env).toContain(`DB_SECRET_ARN=${SECRET_ARN}\n`);
    expect(env).toContain("DB_REGION=us-west-2\n");
    expect(env).toContain("REDIS_HOST=__REDIS__\n");
    expect(env).toContain("REDIS_PORT=6379\n");
    expect(env).toContain("REDIS_USER=webplat-dev-stage4-dr-app\n");
    expect(env).toContain("REDIS_CACHE_NAME=webplat-dev-stage4-dr-redis\n");
    expect(env).not.toMatch(/PASSWORD/i);
  });
  test("the app, its unit and this region's RDS CA are installed; Nginx passes everything, health paths included, to it", () => {
    const userData = backend();
    const doc = parseCloudConfig(userData);
    expect(doc.packages).toEqual(expect.arrayContaining(["nginx", "python3", "python3-pymysql", "python3-boto3", "python3-redis"]));
    expect(fileFromCloudConfig(userData, REFERENCE_APP_PATH)).toBe(renderReferenceApp());
    expect(fileFromCloudConfig(userData, REFERENCE_APP_UNIT_PATH)).toContain(`EnvironmentFile=${APP_ENV_PATH}`);
    expect(fileFromCloudConfig(userData, "/etc/platform/rds-ca.pem")).toBe(rdsRootCa("us-west-2"));
    expect(doc.runcmd).toContainEqual(["systemctl", "enable", "--now", "platform-app.service"]);
    expect(doc.runcmd).toContainEqual(["systemctl", "enable", "--now", "nginx"]);
    const backendSite = fileFromCloudConfig(userData, "/etc/nginx/sites-available/default");
    expect(backendSite).toContain("proxy_pass http://127.0.0.1:8000;");
    expect(backendSite).not.toMatch(/return 200/); // /healthz is the app's, not Nginx's: a dead app fails the target group check
  });
  test("postgres backends get the postgres driver", () => {
    expect(parseCloudConfig(backendUserData({ ...backendInput, databaseEngine: "postgres", databasePort: 5432 })).packages).toContain("python3-psycopg2");
  });
  test("fits a launch template's user data (16 KB gzip-compressed and base64-encoded, room kept for the Redis endpoint)", () => {
    expect(launchTemplateUserDataBytes(backend(), 1)).toBeLessThanOrEqual(USER_DATA_MAX_BYTES);
  });
  test("both roles carry the EC2 Instance Connect keys script (curl) for operators", () => {
    for (const text of [backend(), frontendUserData(frontendInput)]) {
      expect(parseCloudConfig(text).packages).toContain("curl");
    }
  });
});

describe("frontend hosts proxy to their region's backend load balancer over verified HTTPS", () => {
  test("upstream is the backend ALB's name over https, certificate and name verified against the system CAs", () => {
    const nginxSite = site();
    expect(nginxSite).toContain("set $backend_alb backend-us-west-2.app.example.com;");
    expect(nginxSite).toContain("proxy_pass https://$backend_alb;");
    expect(nginxSite).toContain("proxy_ssl_verify on;");
    expect(nginxSite).toContain("proxy_ssl_server_name on;");
    expect(nginxSite).toContain("proxy_ssl_name $backend_alb;");
    expect(nginxSite).toContain("proxy_ssl_trusted_certificate /etc/ssl/certs/ca-certificates.crt;");
    expect(nginxSite).toMatch(/resolver 169\.254\.169\.253 valid=\d+s/);
    expect(parseCloudConfig(frontendUserData(frontendInput)).packages).toEqual(["nginx", "ca-certificates", "curl"]);
  });
  test("answers its own health path and drops CloudFront's origin secret before the backend", () => {
    expect(site()).toContain("location = /healthz {");
    expect(site()).toContain('proxy_set_header X-Origin-Verify "";');
  });
  test.each([
    [{ healthCheckPath: "/" }, /frontend\.healthCheckPath/],
    [{ backendName: "Backend.example.com" }, /frontend\.backendName/],
    [{ dropRequestHeaders: ["X Bad"] }, /frontend\.dropRequestHeaders\[0\]/],
    [{ resolver: "dns.example.com" }, /frontend\.resolver/],
  ])("rejects %p", (override, error) => {
    expect(() => frontendNginxSite({ ...frontendInput, ...override })).toThrow(error);
  });
  test("rejects a bad database port", () => {
    expect(() => backendUserData({ ...backendInput, databasePort: 0 })).toThrow(/backend\.databasePort/);
    expect(() => backendUserData({ ...backendInput, cachePort: 70000 })).toThrow(/backend\.cachePort.*70000/);
    expect(() => backendUserData({ ...backendInput, cacheUser: "app\nDB_WRITER_HOST=evil" })).toThrow(/backend\.cacheUser/);
    expect(() => backendUserData({ ...backendInput, cacheName: "Redis_Group" })).toThrow(/backend\.cacheName.*Redis_Group/);
  });
});

describeWithTools("nginx -t accepts the rendered sites", ["nginx"], true, () => {
  test.each([
    ["frontend", () => frontendNginxSite(frontendInput)],
    ["frontend without CloudFront", () => frontendNginxSite({ ...frontendInput, dropRequestHeaders: [], healthCheckPath: "/status/ready" })],
    ["backend", () => backendNginxSite()],
  ])("%s", (_name, render) => {
    expect(checkNginx(wrapNginxSite(render()))).toEqual({ ok: true, output: expect.any(String) });
  });
  test("a broken site is rejected (the check can fail)", () => {
    const broken = frontendNginxSite(frontendInput).replace("proxy_ssl_verify on;", "proxy_ssl_verify yes-please;");
    const result = checkNginx(wrapNginxSite(broken));
    expect(result.ok).toBe(false);
    expect(result.output).toMatch(/proxy_ssl_verify/);
  });
});

