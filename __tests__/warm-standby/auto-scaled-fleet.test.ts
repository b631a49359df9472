/**
 * auto-scaled-fleet.ts: "HardenedLaunchTemplate (IMDSv2, encrypted gp3, no public IP) + ASG with ELB health checks,
 * grace period, rolling instance refresh; target tracking on CPU and ALB requests per instance (`scaling`)".
 */
import { TerraformVariable } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { readLaunchTemplateUserData } from "../../modules/core/launch-template-user-data";
import { AutoScaledFleet, AutoScaledFleetProps } from "../../modules/warm-standby/auto-scaled-fleet";
import { resourcesOf, onlyResourceOf } from "../support/synth";
import { expectInvalid, newStack, synth } from "./fleet-support";

const LABEL = "app/acme-fe/0123456789abcdef/targetgroup/acme-fe/fedcba9876543210";
const BASE: AutoScaledFleetProps = {
  name: "acme-frontend",
  role: "frontend",
  instanceType: "t3.micro",
  ami: "ami-0123456789abcdef0",
  subnetIds: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
  securityGroupIds: ["sg-0123456789abcdef0"],
  targetGroupArn: "arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/acme-fe/fedcba9876543210",
  capacity: { min: 2, desired: 3, max: 4 },
};

function build(props: Partial<AutoScaledFleetProps> = {}, id = "fleet") {
  const stack = newStack();
  const fleet = new AutoScaledFleet(stack, id, { ...BASE, ...props });
  const { json, values } = synth(stack, { groupName: fleet.groupName, groupArn: fleet.groupArn, launchTemplateId: fleet.launchTemplate.launchTemplateId });
  const [groupId, group] = onlyResourceOf(json, "aws_autoscaling_group");
  const [templateId, template] = onlyResourceOf(json, "aws_launch_template");
  const policies = Object.fromEntries(resourcesOf(json, "aws_autoscaling_policy").map(([, p]) => [p.name, p]));
  return { fleet, json, values, groupId, group, templateId, template, policies };
}

/** The group exactly as a fixed-count fleet writes it (grace period `grace`). */
const expectedGroup = (templateId: string, grace: number, capacity = BASE.capacity) => ({
  name: "acme-frontend",
  min_size: capacity.min,
  desired_capacity: capacity.desired,
  max_size: capacity.max,
  vpc_zone_identifier: ["subnet-0aaaaaaaaaaaaaaaa", "subnet-0bbbbbbbbbbbbbbbb"],
  launch_template: { id: `\${aws_launch_template.${templateId}.id}`, version: `\${tostring(aws_launch_template.${templateId}.latest_version)}` },
  target_group_arns: ["arn:aws:elasticloadbalancing:us-east-1:123456789012:targetgroup/acme-fe/fedcba9876543210"],
  health_check_type: "ELB",
  health_check_grace_period: grace,
  default_instance_warmup: grace,
  capacity_rebalance: true,
  enabled_metrics: ["GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances", "GroupTotalInstances"],
  instance_refresh: { strategy: "Rolling", preferences: { min_healthy_percentage: 50, instance_warmup: String(grace) } },
  tag: [
    { key: "Name", value: "acme-frontend", propagate_at_launch: true },
    { key: "Role", value: "frontend", propagate_at_launch: true },
  ],
});

describe("the Auto Scaling group", () => {
  test("ELB health checks after a 300 s grace period (@default 300), spread over the given subnets, pinned to the template's latest version, rolling refresh keeping 50 % healthy, Name and Role tags on every host", () => {
    const { group, templateId } = build();
    expect(group).toEqual(expectedGroup(templateId, 300));
  });
  test("healthCheckGracePeriodSeconds sets the grace period, the default warmup and the refresh warmup", () => {
    const { group, templateId } = build({ healthCheckGracePeriodSeconds: 600 });
    expect(group).toEqual(expectedGroup(templateId, 600));
  });
  test("grace period: 0 and 7200 are accepted; -1, 7201 and 1.5 are refused", () => {
    expect(build({ healthCheckGracePeriodSeconds: 0 }).group.health_check_grace_period).toBe(0);
    expect(build({ healthCheckGracePeriodSeconds: 7200 }).group.health_check_grace_period).toBe(7200);
    for (const bad of [-1, 7201, 1.5]) {
      expectInvalid(() => build({ healthCheckGracePeriodSeconds: bad }), "fleet.healthCheckGracePeriodSeconds", bad, "an integer from 0 to 7200");
    }
  });
  test("typed attributes: groupName and groupArn are the group's, capacity as given, launchTemplate the fleet's template", () => {
    const { fleet, values, groupId, templateId } = build();
    expect(values).toEqual({
      groupName: `\${aws_autoscaling_group.${groupId}.name}`,
      groupArn: `\${aws_autoscaling_group.${groupId}.arn}`,
      launchTemplateId: `\${aws_launch_template.${templateId}.id}`,
    });
    expect(fleet.capacity).toEqual({ min: 2, desired: 3, max: 4 });
  });
  test("a given provider carries every resource of the fleet", () => {
    const stack = newStack();
    const west = new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" });
    new AutoScaledFleet(stack, "fleet", { ...BASE, provider: west, policyStatements: [{ Sid: "A", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::b/*" }], scaling: { cpuTargetPercent: 50, requestsPerTargetPerMinute: 10, requestCountLabel: LABEL } });
    const { json } = synth(stack);
    const resources = Object.entries(json.resource!).flatMap(([type, byName]) => Object.values(byName).map((r) => [type, r.provider]));
    expect(resources.length).toBe(7); // group, 2 policies, launch template, role, role policy, instance profile
    for (const [type, provider] of resources) expect([type, provider]).toEqual([type, "aws.west"]);
  });
});

describe("capacity: min ≥ 1, min ≤ desired ≤ max, max ≤ 100", () => {
  test("the smallest (1/1/1) and the largest (100/100/100) fleets are accepted", () => {
    const small = build({ capacity: { min: 1, desired: 1, max: 1 } });
    expect(small.group).toEqual(expectedGroup(small.templateId, 300, { min: 1, desired: 1, max: 1 }));
    const large = build({ capacity: { min: 100, desired: 100, max: 100 } });
    expect([large.group.min_size, large.group.desired_capacity, large.group.max_size]).toEqual([100, 100, 100]);
  });
  test("min: 0, 101 and 1.5 are refused", () => {
    expectInvalid(() => build({ capacity: { min: 0, desired: 1, max: 2 } }), "fleet.capacity.min", 0, "an integer from 1 to 100");
    expectInvalid(() => build({ capacity: { min: 101, desired: 101, max: 101 } }), "fleet.capacity.min", 101, "an integer from 1 to 100");
    expectInvalid(() => build({ capacity: { min: 1.5, desired: 2, max: 2 } }), "fleet.capacity.min", 1.5, "an integer from 1 to 100");
  });
  test("max: below min, above 100 or fractional is refused; max = min is accepted", () => {
    expectInvalid(() => build({ capacity: { min: 3, desired: 3, max: 2 } }), "fleet.capacity.max", 2, "an integer from min (3) to 100");
    expectInvalid(() => build({ capacity: { min: 1, desired: 1, max: 101 } }), "fleet.capacity.max", 101, "an integer from min (1) to 100");
    expectInvalid(() => build({ capacity: { min: 1, desired: 1, max: 2.5 } }), "fleet.capacity.max", 2.5, "an integer from min (1) to 100");
    expect(build({ capacity: { min: 3, desired: 3, max: 3 } }).group.max_size).toBe(3);
  });
  test("desired: below min, above max or fractional is refused", () => {
    expectInvalid(() => build({ capacity: { min: 2, desired: 1, max: 4 } }), "fleet.capacity.desired", 1, "an integer from min (2) to max (4)");
    expectInvalid(() => build({ capacity: { min: 2, desired: 5, max: 4 } }), "fleet.capacity.desired", 5, "an integer from min (2) to max (4)");
    expectInvalid(() => build({ capacity: { min: 2, desired: 2.5, max: 4 } }), "fleet.capacity.desired", 2.5, "an integer from min (2) to max (4)");
    expect(build({ capacity: { min: 2, desired: 4, max: 4 } }).group.desired_capacity).toBe(4);
  });
  test("the error names the construct id", () => {
    expectInvalid(() => build({ capacity: { min: 0, desired: 1, max: 2 } }, "backend"), "backend.capacity.min", 0, "an integer from 1 to 100");
  });
});

describe("the hardened launch template and the host role", () => {
  test("name, role, AMI, instance type, security groups, IMDSv2, encrypted gp3, no public IP; no user data, key pair or role policy unless given", () => {
    const { template, json } = build();
    expect(template).toMatchObject({
      name: "acme-frontend",
      description: "frontend hosts: IMDSv2, encrypted gp3, no public IP",
      image_id: "ami-0123456789abcdef0",
      instance_type: "t3.micro",
      network_interfaces: [{ associate_public_ip_address: "false", delete_on_termination: "true", device_index: 0, security_groups: ["sg-0123456789abcdef0"] }],
      tags: { Name: "acme-frontend", Role: "frontend" },
    });
    expect(template.user_data).toBeUndefined();
    expect(template.key_name).toBeUndefined();
    expect(resourcesOf(json, "aws_iam_role_policy")).toEqual([]);
    expect(onlyResourceOf(json, "aws_iam_role")[1].name).toBe("acme-frontend-host");
  });
  test("user data with its apply-time values, the key pair and the role's statements land in the template and the role", () => {
    const statement = { Sid: "ReadAssets", Effect: "Allow" as const, Action: ["s3:GetObject"], Resource: "arn:aws:s3:::acme-assets/*" };
    const stack = newStack();
    const bucket = new TerraformVariable(stack, "bucket", { type: "string" }).stringValue;
    new AutoScaledFleet(stack, "fleet", { ...BASE, userData: "#!/bin/bash\necho __BUCKET__\n", userDataValues: { __BUCKET__: bucket }, keyName: "acme-admin", policyStatements: [statement], instanceType: "m7i.large", ami: "ami-0fedcba9876543210" });
    const { json } = synth(stack);
    const template = onlyResourceOf(json, "aws_launch_template")[1];
    expect(readLaunchTemplateUserData(template.user_data, (ref) => `<${ref}>`)).toBe("#!/bin/bash\necho <var.bucket>\n");
    expect(template.key_name).toBe("acme-admin");
    expect([template.image_id, template.instance_type]).toEqual(["ami-0fedcba9876543210", "m7i.large"]);
    expect(JSON.parse(onlyResourceOf(json, "aws_iam_role_policy")[1].policy)).toEqual({ Version: "2012-10-17", Statement: [statement] });
  });
});

describe("scaling: target tracking between min and max", () => {
  test("@default none (a fixed desired count): no policy, and Terraform keeps resetting desired_capacity", () => {
    const { policies, group } = build();
    expect(policies).toEqual({});
    expect(group.lifecycle).toBeUndefined();
  });
  test("CPU and requests per instance: two target-tracking policies with the grace period as warmup; desired_capacity left to them", () => {
    const { policies, group, groupId } = build({ healthCheckGracePeriodSeconds: 240, scaling: { cpuTargetPercent: 60, requestsPerTargetPerMinute: 1000, requestCountLabel: LABEL } });
    expect(group.lifecycle).toEqual({ ignore_changes: ["desired_capacity"] });
    expect(policies).toEqual({
      "acme-frontend-cpu": {
        name: "acme-frontend-cpu",
        autoscaling_group_name: `\${aws_autoscaling_group.${groupId}.name}`,
        policy_type: "TargetTrackingScaling",
        estimated_instance_warmup: 240,
        target_tracking_configuration: { predefined_metric_specification: { predefined_metric_type: "ASGAverageCPUUtilization" }, target_value: 60 },
      },
      "acme-frontend-requests": {
        name: "acme-frontend-requests",
        autoscaling_group_name: `\${aws_autoscaling_group.${groupId}.name}`,
        policy_type: "TargetTrackingScaling",
        estimated_instance_warmup: 240,
        target_tracking_configuration: { predefined_metric_specification: { predefined_metric_type: "ALBRequestCountPerTarget", resource_label: LABEL }, target_value: 1000 },
      },
    });
  });
  test("CPU only (@default no request-count policy), even with a label", () => {
    const { policies, group } = build({ scaling: { cpuTargetPercent: 50, requestCountLabel: LABEL } });
    expect(Object.keys(policies)).toEqual(["acme-frontend-cpu"]);
    expect(policies["acme-frontend-cpu"].estimated_instance_warmup).toBe(300);
    expect(group.lifecycle).toEqual({ ignore_changes: ["desired_capacity"] });
  });
  test("cpuTargetPercent: 10 and 90 are accepted; 9, 91 and 50.5 are refused", () => {
    expect(build({ scaling: { cpuTargetPercent: 10 } }).policies["acme-frontend-cpu"].target_tracking_configuration.target_value).toBe(10);
    expect(build({ scaling: { cpuTargetPercent: 90 } }).policies["acme-frontend-cpu"].target_tracking_configuration.target_value).toBe(90);
    for (const bad of [9, 91, 50.5]) expectInvalid(() => build({ scaling: { cpuTargetPercent: bad } }), "fleet.scaling.cpuTargetPercent", bad, "an integer from 10 to 90");
  });
  test("requestsPerTargetPerMinute: 1 and 100000 are accepted; 0, 100001 and 1.5 are refused", () => {
    const scaling = (requests: number) => ({ scaling: { cpuTargetPercent: 50, requestsPerTargetPerMinute: requests, requestCountLabel: LABEL } });
    expect(build(scaling(1)).policies["acme-frontend-requests"].target_tracking_configuration.target_value).toBe(1);
    expect(build(scaling(100000)).policies["acme-frontend-requests"].target_tracking_configuration.target_value).toBe(100000);
    for (const bad of [0, 100001, 1.5]) expectInvalid(() => build(scaling(bad)), "fleet.scaling.requestsPerTargetPerMinute", bad, "an integer from 1 to 100000");
  });
  test("a request-count target needs the load balancer's requestCountLabel", () => {
    expectInvalid(() => build({ scaling: { cpuTargetPercent: 50, requestsPerTargetPerMinute: 1000 } }), "fleet.scaling.requestCountLabel", undefined, "the load balancer's requestCountLabel");
  });
});
