/**
 * Stage 4's backends count each visit in ElastiCache Redis: TLS with the
 * certificate and host name verified, IAM authentication as the cache's app
 * user with a token the app signs with its role. Proven with the app's own
 * code against a real redis-server (Debian's, TLS on loopback) whose app user
 * has the access string RedisCache gives it; the token is checked by
 * recomputing its SigV4 signature here, as ElastiCache would.
 */
import { ChildProcess, execFileSync, spawn } from "child_process";
import { createHash, createHmac } from "crypto";
import { writeFileSync } from "fs";
import { createServer } from "net";
import { join, resolve } from "path";
import { APP_ACCESS_STRING } from "../../modules/warm-standby/redis-cache";
import { waitFor } from "../support/drill-kit";
import { describeWithTools, run, withTempDirAsync } from "../support/tools";

const APP = resolve(__dirname, "../../modules/server-config/reference-app/app.py");
const GROUP = "webplat-dev-stage4-dr-redis";
const USER = "webplat-dev-stage4-dr-app";
const REGION = "us-west-2";
const KEY_ID = "ASIAEXAMPLEROLEKEY01";
const SECRET = "wJalrXUtnFEMI/K7MDENG/bPxRfiCYEXAMPLEKEY";
const SESSION = "IQoJb3JpZ2luX2VjEXAMPLE/session+token=";

/** Runs with the app module imported under the backend's env file; prints one JSON line per step. */
const PROBE = `
import importlib.util, json, sys, threading, urllib.request, urllib.error
import redis
d, app_path, port, admin_password, access = sys.argv[1], sys.argv[2], int(sys.argv[3]), sys.argv[4], sys.argv[5]
spec = importlib.util.spec_from_file_location("app", app_path)
app = importlib.util.module_from_spec(spec)
spec.loader.exec_module(app)
token = app.cache_token()
print(json.dumps({"token": token}))
# The server accepts exactly this token for the app user, with the access string ElastiCache is given.
admin = redis.Redis(host="localhost", port=port, username="admin", password=admin_password, ssl=True,
                    ssl_ca_certs=d + "/ca.pem", ssl_cert_reqs="required")
admin.execute_command("ACL", "SETUSER", app.CACHE_USER, "reset", *access.split(), ">" + token)
app.cache_token = lambda: token
def attempt():
    try:
        return {"ok": app.cache_round_trip()}
    except Exception as error:
        return {"refused": type(error).__name__ + ": " + str(error)}
print(json.dumps(attempt()))
print(json.dumps(attempt()))
# Through the handler: the database part stands in, the cache part is the app's.
app.round_trip = lambda: {"host": "backend-1"}
server = app.listener("127.0.0.1:0", app.Handler)
threading.Thread(target=server.serve_forever, daemon=True).start()
def get():
    try:
        with urllib.request.urlopen("http://127.0.0.1:%d/" % server.server_address[1], timeout=10) as r:
            return {"status": r.status, "body": json.loads(r.read())}
    except urllib.error.HTTPError as error:
        return {"status": error.code, "body": json.loads(error.read())}
print(json.dumps(get()))
app.CACHE_USER = "someone-else"
print(json.dumps(attempt()))
app.CACHE_USER = sys.argv[6]
app.CACHE_TLS_CA = d + "/other-ca.pem"
print(json.dumps(attempt()))
app.CACHE_TLS_CA = d + "/ca.pem"
app.CACHE_HOST = "127.0.0.1"  # not a name on the certificate
print(json.dumps(attempt()))
print(json.dumps(get()))
server.shutdown()
`;

function freePort(): Promise<number> {
  return new Promise((done, fail) => {
    const server = createServer();
    server.once("error", fail);
    server.listen(0, "127.0.0.1", () => {
      const { port } = server.address() as { port: number };
      server.close(() => done(port));
    });
  });
}

const hmac = (key: Buffer | string, text: string) => createHmac("sha256", key).update(text).digest();
const encode = (value: string) => encodeURIComponent(value).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);

/** The SigV4 query signature ElastiCache checks: GET / on host <group>, empty payload (as botocore presigns it). */
function expectedSignature(token: string): string {
  const [host, query] = token.split("/?");
  const params = query.split("&").map((pair) => pair.split("=").map(decodeURIComponent) as [string, string]);
  const values = Object.fromEntries(params);
  const canonicalQuery = params.filter(([k]) => k !== "X-Amz-Signature").map(([k, v]) => `${encode(k)}=${encode(v)}`).sort().join("&");
  const canonicalRequest = ["GET", "/", canonicalQuery, `host:${host}`, "", "host", createHash("sha256").update("").digest("hex")].join("\n");
  const [, date, region, service] = values["X-Amz-Credential"].split("/");
  const stringToSign = ["AWS4-HMAC-SHA256", values["X-Amz-Date"], `${date}/${region}/${service}/aws4_request`, createHash("sha256").update(canonicalRequest).digest("hex")].join("\n");
  const key = hmac(hmac(hmac(hmac(`AWS4${SECRET}`, date), region), service), "aws4_request");
  return hmac(key, stringToSign).toString("hex");
}

describeWithTools("reference app: the Redis round trip of stage 4 (TLS, IAM authentication)", ["openssl", "python3", "redis-server"], false, () => {
  it("signs an IAM token for its user and group, counts visits over verified TLS, and refuses a wrong user, CA or host name", async () => {
    await withTempDirAsync("app-cache", async (dir) => {
      const ssl = (...args: string[]) => execFileSync("openssl", args, { cwd: dir, stdio: "pipe" });
      for (const ca of ["ca", "other-ca"]) ssl("req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "2", "-subj", `/CN=${ca}`, "-keyout", `${ca}.key`, "-out", `${ca}.pem`);
      ssl("req", "-newkey", "rsa:2048", "-nodes", "-subj", "/CN=localhost", "-keyout", "server.key", "-out", "server.csr");
      writeFileSync(join(dir, "san.ext"), "subjectAltName=DNS:localhost\n");
      ssl("x509", "-req", "-in", "server.csr", "-CA", "ca.pem", "-CAkey", "ca.key", "-CAcreateserial", "-days", "2", "-extfile", "san.ext", "-out", "server.pem");
      const port = await freePort();
      const adminPassword = "admin-" + Date.now();
      // Like ElastiCache with transit encryption required and the default user switched off.
      writeFileSync(join(dir, "redis.conf"), [
        "port 0", `tls-port ${port}`, "bind 127.0.0.1", `dir ${dir}`, 'save ""', "appendonly no",
        `tls-cert-file ${dir}/server.pem`, `tls-key-file ${dir}/server.key`, `tls-ca-cert-file ${dir}/ca.pem`, "tls-auth-clients no",
        "user default off", `user admin on >${adminPassword} ~* +@all`, "",
      ].join("\n"));
      const redis: ChildProcess = spawn("redis-server", [join(dir, "redis.conf")], { stdio: ["ignore", "pipe", "pipe"] });
      let log = "";
      redis.stdout!.on("data", (chunk) => (log += chunk));
      try {
        await waitFor("redis-server to accept TLS", 10000, () => log.includes("Ready to accept connections"));
        const env = {
          PATH: process.env.PATH, HOME: dir, AWS_CONFIG_FILE: "/dev/null", AWS_SHARED_CREDENTIALS_FILE: "/dev/null", AWS_EC2_METADATA_DISABLED: "true",
          AWS_ACCESS_KEY_ID: KEY_ID, AWS_SECRET_ACCESS_KEY: SECRET, AWS_SESSION_TOKEN: SESSION,
          // The backend's env file (backendEnvironment), pointed at the test server and CA.
          DB_WRITER_HOST: "sql.db.internal", DB_TLS_CA: join(dir, "ca.pem"), APP_REGION: REGION,
          REDIS_HOST: "localhost", REDIS_PORT: String(port), REDIS_USER: USER, REDIS_CACHE_NAME: GROUP, REDIS_TLS_CA: join(dir, "ca.pem"),
        };
        writeFileSync(join(dir, "probe.py"), PROBE);
        const probe = run("/usr/bin/python3", [join(dir, "probe.py"), dir, APP, String(port), adminPassword, APP_ACCESS_STRING, USER], { env, timeoutMs: 60000 });
        expect(probe.stderr.split("\n").filter((l) => l.includes("Traceback"))).toEqual([]);
        const [token, first, second, page, wrongUser, wrongCa, wrongName, pageWithoutCache] = probe.stdout.trim().split("\n").map((line) => JSON.parse(line));

        // The token: a presigned "connect" for this user on this group, valid 15 minutes, signed with the role's keys.
        const text: string = token.token;
        expect(text.startsWith(`${GROUP}/?`)).toBe(true);
        const params = new URLSearchParams(text.split("/?")[1]);
        expect(params.get("Action")).toBe("connect");
        expect(params.get("User")).toBe(USER);
        expect(params.get("X-Amz-Algorithm")).toBe("AWS4-HMAC-SHA256");
        expect(params.get("X-Amz-Credential")).toMatch(new RegExp(`^${KEY_ID}/\\d{8}/${REGION}/elasticache/aws4_request$`));
        expect(params.get("X-Amz-Expires")).toBe("900");
        expect(params.get("X-Amz-SignedHeaders")).toBe("host");
        expect(params.get("X-Amz-Security-Token")).toBe(SESSION);
        expect(params.get("X-Amz-Signature")).toBe(expectedSignature(text));

        // Allowed by the access string ElastiCache gives the app user; a counter shared by every backend.
        expect(first).toEqual({ ok: { hits: 1 } });
        expect(second).toEqual({ ok: { hits: 2 } });
        expect(page).toEqual({ status: 200, body: { host: "backend-1", cache: { hits: 3 } } });
        expect(wrongUser.refused).toMatch(/WRONGPASS|AuthenticationError/);
        expect(wrongCa.refused).toMatch(/certificate verify failed/);
        expect(wrongName.refused).toMatch(/certificate verify failed|match/i);
        // A cache that cannot be reached turns / into a 503 that says so.
        expect(pageWithoutCache).toEqual({ status: 503, body: { status: "cache unreachable", host: expect.any(String), error: expect.any(String) } });
      } finally {
        if (redis.pid !== undefined && redis.exitCode === null) process.kill(redis.pid, "SIGTERM");
      }
    });
  }, 90000);
});
