/**
 * HaproxyPair in a stack of its own: every promise of modules/load-balancer/README.md about the
 * pair, asserted on the synthesized JSON (test names quote the README). Each test synthesizes its
 * own stack, so mutation testing's per-test coverage can tell the tests apart.
 */
import { Lazy, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HaproxyPair, HaproxyPairProps, PAIR_TAG } from "../../modules/load-balancer";
import { NetworkSubnet, SubnetKind } from "../../modules/network";
import { fileFromCloudConfig, parseCloudConfig } from "../../modules/core/cloud-config";
import { unescapeTerraformTemplate } from "../../modules/core/terraform-text";
import { InvalidInputError } from "../../modules/core/validation";
import { suppressionsFor } from "../../modules/policy/suppressions";
import { BACKEND_SYNC_SCRIPT_PATH, FAILOVER_SCRIPT_PATH, HAPROXY_BACKENDS_PATH, KEEPALIVED_CONF_PATH } from "../../modules/server-config/paths";
import type { PolicyStatement } from "../../modules/core/iam";

type Json = Record<string, any>;

export const SUBNETS: NetworkSubnet[] = [
  { id: "subnet-a", tier: "public", kind: SubnetKind.PUBLIC, azIndex: 0, availabilityZone: "eu-west-1a", cidr: "10.30.0.0/20" },
  { id: "subnet-b", tier: "public", kind: SubnetKind.PUBLIC, azIndex: 1, availabilityZone: "eu-west-1b", cidr: "10.30.16.0/20" },
];
const PROPS: HaproxyPairProps = {
  region: "eu-west-1",
  name: "shop",
  vpcId: "vpc-1",
  subnets: SUBNETS,
  ami: "ami-0123456789abcdef0",
  backends: ["10.30.64.20:80", "10.30.80.20:80"],
  domain: "shop.example.com",
  letsEncryptEmail: "ops@example.com",
  monitoringCidrs: ["10.30.70.5/32"],
};

function build(overrides: Partial<HaproxyPairProps> = {}): { json: Json; pair: HaproxyPair } {
  const app = Testing.app();
  const stack = new TerraformStack(app, "lb-test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const pair = new HaproxyPair(stack, "pair", { ...PROPS, ...overrides });
  return { json: JSON.parse(Testing.synth(stack)), pair };
}

const all = (json: Json, type: string): [string, Json][] => Object.entries(json.resource[type] ?? {});
const one = (json: Json, type: string, suffix = ""): Json => {
  const found = all(json, type).filter(([name]) => name.includes(suffix));
  if (found.length !== 1) throw new Error(`expected one ${type} matching ${suffix}, found ${found.length}`);
  return found[0][1];
};
const node = (json: Json, letter: "a" | "b"): Json => one(json, "aws_instance", `_lb-${letter}_`);
const fileOf = (instance: Json, path: string) => fileFromCloudConfig(unescapeTerraformTemplate(instance.user_data), path);
const statements = (json: Json): Json[] => JSON.parse(one(json, "aws_iam_role_policy").policy).Statement;
const ingress = (json: Json) => all(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r);

describe("HaproxyPair", () => {
  it("\"two HAProxy load balancers in two AZs\": node A in the first subnet, node B in the second, fixed private IPs .10", () => {
    const { json, pair } = build();
    expect([node(json, "a").subnet_id, node(json, "b").subnet_id]).toEqual(["subnet-a", "subnet-b"]);
    expect([node(json, "a").private_ip, node(json, "b").private_ip]).toEqual(["10.30.0.10", "10.30.16.10"]);
    expect(pair.privateIps).toEqual(["10.30.0.10", "10.30.16.10"]);
    expect(all(json, "aws_instance")).toHaveLength(2);
    expect([node(json, "a").tags.Name, node(json, "b").tags.Name]).toEqual(["shop-lb-a", "shop-lb-b"]);
    expect(node(json, "a").instance_type).toBe("t3.micro");
  });

  it("hostNumber moves both fixed addresses", () => {
    const { pair } = build({ hostNumber: 250 });
    expect(pair.privateIps).toEqual(["10.30.0.250", "10.30.16.250"]);
    expect(build({ hostNumber: 4 }).pair.privateIps).toEqual(["10.30.0.4", "10.30.16.4"]);
  });

  it("\"one Elastic IP that Terraform allocates but never associates\" (ignore_changes on instance, network_interface, associate_with_private_ip)", () => {
    const { json, pair } = build();
    const eip = one(json, "aws_eip");
    expect(eip.domain).toBe("vpc");
    expect(eip.instance).toBeUndefined();
    expect(eip.network_interface).toBeUndefined();
    expect(eip.lifecycle.ignore_changes).toEqual(["instance", "network_interface", "associate_with_private_ip"]);
    expect(eip.tags.Name).toBe("shop-entry");
    expect(all(json, "aws_eip_association")).toHaveLength(0);
    expect(pair.elasticIp).toMatch(/^\$\{TfToken\[TOKEN\.\d+\]\}$/);
  });

  it("\"node A becomes the first MASTER\": keepalived priority of A (150) strictly above B (100), both BACKUP with nopreempt, each naming the other as peer", () => {
    const { json } = build();
    const [a, b] = [fileOf(node(json, "a"), KEEPALIVED_CONF_PATH), fileOf(node(json, "b"), KEEPALIVED_CONF_PATH)];
    const priority = (c: string) => Number(/^\s*priority (\d+)$/m.exec(c)![1]);
    expect(priority(a)).toBeGreaterThan(priority(b));
    expect([priority(a), priority(b)]).toEqual([150, 100]);
    expect(a).toMatch(/unicast_src_ip 10\.30\.0\.10\n\s*unicast_peer \{\n\s*10\.30\.16\.10\n/);
    expect(b).toMatch(/unicast_src_ip 10\.30\.16\.10\n\s*unicast_peer \{\n\s*10\.30\.0\.10\n/);
    for (const c of [a, b]) {
      expect(c).toMatch(/^\s*state BACKUP$/m);
      expect(c).toMatch(/^\s*nopreempt$/m);
      expect(c).toMatch(/^\s*interface ens5$/m);
    }
    expect(a).toMatch(/router_id shop-lb-a\n/);
    expect(b).toMatch(/router_id shop-lb-b\n/);
  });

  it("\"also decides the VRRP interface (ens5 on Nitro, eth0 on Xen)\"", () => {
    const { json } = build({ instanceType: "t2.micro" });
    expect(node(json, "a").instance_type).toBe("t2.micro");
    expect(fileOf(node(json, "b"), KEEPALIVED_CONF_PATH)).toMatch(/^\s*interface eth0$/m);
  });

  it("keepalived router names stay within 32 characters for long names", () => {
    const { json } = build({ name: "a-very-long-project-name-prod-stage3" });
    for (const letter of ["a", "b"] as const) {
      const routerId = /router_id (\S+)/.exec(fileOf(node(json, letter), KEEPALIVED_CONF_PATH))![1];
      expect(routerId.length).toBeLessThanOrEqual(32);
      expect(routerId).toMatch(new RegExp(`lb-${letter}$`));
    }
  });

  it("the failover script moves exactly this pair's Elastic IP, in the pair's region (allocation id known at apply time), then \"pulls the current certificate from SSM\"", () => {
    const { json } = build();
    const eipName = all(json, "aws_eip")[0][0];
    for (const letter of ["a", "b"] as const) {
      const script = fileOf(node(json, letter), FAILOVER_SCRIPT_PATH);
      expect(script).toContain(`ALLOCATION_ID="\${aws_eip.${eipName}.allocation_id}"`);
      expect(script).toContain('REGION="eu-west-1"');
      expect(script).not.toContain("eipalloc-feedc0ffee0000000");
      // "It pulls the current certificate from SSM … so the new MASTER serves a valid certificate."
      expect(script).toMatch(/retry associate_address \|\| exit 2[\s\S]*if ! "\/usr\/local\/sbin\/haproxy-cert-pull"; then/);
    }
  });

  it("\"Failover IAM scope\": exactly these statements, the Elastic IP and the pair's tag, the backends and certificate parameters, the certificate key, and Session Manager", () => {
    const { json } = build();
    const eip = all(json, "aws_eip")[0][0];
    const backends = all(json, "aws_ssm_parameter").find(([, p]) => p.name === "/shop/haproxy/backends")![0];
    const certificate = all(json, "aws_ssm_parameter").find(([, p]) => p.name === "/shop/haproxy/certificate")![0];
    const key = all(json, "aws_kms_key")[0][0];
    const own = statements(json).filter((s) => !String(s.Sid).startsWith("SessionManager"));
    expect(own).toEqual([
      { Sid: "ReadBackends", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: [`\${aws_ssm_parameter.${backends}.arn}`] },
      { Sid: "ShareCertificate", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:PutParameter"], Resource: [`\${aws_ssm_parameter.${certificate}.arn}`] },
      { Sid: "CertificateKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: [`\${aws_kms_key.${key}.arn}`] },
      { Sid: "FindAddress", Effect: "Allow", Action: ["ec2:DescribeAddresses"], Resource: "*" },
      { Sid: "MoveTheElasticIp", Effect: "Allow", Action: ["ec2:AssociateAddress", "ec2:DisassociateAddress"], Resource: `arn:aws:ec2:eu-west-1:*:elastic-ip/\${aws_eip.${eip}.allocation_id}` },
      {
        Sid: "OntoThePairOnly",
        Effect: "Allow",
        Action: ["ec2:AssociateAddress"],
        Resource: "arn:aws:ec2:eu-west-1:*:instance/*",
        Condition: { StringEquals: { "aws:ResourceTag/LoadBalancerPair": "shop" } },
      },
    ]);
    // One shared role for both nodes.
    expect(all(json, "aws_iam_role")).toHaveLength(1);
    expect(node(json, "a").iam_instance_profile).toBe(node(json, "b").iam_instance_profile);
  });

  it("\"TLS to the web servers\": backendTls adds the web tier's read statement to the role, and only it, and both nodes verify the tier's name", () => {
    const pin: PolicyStatement = { Sid: "PinWebTlsCertificates", Effect: "Allow", Action: ["ssm:GetParameters"], Resource: ["arn:aws:ssm:eu-west-1:111122223333:parameter/shop/tls/web/10.30.64.20"] };
    const { json } = build({ backendTls: { trust: { serverName: "web.shop.internal", parameterPrefix: "/shop/tls/web", region: "eu-west-1" }, readStatement: pin } });
    const own = statements(json).filter((s) => !String(s.Sid).startsWith("SessionManager"));
    expect(own.map((s) => s.Sid)).toEqual(["ReadBackends", "PinWebTlsCertificates", "ShareCertificate", "CertificateKey", "FindAddress", "MoveTheElasticIp", "OntoThePairOnly"]);
    expect(own[1]).toEqual(pin);
    for (const letter of ["a", "b"] as const) {
      expect(fileOf(node(json, letter), HAPROXY_BACKENDS_PATH)).toMatch(/ssl verify required ca-file \S+ verifyhost web\.shop\.internal /);
    }
    // Without backendTls: plain HTTP to the web servers, no trust statement.
    const plain = build().json;
    expect(statements(plain).some((s) => s.Sid === "PinWebTlsCertificates")).toBe(false);
    expect(fileOf(node(plain, "a"), HAPROXY_BACKENDS_PATH)).not.toContain("verifyhost");
  });

  it("what a reviewer reads in the plan: the role <name>-lb-host, Role tag load-balancer on both nodes, the descriptions of the group, the key and the certificate slot", () => {
    const { json } = build();
    expect(one(json, "aws_iam_role").name).toBe("shop-lb-host");
    for (const letter of ["a", "b"] as const) {
      expect(node(json, letter).tags.Role).toBe("load-balancer");
      expect(node(json, letter).volume_tags).toMatchObject({ Name: `shop-lb-${letter}`, Role: "load-balancer" });
    }
    expect(one(json, "aws_security_group").description).toBe("HAProxy pair: web from the internet, VRRP between the pair");
    expect(one(json, "aws_kms_key").description).toBe("Encrypts the load balancers' TLS certificate in SSM");
    const certificate = all(json, "aws_ssm_parameter").find(([, p]) => p.name === "/shop/haproxy/certificate")![1];
    expect(certificate.description).toBe("Combined PEM of the site certificate, shared by the HAProxy pair");
    expect(certificate.value).toBe("pending: the load balancer holding the Elastic IP publishes its certificate here");
  });

  it("the partition follows the region (GovCloud ARNs are arn:aws-us-gov)", () => {
    const { json } = build({ region: "us-gov-west-1" });
    const move = statements(json).find((s) => s.Sid === "MoveTheElasticIp")!;
    expect(move.Resource).toMatch(/^arn:aws-us-gov:ec2:us-gov-west-1:\*:elastic-ip\//);
  });

  it("\"both nodes carry the tag\" LoadBalancerPair=<name>, and nothing else of the pair does", () => {
    const { json } = build();
    expect(PAIR_TAG).toBe("LoadBalancerPair");
    expect([node(json, "a").tags[PAIR_TAG], node(json, "b").tags[PAIR_TAG]]).toEqual(["shop", "shop"]);
    for (const [type, resources] of Object.entries(json.resource) as [string, Json][]) {
      if (type === "aws_instance") continue;
      for (const r of Object.values(resources) as Json[]) expect(r.tags?.[PAIR_TAG]).toBeUndefined();
    }
  });

  it("\"Both nodes get a launch-time public IP\" with an audited EC2-NO-PUBLIC-IP suppression", () => {
    const { json, pair } = build();
    for (const letter of ["a", "b"] as const) {
      expect(node(json, letter).associate_public_ip_address).toBe(true);
      const instance = pair.node.findChild(`lb-${letter}`).node.findAll().find((c) => c.node.id === "instance")!;
      expect(suppressionsFor(instance)).toEqual([
        expect.objectContaining({ rule_id: "EC2-NO-PUBLIC-IP", reason: expect.stringContaining("must reach the EC2 API to take it over") }),
      ]);
    }
    // Only the nodes: the firewall's public rules carry their own, the rest none.
    expect(suppressionsFor(pair.node.findChild("eip"))).toEqual([]);
  });

  it("\"Certificate: SSM SecureString /<name>/haproxy/certificate (Advanced tier, KMS key alias/<name>-lb-certificate with yearly rotation)\"; Terraform creates the slot and ignores its value", () => {
    const { json } = build();
    const key = all(json, "aws_kms_key")[0];
    const parameter = all(json, "aws_ssm_parameter").find(([, p]) => p.name === "/shop/haproxy/certificate")![1];
    expect(parameter).toMatchObject({ type: "SecureString", tier: "Advanced", key_id: `\${aws_kms_key.${key[0]}.arn}` });
    expect(parameter.lifecycle.ignore_changes).toEqual(["value"]);
    expect(parameter.value).not.toMatch(/BEGIN/);
    expect(key[1].enable_key_rotation).toBe(true);
    expect(one(json, "aws_kms_alias").name).toBe("alias/shop-lb-certificate");
  });

  it("\"Backends via SSM: /<name>/haproxy/backends holds the sorted ip:port list\"; the nodes sync it and never carry it in user data", () => {
    const { json, pair } = build({ backends: ["10.30.80.20:80", "10.30.64.20:80"] });
    const parameter = all(json, "aws_ssm_parameter").find(([, p]) => p.name === "/shop/haproxy/backends")![1];
    expect(parameter.type).toBe("String");
    expect(parameter.value).toBe("10.30.64.20:80,10.30.80.20:80");
    expect(parameter.description).toBe("Web servers the HAProxy load balancers balance over (read by their sync timer)");
    expect(pair.backendsParameterName).toBe("/shop/haproxy/backends");
    for (const letter of ["a", "b"] as const) {
      expect(node(json, letter).user_data).not.toContain("10.30.64.20");
      expect(fileOf(node(json, letter), BACKEND_SYNC_SCRIPT_PATH)).toContain('PARAMETER_NAME="/shop/haproxy/backends"');
    }
  });

  it("\"Resizing the fleet changes only that parameter: no load balancer is edited or replaced\"", () => {
    const small = build({ backends: ["10.30.64.20:80"] }).json;
    const large = build({ backends: ["10.30.64.20:80", "10.30.80.20:80", "10.30.64.21:80"] }).json;
    for (const letter of ["a", "b"] as const) expect(node(large, letter).user_data).toBe(node(small, letter).user_data);
  });

  it("firewall <name>-lb: the internet on 80 and 443 only, 8405 and 9100 from monitoringCidrs only, VRRP (protocol 112) between its own members only, no SSH by default", () => {
    const { json, pair } = build();
    const group = one(json, "aws_security_group");
    expect(group.name).toBe("shop-lb");
    const rules = ingress(json);
    const summary = rules.map((r) => `${r.ip_protocol}/${r.from_port ?? "-"} from ${r.cidr_ipv4 ?? (r.referenced_security_group_id === `\${aws_security_group.${all(json, "aws_security_group")[0][0]}.id}` ? "self" : r.referenced_security_group_id)}`).sort();
    expect(summary).toEqual(["112/- from self", "tcp/443 from 0.0.0.0/0", "tcp/80 from 0.0.0.0/0", "tcp/8405 from 10.30.70.5/32", "tcp/9100 from 10.30.70.5/32"]);
    expect(rules.filter((r) => r.cidr_ipv4 === "0.0.0.0/0").every((r) => r.from_port === r.to_port)).toBe(true);
    // Descriptions are what reviewers read in plans and the console (and they name the rules' resources).
    expect(rules.map((r) => r.description).sort()).toEqual([
      "HAProxy metrics to monitoring 10.30.70.5/32",
      "HTTP (redirect to HTTPS, ACME challenges) from the internet",
      "HTTPS from the internet",
      "VRRP between the pair",
      "node_exporter to monitoring 10.30.70.5/32",
    ]);
    expect(pair.exporterTargets).toEqual(["10.30.0.10:8405", "10.30.16.10:8405"]);
    expect(pair.firewall.securityGroupId).toBeDefined();
    expect(node(json, "a").vpc_security_group_ids).toEqual([`\${aws_security_group.${all(json, "aws_security_group")[0][0]}.id}`]);
  });

  it("\"SSH only from sshCidrs\"", () => {
    const { json } = build({ sshCidrs: ["198.51.100.0/24"], keyName: "ops" });
    expect(ingress(json).filter((r) => r.from_port === 22).map((r) => r.cidr_ipv4)).toEqual(["198.51.100.0/24"]);
    expect(node(json, "a").key_name).toBe("ops");
  });

  it("the certificate covers additionalNames and letsEncryptStaging reaches certbot", () => {
    const { json } = build({ additionalNames: ["www.shop.example.com"], letsEncryptStaging: true });
    const renew = fileOf(node(json, "a"), "/usr/local/sbin/haproxy-cert-renew");
    expect(renew).toContain('-d "$DOMAIN" -d www.shop.example.com');
    expect(renew).toContain("--staging");
    expect(fileOf(node(build().json, "a"), "/usr/local/sbin/haproxy-cert-renew")).not.toContain("--staging");
  });

  it("the health check reaches both nodes' HAProxy backends", () => {
    const { json } = build({ healthCheck: { path: "/readyz", intervalMs: 2000, fall: 3, rise: 4 } });
    for (const letter of ["a", "b"] as const) {
      const files = parseCloudConfig(unescapeTerraformTemplate(node(json, letter).user_data)).write_files.map((f) => f.content).join("\n");
      expect(files).toContain("/readyz");
      expect(files).toMatch(/inter 2000ms fall 3 rise 4/);
    }
  });

  describe("\"Validation errors\"", () => {
    it.each([
      ["one subnet", { subnets: [SUBNETS[0]] }, /pair\.subnets/],
      ["two subnets in one AZ", { subnets: [SUBNETS[0], { ...SUBNETS[1], availabilityZone: "eu-west-1a" }] }, /pair\.subnets/],
      ["three subnets", { subnets: [...SUBNETS, { ...SUBNETS[1], id: "subnet-c", availabilityZone: "eu-west-1c" }] }, /pair\.subnets/],
      ["no backends", { backends: [] }, /pair\.backends/],
      ["host number 3 (AWS reserves .0–.3)", { hostNumber: 3 }, /pair\.hostNumber/],
      ["host number 251", { hostNumber: 251 }, /pair\.hostNumber/],
      ["a fractional host number", { hostNumber: 10.5 }, /pair\.hostNumber/],
      ["a region token", { region: Lazy.stringValue({ produce: () => "eu-west-1" }) }, /pair\.region/],
      ["a /0 monitoring CIDR", { monitoringCidrs: ["0.0.0.0/0"] }, /exporterAllowedCidrs/],
    ])("rejects %s", (_name, overrides, message) => {
      expect(() => build(overrides as Partial<HaproxyPairProps>)).toThrow(InvalidInputError);
      expect(() => build(overrides as Partial<HaproxyPairProps>)).toThrow(message);
    });

    // "Every message names the field, the value that was given and what is allowed."
    it.each([
      ["two subnets in one AZ", { subnets: [SUBNETS[0], { ...SUBNETS[1], availabilityZone: "eu-west-1a" }] }, 'pair.subnets: ["eu-west-1a","eu-west-1a"] is not allowed; expected two public subnets in two different AZs'],
      ["no backends", { backends: [] }, "pair.backends: [] is not allowed; expected at least one web server ip:port"],
      ["host number 3", { hostNumber: 3 }, "pair.hostNumber: 3 is not allowed; expected an integer 4–250 (AWS reserves .0–.3)"],
    ])("the error for %s names field, value and what is allowed", (_name, overrides, message) => {
      expect(() => build(overrides as Partial<HaproxyPairProps>)).toThrow(message);
    });
  });
});
