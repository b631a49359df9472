/**
 * Stack twin: runs the hosts of a SYNTHESIZED stack (its cdk.tf.json) for real,
 * each in its own network namespace carrying its private address from the
 * stack, with the files and first-boot commands its user data gives it.
 *
 * What is real: every file comes from the instance's user data (parsed with
 * parseCloudConfig, apply-time references replaced); the runcmd list is walked
 * in order and each command maps to a twin action (an unknown command fails the
 * twin, so a new boot step cannot be silently skipped); the daemons are
 * Debian's (nginx, haproxy, MariaDB, /usr/bin/python3 with python3-pymysql and
 * python3-boto3); the app's password is fetched by boto3 from a Secrets Manager
 * endpoint answering on the regional host name over HTTPS.
 *
 * What stands in (the seams, all inside namespaces the twin creates):
 * - Host paths are moved under a per-host directory by rewriting the paths in
 *   the files (like the drills); services run as root (the unit's User= is not
 *   applied) and each app under its own UTS namespace with the host's name.
 * - RDS: one MariaDB per aws_db_instance (primary: binlog, server_id 1; replica:
 *   read-only, server_id 2, replicating from the primary over TLS), TLS
 *   required, certificates from a twin CA; the host names the app gets resolve
 *   through /etc/netns/<ns>/hosts; the twin CA replaces the RDS root CA file.
 * - Secrets Manager: a small HTTPS server holding the master secret; the
 *   instance role's credentials are static test keys in the app's environment,
 *   and AWS_CA_BUNDLE makes boto3 trust the twin CA.
 * - HAProxy's backend list: the SSM parameter's value rendered with the sync
 *   script's renderer (proven byte-identical in the server-config tests); the
 *   sync script itself still runs at boot and on the timer tick (below).
 * - SSM and systemctl in boot scripts: an `aws` that keeps parameters in files
 *   (seeded with the stack's aws_ssm_parameter values; it answers only the call
 *   shapes the scripts use and fails on any other), and a `systemctl` that
 *   reloads the host's twin nginx (HUP) or HAProxy (master-worker, USR2).
 * - Timers: after every host booted, the twin runs each host's trust and
 *   backend syncs once, as their first timer tick would.
 * - The Elastic IP: requests enter at the entry host's private address from a
 *   client namespace (the EIP is a 1:1 NAT of it).
 */
import { ChildProcess, spawn } from "child_process";
import { WEB_BACKEND_NAME } from "../../modules/server-config/haproxy";
import { serverStatuses } from "./haproxy-stats";
import { chmodSync, copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "fs";
import { dirname, join } from "path";
import { cidrHost } from "../../modules/core/cidr";
import { ParsedCloudConfig, parseCloudConfig } from "../../modules/core/cloud-config";
import {
  BACKEND_SYNC_SCRIPT_PATH,
  CERT_PLACEHOLDER_SCRIPT_PATH,
  CERT_RENEW_SCRIPT_PATH,
  HAPROXY_BACKENDS_PATH,
  HAPROXY_CERT_PATH,
  HAPROXY_CFG_PATH,
  NGINX_CONF_PATH,
  RDS_CA_PATH,
  TLS_TRUST_SYNC_SCRIPT_PATH,
} from "../../modules/server-config";
import { Drill, makeDrillDir, must, waitFor } from "./drill-kit";
import { installMariadbData, MARIADB_TOOLS, mariadbdArgs, waitForMariadb } from "./throwaway-mariadb";
import { syncedBackendsOf, userDataOf } from "./rendered-files";
import { TfJson, referenced, resourcesOf, synthStack } from "./synth";
import { RunResult, run, SYSTEM_PATH } from "./tools";

/** Tools a twin needs on the machine (scripts/install-validators.sh installs them). */
export const TWIN_TOOLS = ["ip", "nginx", "haproxy", ...MARIADB_TOOLS, "openssl", "curl", "unshare", "python3"];

const SAMPLE_SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:rds!db-twin-AbCdEf";
const SECRETS_IP = "198.18.0.10";
const CLIENT_IP = "198.18.0.100";
const BRIDGE = "br0";
/** Hosts off the request path: the monitoring host installs Grafana from the internet at boot. */
const OFF_REQUEST_PATH = new Set(["monitoring"]);

export interface TwinHost {
  readonly name: string;
  readonly role: string;
  readonly privateIp: string;
  readonly ns: string;
  /** Where the host's "/" is. */
  readonly root: string;
  readonly userData: ParsedCloudConfig;
  readonly processes: ChildProcess[];
}

export interface TwinDatabase {
  readonly kind: "writer" | "reader";
  /** The host name the app servers are given (DB_WRITER_HOST / DB_READER_HOST). */
  readonly hostname: string;
  readonly ip: string;
  readonly serverId: number;
  readonly ns: string;
  readonly dir: string;
  readonly socket: string;
  process?: ChildProcess;
}

export class StackTwin {
  readonly drill: Drill;
  readonly json: TfJson;
  readonly hosts: TwinHost[] = [];
  readonly databases: TwinDatabase[] = [];
  readonly region: string;
  readonly masterUser: string = "";
  private readonly masterPassword = `twin-${process.pid}-${Date.now().toString(36)}`;
  private readonly dataDir: string;
  private readonly vpcNs: string;
  private clientNs = "";
  private secretsNs = "";
  private caPath = "";
  private linkCount = 0;
  private loops = 0;
  private readonly netnsDirs: string[] = [];
  private ssmDir = "";

  constructor(readonly stack: string, short: string) {
    this.json = synthStack(stack);
    this.drill = new Drill(`tw${short}`, makeDrillDir(`twin-${short}`));
    chmodSync(this.drill.dir, 0o755);
    // Database files (small: 8 MB redo logs) on /run's tmpfs, where installing them is quick.
    this.dataDir = mkdtempSync(join("/run", `twin-${short}-db-`));
    this.vpcNs = this.drill.namespace("vpc");
    must(run("ip", ["-n", this.vpcNs, "link", "add", BRIDGE, "type", "bridge"]), "bridge");
    must(run("ip", ["-n", this.vpcNs, "link", "set", BRIDGE, "up"]), "bridge up");
    this.region = String(this.json.provider?.aws?.find((p) => p.alias === undefined)?.region ?? "us-east-1");
    const writer = resourcesOf(this.json, "aws_db_instance").find(([, d]) => d.replicate_source_db === undefined);
    if (writer) this.masterUser = String(writer[1].username);
  }

  /** The address requests enter at: the (first) load balancer's or the single server's private IP. */
  get entry(): TwinHost {
    const entry = this.hosts.find((h) => h.role === "load-balancer") ?? this.hosts.find((h) => h.role === "single-server");
    if (!entry) throw new Error(`${this.stack}: no entry host`);
    return entry;
  }

  /** The names the site answers on (the stack's site_names output). */
  /** The stand-in of the stack's writer, and of its read replica. */
  get writer(): TwinDatabase {
    return this.databases.find((d) => d.kind === "writer")!;
  }
  get reader(): TwinDatabase {
    return this.databases.find((d) => d.kind === "reader")!;
  }

  /** HAProxy's view of the web servers on the entry host: UP, DOWN, … per server. */
  async backendStatuses(): Promise<string[]> {
    const socket = /stats socket (\S+)/.exec(readFileSync(this.entry.root + HAPROXY_CFG_PATH, "utf8"))![1];
    return Object.values(await serverStatuses(socket, WEB_BACKEND_NAME));
  }

  get siteNames(): string[] {
    return (this.json.output?.site_names?.value as string[] | undefined) ?? [];
  }

  /** Whether the entry terminates TLS (HAProxy binds :443 with a certificate). */
  get https(): boolean {
    const cfg = join(this.entry.root, HAPROXY_CFG_PATH.slice(1));
    return existsSync(cfg) && /bind :443 ssl crt/.test(readFileSync(cfg, "utf8"));
  }

  /** curl arguments for `path` at the entry: HTTPS verified against the twin CA for the first site name, else HTTP. */
  private requestArgs(path: string, host?: string): string[] {
    if (!this.https) return [`http://${this.entry.privateIp}${path}`];
    const name = host ?? this.siteNames[0];
    return ["--cacert", this.caPath, "--resolve", `${name}:443:${this.entry.privateIp}`, `https://${name}${path}`];
  }

  /** Builds the network, the databases, the secret endpoint and every host, then runs each host's first boot. */
  async start(): Promise<void> {
    this.caPath = this.makeCa();
    this.seedParameters();
    this.clientNs = this.attach("client", CLIENT_IP);
    const secretsName = `secretsmanager.${this.region}.amazonaws.com`;
    this.startSecretsManager(secretsName);
    await this.startDatabases();
    const names: Record<string, string> = { [secretsName]: SECRETS_IP };
    for (const db of this.databases) names[db.hostname] = db.ip;
    for (const [, instance] of resourcesOf(this.json, "aws_instance")) {
      if (OFF_REQUEST_PATH.has(String(instance.tags?.Role))) continue;
      const name = String(instance.tags?.Name);
      const role = String(instance.tags?.Role);
      const privateIp = this.privateIpOf(instance);
      const ns = this.attach(role.slice(0, 6) + (this.hosts.length + 1), privateIp, names);
      const root = join(this.drill.dir, `host${this.hosts.length + 1}`);
      const userData = parseCloudConfig(userDataOf(instance, (ref) => this.valueFor(ref)));
      this.hosts.push({ name, role, privateIp, ns, root, userData, processes: [] });
    }
    // Hosts boot side by side, as they do in EC2; each host's own commands run in order.
    await Promise.all(this.hosts.map((host) => this.boot(host)));
    await this.tickTimers();
  }

  /** The first tick of the sync timers (trust bundles, backends), once every host has booted and published. */
  async tickTimers(): Promise<void> {
    await Promise.all(this.hosts.map(async (host) => {
      for (const script of [TLS_TRUST_SYNC_SCRIPT_PATH, BACKEND_SYNC_SCRIPT_PATH]) {
        if (host.userData.write_files.some((f) => f.path === script)) must(await this.runScript(host, script, this.hostPath(host)), `${host.name}: ${script} (timer)`);
      }
    }));
  }

  /** An SSM parameter as the twin's stand-in holds it (undefined when absent). */
  parameter(name: string): string | undefined {
    const file = join(this.ssmDir, encodeURIComponent(name));
    return existsSync(file) ? readFileSync(file, "utf8") : undefined;
  }

  /** Calls a host's boot scripts made to `aws` and `systemctl`, one line each. */
  commandLog(host: TwinHost): string[] {
    const log = join(host.root, "twin-bin", "calls.log");
    return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean) : [];
  }

  /** Runs one of the host's scripts as its timer would (with the twin's aws and systemctl). */
  runHostScript(host: TwinHost, program: string, args: string[] = [], env: Record<string, string> = {}): Promise<RunResult> {
    return this.runScript(host, program, this.hostPath(host), args, env);
  }

  /** Stops the host's process of `unit` by PID and starts the unit again (the twin's `systemctl restart`). */
  async restartUnit(host: TwinHost, unit: string): Promise<void> {
    const child = host.processes.find((p) => p.spawnargs.some((a) => a.endsWith(`${unit}.log`)) || (p as any).twinUnit === unit);
    if (!child) throw new Error(`twin: ${host.name} runs no ${unit}`);
    process.kill(child.pid!, "SIGKILL");
    await waitFor(`${host.name} ${unit} to stop`, 5000, () => child.exitCode !== null || child.signalCode !== null);
    host.processes.splice(host.processes.indexOf(child), 1);
    await this.startUnit(host, unit);
  }

  /** curl from the client namespace to the entry address (HTTPS when the entry terminates TLS; `host` picks the site name). */
  get(path: string, timeoutSeconds = 5, host?: string): { status: number; body: string } {
    const result = run("ip", ["netns", "exec", this.clientNs, "curl", "-sS", "-m", String(timeoutSeconds), "-w", "\n%{http_code}", ...this.requestArgs(path, host)], { timeoutMs: (timeoutSeconds + 5) * 1000 });
    const lines = result.stdout.trimEnd().split("\n");
    return { status: Number(lines.pop()), body: lines.join("\n") };
  }

  /** Plain HTTP to the entry's port 80, whatever the entry terminates (e.g. to see the HTTPS redirect). */
  getPlain(path: string): { status: number; body: string } {
    const result = run("ip", ["netns", "exec", this.clientNs, "curl", "-sS", "-m", "5", "-w", "\n%{http_code}", `http://${this.entry.privateIp}${path}`]);
    const lines = result.stdout.trimEnd().split("\n");
    return { status: Number(lines.pop()), body: lines.join("\n") };
  }

  /** `count` requests at `perSecond` from one curl process; resolves with each response's status and body. */
  loop(path: string, count: number, perSecond: number): Promise<{ status: number; body: string }[]> {
    const request = this.requestArgs(path);
    const url = request.pop()!;
    const name = `loop-${this.loops++}`;
    const args = ["netns", "exec", this.clientNs, "curl", "-s", "-m", "5", "--rate", `${perSecond}/s`, "-w", "\nCODE %{http_code}\n", ...request, ...Array.from({ length: count }, () => url)];
    const child = this.drill.start(name, "ip", args);
    return new Promise((resolve) => {
      child.on("exit", () => {
        const out = readFileSync(join(this.drill.dir, `${name}.log`), "utf8");
        const results: { status: number; body: string }[] = [];
        let body: string[] = [];
        for (const line of out.split("\n")) {
          const code = /^CODE (\d+)$/.exec(line);
          if (code) {
            results.push({ status: Number(code[1]), body: body.join("\n") });
            body = [];
          } else if (line !== "") body.push(line);
        }
        resolve(results);
      });
    });
  }

  /** Runs SQL on one twin database as its root (unix socket); returns stdout. */
  sql(db: TwinDatabase, statement: string): string {
    return must(run("mariadb", ["--no-defaults", `--socket=${db.socket}`, "-uroot", "-N", "-B", "-e", statement]), `sql on ${db.kind}`).stdout.trim();
  }

  /** Stops every process of a host at once, as if it crashed (Nginx workers outlive their master otherwise). */
  async stopHost(host: TwinHost): Promise<void> {
    for (const pid of run("ip", ["netns", "pids", host.ns]).stdout.split(/\s+/).filter(Boolean)) {
      try {
        process.kill(Number(pid), "SIGKILL");
      } catch {
        /* already gone */
      }
    }
    await waitFor(`${host.name} to stop`, 5000, () => run("ip", ["netns", "pids", host.ns]).stdout.trim() === "");
  }

  async stopDatabase(db: TwinDatabase): Promise<void> {
    const child = db.process!;
    process.kill(child.pid!, "SIGKILL");
    await waitFor(`${db.kind} database to stop`, 5000, () => child.exitCode !== null || child.signalCode !== null);
  }

  /** Number of GetSecretValue calls the Secrets Manager stand-in answered. */
  secretFetches(): number {
    const log = join(this.drill.dir, "secrets-calls.log");
    return existsSync(log) ? readFileSync(log, "utf8").split("\n").filter(Boolean).length : 0;
  }

  async cleanup(): Promise<void> {
    await this.drill.cleanup();
    for (const dir of this.netnsDirs) rmSync(dir, { recursive: true, force: true });
    rmSync(this.dataDir, { recursive: true, force: true });
  }

  // ---- network ----------------------------------------------------------------

  /** A namespace on the twin's bridge with `ip`/32 and a default route on its link; `names` go into its /etc/hosts. */
  private attach(suffix: string, ip: string, names: Record<string, string> = {}): string {
    const ns = this.drill.namespace(suffix);
    if (Object.keys(names).length > 0) {
      // `ip netns exec` bind-mounts /etc/netns/<ns>/hosts over /etc/hosts.
      const dir = join("/etc/netns", ns);
      mkdirSync(dir, { recursive: true });
      this.netnsDirs.push(dir);
      writeFileSync(join(dir, "hosts"), `127.0.0.1 localhost\n${Object.entries(names).map(([n, a]) => `${a} ${n}`).join("\n")}\n`);
    }
    const link = `tw${process.pid % 10000}x${this.linkCount++}`;
    must(run("ip", ["link", "add", `${link}h`, "netns", ns, "type", "veth", "peer", "name", `${link}b`, "netns", this.vpcNs]), `veth ${link}`);
    must(run("ip", ["-n", this.vpcNs, "link", "set", `${link}b`, "master", BRIDGE, "up"]), "to bridge");
    must(run("ip", ["-n", ns, "link", "set", `${link}h`, "name", "eth0"]), "rename eth0");
    must(run("ip", ["-n", ns, "addr", "add", `${ip}/32`, "dev", "eth0"]), `addr ${ip}`);
    must(run("ip", ["-n", ns, "link", "set", "eth0", "up"]), "eth0 up");
    must(run("ip", ["-n", ns, "route", "add", "default", "dev", "eth0"]), "default route");
    return ns;
  }

  private privateIpOf(instance: Record<string, any>): string {
    if (instance.private_ip) return String(instance.private_ip);
    const eni = referenced(this.json, instance.network_interface?.[0]?.network_interface_id).config;
    if (eni.private_ips?.[0]) return String(eni.private_ips[0]);
    // No fixed address (stage 0): AWS hands out the subnet's first free one; .4 is the first it can.
    return cidrHost(String(referenced(this.json, eni.subnet_id).config.cidr_block), 4);
  }

  /** Apply-time references in user data → the twin's values. */
  private valueFor(reference: string): string {
    const db = /^aws_db_instance\.([^.]+)\.address$/.exec(reference);
    if (db) return dbHostname(db[1]);
    if (reference.includes("master_user_secret")) return SAMPLE_SECRET_ARN;
    if (reference.endsWith(".allocation_id")) return "eipalloc-0twin0000000000001"; // used by keepalived's failover only
    throw new Error(`twin: no value for the reference ${reference}`);
  }

  // ---- certificates and stand-ins ----------------------------------------------

  /** SSM: one file per parameter, seeded with the values Terraform writes (placeholders included). */
  private seedParameters(): void {
    this.ssmDir = join(this.drill.dir, "ssm");
    mkdirSync(this.ssmDir);
    for (const [, parameter] of resourcesOf(this.json, "aws_ssm_parameter")) {
      const value = String(parameter.value);
      if (!value.includes("${")) writeFileSync(join(this.ssmDir, encodeURIComponent(String(parameter.name))), value);
    }
  }

  /** PATH of a host's boot scripts: its twin-bin (aws, systemctl, nginx, mysql) first. */
  private hostPath(host: TwinHost): string {
    return `${join(host.root, "twin-bin")}:${SYSTEM_PATH}`;
  }

  /** The host's stand-ins for commands its scripts call. */
  private writeHostBin(host: TwinHost): void {
    const bin = join(host.root, "twin-bin");
    mkdirSync(bin, { recursive: true });
    const r = host.root;
    // The host's `mysql` reaches its own MariaDB (Debian's client config names /run/mysqld/mysqld.sock).
    writeFileSync(join(bin, "mysql"), `#!/bin/sh\nexec /usr/bin/mariadb --no-defaults --socket="${r}/run/mysqld/mysqld.sock" "$@"\n`, { mode: 0o755 });
    // nginx's default paths are the host's: point them under its root.
    writeFileSync(join(bin, "nginx"), `#!/bin/sh\nexec /usr/sbin/nginx -p "${r}/" -c "${r}${NGINX_CONF_PATH}" -e "${r}/var/log/nginx/error.log" "$@"\n`, { mode: 0o755 });
    writeFileSync(join(bin, "aws"), fakeAws(this.ssmDir, join(bin, "calls.log")), { mode: 0o755 });
    writeFileSync(join(bin, "systemctl"), fakeSystemctl(r, join(bin, "calls.log")), { mode: 0o755 });
  }

  private makeCa(): string {
    const dir = join(this.drill.dir, "ca");
    mkdirSync(dir);
    must(run("bash", ["-c", `set -e; cd "${dir}"; openssl req -x509 -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -days 2 -subj "/CN=Stack Twin CA" -keyout ca.key -out ca.pem 2>/dev/null`]), "twin CA");
    return join(dir, "ca.pem");
  }

  /** A certificate for `name` (and `alsoNames`) signed by the twin CA; returns [cert, key]. */
  private certificate(name: string, alsoNames: readonly string[] = []): [string, string] {
    const dir = join(this.drill.dir, "ca");
    const base = join(dir, name);
    must(run("bash", ["-c", `set -e; cd "${dir}"
openssl req -newkey ec -pkeyopt ec_paramgen_curve:prime256v1 -nodes -subj "/CN=${name}" -keyout "${base}.key" -out "${base}.csr" 2>/dev/null
printf 'subjectAltName=${[name, ...alsoNames].map((n) => `DNS:${n}`).join(",")}\\n' > "${base}.ext"
openssl x509 -req -in "${base}.csr" -CA ca.pem -CAkey ca.key -CAcreateserial -days 2 -extfile "${base}.ext" -out "${base}.pem" 2>/dev/null
chmod 0644 "${base}.key"`]), `certificate ${name}`);
    return [`${base}.pem`, `${base}.key`];
  }

  private startSecretsManager(name: string): void {
    this.secretsNs = this.attach("secrets", SECRETS_IP);
    const [cert, key] = this.certificate(name);
    const script = join(this.drill.dir, "secrets-manager.js");
    writeFileSync(script, FAKE_SECRETS_MANAGER);
    const secret = JSON.stringify({ username: this.masterUser, password: this.masterPassword });
    this.drill.start("secrets-manager", "ip", ["netns", "exec", this.secretsNs, process.execPath, script, cert, key, SAMPLE_SECRET_ARN, secret, join(this.drill.dir, "secrets-calls.log")]);
  }

  private async startDatabases(): Promise<void> {
    const instances = resourcesOf(this.json, "aws_db_instance");
    if (instances.length === 0) return;
    const writerEntry = instances.find(([, d]) => d.replicate_source_db === undefined)!;
    const subnetGroup = referenced(this.json, writerEntry[1].db_subnet_group_name).config;
    const dataCidr = String(referenced(this.json, subnetGroup.subnet_ids[0]).config.cidr_block);
    const ordered = [writerEntry, ...instances.filter(([n]) => n !== writerEntry[0])];
    ordered.forEach(([name], i) => {
      const kind = i === 0 ? "writer" : "reader";
      const dir = join(this.dataDir, kind);
      mkdirSync(dir);
      this.databases.push({ kind, hostname: dbHostname(name), ip: cidrHost(dataCidr, 50 + i), serverId: i + 1, ns: this.attach(`db${kind}`, cidrHost(dataCidr, 50 + i)), dir, socket: join(dir, "mysqld.sock") });
    });
    // One fresh install, copied for every server (each gets its own server_id at start).
    const template = join(this.dataDir, "template");
    installMariadbData(template);
    for (const db of this.databases) {
      must(run("cp", ["-a", template, `${db.dir}/data`]), `copy the template for the ${db.kind}`);
      this.startDatabase(db);
    }
    for (const db of this.databases) await waitForMariadb(`${db.kind} database`, db.socket);
    const writer = this.databases[0];
    this.sql(writer, `CREATE USER '${this.masterUser}'@'%' IDENTIFIED BY '${this.masterPassword}'; GRANT ALL ON *.* TO '${this.masterUser}'@'%' WITH GRANT OPTION;
CREATE USER 'repl'@'%' IDENTIFIED BY '${this.masterPassword}-repl'; GRANT REPLICATION SLAVE ON *.* TO 'repl'@'%';`);
    for (const reader of this.databases.slice(1)) {
      this.sql(reader, `CHANGE MASTER TO MASTER_HOST='${writer.ip}', MASTER_PORT=3306, MASTER_USER='repl', MASTER_PASSWORD='${this.masterPassword}-repl', MASTER_SSL=1, MASTER_SSL_CA='${this.caPath}', MASTER_SSL_VERIFY_SERVER_CERT=0, MASTER_USE_GTID=slave_pos; START SLAVE;`);
      await waitFor("replica to catch up", 15000, () => this.sql(reader, `SELECT COUNT(*) FROM mysql.user WHERE user='${this.masterUser}'`) === "1", 200);
    }
  }

  private startDatabase(db: TwinDatabase): void {
    const [cert, key] = this.certificate(db.hostname);
    const args = mariadbdArgs({ datadir: `${db.dir}/data`, socket: db.socket, pidFile: `${db.dir}/mysqld.pid`, logError: `${db.dir}/error.log` }, [
      `--bind-address=${db.ip}`, "--port=3306", "--skip-name-resolve", `--server-id=${db.serverId}`,
      `--ssl-ca=${this.caPath}`, `--ssl-cert=${cert}`, `--ssl-key=${key}`, "--require-secure-transport=ON",
      ...(db.kind === "writer" ? [`--log-bin=${db.dir}/binlog`] : ["--read-only=ON"]),
    ]);
    db.process = this.drill.start(`mariadb-${db.kind}`, "ip", ["netns", "exec", db.ns, "mariadbd", ...args]);
  }

  // ---- first boot ---------------------------------------------------------------

  /** Writes the host's files (paths moved under its root) and walks its runcmd. */
  private async boot(host: TwinHost): Promise<void> {
    const written = host.userData.write_files.map((f) => f.path);
    // One pass over every host path (longest first), so a moved path is never moved again.
    const prefixes = [...written, "/etc/platform/", "/etc/haproxy/certs/", "/run/", "/var/log/nginx/", "/var/lib/haproxy"].sort((a, b) => b.length - a.length);
    const pattern = new RegExp(`(?<![\\w/.])(${prefixes.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|")})`, "g");
    const relocate = (text: string): string => text.replace(pattern, `${host.root}$1`);
    for (const dir of ["run/mysqld", "run/haproxy", "var/log/nginx", "var/lib/haproxy", "var/lib/mysql"]) mkdirSync(join(host.root, dir), { recursive: true });
    chmodSync(host.root, 0o755);
    this.writeHostBin(host);
    for (const file of host.userData.write_files) {
      const target = host.root + file.path;
      mkdirSync(dirname(target), { recursive: true });
      let content = relocate(file.content);
      if (file.path === HAPROXY_BACKENDS_PATH) content = relocate(syncedBackendsOf(this.stack, file.content));
      writeFileSync(target, content, { mode: parseInt(file.permissions, 8) });
    }
    // The twin's databases carry twin certificates: the app trusts the twin CA where it would trust RDS's.
    if (existsSync(host.root + RDS_CA_PATH)) copyFileSync(this.caPath, host.root + RDS_CA_PATH);
    for (const command of host.userData.runcmd) await this.runBootCommand(host, command);
  }

  private async runBootCommand(host: TwinHost, command: string[]): Promise<void> {
    const [program, ...args] = command;
    if (program === "useradd") return; // services run as root in the twin
    if (program === "systemctl") {
      const [verb, ...rest] = args;
      if (verb === "daemon-reload" || verb === "disable") return;
      const units = rest.filter((a) => !a.startsWith("--"));
      if (verb === "enable" || verb === "restart" || verb === "start") {
        for (const unit of units) await this.startUnit(host, unit.replace(/\.service$/, ""));
        return;
      }
    }
    if (program.startsWith("/usr/local/sbin/")) {
      if (program === CERT_PLACEHOLDER_SCRIPT_PATH) {
        // The placeholder runs as on the host; then the twin CA stands in for Let's Encrypt (the renew timer's job),
        // issuing for exactly the names the host's renew script asks certbot for.
        must(await this.runScript(host, program, SYSTEM_PATH), `${host.name}: ${program}`);
        const [first, ...more] = certbotNames(readFileSync(host.root + CERT_RENEW_SCRIPT_PATH, "utf8"));
        const [cert, key] = this.certificate(first, more);
        writeFileSync(host.root + HAPROXY_CERT_PATH, readFileSync(cert, "utf8") + readFileSync(key, "utf8"), { mode: 0o600 });
        return;
      }
      must(await this.runScript(host, program, this.hostPath(host)), `${host.name}: ${program}`);
      return;
    }
    throw new Error(`twin: ${host.name} runs a boot command the twin does not know: ${command.join(" ")}`);
  }

  /** Runs a boot script of the host with /etc and /usr read-only: a path the twin failed to move fails the run instead of touching this machine. */
  private runScript(host: TwinHost, program: string, path: string, args: string[] = [], env: Record<string, string> = {}): Promise<RunResult> {
    const guard = "mount --bind /etc /etc && mount -o remount,bind,ro /etc && mount --bind /usr /usr && mount -o remount,bind,ro /usr && exec bash \"$0\" \"$@\"";
    // Asynchronous, so hosts booting side by side really run their scripts side by side.
    return runAsync("ip", ["netns", "exec", host.ns, "unshare", "--mount", "--propagation", "private", "sh", "-c", guard, host.root + program, ...args], { PATH: path, ...env }, 30000);
  }

  private async startUnit(host: TwinHost, unit: string): Promise<void> {
    const r = host.root;
    const start = (name: string, args: string[], env: NodeJS.ProcessEnv = {}): void => {
      host.processes.push(this.drill.start(`${host.name}-${name}`, "ip", ["netns", "exec", host.ns, ...args], env));
    };
    if (unit.endsWith(".timer") || unit === "keepalived") return;
    if (unit === "nginx") {
      start("nginx", ["nginx", "-p", `${r}/`, "-c", r + NGINX_CONF_PATH, "-e", `${r}/var/log/nginx/error.log`, "-g", "daemon off;"]);
      // Up-check only (-k): whether the certificate is the right one is what HAProxy's verification proves.
      const url = /listen 443 ssl/.test(readFileSync(r + NGINX_CONF_PATH, "utf8")) ? ["-k", "https://127.0.0.1/healthz"] : ["http://127.0.0.1/healthz"];
      await waitFor(`${host.name} nginx`, 5000, () => run("ip", ["netns", "exec", host.ns, "curl", "-s", "-o", "/dev/null", ...url]).code === 0);
      return;
    }
    if (unit === "haproxy") {
      // Master-worker in the foreground, so the twin's `systemctl reload haproxy` (USR2 to the master) works.
      start("haproxy", ["haproxy", "-W", "-db", "-p", `${r}/run/haproxy-twin.pid`, "-f", r + HAPROXY_CFG_PATH, "-f", r + HAPROXY_BACKENDS_PATH]);
      await waitFor(`${host.name} haproxy`, 15000, () => existsSync(`${r}/run/haproxy/admin.sock`));
      return;
    }
    if (unit === "mariadb") {
      const data = `${r}/var/lib/mysql`;
      installMariadbData(data);
      const socket = `${r}/run/mysqld/mysqld.sock`;
      const child = this.drill.start(`${host.name}-mariadb`, "ip", ["netns", "exec", host.ns, "mariadbd",
        ...mariadbdArgs({ datadir: data, socket, pidFile: `${r}/run/mysqld/mysqld.pid`, logError: `${data}/error.log` }, ["--bind-address=127.0.0.1"])]);
      host.processes.push(child);
      this.databases.push({ kind: "writer", hostname: "localhost", ip: "127.0.0.1", serverId: 1, ns: host.ns, dir: `${r}/var/lib/mysql`, socket, process: child });
      await waitForMariadb("local mariadb", socket);
      return;
    }
    const unitPath = `${r}/etc/systemd/system/${unit}.service`;
    if (!existsSync(unitPath)) throw new Error(`twin: ${host.name} starts ${unit}, which the twin does not know`);
    const service = parseUnit(readFileSync(unitPath, "utf8"));
    const env: NodeJS.ProcessEnv = { PATH: SYSTEM_PATH };
    for (const file of service.environmentFiles) Object.assign(env, parseEnvFile(readFileSync(file, "utf8")));
    Object.assign(env, service.environment);
    if (service.credentials.length > 0) {
      const dir = `${r}/run/credentials/${unit}.service`;
      mkdirSync(dir, { recursive: true });
      for (const [name, path] of service.credentials) copyFileSync(path, join(dir, name));
      env.CREDENTIALS_DIRECTORY = dir;
    }
    // Stand-in for the instance role: static keys; the twin CA for the Secrets Manager endpoint.
    Object.assign(env, { AWS_ACCESS_KEY_ID: "AKIATWINTWINTWINTWIN", AWS_SECRET_ACCESS_KEY: "twin-secret-key", AWS_EC2_METADATA_DISABLED: "true", AWS_CA_BUNDLE: this.caPath });
    // Each host has its own host name, as on EC2.
    start(unit, ["unshare", "--uts", "sh", "-c", `hostname "$0" && exec "$@"`, host.name, ...service.execStart], env);
    (host.processes[host.processes.length - 1] as any).twinUnit = unit;
    const listen = String(env.APP_LISTEN ?? "127.0.0.1:8000").replace(/^0\.0\.0\.0:/, "127.0.0.1:");
    await waitFor(`${host.name} ${unit}`, 20000, () => run("ip", ["netns", "exec", host.ns, "curl", "-s", "-o", "/dev/null", `http://${listen}/healthz`]).code === 0);
    // The TLS listener starts after the plain one: callers must not meet a closed port.
    const tlsListen = env.APP_TLS_LISTEN?.replace(/^0\.0\.0\.0:/, "127.0.0.1:");
    if (tlsListen) await waitFor(`${host.name} ${unit} TLS`, 20000, () => run("ip", ["netns", "exec", host.ns, "curl", "-sk", "-o", "/dev/null", `https://${tlsListen}/healthz`]).code === 0);
  }
}

/** `run` without blocking the event loop; killed by PID after `timeoutMs`. */
function runAsync(command: string, args: string[], env: NodeJS.ProcessEnv, timeoutMs: number): Promise<RunResult> {
  return new Promise((resolve) => {
    const child = spawn(command, args, { env, stdio: ["ignore", "pipe", "pipe"] });
    let stdout = "";
    let stderr = "";
    let done = false;
    const finish = (result: RunResult) => {
      if (done) return;
      done = true;
      clearTimeout(timer);
      resolve(result);
    };
    child.stdout.on("data", (d) => (stdout += d));
    child.stderr.on("data", (d) => (stderr += d));
    const timer = setTimeout(() => {
      try {
        process.kill(child.pid!, "SIGKILL");
      } catch {
        /* already gone */
      }
    }, timeoutMs);
    child.on("error", (error) => finish({ code: null, stdout, stderr: String(error) }));
    child.on("close", (code) => finish({ code, stdout, stderr }));
    // A process a script left behind may hold the pipes open: the script's own exit decides.
    child.on("exit", (code) => setTimeout(() => finish({ code, stdout, stderr }), 2000));
  });
}

/** The names a renew script's `certbot certonly` asks for (`-d "$DOMAIN"` and `-d name`). */
export function certbotNames(script: string): string[] {
  const domain = /^DOMAIN="([^"]+)"$/m.exec(script)?.[1];
  const command = /^certbot certonly[\s\S]*?[^\\]$/m.exec(script)?.[0] ?? "";
  const names = [...command.matchAll(/-d ("\$DOMAIN"|\S+)/g)].map((m) => (m[1] === '"$DOMAIN"' ? domain! : m[1]));
  if (names.length === 0) throw new Error("twin: the renew script asks certbot for no name");
  return names;
}

/** Host name a database's address resolves to in the twin. */
function dbHostname(resourceName: string): string {
  return `${resourceName.toLowerCase().replace(/[^a-z0-9]+/g, "-")}.twin.rds.internal`;
}

interface ParsedUnit {
  environment: Record<string, string>;
  environmentFiles: string[];
  credentials: [string, string][];
  execStart: string[];
}

/** The [Service] settings the twin honours. */
export function parseUnit(text: string): ParsedUnit {
  const unit: ParsedUnit = { environment: {}, environmentFiles: [], credentials: [], execStart: [] };
  for (const line of text.split("\n")) {
    const m = /^(\w+)=(.*)$/.exec(line.trim());
    if (!m) continue;
    const [, key, value] = m;
    if (key === "Environment") for (const pair of value.split(/\s+/).filter(Boolean)) unit.environment[pair.split("=")[0]] = pair.slice(pair.indexOf("=") + 1);
    if (key === "EnvironmentFile") unit.environmentFiles.push(value.replace(/^-/, ""));
    if (key === "LoadCredential") unit.credentials.push([value.split(":")[0], value.slice(value.indexOf(":") + 1)]);
    if (key === "ExecStart") unit.execStart = value.split(/\s+/);
  }
  return unit;
}

function parseEnvFile(text: string): Record<string, string> {
  return Object.fromEntries(text.split("\n").filter((l) => /^[A-Z_][A-Z0-9_]*=/.test(l)).map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]));
}

/**
 * The twin's `aws`: SSM parameters as files in `store`; only the call shapes
 * the boot scripts use (get-parameter / get-parameters with their --query and
 * text output, put-parameter --overwrite); anything else fails loudly.
 */
function fakeAws(store: string, log: string): string {
  return `#!/bin/bash
set -euo pipefail
printf 'aws %s\\n' "$*" >>"${log}"
fail() { echo "twin aws: $*" >&2; exit 255; }
[ "\${1:-}" = ssm ] || fail "only ssm is stood in for: $*"
op="$2"; shift 2
names=(); value=""; query=""; output=""; overwrite=0
while [ $# -gt 0 ]; do
  case "$1" in
    --region|--type) shift 2 ;;
    --name) names+=("$2"); shift 2 ;;
    --names) shift; while [ $# -gt 0 ] && [[ "$1" != --* ]]; do names+=("$1"); shift; done ;;
    --value) value="$2"; shift 2 ;;
    --query) query="$2"; shift 2 ;;
    --output) output="$2"; shift 2 ;;
    --overwrite) overwrite=1; shift ;;
    --with-decryption) shift ;;
    *) fail "unsupported argument $1" ;;
  esac
done
file() { printf '%s/%s' "${store}" "\${1//\\//%2F}"; }  # encodeURIComponent of [A-Za-z0-9._/-]
case "$op" in
  get-parameter)
    [ "$query $output" = "Parameter.Value text" ] || fail "get-parameter $query $output"
    f="$(file "\${names[0]}")"; [ -f "$f" ] || { echo "An error occurred (ParameterNotFound)" >&2; exit 254; }
    cat "$f"; echo ;;
  get-parameters)
    [ "$query $output" = "Parameters[].Value text" ] || fail "get-parameters $query $output"
    [ "\${#names[@]}" -le 10 ] || fail "get-parameters takes at most 10 names"
    sep=""
    for n in "\${names[@]}"; do f="$(file "$n")"; if [ -f "$f" ]; then printf '%s' "$sep"; cat "$f"; sep=$'\\t'; fi; done
    echo ;;
  put-parameter)
    f="$(file "\${names[0]}")"
    [ "$overwrite" = 1 ] || [ ! -f "$f" ] || fail "ParameterAlreadyExists"
    if [[ "$value" == file://* ]]; then cp "\${value#file://}" "$f"; else printf '%s' "$value" >"$f"; fi
    echo '{"Version": 2}' ;;
  *) fail "unsupported ssm $op" ;;
esac
`;
}

/** The twin's `systemctl` for boot scripts: reloads the host's twin nginx or HAProxy by PID; anything else fails loudly. */
function fakeSystemctl(root: string, log: string): string {
  return `#!/bin/bash
set -euo pipefail
printf 'systemctl %s\\n' "$*" >>"${log}"
signal() { # pidfile signal: a running daemon gets the signal; a stopped one is left stopped (try-reload semantics)
  if [ -s "$1" ] && kill -0 "$(cat "$1")" 2>/dev/null; then kill "-$2" "$(cat "$1")"; fi
}
case "$1 \${2%.service}" in
  "reload nginx"|"try-reload-or-restart nginx"|"reload-or-restart nginx") signal "${root}/run/nginx.pid" HUP ;;
  "reload haproxy"|"try-reload-or-restart haproxy"|"reload-or-restart haproxy") signal "${root}/run/haproxy-twin.pid" USR2 ;;
  *) echo "twin systemctl: unsupported $*" >&2; exit 1 ;;
esac
`;
}

const FAKE_SECRETS_MANAGER = `const https = require("https");
const fs = require("fs");
const [, , cert, key, arn, secret, log] = process.argv;
https.createServer({ cert: fs.readFileSync(cert), key: fs.readFileSync(key) }, (req, res) => {
  let body = "";
  req.on("data", (c) => (body += c));
  req.on("end", () => {
    const reply = (status, payload) => { res.writeHead(status, { "Content-Type": "application/x-amz-json-1.1" }); res.end(JSON.stringify(payload)); };
    if (req.headers["x-amz-target"] !== "secretsmanager.GetSecretValue") return reply(400, { __type: "UnknownOperationException" });
    if (!String(req.headers.authorization || "").startsWith("AWS4-HMAC-SHA256 ")) return reply(400, { __type: "MissingAuthenticationTokenException" });
    const id = JSON.parse(body || "{}").SecretId;
    fs.appendFileSync(log, id + "\\n");
    if (id !== arn) return reply(400, { __type: "ResourceNotFoundException", message: "no secret " + id });
    reply(200, { ARN: arn, Name: "rds!db-twin", SecretString: secret, VersionId: "v1", VersionStages: ["AWSCURRENT"], CreatedDate: 1.7e9 });
  });
}).listen(443, "0.0.0.0");
`;
