import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { AutoscalingGroup } from "@cdktf/provider-aws/lib/autoscaling-group";
import { AutoscalingPolicy } from "@cdktf/provider-aws/lib/autoscaling-policy";
import { HardenedLaunchTemplate } from "../compute";
import { PolicyStatement } from "../core/iam";
import { check } from "../core/validation";

/** Instance counts of one Auto Scaling group. */
export interface FleetCapacity {
  /** Fewest instances (≥ 1). */
  readonly min: number;
  /** Instances running now, min ≤ desired ≤ max. */
  readonly desired: number;
  /** Most instances (≤ 100). */
  readonly max: number;
}

/** Target tracking: the group grows and shrinks between min and max to hold these targets. */
export interface FleetScaling {
  /** Average CPU utilization of the group, in percent (10–90). */
  readonly cpuTargetPercent: number;
  /** ALB requests per instance and minute; needs `requestCountLabel`. @default no request-count policy */
  readonly requestsPerTargetPerMinute?: number;
  /** The load balancer's `requestCountLabel` (`app/…/targetgroup/…`). */
  readonly requestCountLabel?: string;
}

export interface AutoScaledFleetProps {
  /** AWS provider of the region. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Group, launch template and IAM name, unique per account and region. */
  readonly name: string;
  /** Role tag of the hosts, e.g. "frontend". */
  readonly role: string;
  readonly instanceType: string;
  readonly ami: string;
  /** Private subnets, one per AZ. */
  readonly subnetIds: readonly string[];
  readonly securityGroupIds: readonly string[];
  /** Target group the instances register with. */
  readonly targetGroupArn: string;
  readonly capacity: FleetCapacity;
  /** cloud-config user data. @default none */
  readonly userData?: string;
  /** Apply-time values substituted into `userData` (placeholder → token). @default {} */
  readonly userDataValues?: Record<string, string>;
  /** IAM statements of the hosts' role. @default [] (the role may do nothing) */
  readonly policyStatements?: readonly PolicyStatement[];
  /** Seconds a new instance has before ELB health checks count (first boot installs packages). @default 300 */
  readonly healthCheckGracePeriodSeconds?: number;
  /** EC2 key pair. @default none */
  readonly keyName?: string;
  /**
   * Target-tracking scaling. With it, Terraform sets min and max and leaves the
   * running count to the policies (it stops resetting desired_capacity).
   * @default none (a fixed desired count)
   */
  readonly scaling?: FleetScaling;
}

/**
 * An Auto Scaling group of hardened instances behind a target group: ELB
 * health checks after a grace period, spread over the given subnets, and a
 * rolling instance refresh whenever the launch template changes. The refresh keeps at least 50 % of the group healthy
 * and gives each new instance the grace period as warm-up (scaling policies use the same warm-up). Capacity
 * rebalancing is on; it acts on Spot instances only, which this fleet does not launch.
 */
export class AutoScaledFleet extends Construct {
  readonly groupName: string;
  readonly groupArn: string;
  readonly capacity: FleetCapacity;
  readonly launchTemplate: HardenedLaunchTemplate;

  constructor(scope: Construct, id: string, props: AutoScaledFleetProps) {
    super(scope, id);
    const { min, desired, max } = props.capacity;
    check(Number.isInteger(min) && min >= 1 && min <= 100, `${id}.capacity.min`, min, "an integer from 1 to 100");
    check(Number.isInteger(max) && max >= min && max <= 100, `${id}.capacity.max`, max, `an integer from min (${min}) to 100`);
    check(Number.isInteger(desired) && desired >= min && desired <= max, `${id}.capacity.desired`, desired, `an integer from min (${min}) to max (${max})`);
    const grace = props.healthCheckGracePeriodSeconds ?? 300;
    check(Number.isInteger(grace) && grace >= 0 && grace <= 7200, `${id}.healthCheckGracePeriodSeconds`, grace, "an integer from 0 to 7200");
    const provider = props.provider;

    this.launchTemplate = new HardenedLaunchTemplate(this, "launch-template", {
      provider,
      name: props.name,
      role: props.role,
      instanceType: props.instanceType,
      ami: props.ami,
      securityGroupIds: props.securityGroupIds,
      userData: props.userData,
      userDataValues: props.userDataValues,
      policyStatements: props.policyStatements,
      keyName: props.keyName,
    });
    const group = new AutoscalingGroup(this, "group", {
      provider,
      name: props.name,
      minSize: min,
      desiredCapacity: desired,
      maxSize: max,
      vpcZoneIdentifier: [...props.subnetIds],
      launchTemplate: { id: this.launchTemplate.launchTemplateId, version: this.launchTemplate.latestVersion },
      targetGroupArns: [props.targetGroupArn],
      healthCheckType: "ELB",
      healthCheckGracePeriod: grace,
      defaultInstanceWarmup: grace,
      capacityRebalance: true,
      enabledMetrics: ["GroupMinSize", "GroupMaxSize", "GroupDesiredCapacity", "GroupInServiceInstances", "GroupTotalInstances"],
      instanceRefresh: { strategy: "Rolling", preferences: { minHealthyPercentage: 50, instanceWarmup: String(grace) } },
      tag: [
        { key: "Name", value: props.name, propagateAtLaunch: true },
        { key: "Role", value: props.role, propagateAtLaunch: true },
      ],
    });
    if (props.scaling) this.addScaling(group, props.name, grace, props.scaling, id);
    this.groupName = group.name;
    this.groupArn = group.arn;
    this.capacity = props.capacity;
  }

  private addScaling(group: AutoscalingGroup, name: string, warmupSeconds: number, scaling: FleetScaling, id: string): void {
    check(Number.isInteger(scaling.cpuTargetPercent) && scaling.cpuTargetPercent >= 10 && scaling.cpuTargetPercent <= 90, `${id}.scaling.cpuTargetPercent`, scaling.cpuTargetPercent, "an integer from 10 to 90");
    const requests = scaling.requestsPerTargetPerMinute;
    if (requests !== undefined) {
      check(Number.isInteger(requests) && requests >= 1 && requests <= 100000, `${id}.scaling.requestsPerTargetPerMinute`, requests, "an integer from 1 to 100000");
      check(scaling.requestCountLabel !== undefined, `${id}.scaling.requestCountLabel`, scaling.requestCountLabel, "the load balancer's requestCountLabel");
    }
    // The policies own the running count between min and max; a plan must not reset it.
    group.addOverride("lifecycle.ignore_changes", ["desired_capacity"]);
    const policy = (on: string, metric: { predefinedMetricType: string; resourceLabel?: string }, target: number) =>
      new AutoscalingPolicy(this, `scale-on-${on}`, {
        provider: group.provider,
        name: `${name}-${on}`,
        autoscalingGroupName: group.name,
        policyType: "TargetTrackingScaling",
        estimatedInstanceWarmup: warmupSeconds,
        targetTrackingConfiguration: { predefinedMetricSpecification: metric, targetValue: target },
      });
    policy("cpu", { predefinedMetricType: "ASGAverageCPUUtilization" }, scaling.cpuTargetPercent);
    if (requests !== undefined) policy("requests", { predefinedMetricType: "ALBRequestCountPerTarget", resourceLabel: scaling.requestCountLabel }, requests);
  }
}
