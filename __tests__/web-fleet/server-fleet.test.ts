/**
 * ServerFleet and NginxFleet in stacks of their own: the promises of modules/web-fleet/README.md
 * (test names quote it), asserted on the synthesized JSON. Each test synthesizes its own stack.
 */
import { Lazy, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { fixedAddresses, FLEET_ENVIRONMENT_PATH, NginxFleet, NginxFleetProps, plannedFleetAddresses, ServerFleet, ServerFleetProps } from "../../modules/web-fleet";
import { NetworkSubnet, SubnetKind } from "../../modules/network";
import { fileFromCloudConfig, parseCloudConfig } from "../../modules/core/cloud-config";
import { unescapeTerraformTemplate } from "../../modules/core/terraform-text";
import { InvalidInputError } from "../../modules/core/validation";

type Json = Record<string, any>;

const subnet = (id: string, az: string, cidr: string, azIndex: number): NetworkSubnet => ({ id, tier: "private-app", kind: SubnetKind.PRIVATE, azIndex, availabilityZone: az, cidr });
const EAST = { region: "us-east-1", vpcId: "vpc-east", ami: "ami-0123456789abcdef0", subnets: [subnet("e-a", "us-east-1a", "10.30.64.0/20", 0), subnet("e-b", "us-east-1b", "10.30.80.0/20", 1)] };
const WEST = { region: "us-west-2", vpcId: "vpc-west", ami: "ami-0fedcba9876543210", subnets: [subnet("w-a", "us-west-2a", "10.40.64.0/20", 0), subnet("w-b", "us-west-2b", "10.40.80.0/20", 1)] };
const SERVER: ServerFleetProps = {
  name: "shop",
  role: "app",
  placements: [EAST],
  cloudConfig: { packages: ["python3"] },
  ingress: [{ port: 8080, from: ["10.30.64.20", "10.30.0.0/24"], description: "Application port from" }],
  monitoringCidrs: ["10.30.64.10/32"],
};

function synth(add: (stack: TerraformStack) => void): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "fleet-test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  add(stack);
  return JSON.parse(Testing.synth(stack));
}
function buildServer(overrides: Partial<ServerFleetProps> = {}): { json: Json; fleet: ServerFleet } {
  let fleet!: ServerFleet;
  const json = synth((stack) => { fleet = new ServerFleet(stack, "app", { ...SERVER, ...overrides }); });
  return { json, fleet };
}
function buildNginx(overrides: Partial<NginxFleetProps> = {}): { json: Json; fleet: NginxFleet } {
  let fleet!: NginxFleet;
  const json = synth((stack) => { fleet = new NginxFleet(stack, "web", { name: "shop", placements: [EAST], allowHttpFrom: ["10.30.0.10", "10.30.16.10"], monitoringCidrs: ["10.30.64.10/32"], ...overrides }); });
  return { json, fleet };
}
const all = (json: Json, type: string): Json[] => Object.values(json.resource[type] ?? {});
const ingress = (json: Json) => all(json, "aws_vpc_security_group_ingress_rule");
const egress = (json: Json) => all(json, "aws_vpc_security_group_egress_rule");

describe("ServerFleet", () => {
  it("\"Every host is a HardenedInstance without a public address\", with a fixed private IP from host 20, Role tag and numbered names", () => {
    const { json, fleet } = buildServer();
    const instances = all(json, "aws_instance");
    expect(instances).toHaveLength(2);
    for (const i of instances) {
      expect(i.associate_public_ip_address).toBe(false);
      expect(i.tags.Role).toBe("app");
      expect(i.metadata_options.http_tokens).toBe("required");
      expect(i.instance_type).toBe("t3.micro");
    }
    expect(instances.map((i) => [i.tags.Name, i.private_ip, i.subnet_id])).toEqual([["shop-app-1", "10.30.64.20", "e-a"], ["shop-app-2", "10.30.80.20", "e-b"]]);
    expect(fleet.members.map((m) => [m.name, m.region, m.availabilityZone, m.privateIp])).toEqual([["shop-app-1", "us-east-1", "us-east-1a", "10.30.64.20"], ["shop-app-2", "us-east-1", "us-east-1b", "10.30.80.20"]]);
    expect(fleet.privateIps).toEqual(["10.30.64.20", "10.30.80.20"]);
  });

  it("hosts keep their Terraform addresses <role>-1, <role>-2, … (renumbering them would replace every host on the next apply)", () => {
    const { json } = buildServer({ count: 3 });
    expect(Object.keys(json.resource.aws_instance).map((id) => /^app_(app-\d+)_instance_/.exec(id)?.[1])).toEqual(["app-1", "app-2", "app-3"]);
  });

  it("\"host i goes to placement i mod P, then round-robin over that placement's subnets; within a subnet … firstHostNumber, +1, …\"", () => {
    const { fleet } = buildServer({ placements: [EAST, WEST], count: 6, firstHostNumber: 120 });
    expect(fleet.members.map((m) => `${m.region}/${m.privateIp}`)).toEqual([
      "us-east-1/10.30.64.120", "us-west-2/10.40.64.120", "us-east-1/10.30.80.120", "us-west-2/10.40.80.120", "us-east-1/10.30.64.121", "us-west-2/10.40.64.121",
    ]);
    expect(plannedFleetAddresses([EAST, WEST], 6, 120)).toEqual(fleet.privateIps);
    expect(plannedFleetAddresses([EAST])).toEqual(["10.30.64.20", "10.30.80.20"]);
    expect(() => plannedFleetAddresses([EAST], 5, 249)).toThrow("fleet.count: 5 is not allowed; expected at most 2 hosts per subnet from host number 249");
  });

  it("\"Growing count appends hosts and never moves existing ones\"", () => {
    const small = buildServer({ count: 3 }).fleet.privateIps;
    const large = buildServer({ count: 5 }).fleet.privateIps;
    expect(large.slice(0, 3)).toEqual(small);
  });

  it("\"Each placement gets its own firewall <name>-<role>-<region>\" and \"its own HostRole <name>-<role>-<region>-host\"", () => {
    const { json, fleet } = buildServer({ placements: [EAST, WEST], count: 2 });
    expect(all(json, "aws_security_group").map((g) => [g.name, g.vpc_id])).toEqual([["shop-app-us-east-1", "vpc-east"], ["shop-app-us-west-2", "vpc-west"]]);
    expect(all(json, "aws_iam_role").map((r) => r.name)).toEqual(["shop-app-us-east-1-host", "shop-app-us-west-2-host"]);
    expect(fleet.firewalls).toHaveLength(2);
    const [east, west] = all(json, "aws_instance");
    expect(east.iam_instance_profile).not.toBe(west.iam_instance_profile);
    expect(east.vpc_security_group_ids).not.toEqual(west.vpc_security_group_ids);
    expect(west.ami).toBe("ami-0fedcba9876543210");
  });

  it("\"admits each port only from named sources (one described rule per source), node_exporter (9100) only from monitoringCidrs, SSH only from sshCidrs\"", () => {
    const { json } = buildServer({ sshCidrs: ["198.51.100.0/24"] });
    expect(ingress(json).map((r) => `${r.from_port} ${r.cidr_ipv4} ${r.description}`).sort()).toEqual([
      "22 198.51.100.0/24 SSH from admin range 198.51.100.0/24",
      "8080 10.30.0.0/24 Application port from 10.30.0.0/24",
      "8080 10.30.64.20/32 Application port from 10.30.64.20",
      "9100 10.30.64.10/32 node_exporter to monitoring 10.30.64.10/32",
    ]);
    expect(ingress(buildServer().json).some((r) => r.from_port === 22)).toBe(false);
    expect(all(json, "aws_security_group")[0].description).toBe("app servers: 8080 from named sources only");
  });

  it("\"and outbound only 80/443\" until allowTo opens a port to named destinations", () => {
    expect(egress(buildServer().json).map((r) => r.from_port).sort()).toEqual([443, 80]);
    let fleet!: ServerFleet;
    const json = synth((stack) => { fleet = new ServerFleet(stack, "app", SERVER); fleet.allowTo(["10.30.96.5", "10.30.112.0/24"], 3306, "MySQL to"); });
    expect(egress(json).filter((r) => r.from_port === 3306).map((r) => `${r.cidr_ipv4} ${r.description}`).sort()).toEqual(["10.30.112.0/24 MySQL to 10.30.112.0/24", "10.30.96.5/32 MySQL to 10.30.96.5"]);
  });

  it("\"written as KEY=value to /etc/platform/app.env (0640); values may be tokens\" substituted at apply time", () => {
    const token = Lazy.stringValue({ produce: () => "${aws_db_instance.db.address}" });
    const { json } = buildServer({ environment: { DB_PORT: "3306", DB_WRITER_HOST: token } });
    const userData = unescapeTerraformTemplate(all(json, "aws_instance")[0].user_data);
    const env = fileFromCloudConfig(userData.replace(/\$\{[^}]+\}/g, "REF"), FLEET_ENVIRONMENT_PATH);
    expect(env).toBe("DB_PORT=3306\nDB_WRITER_HOST=REF\n");
    expect(all(json, "aws_instance")[0].user_data).toContain("DB_WRITER_HOST=${aws_db_instance.db.address}");
    expect(parseCloudConfig(userData).write_files.find((f) => f.path === FLEET_ENVIRONMENT_PATH)!.permissions).toBe("0640");
    expect(all(buildServer().json, "aws_instance")[0].user_data).not.toContain(FLEET_ENVIRONMENT_PATH);
  });

  it("hosts get the fleet's policy statements besides Session Manager", () => {
    const statement = { Sid: "ReadDatabaseSecret", Effect: "Allow" as const, Action: ["secretsmanager:GetSecretValue"], Resource: ["arn:aws:secretsmanager:us-east-1:111122223333:secret:db-AbCdEf"] };
    const { json } = buildServer({ policyStatements: [statement], keyName: "ops", instanceType: "t3.small" });
    const statements = JSON.parse(all(json, "aws_iam_role_policy")[0].policy).Statement;
    expect(statements.filter((s: Json) => !String(s.Sid).startsWith("SessionManager"))).toEqual([statement]);
    expect(all(json, "aws_instance")[0].key_name).toBe("ops");
    expect(all(json, "aws_instance")[0].instance_type).toBe("t3.small");
  });

  it("the firewall description lists every ingress port (\"8080/9000 from named sources only\")", () => {
    const { json } = buildServer({ ingress: [...SERVER.ingress, { port: 9000, from: ["10.30.64.21"], description: "Admin port from" }] });
    expect(all(json, "aws_security_group")[0].description).toBe("app servers: 8080/9000 from named sources only");
    expect(ingress(json).filter((r) => r.from_port === 9000).map((r) => `${r.cidr_ipv4} ${r.description}`)).toEqual(["10.30.64.21/32 Admin port from 10.30.64.21"]);
  });

  it("the environment file is added to the fleet's own files, never instead of them", () => {
    const { json } = buildServer({ cloudConfig: { packages: ["python3"], writeFiles: [{ path: "/etc/platform/own.conf", content: "x=1\n" }] }, environment: { DB_PORT: "3306" } });
    const files = parseCloudConfig(unescapeTerraformTemplate(all(json, "aws_instance")[0].user_data)).write_files.map((f) => f.path);
    expect(files).toEqual(expect.arrayContaining(["/etc/platform/own.conf", FLEET_ENVIRONMENT_PATH]));
  });

  it("a literal ${…} in a concrete environment value reaches the host as text, never as a Terraform interpolation", () => {
    const { json } = buildServer({ environment: { GREETING: "a${b}%{c}" } });
    const userData: string = all(json, "aws_instance")[0].user_data;
    expect(userData).toContain("GREETING=a$${b}%%{c}");
    expect(userData).not.toContain("__PLATFORM_ENV_");
  });

  it("accepts UPPER_SNAKE_CASE names with digits and underscores", () => {
    const { json } = buildServer({ environment: { DB_PORT_2: "3306", X: "1" } });
    const env = fileFromCloudConfig(unescapeTerraformTemplate(all(json, "aws_instance")[0].user_data), FLEET_ENVIRONMENT_PATH);
    expect(env).toBe("DB_PORT_2=3306\nX=1\n");
  });

  it("accepts a placement with a single subnet, one host and 200 hosts", () => {
    expect(buildServer({ placements: [{ ...EAST, subnets: [EAST.subnets[0]] }], count: 1 }).fleet.privateIps).toEqual(["10.30.64.20"]);
    // Construction only (no synth): 200 is the documented maximum.
    const stack = new TerraformStack(Testing.app(), "fleet-200");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    expect(new ServerFleet(stack, "app", { ...SERVER, count: 200 }).members).toHaveLength(200);
  });

  describe("error messages name field, value and what is allowed", () => {
    it.each([
      ["count 201", { count: 201 }, "app.count: 201 is not allowed; expected an integer from 1 to 200"],
      ["no placement", { placements: [] }, "app.placements: 0 is not allowed; expected at least one placement"],
      ["a placement without subnets", { placements: [{ ...EAST, subnets: [] }] }, "app.placements[0].subnets: 0 is not allowed; expected at least one private subnet"],
      ["a port without sources", { ingress: [{ port: 8080, from: [], description: "x" }] }, "app.ingress[port 8080].from: [] is not allowed; expected at least one source address or CIDR"],
      ["more hosts in a subnet than fit", { count: 5, firstHostNumber: 249 }, "app.count: 5 is not allowed; expected at most 2 hosts per subnet from host number 249"],
      ["a lower-case environment name", { environment: { dbHost: "x" } }, 'environment: "dbHost" is not allowed; expected an UPPER_SNAKE_CASE variable name'],
      ["an environment name with a lower-case prefix", { environment: { xDB_HOST: "x" } }, 'environment: "xDB_HOST"'],
      ["an environment name with a lower-case tail", { environment: { DB_host: "x" } }, 'environment: "DB_host"'],
      ["an environment name with a dash", { environment: { "DB-HOST": "x" } }, 'environment: "DB-HOST"'],
      ["an environment name starting with a digit", { environment: { "1DB": "x" } }, 'environment: "1DB"'],
    ])("%s", (_name, overrides, message) => {
      expect(() => buildServer(overrides as Partial<ServerFleetProps>)).toThrow(message);
    });
  });

  describe("\"Validation errors\"", () => {
    it.each([
      ["count 0", { count: 0 }, /app\.count/],
      ["count 201", { count: 201 }, /app\.count/],
      ["a fractional count", { count: 2.5 }, /app\.count/],
      ["no placement", { placements: [] }, /app\.placements/],
      ["a placement without subnets", { placements: [{ ...EAST, subnets: [] }] }, /app\.placements\[0\]\.subnets/],
      ["a region token", { placements: [{ ...EAST, region: Lazy.stringValue({ produce: () => "us-east-1" }) }] }, /app\.placements\[0\]\.region/],
      ["a port without sources", { ingress: [{ port: 8080, from: [], description: "x" }] }, /app\.ingress\[port 8080\]\.from/],
      ["more hosts in a subnet than fit up to 250", { count: 3, firstHostNumber: 250 }, /app\.count/],
      ["an environment key that is not UPPER_SNAKE_CASE", { environment: { dbHost: "x" } }, /environment/],
    ])("rejects %s", (_name, overrides, message) => {
      expect(() => buildServer(overrides as Partial<ServerFleetProps>)).toThrow(InvalidInputError);
      expect(() => buildServer(overrides as Partial<ServerFleetProps>)).toThrow(message);
    });
    it("fits exactly up to host number 250", () => {
      expect(buildServer({ count: 2, firstHostNumber: 250 }).fleet.privateIps).toEqual(["10.30.64.250", "10.30.80.250"]);
    });
  });
});

describe("NginxFleet", () => {
  it("\"Nginx on port 80, the load balancers as its only HTTP sources\"; 4 hosts by default; backends are ip:80", () => {
    const { json, fleet } = buildNginx();
    expect(all(json, "aws_instance")).toHaveLength(4);
    expect(all(json, "aws_instance").every((i) => i.tags.Role === "web")).toBe(true);
    expect(ingress(json).filter((r) => r.from_port === 80).map((r) => r.cidr_ipv4).sort()).toEqual(["10.30.0.10/32", "10.30.16.10/32"]);
    expect(fleet.backends).toEqual(["10.30.64.20:80", "10.30.80.20:80", "10.30.64.21:80", "10.30.80.21:80"]);
    expect(fleet.privateIps).toEqual(fleet.members.map((m) => m.privateIp));
    expect(fleet.firewalls).toHaveLength(1);
  });

  it("\"and trusted proxies\": Nginx trusts X-Forwarded-For only from the load balancers", () => {
    const { json } = buildNginx({ count: 1 });
    const nginx = fileFromCloudConfig(unescapeTerraformTemplate(all(json, "aws_instance")[0].user_data), "/etc/nginx/nginx.conf");
    expect([...nginx.matchAll(/set_real_ip_from (\S+);/g)].map((m) => m[1])).toEqual(["10.30.0.10", "10.30.16.10"]);
  });

  it("proxies to the app servers it is given (stage 3) and lets them be reached with allowTo", () => {
    let fleet!: NginxFleet;
    const json = synth((stack) => {
      fleet = new NginxFleet(stack, "web", { name: "shop", placements: [EAST], allowHttpFrom: ["10.30.0.10"], monitoringCidrs: ["10.30.64.10/32"], count: 1, appUpstreams: ["10.30.64.120:8080"] });
      expect(fleet.allowTo(["10.30.64.120"], 8080, "App port to")).toBe(fleet);
    });
    const nginx = fileFromCloudConfig(unescapeTerraformTemplate(all(json, "aws_instance")[0].user_data), "/etc/nginx/nginx.conf");
    expect(nginx).toMatch(/server 10\.30\.64\.120:8080 max_fails/);
    expect(egress(json).filter((r) => r.from_port === 8080).map((r) => r.cidr_ipv4)).toEqual(["10.30.64.120/32"]);
  });

  it("\"with tlsIdentity: HTTPS on 443 instead of HTTP on 80\": only 443 from the load balancers, backends ip:443, Nginx listens with TLS", () => {
    const { json, fleet } = buildNginx({ count: 2, tlsIdentity: { serverName: "web.shop.internal", parameterPrefix: "/shop/tls/web", region: "us-east-1" } });
    expect(ingress(json).filter((r) => r.from_port !== 9100).map((r) => `${r.from_port} ${r.cidr_ipv4} ${r.description}`).sort()).toEqual([
      "443 10.30.0.10/32 HTTPS from 10.30.0.10",
      "443 10.30.16.10/32 HTTPS from 10.30.16.10",
    ]);
    expect(fleet.backends).toEqual(["10.30.64.20:443", "10.30.80.20:443"]);
    expect(all(json, "aws_security_group")[0].description).toBe("web servers: 443 from named sources only");
    const nginx = fileFromCloudConfig(unescapeTerraformTemplate(all(json, "aws_instance")[0].user_data), "/etc/nginx/nginx.conf");
    expect(nginx).toContain("listen 443 ssl default_server;");
    // Without it: plain HTTP on 80, described as such.
    expect(ingress(buildNginx({ count: 1 }).json).filter((r) => r.from_port === 80).map((r) => r.description)).toEqual(["HTTP from 10.30.0.10", "HTTP from 10.30.16.10"]);
  });

  it("\"NginxFleet errors name its inner fleet: servers.count, servers.ingress[port 80].from\"", () => {
    expect(() => buildNginx({ count: 0 })).toThrow(/servers\.count/);
    expect(() => buildNginx({ allowHttpFrom: [] })).toThrow(/servers\.ingress\[port 80\]\.from/);
  });

  it("fixedAddresses gives host N of each subnet", () => {
    expect(fixedAddresses(EAST.subnets, 10)).toEqual(["10.30.64.10", "10.30.80.10"]);
  });
});
