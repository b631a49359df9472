/**
 * modules/compute in a stack of its own: every promise of modules/compute/README.md about
 * HardenedInstance, HardenedLaunchTemplate and HostRole, asserted on the synthesized JSON (test names
 * quote the README). Each test synthesizes its own stack, so mutation testing's per-test coverage can
 * tell the tests apart.
 */
import { randomBytes } from "crypto";
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import {
  HardenedInstance,
  HardenedInstanceProps,
  HardenedLaunchTemplate,
  HardenedLaunchTemplateProps,
  HostRole,
  PublicAddress,
} from "../../modules/compute";
import { readLaunchTemplateUserData } from "../../modules/core/launch-template-user-data";
import { enforcePolicy, StackEvaluation } from "../../modules/policy";

type Json = Record<string, any>;

const INSTANCE: HardenedInstanceProps = {
  name: "shop-web-a",
  role: "web",
  instanceType: "t3.micro",
  ami: "ami-0123456789abcdef0",
  subnetId: "subnet-1",
  securityGroupIds: ["sg-1"],
};
const TEMPLATE: HardenedLaunchTemplateProps = {
  name: "shop-frontend",
  role: "frontend",
  instanceType: "t3.micro",
  ami: "ami-0123456789abcdef0",
  securityGroupIds: ["sg-1"],
};

function synth(build: (stack: TerraformStack) => void, runValidations = false): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "compute-test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  build(stack);
  return JSON.parse(Testing.synth(stack, runValidations));
}
const all = (json: Json, type: string): Json[] => Object.values(json.resource?.[type] ?? {});
const one = (json: Json, type: string): Json => {
  const found = all(json, type);
  if (found.length !== 1) throw new Error(`expected one ${type}, found ${found.length}`);
  return found[0];
};
const instanceOf = (props: Partial<HardenedInstanceProps> = {}) => one(synth((s) => new HardenedInstance(s, "host", { ...INSTANCE, ...props })), "aws_instance");
const templateOf = (props: Partial<HardenedLaunchTemplateProps> = {}) => one(synth((s) => new HardenedLaunchTemplate(s, "lt", { ...TEMPLATE, ...props })), "aws_launch_template");

describe("HardenedInstance (modules/compute/README.md)", () => {
  it("\"IMDSv2 only (`http_tokens = \"required\"`, hop limit 1, instance tags in metadata)\"", () => {
    expect(instanceOf().metadata_options).toEqual({
      http_endpoint: "enabled",
      http_tokens: "required",
      http_put_response_hop_limit: 1,
      instance_metadata_tags: "enabled",
    });
  });

  it("\"an encrypted gp3 root volume deleted with the host\", `rootVolumeGb` default `16`", () => {
    expect(instanceOf().root_block_device).toEqual({ volume_type: "gp3", volume_size: 16, encrypted: true, delete_on_termination: true });
    expect(instanceOf({ rootVolumeGb: 40 }).root_block_device.volume_size).toBe(40);
  });

  it("\"detailed monitoring\"", () => {
    expect(instanceOf().monitoring).toBe(true);
  });

  it("\"`ebs_optimized` true wherever the family allows (false for t2, m1, …)\"", () => {
    expect(instanceOf({ instanceType: "t3.micro" }).ebs_optimized).toBe(true);
    expect(instanceOf({ instanceType: "m6i.large" }).ebs_optimized).toBe(true);
    expect(instanceOf({ instanceType: "t2.micro" }).ebs_optimized).toBe(false);
    expect(instanceOf({ instanceType: "m1.small" }).ebs_optimized).toBe(false);
  });

  it("\"an instance profile\": its own role's profile `<name>-host` by default", () => {
    const json = synth((s) => new HardenedInstance(s, "host", INSTANCE));
    const profile = one(json, "aws_iam_instance_profile");
    expect(profile.name).toBe("shop-web-a-host");
    const [profileName] = Object.keys(json.resource.aws_iam_instance_profile);
    expect(one(json, "aws_instance").iam_instance_profile).toBe(`\${aws_iam_instance_profile.${profileName}.name}`);
  });

  it("\"`associate_public_ip_address = false` unless asked\" (`PublicAddress.NONE` default; `AUTO_ASSIGNED` writes true)", () => {
    expect(instanceOf().associate_public_ip_address).toBe(false);
    expect(instanceOf({ publicAddress: PublicAddress.NONE }).associate_public_ip_address).toBe(false);
    expect(instanceOf({ publicAddress: PublicAddress.AUTO_ASSIGNED }).associate_public_ip_address).toBe(true);
  });

  it("\"`Name`/`Role` tags on the host and its volumes\"; extra `tags` on the instance", () => {
    const instance = instanceOf({ tags: { Team: "shop" } });
    expect(instance.tags).toEqual({ Name: "shop-web-a", Role: "web", Team: "shop" });
    expect(instance.volume_tags).toEqual({ Name: "shop-web-a", Role: "web" });
  });

  it("\"`user_data_replace_on_change = true` when there is user data\" (and not without)", () => {
    expect(instanceOf({ userData: "#cloud-config\n" }).user_data_replace_on_change).toBe(true);
    const bare = instanceOf();
    expect(bare.user_data).toBeUndefined();
    expect(bare.user_data_replace_on_change).toBe(false);
  });

  it("\"`ignore_changes = [\"ami\"]`\" by default; \"`replaceOnAmiChange: true`\" drops it", () => {
    expect(instanceOf().lifecycle).toEqual({ ignore_changes: ["ami"] });
    expect(instanceOf({ replaceOnAmiChange: true }).lifecycle).toBeUndefined();
  });

  it("\"Terraform `${…}`/`%{…}` in user data are escaped\"; \"apply-time values are spliced in through placeholders\"", () => {
    const instance = instanceOf({ userData: "a=${HOME} b=%{if x} c=__ALLOC__", userDataValues: { __ALLOC__: "${aws_eip.x.allocation_id}" } });
    expect(instance.user_data).toBe("a=$${HOME} b=%%{if x} c=${aws_eip.x.allocation_id}");
  });

  it("\"`privateIp` … fixed private IPv4 inside the subnet\" (default: assigned by AWS)", () => {
    expect(instanceOf({ privateIp: "10.0.1.10" }).private_ip).toBe("10.0.1.10");
    expect(instanceOf().private_ip).toBeUndefined();
  });

  it("\"`keyName` … none (no SSH key)\" by default", () => {
    expect(instanceOf().key_name).toBeUndefined();
    expect(instanceOf({ keyName: "ops" }).key_name).toBe("ops");
  });

  it("\"`publicIp` (Elastic IP, or the launch address; `undefined` with `NONE`)\"", () => {
    const json = synth((s) => {
      expect(new HardenedInstance(s, "none", { ...INSTANCE, name: "n" }).publicIp).toBeUndefined();
      const eip = new HardenedInstance(s, "eip", { ...INSTANCE, name: "e", publicAddress: PublicAddress.ELASTIC_IP });
      const auto = new HardenedInstance(s, "auto", { ...INSTANCE, name: "a", publicAddress: PublicAddress.AUTO_ASSIGNED });
      new TerraformOutput(s, "eip-ip", { value: eip.publicIp });
      new TerraformOutput(s, "auto-ip", { value: auto.publicIp });
    });
    expect(json.output["eip-ip"].value).toMatch(/^\$\{aws_eip\.eip_[0-9A-F]+\.public_ip\}$/);
    expect(json.output["auto-ip"].value).toMatch(/^\$\{aws_instance\.auto_instance_[0-9A-F]+\.public_ip\}$/);
  });

  it("attributes \"`instanceId`, `privateIp`, … `roleName`, `roleArn`, `instance` (the `Instance` resource)\"", () => {
    const json = synth((s) => {
      const host = new HardenedInstance(s, "host", INSTANCE);
      expect(host.instance.terraformResourceType).toBe("aws_instance");
      for (const [name, value] of Object.entries({ id: host.instanceId, ip: host.privateIp, roleName: host.roleName, roleArn: host.roleArn })) new TerraformOutput(s, name, { value });
    });
    const [instanceName] = Object.keys(json.resource.aws_instance);
    const [roleName] = Object.keys(json.resource.aws_iam_role);
    expect([json.output.id.value, json.output.ip.value, json.output.roleName.value, json.output.roleArn.value]).toEqual([
      `\${aws_instance.${instanceName}.id}`,
      `\${aws_instance.${instanceName}.private_ip}`,
      `\${aws_iam_role.${roleName}.name}`,
      `\${aws_iam_role.${roleName}.arn}`,
    ]);
  });

  it("\"`ELASTIC_IP` creates the network interface first and attaches an Elastic IP to it before the instance boots\"", () => {
    const json = synth((s) => new HardenedInstance(s, "host", { ...INSTANCE, privateIp: "10.0.0.10", publicAddress: PublicAddress.ELASTIC_IP }));
    const [eniName] = Object.keys(json.resource.aws_network_interface);
    const eni = one(json, "aws_network_interface");
    expect(eni).toMatchObject({ subnet_id: "subnet-1", security_groups: ["sg-1"], private_ips: ["10.0.0.10"] });
    expect(one(json, "aws_eip").network_interface).toBe(`\${aws_network_interface.${eniName}.id}`);
    const instance = one(json, "aws_instance");
    expect(instance.network_interface).toEqual([{ network_interface_id: `\${aws_network_interface.${eniName}.id}`, device_index: 0 }]);
    expect(instance.subnet_id).toBeUndefined();
    expect(instance.associate_public_ip_address).toBeUndefined();
  });

  it("\"`AUTO_ASSIGNED` … is rejected by the policy pack (`EC2-NO-PUBLIC-IP`)\"; `NONE` passes it", () => {
    const gated = (publicAddress: PublicAddress) => {
      const evaluations: StackEvaluation[] = [];
      const run = () =>
        synth((s) => {
          new HardenedInstance(s, "host", { ...INSTANCE, publicAddress });
          enforcePolicy(s, { report: (e) => evaluations.push(e) });
        }, true);
      return { run, evaluations };
    };
    const auto = gated(PublicAddress.AUTO_ASSIGNED);
    expect(auto.run).toThrow(/EC2-NO-PUBLIC-IP/);
    expect(auto.evaluations[0].findings.filter((f) => f.ruleId === "EC2-NO-PUBLIC-IP" && !f.suppressed)).toHaveLength(1);
    const none = gated(PublicAddress.NONE);
    none.run();
    expect(none.evaluations[0].findings.filter((f) => f.ruleId === "EC2-NO-PUBLIC-IP")).toEqual([]);
  });

  it("\"`sessionManager` … `false`\": a role of its own with no policy at all; `policyStatements` become its one policy", () => {
    const bare = synth((s) => new HardenedInstance(s, "host", INSTANCE));
    expect(all(bare, "aws_iam_role_policy")).toEqual([]);
    expect(all(bare, "aws_iam_role")).toHaveLength(1);
    const statement = { Effect: "Allow" as const, Action: ["ssm:GetParameter"], Resource: ["arn:aws:ssm:eu-west-1:111122223333:parameter/shop/*"] };
    const own = synth((s) => new HardenedInstance(s, "host", { ...INSTANCE, policyStatements: [statement] }));
    expect(JSON.parse(one(own, "aws_iam_role_policy").policy).Statement).toEqual([statement]);
  });

  it("\"Sharing a `HostRole`: a fleet shares one role and profile (one policy, not one per host)\"", () => {
    const json = synth((s) => {
      const role = new HostRole(s, "web-role", { name: "shop-web", policyStatements: [{ Effect: "Allow", Action: ["ssm:GetParameter"], Resource: ["arn:aws:ssm:eu-west-1:111122223333:parameter/shop/*"] }] });
      ["a", "b"].forEach((az) => new HardenedInstance(s, `web-${az}`, { ...INSTANCE, name: `shop-web-${az}`, hostRole: role }));
    });
    expect(all(json, "aws_iam_role")).toHaveLength(1);
    expect(all(json, "aws_iam_role_policy")).toHaveLength(1);
    expect(all(json, "aws_iam_instance_profile")).toHaveLength(1);
    const [profileName] = Object.keys(json.resource.aws_iam_instance_profile);
    expect(all(json, "aws_instance").map((i) => i.iam_instance_profile)).toEqual([1, 2].map(() => `\${aws_iam_instance_profile.${profileName}.name}`));
  });

  it.each([
    ["`<id>.instanceType`: not `family.size` (e.g. `\"t3-micro\"`)", { instanceType: "t3-micro" }, /host\.instanceType: "t3-micro" is not allowed/],
    ["`<id>.rootVolumeGb`: not an integer 8–16384 (7)", { rootVolumeGb: 7 }, /host\.rootVolumeGb: 7 is not allowed; expected an integer 8–16384/],
    ["`<id>.rootVolumeGb`: not an integer 8–16384 (16385)", { rootVolumeGb: 16385 }, /host\.rootVolumeGb: 16385 is not allowed/],
    ["`<id>.rootVolumeGb`: not an integer 8–16384 (8.5)", { rootVolumeGb: 8.5 }, /host\.rootVolumeGb: 8\.5 is not allowed/],
    ["`<id>.hostRole`: `hostRole` with `policyStatements`", { policyStatements: [] }, /host\.hostRole: .* is not allowed/],
    ["`<id>.hostRole`: `hostRole` with `sessionManager`", { sessionManager: false }, /host\.hostRole: .* is not allowed/],
    ["`<id>.userData`: over 16,384 bytes", { userData: "x".repeat(16385) }, /host\.userData: "16385 bytes" is not allowed; expected at most 16384 bytes/],
    ["`<id>.userDataValues`: a placeholder that does not appear in the user data", { userData: "x", userDataValues: { __NOPE__: "v" } }, /host\.userDataValues: "__NOPE__" is not allowed/],
  ])("validation error %s", (_label, props, message) => {
    const build = () =>
      synth((s) => {
        const needsRole = "policyStatements" in props || "sessionManager" in props;
        const hostRole = needsRole ? new HostRole(s, "shared", { name: "shared" }) : undefined;
        new HardenedInstance(s, "host", { ...INSTANCE, ...(hostRole ? { hostRole } : {}), ...props });
      });
    expect(build).toThrow(message);
  });

  it("bounds are inclusive: `rootVolumeGb` 8 and 16384, user data of exactly 16,384 bytes are accepted", () => {
    expect(instanceOf({ rootVolumeGb: 8 }).root_block_device.volume_size).toBe(8);
    expect(instanceOf({ rootVolumeGb: 16384 }).root_block_device.volume_size).toBe(16384);
    expect(instanceOf({ userData: "x".repeat(16384) }).user_data).toHaveLength(16384);
  });
});

describe("HostRole (modules/compute/README.md)", () => {
  it("\"role, policy and instance profile are named `<name>-host`\"", () => {
    const json = synth((s) => new HostRole(s, "role", { name: "shop-web", policyStatements: [{ Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::shop/*"] }] }));
    expect(one(json, "aws_iam_role").name).toBe("shop-web-host");
    expect(one(json, "aws_iam_role_policy").name).toBe("shop-web-host");
    expect(one(json, "aws_iam_instance_profile").name).toBe("shop-web-host");
  });

  it("\"`policyStatements` (default `[]`), `sessionManager` (default `false`)\": no policy unless asked", () => {
    const json = synth((s) => new HostRole(s, "role", { name: "shop-web" }));
    expect(all(json, "aws_iam_role_policy")).toEqual([]);
    expect(JSON.parse(one(json, "aws_iam_role").assume_role_policy).Statement[0].Principal).toEqual({ Service: "ec2.amazonaws.com" });
  });

  it("\"Attributes `roleName`, `roleArn`, `instanceProfileName`\"", () => {
    const json = synth((s) => {
      const role = new HostRole(s, "role", { name: "shop-web" });
      for (const [name, value] of Object.entries({ name: role.roleName, arn: role.roleArn, profile: role.instanceProfileName })) new TerraformOutput(s, name, { value });
    });
    const [roleName] = Object.keys(json.resource.aws_iam_role);
    const [profileName] = Object.keys(json.resource.aws_iam_instance_profile);
    expect([json.output.name.value, json.output.arn.value, json.output.profile.value]).toEqual([`\${aws_iam_role.${roleName}.name}`, `\${aws_iam_role.${roleName}.arn}`, `\${aws_iam_instance_profile.${profileName}.name}`]);
  });

  it("\"`sessionManager` … `ssm:UpdateInstanceInformation` and the four `ssmmessages:` channel actions\"", () => {
    const json = synth((s) => new HostRole(s, "role", { name: "shop-web", sessionManager: true }));
    const actions = JSON.parse(one(json, "aws_iam_role_policy").policy).Statement.flatMap((st: Json) => st.Action);
    expect(actions.sort()).toEqual([
      "ssm:UpdateInstanceInformation",
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
    ]);
  });
});

describe("HardenedLaunchTemplate (modules/compute/README.md)", () => {
  it("\"It writes `associate_public_ip_address = \"false\"`, gp3 encrypted `/dev/xvda`, `update_default_version = true`\"", () => {
    const template = templateOf();
    expect(template.network_interfaces).toEqual([{ device_index: 0, associate_public_ip_address: "false", delete_on_termination: "true", security_groups: ["sg-1"] }]);
    expect(template.block_device_mappings).toEqual([{ device_name: "/dev/xvda", ebs: { volume_type: "gp3", volume_size: 16, encrypted: "true", delete_on_termination: "true" } }]);
    expect(template.update_default_version).toBe(true);
  });

  it("the twin's hardening: IMDSv2 only, detailed monitoring, `ebs_optimized` by family, an instance profile, `Name`/`Role` tags on instances and volumes", () => {
    const json = synth((s) => new HardenedLaunchTemplate(s, "lt", { ...TEMPLATE, tags: { Team: "shop" } }));
    const template = one(json, "aws_launch_template");
    expect(template.metadata_options).toEqual({ http_endpoint: "enabled", http_tokens: "required", http_put_response_hop_limit: 1, instance_metadata_tags: "enabled" });
    expect(template.monitoring).toEqual({ enabled: true });
    expect(template.ebs_optimized).toBe("true");
    expect(templateOf({ instanceType: "t2.micro" }).ebs_optimized).toBe("false");
    const [profileName] = Object.keys(json.resource.aws_iam_instance_profile);
    expect(template.iam_instance_profile).toEqual({ name: `\${aws_iam_instance_profile.${profileName}.name}` });
    expect(template.tag_specifications).toEqual([
      { resource_type: "instance", tags: { Name: "shop-frontend", Role: "frontend", Team: "shop" } },
      { resource_type: "volume", tags: { Name: "shop-frontend", Role: "frontend" } },
    ]);
  });

  it("\"It has no `sessionManager` prop: its own role grants only `policyStatements`\"", () => {
    const bare = synth((s) => new HardenedLaunchTemplate(s, "lt", TEMPLATE));
    expect(all(bare, "aws_iam_role_policy")).toEqual([]);
    const statement = { Effect: "Allow" as const, Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::shop/*"] };
    const own = synth((s) => new HardenedLaunchTemplate(s, "lt", { ...TEMPLATE, policyStatements: [statement] }));
    expect(JSON.parse(one(own, "aws_iam_role_policy").policy).Statement).toEqual([statement]);
  });

  it("\"launch templates base64-encode it instead\" of escaping: the host receives the text unchanged, apply-time values spliced in", () => {
    const text = "#cloud-config\nwrite_files: [{content: '${HOME} %{x} __ALLOC__'}]\n";
    const json = synth((s) => {
      const eip = new Eip(s, "x", { domain: "vpc" });
      new HardenedLaunchTemplate(s, "lt", { ...TEMPLATE, userData: text, userDataValues: { __ALLOC__: eip.allocationId } });
    });
    const template = one(json, "aws_launch_template");
    expect(template.user_data).toMatch(/^\$\{base64gzip\(join\("", \[base64decode\("[A-Za-z0-9+/=]+"\), aws_eip\.x\.allocation_id, base64decode\("[A-Za-z0-9+/=]+"\)\]\)\)\}$/);
    expect(template.user_data).not.toContain("$${HOME}");
    expect(readLaunchTemplateUserData(template.user_data)).toBe(text.replace("__ALLOC__", "${aws_eip.x.allocation_id}"));
    expect(templateOf().user_data).toBeUndefined();
  });

  it("\"`latestVersion` (pin an Auto Scaling group to it …)\" is the template's latest_version", () => {
    const json = synth((s) => new TerraformOutput(s, "version", { value: new HardenedLaunchTemplate(s, "lt", TEMPLATE).latestVersion }));
    expect(json.output.version.value).toMatch(/^\$\{tostring\(aws_launch_template\.lt_template_[0-9A-F]+\.latest_version\)\}$/);
  });

  it("attributes \"`launchTemplateId`, … `hostRole`, `template`\"", () => {
    const json = synth((s) => {
      const lt = new HardenedLaunchTemplate(s, "lt", TEMPLATE);
      expect(lt.template.terraformResourceType).toBe("aws_launch_template");
      new TerraformOutput(s, "id", { value: lt.launchTemplateId });
      new TerraformOutput(s, "profile", { value: lt.hostRole.instanceProfileName });
    });
    expect(json.output.id.value).toBe(`\${aws_launch_template.${Object.keys(json.resource.aws_launch_template)[0]}.id}`);
    expect(json.output.profile.value).toBe(`\${aws_iam_instance_profile.${Object.keys(json.resource.aws_iam_instance_profile)[0]}.name}`);
  });

  it("a shared `hostRole` is used instead of a role of its own", () => {
    const json = synth((s) => {
      const role = new HostRole(s, "shared", { name: "shop-frontend-eu-west-1" });
      new HardenedLaunchTemplate(s, "lt", { ...TEMPLATE, hostRole: role });
    });
    expect(all(json, "aws_iam_role")).toHaveLength(1);
    expect(one(json, "aws_iam_instance_profile").name).toBe("shop-frontend-eu-west-1-host");
  });

  it.each([
    ["`<id>.hostRole`: `hostRole` with … (launch template: `policyStatements`)", "hostRole", /lt\.hostRole: .* is not allowed/],
    ["`<id>.securityGroupIds`: an empty list (launch template)", "securityGroupIds", /lt\.securityGroupIds: \[\] is not allowed; expected at least one security group id/],
    ["`<id>.instanceType`: not `family.size`", "instanceType", /lt\.instanceType: "t3-micro" is not allowed/],
    ["`<id>.rootVolumeGb`: not an integer 8–16384", "rootVolumeGb", /lt\.rootVolumeGb: 7 is not allowed/],
    ["`<id>.userDataValues`: a placeholder that does not appear in the user data", "userDataValues", /lt\.userDataValues: "__NOPE__" is not allowed/],
  ])("validation error %s", (_label, field, message) => {
    const props: Record<string, Partial<HardenedLaunchTemplateProps>> = {
      securityGroupIds: { securityGroupIds: [] },
      instanceType: { instanceType: "t3-micro" },
      rootVolumeGb: { rootVolumeGb: 7 },
      userDataValues: { userData: "x", userDataValues: { __NOPE__: "v" } },
    };
    const build = () =>
      synth((s) => {
        const extra = field === "hostRole" ? { hostRole: new HostRole(s, "shared", { name: "shared" }), policyStatements: [] } : props[field];
        new HardenedLaunchTemplate(s, "lt", { ...TEMPLATE, ...extra });
      });
    expect(build).toThrow(message);
  });

  it("\"`<id>.userData`: over 16,384 bytes (launch template: over 16,384 bytes once gzip-compressed and base64-encoded)\"", () => {
    // Random bytes barely compress: 13,000 of them (as base64 text) grow past 16,384 once gzipped and base64-encoded.
    const noise = randomBytes(13000).toString("base64");
    expect(() => synth((s) => new HardenedLaunchTemplate(s, "lt", { ...TEMPLATE, userData: noise }))).toThrow(/lt\.userData: "\d+ bytes gzip-compressed and base64-encoded" is not allowed; expected at most 16384 bytes/);
    // Text that compresses well passes far beyond 16,384 raw bytes (what stage 4's backend relies on).
    expect(templateOf({ userData: "#cloud-config\n" + "packages: [nginx]\n".repeat(2000) }).user_data).toMatch(/^\$\{base64gzip\(/);
  });
});
