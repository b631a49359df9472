/**
 * Drill B (issue 3, proof 4): the generated keepalived.conf pair, failover
 * script and haproxy.cfg run for real. Two network namespaces joined by a veth
 * pair named like the configured interface (ens5) carry stand-ins for the two
 * private IPs; each node runs under `unshare --pid --mount-proc` so
 * `pgrep -x haproxy` sees only its own HAProxy. A fake `aws` first on PATH
 * records its arguments, and a fake IMDSv2 inside each namespace answers the
 * node's instance id.
 * Expect: kill HAProxy on the MASTER → the BACKUP becomes MASTER and calls
 * associate-address with the right allocation id and its own instance id
 * within 5 s; restart HAProxy on the old MASTER → no second move (nopreempt).
 */
import { chmodSync, existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import {
  CERT_PULL_SCRIPT_PATH,
  FAILOVER_SCRIPT_PATH,
  HAPROXY_BACKENDS_PATH,
  HAPROXY_CFG_PATH,
  KEEPALIVED_CONF_PATH,
  KEEPALIVED_STATE_SCRIPT_PATH,
  NODE_EXPORTER_TEXTFILE_DIR,
} from "../../modules/server-config/paths";
import { masterMarkerAddress } from "../../modules/server-config/keepalived";
import { Drill, makeDrillDir, must, seconds, sleep, waitFor } from "../support/drill-kit";
import { renderedFile } from "../support/rendered-files";
import { stage3Facts } from "../support/rendered-files";

const FACTS = stage3Facts();
import { describeWithTools, run, SYSTEM_PATH } from "../support/tools";
import { relocateBackendTrust, relocateHaproxyPaths, writeSelfSignedPem } from "../support/validators";

interface Node {
  key: "a" | "b";
  role: "lb-a" | "lb-b";
  ns: string;
  address: string;
  instanceId: string;
  dir: string;
  awsLog: string;
  certPullLog: string;
  unsharePid?: number;
}

const FAKE_IMDS = `const http = require("http");
const [, , port, instanceId] = process.argv;
const tokens = new Set();
http.createServer((req, res) => {
  if (req.method === "PUT" && req.url === "/latest/api/token" && req.headers["x-aws-ec2-metadata-token-ttl-seconds"]) {
    const token = "token-" + Math.random().toString(36).slice(2);
    tokens.add(token);
    return res.end(token);
  }
  if (req.method === "GET" && req.url === "/latest/meta-data/instance-id") {
    if (!tokens.has(req.headers["x-aws-ec2-metadata-token"])) { res.statusCode = 401; return res.end(); }
    return res.end(instanceId);
  }
  res.statusCode = 404;
  res.end();
}).listen(Number(port), "127.0.0.1");
`;

const IMDS_PORT = 8169;
const MARKER = masterMarkerAddress(51);

describeWithTools("Drill B: keepalived moves the Elastic IP when HAProxy dies, and only once", ["keepalived", "haproxy", "ip", "unshare", "nsenter", "pgrep", "curl", "openssl"], true, () => {
  let drill: Drill;
  const nodes: Record<"a" | "b", Node> = {} as Record<"a" | "b", Node>;

  const isMaster = (node: Node): boolean => run("ip", ["-n", node.ns, "-o", "addr", "show", "dev", "lo"]).stdout.includes(` ${MARKER}/32 `);
  const awsCalls = (node: Node): string[] => (existsSync(node.awsLog) ? readFileSync(node.awsLog, "utf8").trim().split("\n").filter(Boolean) : []);
  const nodePid = (node: Node): number => Number(must(run("pgrep", ["-P", String(node.unsharePid)]), "node pid").stdout.trim().split("\n")[0]);
  const haproxyPids = (node: Node): number[] =>
    run("pgrep", ["-x", "haproxy", "--ns", String(nodePid(node)), "--nslist", "pid"]).stdout.split(/\s+/).filter(Boolean).map(Number);

  function startNode(node: Node): void {
    const child = drill.start(`node-${node.key}`, "ip", [
      "netns", "exec", node.ns,
      "unshare", "--pid", "--mount-proc", "--kill-child=SIGTERM",
      "bash", "-c",
      `haproxy -D -p "${node.dir}/haproxy.pid" -f "${node.dir}/haproxy.cfg" -f "${node.dir}/backends.cfg" && ` +
        `exec keepalived -n -l -D -f "${node.dir}/keepalived.conf" -p "${node.dir}/keepalived.pid" -r "${node.dir}/vrrp.pid" -c "${node.dir}/checkers.pid"`,
    ], { PATH: `${node.dir}/bin:${SYSTEM_PATH}`, IMDS_ENDPOINT: `http://127.0.0.1:${IMDS_PORT}` });
    node.unsharePid = child.pid;
  }

  beforeAll(async () => {
    drill = new Drill("drillb", makeDrillDir("drill-b"));
    chmodSync(drill.dir, 0o755);
    const specs = [
      { key: "a" as const, role: "lb-a" as const, address: "10.255.0.1", instanceId: "i-0aaaaaaaaaaaaaaa1" },
      { key: "b" as const, role: "lb-b" as const, address: "10.255.0.2", instanceId: "i-0bbbbbbbbbbbbbbb2" },
    ];
    // Generated addresses → addresses inside our namespaces.
    const remap = (text: string): string => text.split(FACTS.lbA.privateIp).join("10.255.0.1").split(FACTS.lbB.privateIp).join("10.255.0.2");
    for (const spec of specs) {
      const dir = join(drill.dir, spec.key);
      mkdirSync(join(dir, "bin"), { recursive: true });
      chmodSync(dir, 0o755);
      const node: Node = { key: spec.key, role: spec.role, ns: drill.namespace(spec.key), address: spec.address, instanceId: spec.instanceId, dir, awsLog: join(dir, "aws.log"), certPullLog: join(dir, "cert-pull.log") };
      nodes[spec.key] = node;

      writeFileSync(join(dir, "bin", "aws"), `#!/bin/bash\nprintf '%s %s\\n' "$(date +%s.%N)" "$*" >>"${node.awsLog}"\n[ "$1 $2" = "ec2 associate-address" ] && echo eipassoc-0drill\n`, { mode: 0o755 });
      writeFileSync(join(dir, "cert-pull"), `#!/bin/bash\ndate +%s.%N >>"${node.certPullLog}"\n`, { mode: 0o755 });
      writeFileSync(join(dir, "imds.js"), FAKE_IMDS);
      const failover = renderedFile(spec.role, FAILOVER_SCRIPT_PATH).split(CERT_PULL_SCRIPT_PATH).join(join(dir, "cert-pull"));
      writeFileSync(join(dir, "eip-failover"), failover, { mode: 0o755 });
      const stateMetric = renderedFile(spec.role, KEEPALIVED_STATE_SCRIPT_PATH).split(NODE_EXPORTER_TEXTFILE_DIR).join(join(dir, "textfile"));
      writeFileSync(join(dir, "keepalived-state-metric"), stateMetric, { mode: 0o755 });
      const keepalived = remap(renderedFile(spec.role, KEEPALIVED_CONF_PATH))
        .split(FAILOVER_SCRIPT_PATH).join(join(dir, "eip-failover"))
        .split(KEEPALIVED_STATE_SCRIPT_PATH).join(join(dir, "keepalived-state-metric"));
      writeFileSync(join(dir, "keepalived.conf"), keepalived);
      writeSelfSignedPem(join(dir, "site.pem"));
      writeFileSync(join(dir, "haproxy.cfg"), relocateHaproxyPaths(remap(renderedFile(spec.role, HAPROXY_CFG_PATH)), dir));
      // The web servers' pinned certificates: HAProxy refuses to start without its bundle (the drill needs no backend up).
      writeSelfSignedPem(join(dir, "backend-trust.pem"));
      writeFileSync(join(dir, "backends.cfg"), relocateBackendTrust(renderedFile(spec.role, HAPROXY_BACKENDS_PATH), join(dir, "backend-trust.pem")));
    }
    // The pair's link, named like the configured interface in both namespaces.
    const iface = /interface (\S+)/.exec(renderedFile("lb-a", KEEPALIVED_CONF_PATH))![1];
    const tmpA = `drb${process.pid % 100000}a`;
    const tmpB = `drb${process.pid % 100000}b`;
    must(run("ip", ["link", "add", tmpA, "netns", nodes.a.ns, "type", "veth", "peer", "name", tmpB, "netns", nodes.b.ns]), "veth");
    for (const [node, tmp] of [[nodes.a, tmpA], [nodes.b, tmpB]] as const) {
      must(run("ip", ["-n", node.ns, "link", "set", tmp, "name", iface]), "rename");
      must(run("ip", ["-n", node.ns, "addr", "add", `${node.address}/24`, "dev", iface]), "addr");
      must(run("ip", ["-n", node.ns, "link", "set", iface, "up"]), "up");
      drill.start(`imds-${node.key}`, "ip", ["netns", "exec", node.ns, process.execPath, join(node.dir, "imds.js"), String(IMDS_PORT), node.instanceId]);
    }
    await waitFor("fake IMDS", 5000, () => [nodes.a, nodes.b].every((n) => run("ip", ["netns", "exec", n.ns, "curl", "-sf", "-X", "PUT", "-H", "X-aws-ec2-metadata-token-ttl-seconds: 5", `http://127.0.0.1:${IMDS_PORT}/latest/api/token`]).code === 0));

    // lb-a (higher priority) first; once it holds the EIP, lb-b joins as BACKUP.
    startNode(nodes.a);
    await waitFor("lb-a to become MASTER and associate the EIP", 10000, () => isMaster(nodes.a) && awsCalls(nodes.a).length === 1);
    startNode(nodes.b);
    await sleep(3000);
  }, 60000);

  afterAll(async () => {
    await drill?.cleanup();
  });

  /** keepalived_vrrp_state as the notify hook wrote it for node_exporter's textfile collector. */
  function vrrpState(node: Node): number | undefined {
    const file = join(node.dir, "textfile", "keepalived.prom");
    if (!existsSync(file)) return undefined;
    const m = /^keepalived_vrrp_state\{vrrp_instance="haproxy_pair"\} (\d)$/m.exec(readFileSync(file, "utf8"));
    return m ? Number(m[1]) : undefined;
  }

  it("starts with lb-a as MASTER holding the EIP and lb-b as BACKUP", () => {
    expect(isMaster(nodes.a)).toBe(true);
    expect(isMaster(nodes.b)).toBe(false);
    expect(awsCalls(nodes.a)[0]).toContain(`ec2 associate-address --region ${FACTS.region} --allocation-id ${FACTS.allocationId} --instance-id ${nodes.a.instanceId} --allow-reassociation`);
    expect(awsCalls(nodes.b)).toEqual([]);
    expect(haproxyPids(nodes.a)).toHaveLength(1);
    expect(haproxyPids(nodes.b)).toHaveLength(1);
    expect(vrrpState(nodes.a)).toBe(2);
    expect(vrrpState(nodes.b)).toBe(1);
  });

  it("moves the EIP to lb-b within 5 s after HAProxy dies on lb-a", async () => {
    const killedAt = Date.now();
    for (const pid of haproxyPids(nodes.a)) process.kill(pid, "SIGKILL");
    await waitFor("lb-b to associate the EIP", 8000, () => awsCalls(nodes.b).length > 0, 50);
    const calledAt = Number(awsCalls(nodes.b)[0].split(" ")[0]) * 1000;
    await waitFor("lb-b to hold the MASTER marker", 3000, () => isMaster(nodes.b), 50);
    await waitFor("cert pull after the move", 3000, () => existsSync(nodes.b.certPullLog), 50);
    // eslint-disable-next-line no-console
    console.log(`Drill B: HAProxy killed on lb-a → lb-b called associate-address after ${seconds(killedAt, calledAt)} s, then pulled the certificate`);
    expect(awsCalls(nodes.b)).toHaveLength(1);
    expect(awsCalls(nodes.b)[0]).toContain(`ec2 associate-address --region ${FACTS.region} --allocation-id ${FACTS.allocationId} --instance-id ${nodes.b.instanceId} --allow-reassociation`);
    expect(calledAt - killedAt).toBeLessThanOrEqual(5000);
    expect(isMaster(nodes.a)).toBe(false);
    // The notify hook left the state for node_exporter: MASTER (2) on lb-b, FAULT (3) on lb-a — what LoadBalancerFailover reads.
    await waitFor("lb-b's state metric to say MASTER", 3000, () => vrrpState(nodes.b) === 2, 50);
    await waitFor("lb-a's state metric to say FAULT", 3000, () => vrrpState(nodes.a) === 3, 50);
  });

  it("does not move the EIP back when HAProxy recovers on lb-a (nopreempt)", async () => {
    must(run("nsenter", ["-t", String(nodePid(nodes.a)), "-p", "-m", "-n", "haproxy", "-D", "-p", join(nodes.a.dir, "haproxy.pid"), "-f", join(nodes.a.dir, "haproxy.cfg"), "-f", join(nodes.a.dir, "backends.cfg")]), "restart haproxy on lb-a");
    await waitFor("haproxy back on lb-a", 3000, () => haproxyPids(nodes.a).length === 1);
    // rise 2 × 1 s plus a few adverts: long enough for a preempting node to take over.
    await sleep(5000);
    // eslint-disable-next-line no-console
    console.log(`Drill B: 5 s after HAProxy recovered on lb-a: lb-a MASTER=${isMaster(nodes.a)}, lb-b MASTER=${isMaster(nodes.b)}, EIP calls a=${awsCalls(nodes.a).length} b=${awsCalls(nodes.b).length}`);
    expect(isMaster(nodes.b)).toBe(true);
    expect(isMaster(nodes.a)).toBe(false);
    expect(awsCalls(nodes.a)).toHaveLength(1);
    expect(awsCalls(nodes.b)).toHaveLength(1);
  });
});
