/**
 * Operator access that works by default (issue 11 item 4), read from the
 * synthesized stacks: every VPC of every stage has an EC2 Instance Connect
 * Endpoint; every host admits SSH from its VPC's endpoint only (the admin
 * range too only with access.ssh: true); every host receives the keys
 * script; the operator role's grants are scoped to this stack's endpoints,
 * instances and Debian's admin user.
 */
import { INSTANCE_CONNECT_KEYS_SCRIPT_PATH, INSTANCE_CONNECT_SSHD_CONFIG_PATH } from "../../modules/server-config/paths";
import { parseCloudConfig } from "../../modules/core/cloud-config";
import { unescapeTerraformTemplate } from "../../modules/core/terraform-text";
import { userDataOf } from "../support/rendered-files";
import { TfJson, referenced, resourcesOf, synthStack, testConfig } from "../support/synth";

type Res = Record<string, any>;
const STACKS = ["stage0-single-server", "stage1-distributed", "stage2-secured-monitored", "stage3-scale-up", "stage4-warm-standby"] as const;
const ADMIN = "203.0.113.0/24";

/** Security groups of every host: instances (directly or through their interface) and launch templates. */
function hostGroups(json: TfJson): { host: string; groups: string[]; userData: string }[] {
  const instances = resourcesOf(json, "aws_instance").map(([name, i]) => ({
    host: `aws_instance.${name}`,
    groups: i.vpc_security_group_ids ?? referenced(json, i.network_interface[0].network_interface_id).config.security_groups,
    userData: i.user_data ?? "",
  }));
  const templates = resourcesOf(json, "aws_launch_template").map(([name, t]) => ({
    host: `aws_launch_template.${name}`,
    groups: t.network_interfaces[0].security_groups,
    userData: userDataOf(t),
  }));
  return [...instances, ...templates];
}

const sshRules = (json: TfJson) => resourcesOf(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r).filter((r) => r.from_port <= 22 && r.to_port >= 22);
const groupRef = (name: string) => `\${aws_security_group.${name}.id}`;

describe.each(STACKS)("%s: operators reach every host through EC2 Instance Connect", (stack) => {
  const json = synthStack(stack);
  const endpoints = resourcesOf(json, "aws_ec2_instance_connect_endpoint");
  const endpointGroups = new Set(endpoints.map(([, e]) => e.security_group_ids[0]));

  it("\"Every VPC of every stage … has an **EC2 Instance Connect Endpoint** (`aws_ec2_instance_connect_endpoint`, its own security group …)\", in that VPC's subnet, the group closed", () => {
    const vpcs = resourcesOf(json, "aws_vpc").map(([name]) => `\${aws_vpc.${name}.id}`);
    expect(endpoints.map(([, e]) => referenced(json, e.subnet_id).config.vpc_id).sort()).toEqual(vpcs.sort());
    for (const [, endpoint] of endpoints) {
      expect(endpoint.preserve_client_ip).toBe(false);
      expect(endpoint.security_group_ids).toHaveLength(1);
      const group = referenced(json, endpoint.security_group_ids[0]);
      expect(group.config.vpc_id).toBe(referenced(json, endpoint.subnet_id).config.vpc_id);
      expect(resourcesOf(json, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.security_group_id === groupRef(group.name))).toEqual([]);
      const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule").map(([, r]) => r).filter((r) => r.security_group_id === groupRef(group.name));
      const vpcCidr = referenced(json, group.config.vpc_id).config.cidr_block;
      expect(egress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4])).toEqual([["tcp", 22, 22, vpcCidr]]);
    }
  });

  it("\"Every host admits port 22 only from the endpoint's security group\" (by default nothing else)", () => {
    const rules = sshRules(json);
    expect(rules.length).toBeGreaterThan(0);
    for (const rule of rules) {
      expect([rule.from_port, rule.to_port, rule.cidr_ipv4, endpointGroups.has(rule.referenced_security_group_id)]).toEqual([22, 22, undefined, true]);
      const endpointVpc = referenced(json, rule.referenced_security_group_id).config.vpc_id;
      expect(referenced(json, rule.security_group_id).config.vpc_id).toBe(endpointVpc);
    }
    const admitting = new Set(rules.map((r) => r.security_group_id));
    const hosts = hostGroups(json).filter((h) => h.userData !== "");
    expect(hosts.length).toBeGreaterThan(0);
    for (const host of hosts) expect([host.host, host.groups.some((g) => admitting.has(g))]).toEqual([host.host, true]);
  });

  it("\"every host's user data carries a small `AuthorizedKeysCommand` (`/usr/local/sbin/ec2-instance-connect-keys`, with the sshd drop-in …)\"", () => {
    const hosts = hostGroups(json);
    // Stage 4's bastion (bastionMode "bastion" only) is the one host without user data.
    expect(hosts.filter((h) => h.userData === "")).toEqual([]);
    for (const host of hosts) {
      const paths = parseCloudConfig(unescapeTerraformTemplate(host.userData)).write_files.map((f) => f.path);
      expect([host.host, paths]).toEqual([host.host, expect.arrayContaining([INSTANCE_CONNECT_KEYS_SCRIPT_PATH, INSTANCE_CONNECT_SSHD_CONFIG_PATH])]);
    }
  });

  it("\"The role may only push a key for the OS user `admin` … to instances tagged with this stack's `Project`, `Environment` and `Stack` (stage 4: its Auto Scaling groups' `Name`), open tunnels to port 22 through this stack's endpoints for at most an hour, and list instances and endpoints\"", () => {
    const [[, policy]] = resourcesOf(json, "aws_iam_role_policy").filter(([, p]) => p.name === "ssh-through-instance-connect");
    const statements: Res[] = JSON.parse(policy.policy).Statement;
    const push = statements.find((s) => s.Action.includes("ec2-instance-connect:SendSSHPublicKey"))!;
    const regions = stack === "stage3-scale-up" || stack === "stage4-warm-standby" ? ["us-east-1", "us-west-2"] : ["us-east-1"];
    expect(push.Resource).toEqual(regions.map((r) => expect.stringMatching(new RegExp(`^arn:aws:ec2:${r}:[^:]+:instance/\\*$`))));
    expect(push.Condition.StringEquals["ec2:osuser"]).toBe("admin");
    const tags = Object.keys(push.Condition.StringEquals).filter((k) => k.startsWith("aws:ResourceTag/"));
    expect(tags.length).toBeGreaterThan(0);
    if (stack === "stage4-warm-standby") {
      // Auto Scaling instances carry their group's Name, not the providers' default tags.
      expect([...push.Condition.StringEquals["aws:ResourceTag/Name"]].sort()).toEqual(resourcesOf(json, "aws_autoscaling_group").map(([name]) => `\${aws_autoscaling_group.${name}.name}`).sort());
    } else {
      expect(push.Condition.StringEquals).toMatchObject({ "aws:ResourceTag/Project": "webplat", "aws:ResourceTag/Environment": "dev", "aws:ResourceTag/Stack": stack });
    }
    const tunnel = statements.find((s) => s.Action.includes("ec2-instance-connect:OpenTunnel"))!;
    expect([...tunnel.Resource].sort()).toEqual(endpoints.map(([name]) => `\${aws_ec2_instance_connect_endpoint.${name}.arn}`).sort());
    expect(tunnel.Condition).toEqual({ NumericEquals: { "ec2-instance-connect:remotePort": "22" }, NumericLessThanEquals: { "ec2-instance-connect:maxTunnelDuration": "3600" } });
    const others = statements.filter((s) => s !== push && s !== tunnel);
    expect(others).toEqual([{ Sid: "FindHostsAndEndpoints", Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeInstanceConnectEndpoints"], Resource: "*" }]);
    expect(json.output!.operator_role_arn.value).toBe(`\${${String(policy.role).slice(2, -1).replace(/\.name$/, ".arn")}}`);
  });
});

describe.each(STACKS)("%s with access.ssh: true", (stack) => {
  const json = synthStack(stack, testConfig({ access: { ssh: true }, warmStandby: { bastionMode: stack === "stage4-warm-standby" ? "bastion" : "instance-connect" } }));

  it("\"`access.ssh: true` additionally opens 22 from `access.adminCidrs`\" (stage 4: on the bastion, with `bastionMode: \"bastion\"`); the endpoint stays", () => {
    const rules = sshRules(json);
    const fromAdmin = rules.filter((r) => r.cidr_ipv4 === ADMIN);
    expect(fromAdmin.length).toBeGreaterThan(0);
    expect(rules.filter((r) => r.cidr_ipv4 !== undefined && r.cidr_ipv4 !== ADMIN)).toEqual([]);
    expect(resourcesOf(json, "aws_ec2_instance_connect_endpoint").length).toBeGreaterThan(0);
    if (stack === "stage4-warm-standby") expect(fromAdmin.map((r) => referenced(json, r.security_group_id).config.name)).toEqual([expect.stringMatching(/-bastion$/), expect.stringMatching(/-bastion$/)]);
  });
});
