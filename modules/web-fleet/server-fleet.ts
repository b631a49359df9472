import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { assignableHost } from "../core/cidr";
import { CloudConfig, renderCloudConfig } from "../core/cloud-config";
import { PolicyStatement } from "../core/iam";
import { check, isToken, requireConcrete } from "../core/validation";
import { HardenedInstance, HostRole } from "../compute";
import { Firewall, Peer, Port } from "../firewall";
import type { NetworkSubnet } from "../network";
import { NODE_EXPORTER_PORT } from "../server-config";

/** Where part of a fleet runs: one region's private subnets. */
export interface FleetPlacement {
  /** AWS provider of the region. @default the stack's default provider */
  readonly provider?: TerraformProvider;
  readonly region: string;
  readonly vpcId: string;
  /** Private subnets (one per AZ); hosts go round-robin over them. */
  readonly subnets: readonly NetworkSubnet[];
  /** AMI of that region (AMI ids differ per region). */
  readonly ami: string;
}

/** Who may reach the fleet on one port. */
export interface FleetIngress {
  readonly port: number;
  /** Source addresses or CIDRs (work across regions). */
  readonly from: readonly string[];
  /** Rule description prefix, e.g. "HTTP from load balancer". */
  readonly description: string;
}

/** Where the fleet writes `environment` on each host. */
export const FLEET_ENVIRONMENT_PATH = "/etc/platform/app.env";

export interface ServerFleetProps {
  /** Name prefix, e.g. "webplat-stage3". */
  readonly name: string;
  /** Role of the hosts (Role tag, names): "web", "app", … */
  readonly role: string;
  /** One placement per region. */
  readonly placements: readonly FleetPlacement[];
  /** What every host runs (rendered once for the whole fleet). */
  readonly cloudConfig: CloudConfig;
  /** Inbound ports and their sources. */
  readonly ingress: readonly FleetIngress[];
  /** Monitoring sources allowed on node_exporter's port 9100, as CIDRs. */
  readonly monitoringCidrs: readonly string[];
  /** Number of hosts, spread over placements, then AZs. @default 2 */
  readonly count?: number;
  /** Values (may be apply-time tokens such as DB endpoints) written as KEY=value to FLEET_ENVIRONMENT_PATH. @default {} */
  readonly environment?: Record<string, string>;
  /** IAM statements of the hosts. @default [] (Session Manager only) */
  readonly policyStatements?: readonly PolicyStatement[];
  /** EC2 instance type. @default "t3.micro" */
  readonly instanceType?: string;
  /** First host number used for fixed private IPs in each subnet. @default 20 */
  readonly firstHostNumber?: number;
  /** CIDRs allowed to SSH. @default [] (none; admit an EC2 Instance Connect Endpoint with `InstanceConnectEndpoint.admitSsh(firewall)`) */
  readonly sshCidrs?: readonly string[];
  /** EC2 key pair for SSH. @default none */
  readonly keyName?: string;
}

/** One host of a fleet. */
export interface FleetMember {
  readonly name: string;
  readonly region: string;
  readonly availabilityZone: string;
  readonly privateIp: string;
  readonly instanceId: string;
}

/**
 * N private hosts of one role (no public address) spread over regions and AZs,
 * each with a fixed private IP known at synth time, so load balancers and
 * firewalls can name them without an apply-time lookup.
 */
export class ServerFleet extends Construct {
  readonly members: readonly FleetMember[];
  /** Security group per placement, in placement order. */
  readonly firewalls: readonly Firewall[];

  constructor(scope: Construct, id: string, props: ServerFleetProps) {
    super(scope, id);
    const count = props.count ?? 2;
    check(Number.isInteger(count) && count >= 1 && count <= 200, `${id}.count`, count, "an integer from 1 to 200");
    check(props.placements.length >= 1, `${id}.placements`, props.placements.length, "at least one placement");
    const firstHost = props.firstHostNumber ?? 20;
    props.placements.forEach((p, i) => {
      requireConcrete(`${id}.placements[${i}].region`, p.region);
      check(p.subnets.length >= 1, `${id}.placements[${i}].subnets`, p.subnets.length, "at least one private subnet");
    });
    for (const rule of props.ingress) check(rule.from.length > 0, `${id}.ingress[port ${rule.port}].from`, rule.from, "at least one source address or CIDR");

    this.firewalls = props.placements.map((placement, index) => {
      const firewall = new Firewall(this, `firewall-${index}`, {
        provider: placement.provider,
        vpcId: placement.vpcId,
        name: `${props.name}-${props.role}-${placement.region}`,
        description: `${props.role} servers: ${props.ingress.map((r) => r.port).join("/")} from named sources only`,
      });
      for (const rule of props.ingress) {
        for (const source of rule.from) firewall.allowFrom(source.includes("/") ? Peer.ipv4(source) : Peer.host(source), Port.tcp(rule.port), `${rule.description} ${source}`);
      }
      for (const cidr of props.monitoringCidrs) firewall.allowFrom(Peer.ipv4(cidr), Port.tcp(NODE_EXPORTER_PORT), `node_exporter to monitoring ${cidr}`);
      for (const cidr of props.sshCidrs ?? []) firewall.allowFrom(Peer.ipv4(cidr), Port.tcp(22), `SSH from admin range ${cidr}`);
      return firewall;
    });
    // IAM is global, but names must be unique: one role per placement region.
    const roles = props.placements.map(
      (placement, index) => new HostRole(this, `role-${index}`, { provider: placement.provider, name: `${props.name}-${props.role}-${placement.region}`, policyStatements: props.policyStatements }),
    );
    const { userData, values } = withEnvironment(props.cloudConfig, props.environment ?? {});

    this.members = fleetSlots(id, props.placements, count, firstHost).map(({ placementIndex, subnet, privateIp }, i) => {
      const placement = props.placements[placementIndex];
      const name = `${props.name}-${props.role}-${i + 1}`;
      const instance = new HardenedInstance(this, `${props.role}-${i + 1}`, {
        provider: placement.provider,
        name,
        role: props.role,
        instanceType: props.instanceType ?? "t3.micro",
        ami: placement.ami,
        subnetId: subnet.id,
        privateIp,
        securityGroupIds: [this.firewalls[placementIndex].securityGroupId],
        hostRole: roles[placementIndex],
        keyName: props.keyName,
        userData,
        userDataValues: values,
      });
      return { name, region: placement.region, availabilityZone: subnet.availabilityZone, privateIp, instanceId: instance.instanceId };
    });
  }

  /** Private IPs of every host. */
  get privateIps(): string[] {
    return this.members.map((m) => m.privateIp);
  }

  /**
   * Lets every host open connections to `destinations` (IPs or CIDRs, any
   * region) on `port`. Outbound is closed except web ports unless opened here.
   */
  allowTo(destinations: readonly string[], port: number, description: string): this {
    for (const firewall of this.firewalls) {
      for (const destination of destinations) {
        firewall.allowTo(destination.includes("/") ? Peer.ipv4(destination) : Peer.host(destination), Port.tcp(port), `${description} ${destination}`);
      }
    }
    return this;
  }
}

/** Where host i of a fleet goes: placements round-robin, then the placement's subnets, fixed host numbers from `firstHost`. */
function fleetSlots(id: string, placements: readonly FleetPlacement[], count: number, firstHost: number): { placementIndex: number; subnet: NetworkSubnet; privateIp: string }[] {
  const slotsUsed = new Map<string, number>();
  return Array.from({ length: count }, (_, i) => {
    const placementIndex = i % placements.length;
    const placement = placements[placementIndex];
    const subnet = placement.subnets[Math.floor(i / placements.length) % placement.subnets.length];
    const slot = slotsUsed.get(subnet.cidr) ?? 0;
    slotsUsed.set(subnet.cidr, slot + 1);
    check(firstHost + slot <= 250, `${id}.count`, count, `at most ${251 - firstHost} hosts per subnet from host number ${firstHost}`);
    return { placementIndex, subnet, privateIp: assignableHost(subnet.cidr, firstHost + slot) };
  });
}

/**
 * The private IPs a fleet with these placements, count and first host number
 * will have, before it exists (e.g. the web tier's upstreams are the app tier's
 * addresses, and the app tier's firewall names the web servers).
 */
export function plannedFleetAddresses(placements: readonly FleetPlacement[], count = 2, firstHostNumber = 20): string[] {
  return fleetSlots("fleet", placements, count, firstHostNumber).map((slot) => slot.privateIp);
}

/** Adds the environment file; apply-time values become placeholders substituted after escaping. */
function withEnvironment(config: CloudConfig, environment: Record<string, string>): { userData: string; values: Record<string, string> } {
  const keys = Object.keys(environment);
  if (keys.length === 0) return { userData: renderCloudConfig(config), values: {} };
  const values: Record<string, string> = {};
  const lines = keys.map((key) => {
    check(/^[A-Z][A-Z0-9_]*$/.test(key), "environment", key, "an UPPER_SNAKE_CASE variable name");
    const value = environment[key];
    if (!isToken(value)) return `${key}=${value}`;
    const placeholder = `__PLATFORM_ENV_${key}__`;
    values[placeholder] = value;
    return `${key}=${placeholder}`;
  });
  const file = { path: FLEET_ENVIRONMENT_PATH, content: `${lines.join("\n")}\n`, permissions: "0640" };
  return { userData: renderCloudConfig({ ...config, writeFiles: [...(config.writeFiles ?? []), file] }), values };
}
