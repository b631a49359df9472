/**
 * HaproxyLoadBalancer (the single node of stages 1–2) in a stack of its own: the promises of
 * modules/load-balancer/README.md, asserted on the synthesized JSON.
 */
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HaproxyLoadBalancer, HaproxyLoadBalancerProps } from "../../modules/load-balancer";
import { NetworkSubnet, SubnetKind } from "../../modules/network";
import { fileFromCloudConfig } from "../../modules/core/cloud-config";
import { unescapeTerraformTemplate } from "../../modules/core/terraform-text";
import { InvalidInputError } from "../../modules/core/validation";
import { HAPROXY_CFG_PATH } from "../../modules/server-config/paths";

type Json = Record<string, any>;

const SUBNET: NetworkSubnet = { id: "subnet-a", tier: "public", kind: SubnetKind.PUBLIC, azIndex: 0, availabilityZone: "eu-west-1a", cidr: "10.30.0.0/20" };
const PROPS: HaproxyLoadBalancerProps = {
  region: "eu-west-1",
  name: "shop",
  vpcId: "vpc-1",
  subnet: SUBNET,
  ami: "ami-0123456789abcdef0",
  backends: ["10.30.64.20:80"],
  monitoringCidrs: ["10.30.0.0/16"],
};

function build(overrides: Partial<HaproxyLoadBalancerProps> = {}): { json: Json; lb: HaproxyLoadBalancer } {
  const app = Testing.app();
  const stack = new TerraformStack(app, "lb-test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const lb = new HaproxyLoadBalancer(stack, "lb", { ...PROPS, ...overrides });
  return { json: JSON.parse(Testing.synth(stack)), lb };
}

const all = (json: Json, type: string): Json[] => Object.values(json.resource[type] ?? {});
const publicPorts = (json: Json) => all(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.cidr_ipv4 === "0.0.0.0/0").map((r) => r.from_port).sort();
const haproxyCfg = (json: Json) => fileFromCloudConfig(unescapeTerraformTemplate(all(json, "aws_instance")[0].user_data), HAPROXY_CFG_PATH);

describe("HaproxyLoadBalancer", () => {
  it("\"its Elastic IP attached before first boot\": the EIP sits on the host's network interface, one fixed private IP", () => {
    const { json, lb } = build();
    const [instance] = all(json, "aws_instance");
    const eniRef = instance.network_interface[0].network_interface_id;
    const [eip] = all(json, "aws_eip");
    expect(eip.network_interface).toBe(eniRef);
    expect(lb.privateIp).toBe("10.30.0.10");
    expect(all(json, "aws_network_interface")[0].private_ips).toEqual(["10.30.0.10"]);
    // The interface carries the load balancer's own group, never the VPC's default group.
    const [groupId] = Object.keys(json.resource.aws_security_group);
    expect(all(json, "aws_network_interface")[0].security_groups).toEqual([`\${aws_security_group.${groupId}.id}`]);
    expect(lb.exporterTarget).toBe("10.30.0.10:8405");
    expect(instance.tags.Name).toBe("shop-lb");
    expect(instance.instance_type).toBe("t3.micro");
  });

  it("\"default undefined: plain HTTP on port 80\": only 80 from the internet, no TLS in HAProxy", () => {
    const { json } = build();
    expect(publicPorts(json)).toEqual([80]);
    expect(all(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.cidr_ipv4 === "0.0.0.0/0").map((r) => r.description)).toEqual(["HTTP from the internet"]);
    expect(haproxyCfg(json)).not.toContain(":443");
    expect(all(json, "aws_security_group")[0].description).toBe("Load balancer: HTTP from the internet");
  });

  it("with tls: 80 and 443 from the internet, HTTPS with the certificate for every name, HTTP redirects", () => {
    const { json } = build({ tls: { domain: "shop.example.com", additionalNames: ["www.shop.example.com"], letsEncryptEmail: "ops@example.com" } });
    expect(publicPorts(json)).toEqual([443, 80]);
    expect(haproxyCfg(json)).toContain("bind :443 ssl crt");
    const renew = fileFromCloudConfig(unescapeTerraformTemplate(all(json, "aws_instance")[0].user_data), "/usr/local/sbin/haproxy-cert-renew");
    expect(renew).toContain('-d "$DOMAIN" -d www.shop.example.com');
    expect(renew).not.toContain("--staging");
    expect(all(json, "aws_security_group")[0].description).toBe("Load balancer: HTTP/HTTPS from the internet");
  });

  it("\"The single load balancer keeps its certificate on the host\": no certificate parameter, no KMS key, reads only its backends parameter", () => {
    const { json, lb } = build({ tls: { domain: "shop.example.com", letsEncryptEmail: "ops@example.com", staging: true } });
    expect(all(json, "aws_ssm_parameter").map((p) => p.name)).toEqual(["/shop/haproxy/backends"]);
    expect(all(json, "aws_kms_key")).toHaveLength(0);
    expect(lb.backendsParameterName).toBe("/shop/haproxy/backends");
    const statements = JSON.parse(all(json, "aws_iam_role_policy")[0].policy).Statement.filter((s: Json) => !String(s.Sid).startsWith("SessionManager"));
    expect(statements).toEqual([{ Sid: "ReadBackends", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: [expect.stringMatching(/^\$\{aws_ssm_parameter\.lb_backends_[^.]+\.arn\}$/)] }]);
    expect(fileFromCloudConfig(unescapeTerraformTemplate(all(json, "aws_instance")[0].user_data), "/usr/local/sbin/haproxy-cert-renew")).toContain("--staging");
  });

  it("\"HAProxy's exporter (8405) and node_exporter (9100) from monitoringCidrs only, SSH only from sshCidrs\"", () => {
    const { json } = build({ sshCidrs: ["198.51.100.0/24"] });
    const rules = all(json, "aws_vpc_security_group_ingress_rule").filter((r) => r.cidr_ipv4 !== "0.0.0.0/0");
    expect(rules.map((r) => `${r.from_port} from ${r.cidr_ipv4}`).sort()).toEqual(["22 from 198.51.100.0/24", "8405 from 10.30.0.0/16", "9100 from 10.30.0.0/16"]);
    expect(all(build().json, "aws_vpc_security_group_ingress_rule").some((r) => r.from_port === 22)).toBe(false);
  });

  it.each([
    ["no backends", { backends: [] }, /lb\.backends/],
    ["host number 3", { hostNumber: 3 }, /lb\.hostNumber/],
    ["host number 251", { hostNumber: 251 }, /lb\.hostNumber/],
  ])("rejects %s", (_name, overrides, message) => {
    expect(() => build(overrides as Partial<HaproxyLoadBalancerProps>)).toThrow(InvalidInputError);
    expect(() => build(overrides as Partial<HaproxyLoadBalancerProps>)).toThrow(message);
  });

  // "Every message names the field, the value that was given and what is allowed."
  it.each([
    ["no backends", { backends: [] }, "lb.backends: [] is not allowed; expected at least one web server ip:port"],
    ["host number 251", { hostNumber: 251 }, "lb.hostNumber: 251 is not allowed; expected an integer 4–250 (AWS reserves .0–.3)"],
  ])("the error for %s names field, value and what is allowed", (_name, overrides, message) => {
    expect(() => build(overrides as Partial<HaproxyLoadBalancerProps>)).toThrow(message);
  });

  it("tags the host Role=load-balancer (instance and volumes); instanceType, keyName and the health check reach the host", () => {
    const { json } = build({ instanceType: "t3.small", keyName: "ops", healthCheck: { path: "/readyz", intervalMs: 2000, fall: 3, rise: 4 } });
    const [instance] = all(json, "aws_instance");
    expect(instance.tags.Role).toBe("load-balancer");
    expect(instance.volume_tags).toMatchObject({ Name: "shop-lb", Role: "load-balancer" });
    expect(instance.instance_type).toBe("t3.small");
    expect(instance.key_name).toBe("ops");
    const files = unescapeTerraformTemplate(instance.user_data);
    expect(files).toContain("/readyz");
    expect(files).toMatch(/inter 2000ms fall 3 rise 4/);
  });

  it("accepts host numbers 4 and 250", () => {
    expect(build({ hostNumber: 4 }).lb.privateIp).toBe("10.30.0.4");
    expect(build({ hostNumber: 250 }).lb.privateIp).toBe("10.30.0.250");
  });
});
