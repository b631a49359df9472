import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HardenedInstance, HardenedInstanceProps, PublicAddress, supportsEbsOptimization } from "../../modules/compute";
import { Firewall, Peer, Port } from "../../modules/firewall";
import { TfJson, resourcesOf } from "../support/synth";

function synth(build: (stack: TerraformStack) => void): TfJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  build(stack);
  return JSON.parse(Testing.synth(stack));
}

const BASE: HardenedInstanceProps = { name: "h", role: "web", instanceType: "t3.micro", ami: "ami-0123456789abcdef0", subnetId: "subnet-1", securityGroupIds: ["sg-1"] };

describe("HardenedInstance", () => {
  const json = synth((stack) => new HardenedInstance(stack, "host", { ...BASE, userData: "#!/bin/sh\necho ${HOME} %{x}\n" }));
  const [[, instance]] = resourcesOf(json, "aws_instance");

  it("requires IMDSv2 with hop limit 1", () => {
    expect(instance.metadata_options).toMatchObject({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1 });
  });
  it("encrypts a gp3 root volume and enables detailed monitoring", () => {
    expect(instance.root_block_device).toMatchObject({ encrypted: true, volume_type: "gp3", delete_on_termination: true });
    expect(instance.monitoring).toBe(true);
    expect(instance.ebs_optimized).toBe(true);
  });
  it("writes 'no public IP' explicitly and attaches its own instance profile", () => {
    expect(instance.associate_public_ip_address).toBe(false);
    expect(instance.iam_instance_profile).toMatch(/aws_iam_instance_profile\.host_host-role_profile/);
  });
  it("escapes Terraform template markers in user data", () => {
    expect(instance.user_data).toBe("#!/bin/sh\necho $${HOME} %%{x}\n");
    expect(instance.user_data_replace_on_change).toBe(true);
  });
  it("grants nothing by default: no Session Manager (Debian 12 has no SSM agent), no policy at all", () => {
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual([]);
    expect(resourcesOf(json, "aws_iam_role")).toHaveLength(1);
  });
  it("grants Session Manager when asked, for images with the agent", () => {
    const withAgent = synth((stack) => new HardenedInstance(stack, "host", { ...BASE, sessionManager: true }));
    const [[, policy]] = resourcesOf(withAgent, "aws_iam_role_policy");
    const actions = JSON.parse(policy.policy).Statement.flatMap((s: { Action: string[] }) => s.Action);
    expect(actions.sort()).toEqual(["ssm:UpdateInstanceInformation", "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel"]);
  });
  it("attaches an Elastic IP to the interface before the instance boots", () => {
    const withEip = synth((stack) => new HardenedInstance(stack, "host", { ...BASE, publicAddress: PublicAddress.ELASTIC_IP }));
    const [[, eip]] = resourcesOf(withEip, "aws_eip");
    expect(eip.network_interface).toMatch(/aws_network_interface\.host_eni/);
    const [[, inst]] = resourcesOf(withEip, "aws_instance");
    expect(inst.network_interface[0].network_interface_id).toMatch(/aws_network_interface\.host_eni/);
  });
  it("substitutes apply-time values after escaping", () => {
    const j = synth((stack) => new HardenedInstance(stack, "host", { ...BASE, userData: "id=__ALLOC__ ${x}", userDataValues: { __ALLOC__: "${aws_eip.x.allocation_id}" } }));
    expect(resourcesOf(j, "aws_instance")[0][1].user_data).toBe("id=${aws_eip.x.allocation_id} $${x}");
  });
  it("does not replace the host when a newer AMI is looked up, unless asked to", () => {
    expect(instance.lifecycle).toEqual({ ignore_changes: ["ami"] });
    const replacing = synth((stack) => new HardenedInstance(stack, "host", { ...BASE, replaceOnAmiChange: true }));
    expect(resourcesOf(replacing, "aws_instance")[0][1].lifecycle).toBeUndefined();
  });
  it("knows which families cannot be EBS-optimized", () => {
    expect(supportsEbsOptimization("t2.micro")).toBe(false);
    expect(supportsEbsOptimization("m6i.large")).toBe(true);
  });
  it.each([
    ["instance type", { instanceType: "t3-micro" }, /host\.instanceType: "t3-micro"/],
    ["root volume below 8 GiB", { rootVolumeGb: 4 }, /host\.rootVolumeGb: 4/],
    ["user data over 16 KiB", { userData: "x".repeat(16 * 1024 + 1) }, /host\.userData: "16385 bytes" is not allowed; expected at most 16384 bytes/],
    ["unknown user data placeholder", { userData: "x", userDataValues: { __NOPE__: "v" } }, /host\.userDataValues: "__NOPE__"/],
  ])("rejects %s", (_label, props, message) => {
    expect(() => synth((stack) => new HardenedInstance(stack, "host", { ...BASE, ...props }))).toThrow(message);
  });
});

describe("Firewall", () => {
  it("writes each rule as its own resource with a description, outbound web only by default", () => {
    const json = synth((stack) => {
      const lb = new Firewall(stack, "lb", { vpcId: "vpc-1", name: "lb", description: "Load balancers of the test" });
      const web = new Firewall(stack, "web", { vpcId: "vpc-1", name: "web", description: "Web servers of the test" });
      lb.allowFrom(Peer.anyIpv4(), Port.tcp(443), "HTTPS from the internet");
      web.connectFrom(lb, Port.tcp(80), "HTTP from the load balancers");
    });
    const ingress = resourcesOf(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r);
    const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule").map(([, r]) => r);
    expect(ingress).toHaveLength(2);
    expect([...ingress, ...egress].every((r) => r.description.length > 0)).toBe(true);
    const web80 = ingress.find((r) => r.from_port === 80)!;
    expect(web80.referenced_security_group_id).toMatch(/aws_security_group\.lb_group/);
    expect(web80.cidr_ipv4).toBeUndefined();
    expect(egress.filter((r) => r.cidr_ipv4 === "0.0.0.0/0").map((r) => r.from_port).sort()).toEqual([443, 443, 80, 80]);
    expect(egress.find((r) => r.from_port === 80 && r.referenced_security_group_id)).toBeDefined();
  });
  it("speaks VRRP as IP protocol 112", () => {
    const json = synth((stack) => new Firewall(stack, "lb", { vpcId: "v", name: "lb", description: "Load balancers of the test", allowWebEgress: false }).allowFrom(Peer.host("10.0.0.5"), Port.vrrp(), "VRRP from the peer"));
    const [[, rule]] = resourcesOf(json, "aws_vpc_security_group_ingress_rule");
    expect(rule).toMatchObject({ ip_protocol: "112", cidr_ipv4: "10.0.0.5/32" });
    expect(resourcesOf(json, "aws_vpc_security_group_egress_rule")).toHaveLength(0);
  });
  it.each([
    ["short description", () => new Firewall(new TerraformStack(Testing.app(), "s"), "fw", { vpcId: "v", name: "n", description: "short" }), /fw\.description: "short"/],
    ["bad peer CIDR", () => Peer.ipv4("10.0.0.0/40"), /peer cidr: "10\.0\.0\.0\/40"/],
    ["bad port", () => Port.tcp(70000), /port: 70000/],
  ])("rejects %s", (_label, make, message) => {
    expect(make).toThrow(message);
  });
});
