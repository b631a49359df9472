import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { Vpc } from "@cdktf/provider-aws/lib/vpc";
import { Subnet } from "@cdktf/provider-aws/lib/subnet";
import { InternetGateway } from "@cdktf/provider-aws/lib/internet-gateway";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { NatGateway } from "@cdktf/provider-aws/lib/nat-gateway";
import { RouteTable } from "@cdktf/provider-aws/lib/route-table";
import { Route } from "@cdktf/provider-aws/lib/route";
import { RouteTableAssociation } from "@cdktf/provider-aws/lib/route-table-association";
import { DefaultSecurityGroup } from "@cdktf/provider-aws/lib/default-security-group";
import { check, requireConcrete } from "../core/validation";
import { PlannedSubnet, SubnetKind, SubnetTier, planSubnets } from "./subnet-layout";
import { FlowLogs } from "./flow-logs";

/** How many NAT gateways serve the private tiers. */
export enum NatGatewayMode {
  /** No NAT: private tiers have no internet egress. */
  NONE = "none",
  /** One NAT gateway in the first AZ (cheapest; egress depends on that AZ). */
  SINGLE = "single",
  /** One NAT gateway per AZ (egress survives the loss of an AZ). */
  PER_AZ = "per-az",
}

export interface NetworkProps {
  /** AWS provider of the region the VPC lives in. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Region of `provider`; used by peering and monitoring. Must be concrete. */
  readonly region: string;
  /** VPC CIDR block, /16 to /24, concrete at synth time. */
  readonly cidr: string;
  /** Availability zone names (1–4), e.g. ["us-east-1a", "us-east-1b"]. Given explicitly so plans need no AWS API call. */
  readonly availabilityZones: readonly string[];
  /**
   * Subnet tiers, each with one subnet per AZ carved from the VPC CIDR.
   * @default public, private-app (NAT egress) and private-data (no internet route)
   */
  readonly tiers?: readonly SubnetTier[];
  /** NAT gateways for the PRIVATE tiers. @default NatGatewayMode.SINGLE (only created when a private tier exists) */
  readonly natGateways?: NatGatewayMode;
  /** Public subnets assign public IPs to instances at launch. @default false (public addresses are given on purpose: Elastic IPs) */
  readonly mapPublicIpOnLaunch?: boolean;
  /** Retention of the VPC flow log group in days. @default 90 */
  readonly flowLogRetentionDays?: number;
  /** Name prefix for resources (Name tags). */
  readonly name: string;
}

export const DEFAULT_TIERS: readonly SubnetTier[] = [
  { name: "public", kind: SubnetKind.PUBLIC },
  { name: "private-app", kind: SubnetKind.PRIVATE },
  { name: "private-data", kind: SubnetKind.ISOLATED },
];

/** One subnet as handed out to other modules. */
export interface NetworkSubnet extends PlannedSubnet {
  readonly id: string;
}

/** What a peering needs from one side. */
export interface PeeringSide {
  readonly provider?: TerraformProvider;
  readonly region: string;
  readonly vpcId: string;
  readonly cidr: string;
  /**
   * Route tables by a stable key (e.g. "public", "private-app-0"): peering
   * names its routes after the key, so adding an AZ adds routes and never
   * re-targets existing ones.
   */
  readonly routeTables: Readonly<Record<string, string>>;
}

/**
 * A regional network: VPC, tiered subnets across AZs, internet and NAT gateways,
 * route tables, flow logs, and the default security group stripped of every rule.
 */
export class Network extends Construct {
  readonly vpcId: string;
  readonly cidr: string;
  readonly region: string;
  readonly provider?: TerraformProvider;
  readonly availabilityZones: readonly string[];
  /** Every route table of the VPC (peering adds its routes to all of them). */
  readonly routeTableIds: string[] = [];
  /** Public addresses of the NAT gateways: where the private tiers' internet traffic comes from. */
  readonly natPublicIps: string[] = [];
  private readonly routeTablesByKey: Record<string, string> = {};
  private readonly subnetsByTier = new Map<string, NetworkSubnet[]>();
  private readonly routeTableIdsByTier = new Map<string, string[]>();

  constructor(scope: Construct, id: string, props: NetworkProps) {
    super(scope, id);
    requireConcrete(`${id}.cidr`, props.cidr);
    requireConcrete(`${id}.region`, props.region);
    const tiers = props.tiers ?? DEFAULT_TIERS;
    const natMode = props.natGateways ?? NatGatewayMode.SINGLE;
    const retention = props.flowLogRetentionDays ?? 90;
    check(Object.values(NatGatewayMode).includes(natMode), `${id}.natGateways`, natMode, Object.values(NatGatewayMode).join(" | "));
    const plan = planSubnets(props.cidr, tiers, props.availabilityZones, id);
    const hasPublic = tiers.some((t) => t.kind === SubnetKind.PUBLIC);
    const hasPrivate = tiers.some((t) => t.kind === SubnetKind.PRIVATE);
    check(!(hasPrivate && natMode !== NatGatewayMode.NONE && !hasPublic), `${id}.tiers`, tiers.map((t) => t.name), "a public tier to hold the NAT gateway, or natGateways: none");

    this.cidr = props.cidr;
    this.region = props.region;
    this.provider = props.provider;
    this.availabilityZones = [...props.availabilityZones];
    const provider = props.provider;
    const name = props.name;

    const vpc = new Vpc(this, "vpc", {
      provider,
      cidrBlock: props.cidr,
      enableDnsSupport: true,
      enableDnsHostnames: true,
      tags: { Name: name },
    });
    this.vpcId = vpc.id;

    // Scanners and auditors flag a default group with rules; managing it with none removes them.
    new DefaultSecurityGroup(this, "default-sg", { provider, vpcId: vpc.id, ingress: [], egress: [], tags: { Name: `${name}-default-deny` } });

    new FlowLogs(this, "flow-logs", { provider, vpcId: vpc.id, name, retentionDays: retention });

    const subnets = plan.map((p) => {
      const subnet = new Subnet(this, `${p.tier}-${p.azIndex}`, {
        provider,
        vpcId: vpc.id,
        cidrBlock: p.cidr,
        availabilityZone: p.availabilityZone,
        mapPublicIpOnLaunch: p.kind === SubnetKind.PUBLIC ? props.mapPublicIpOnLaunch ?? false : false,
        tags: { Name: `${name}-${p.tier}-${p.availabilityZone}`, Tier: p.tier },
      });
      const out: NetworkSubnet = { ...p, id: subnet.id };
      this.subnetsByTier.set(p.tier, [...(this.subnetsByTier.get(p.tier) ?? []), out]);
      return out;
    });

    const igw = hasPublic ? new InternetGateway(this, "igw", { provider, vpcId: vpc.id, tags: { Name: name } }) : undefined;
    const natIds = this.natGateways(natMode, hasPrivate, subnets, name);

    for (const tier of tiers) {
      const tierSubnets = this.subnetsByTier.get(tier.name) ?? [];
      if (tier.kind === SubnetKind.PRIVATE) {
        // One table per AZ so each AZ can use its own NAT gateway.
        for (const subnet of tierSubnets) {
          const table = this.routeTable(`${tier.name}-${subnet.azIndex}`, vpc.id, `${name}-${tier.name}-${subnet.availabilityZone}`, provider);
          const nat = natIds.length === 0 ? undefined : natIds[Math.min(subnet.azIndex, natIds.length - 1)];
          if (nat) new Route(this, `${tier.name}-${subnet.azIndex}-default`, { provider, routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", natGatewayId: nat });
          new RouteTableAssociation(this, `${tier.name}-${subnet.azIndex}-assoc`, { provider, routeTableId: table.id, subnetId: subnet.id });
          this.addTable(`${tier.name}-${subnet.azIndex}`, tier.name, table.id);
        }
      } else {
        const table = this.routeTable(tier.name, vpc.id, `${name}-${tier.name}`, provider);
        if (tier.kind === SubnetKind.PUBLIC && igw) {
          new Route(this, `${tier.name}-default`, { provider, routeTableId: table.id, destinationCidrBlock: "0.0.0.0/0", gatewayId: igw.id });
        }
        tierSubnets.forEach((subnet) => new RouteTableAssociation(this, `${tier.name}-${subnet.azIndex}-assoc`, { provider, routeTableId: table.id, subnetId: subnet.id }));
        this.addTable(tier.name, tier.name, table.id);
      }
    }
  }

  /** Subnets of one tier, in AZ order. Throws naming the known tiers when the tier does not exist. */
  subnets(tier: string): NetworkSubnet[] {
    const found = this.subnetsByTier.get(tier);
    check(found !== undefined, `${this.node.id}.subnets(tier)`, tier, `one of ${[...this.subnetsByTier.keys()].join(", ")}`);
    return found!;
  }

  /** Subnet ids of one tier, in AZ order. */
  subnetIds(tier: string): string[] {
    return this.subnets(tier).map((s) => s.id);
  }

  /** Route table ids of one tier. */
  routeTableIdsFor(tier: string): string[] {
    this.subnets(tier);
    return [...(this.routeTableIdsByTier.get(tier) ?? [])];
  }

  /** The VPC as one side of a peering connection. */
  get peeringSide(): PeeringSide {
    return { provider: this.provider, region: this.region, vpcId: this.vpcId, cidr: this.cidr, routeTables: { ...this.routeTablesByKey } };
  }

  private routeTable(id: string, vpcId: string, name: string, provider?: TerraformProvider): RouteTable {
    return new RouteTable(this, `rt-${id}`, { provider, vpcId, tags: { Name: name } });
  }

  private addTable(key: string, tier: string, tableId: string): void {
    this.routeTableIds.push(tableId);
    this.routeTablesByKey[key] = tableId;
    this.routeTableIdsByTier.set(tier, [...(this.routeTableIdsByTier.get(tier) ?? []), tableId]);
  }

  private natGateways(mode: NatGatewayMode, hasPrivate: boolean, subnets: NetworkSubnet[], name: string): string[] {
    if (!hasPrivate || mode === NatGatewayMode.NONE) return [];
    const publicSubnets = subnets.filter((s) => s.kind === SubnetKind.PUBLIC && s.tier === subnets.find((x) => x.kind === SubnetKind.PUBLIC)!.tier);
    const hosts = mode === NatGatewayMode.SINGLE ? publicSubnets.slice(0, 1) : publicSubnets;
    return hosts.map((subnet) => {
      const eip = new Eip(this, `nat-eip-${subnet.azIndex}`, { provider: this.provider, domain: "vpc", tags: { Name: `${name}-nat-${subnet.availabilityZone}` } });
      this.natPublicIps.push(eip.publicIp);
      return new NatGateway(this, `nat-${subnet.azIndex}`, {
        provider: this.provider,
        allocationId: eip.allocationId,
        subnetId: subnet.id,
        tags: { Name: `${name}-nat-${subnet.availabilityZone}` },
      }).id;
    });
  }
}
