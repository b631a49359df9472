/**
 * Drill E (issue 11 item 4): an operator gets onto a host with SSH keys pushed
 * by EC2 Instance Connect, through the exact keys script and sshd drop-in of
 * the synthesized stage 3 web server's user data. Inside a network namespace
 * the test creates: a fake IMDSv2 on 169.254.169.254:80 (token required)
 * serving the keys `SendSSHPublicKey` would push, and Debian's sshd started
 * from a config that includes the drop-in (the script path moved into the
 * drill directory). Expect: the pushed key logs in; another key, a key pushed
 * to another instance and an expired key are refused; once the metadata stops
 * listing the key, it is refused too.
 */
import { chmodSync, mkdirSync, writeFileSync } from "fs";
import { join } from "path";
import { INSTANCE_CONNECT_KEYS_SCRIPT_PATH, INSTANCE_CONNECT_SSHD_CONFIG_PATH } from "../../modules/server-config/paths";
import { Drill, makeDrillDir, must, waitFor } from "../support/drill-kit";
import { renderedFile } from "../support/rendered-files";
import { describeWithTools, run } from "../support/tools";
import { SSHD_PRIVSEP_DIR } from "../support/validators";

const INSTANCE_ID = "i-0123456789abcdef0";
const SSH_PORT = 2222;
/** The login user of the drill: root exists on every machine (Debian's `admin` need not). */
const USER = "root";

/** IMDSv2 stand-in: a token from PUT first, then instance-id and the keys file (404 while it is empty). */
const FAKE_IMDS = `const http = require("http");
const fs = require("fs");
const [, , keysFile, instanceId, user, requestLog] = process.argv;
const tokens = new Set();
http.createServer((req, res) => {
  fs.appendFileSync(requestLog, req.method + " " + req.url + " " + (tokens.has(req.headers["x-aws-ec2-metadata-token"]) ? "token" : "no-token") + "\\n");
  if (req.method === "PUT" && req.url === "/latest/api/token" && req.headers["x-aws-ec2-metadata-token-ttl-seconds"]) {
    const token = "token-" + Math.random().toString(36).slice(2);
    tokens.add(token);
    return res.end(token);
  }
  if (req.method !== "GET" || !tokens.has(req.headers["x-aws-ec2-metadata-token"])) { res.statusCode = 401; return res.end(); }
  if (req.url === "/latest/meta-data/instance-id") return res.end(instanceId);
  const keys = fs.existsSync(keysFile) ? fs.readFileSync(keysFile, "utf8") : "";
  if (req.url === "/latest/meta-data/managed-ssh-keys/active-keys/" + user + "/" && keys) return res.end(keys);
  res.statusCode = 404;
  res.end();
}).listen(80, "169.254.169.254");
`;

/** One block as IMDS lists a pushed key (signature lines are not checked by the script, see instance-connect.ts). */
function pushedBlock(publicKey: string, options: { instance?: string; expiresAt?: number } = {}): string {
  return [
    `#Timestamp=${options.expiresAt ?? Math.floor(Date.now() / 1000) + 60}`,
    `#Instance=${options.instance ?? INSTANCE_ID}`,
    "#Caller=arn:aws:sts::123456789012:assumed-role/webplat-dev-stage3-operator/drill",
    "#Request=11111111-2222-3333-4444-555555555555",
    publicKey.trim(),
    "c2lnbmF0dXJlLW5vdC1jaGVja2VkLWhlcmU=",
    "",
  ].join("\n");
}

describeWithTools("Drill E: SSH with a key pushed by EC2 Instance Connect", ["sshd", "ssh", "ssh-keygen", "ip", "curl"], true, () => {
  let drill: Drill;
  let ns: string;
  let dir: string;
  let keysFile: string;
  const key = (name: string) => join(dir, name);

  beforeAll(async () => {
    dir = makeDrillDir("drill-e");
    // sshd runs the keys command as nobody: the directory must be traversable, root-owned and not writable by others.
    chmodSync(dir, 0o755);
    drill = new Drill("drill-e", dir);
    ns = drill.namespace("host");
    must(run("ip", ["-n", ns, "addr", "add", "169.254.169.254/32", "dev", "lo"]), "IMDS address");

    const script = renderedFile("web", INSTANCE_CONNECT_KEYS_SCRIPT_PATH);
    const dropIn = renderedFile("web", INSTANCE_CONNECT_SSHD_CONFIG_PATH);
    const scriptPath = join(dir, "ec2-instance-connect-keys");
    writeFileSync(scriptPath, script, { mode: 0o755 });
    if (!dropIn.includes(`${INSTANCE_CONNECT_KEYS_SCRIPT_PATH} %u`)) throw new Error("drop-in names another script");
    writeFileSync(join(dir, "60-ec2-instance-connect.conf"), dropIn.split(INSTANCE_CONNECT_KEYS_SCRIPT_PATH).join(scriptPath));

    for (const name of ["host", "operator", "other"]) must(run("ssh-keygen", ["-q", "-t", "ed25519", "-N", "", "-C", name, "-f", key(name)]), `key ${name}`);
    keysFile = join(dir, "active-keys");
    writeFileSync(join(dir, "imds.js"), FAKE_IMDS);
    drill.start("imds", "ip", ["netns", "exec", ns, process.execPath, join(dir, "imds.js"), keysFile, INSTANCE_ID, USER, join(dir, "imds-requests.log")]);
    await waitFor("fake IMDS", 5000, () => run("ip", ["netns", "exec", ns, "curl", "-sf", "-X", "PUT", "-H", "X-aws-ec2-metadata-token-ttl-seconds: 5", "http://169.254.169.254/latest/api/token"]).code === 0);

    // As Debian's sshd_config: the drop-in directory first; passwords off as cloud-init's 50-cloud-init.conf does. No authorized_keys file of this machine counts.
    const config = join(dir, "sshd_config");
    writeFileSync(config, [`Include ${join(dir, "60-ec2-instance-connect.conf")}`, `Port ${SSH_PORT}`, "ListenAddress 127.0.0.1", `HostKey ${key("host")}`, `PidFile ${join(dir, "sshd.pid")}`, "AuthorizedKeysFile none", "UsePAM no", "PasswordAuthentication no", "KbdInteractiveAuthentication no", "PermitRootLogin prohibit-password", ""].join("\n"));
    mkdirSync(SSHD_PRIVSEP_DIR, { recursive: true, mode: 0o755 });
    must(run("/usr/sbin/sshd", ["-t", "-f", config]), "sshd -t");
    drill.start("sshd", "ip", ["netns", "exec", ns, "/usr/sbin/sshd", "-D", "-e", "-f", config]);
    await waitFor("sshd", 5000, () => run("ip", ["netns", "exec", ns, "bash", "-c", `exec 3<>/dev/tcp/127.0.0.1/${SSH_PORT}`]).code === 0);
  }, 30000);

  afterAll(async () => {
    await drill?.cleanup();
  });

  const login = (identity: string) =>
    run("ip", ["netns", "exec", ns, "ssh", "-F", "/dev/null", "-p", String(SSH_PORT), "-i", key(identity), "-o", "IdentitiesOnly=yes", "-o", "BatchMode=yes", "-o", "StrictHostKeyChecking=no", "-o", "UserKnownHostsFile=/dev/null", "-o", "ConnectTimeout=5", `${USER}@127.0.0.1`, "echo logged-in-as-$(id -un)"], { timeoutMs: 20000 });
  const publicKey = (name: string) => run("cat", [`${key(name)}.pub`]).stdout;

  test("the pushed key logs in", () => {
    writeFileSync(keysFile, pushedBlock(publicKey("operator")));
    const result = login("operator");
    expect(`${result.stdout}${result.stderr}`).toContain(`logged-in-as-${USER}`);
    expect(result.code).toBe(0);
  });

  test("another key is refused while the pushed one is listed", () => {
    writeFileSync(keysFile, pushedBlock(publicKey("operator")));
    const result = login("other");
    expect(result.code).toBe(255);
    expect(result.stderr).toContain("Permission denied (publickey)");
  });

  test("a key pushed to another instance, or expired, is refused", () => {
    writeFileSync(keysFile, pushedBlock(publicKey("operator"), { instance: "i-0fedcba9876543210" }) + "\n" + pushedBlock(publicKey("other"), { expiresAt: Math.floor(Date.now() / 1000) - 1 }));
    expect(login("operator").code).toBe(255);
    expect(login("other").code).toBe(255);
    // The same file with both blocks valid: each key logs in (the parser reads every block).
    writeFileSync(keysFile, pushedBlock(publicKey("operator")) + "\n" + pushedBlock(publicKey("other")));
    expect(login("other").code).toBe(0);
  });

  test("once the metadata stops listing the key, it is refused", () => {
    writeFileSync(keysFile, pushedBlock(publicKey("operator")));
    expect(login("operator").code).toBe(0);
    writeFileSync(keysFile, "");
    const result = login("operator");
    expect(result.code).toBe(255);
    expect(result.stderr).toContain("Permission denied (publickey)");
  });

  test("every metadata read carried the IMDSv2 token", () => {
    const log = run("cat", [join(dir, "imds-requests.log")]).stdout.trim().split("\n");
    const reads = log.filter((line) => line.startsWith("GET "));
    expect(reads.length).toBeGreaterThan(0);
    expect(reads.filter((line) => !line.endsWith(" token"))).toEqual([]);
    expect(log.filter((line) => line.startsWith("PUT /latest/api/token")).length).toBeGreaterThan(0);
  });
});
