import { Testing, TerraformStack } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { NatGatewayMode, Network, SubnetKind, planSubnets } from "../../modules/network";
import { CrossRegionPeering } from "../../modules/peering";
import { TfJson, resourcesOf } from "../support/synth";

function stackWith(build: (stack: TerraformStack, east: AwsProvider, west: AwsProvider) => void): TfJson {
  const app = Testing.app();
  const stack = new TerraformStack(app, "test");
  const east = new AwsProvider(stack, "east", { region: "us-east-1" });
  const west = new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" });
  build(stack, east, west);
  return JSON.parse(Testing.synth(stack));
}

const AZS = ["us-east-1a", "us-east-1b"];

describe("subnet layout", () => {
  it("carves fixed bands per tier so adding an AZ never renumbers a subnet", () => {
    const tiers = [
      { name: "public", kind: SubnetKind.PUBLIC },
      { name: "private-app", kind: SubnetKind.PRIVATE },
    ];
    const two = planSubnets("10.10.0.0/16", tiers, AZS);
    const three = planSubnets("10.10.0.0/16", tiers, [...AZS, "us-east-1c"]);
    expect(two.map((s) => s.cidr)).toEqual(["10.10.0.0/20", "10.10.16.0/20", "10.10.64.0/20", "10.10.80.0/20"]);
    for (const subnet of two) expect(three).toContainEqual(subnet);
  });
  it.each([
    ["a VPC too small to split", "10.10.0.0/25", "network.cidr"],
    ["five AZs", "10.10.0.0/16", "network.availabilityZones"],
  ])("rejects %s", (_label, cidr, field) => {
    const azs = field.endsWith("availabilityZones") ? ["a", "b", "c", "d", "e"].map((l) => `us-east-1${l}`) : AZS;
    expect(() => planSubnets(cidr, [{ name: "public", kind: SubnetKind.PUBLIC }], azs)).toThrow(new RegExp(`^${field.replace(".", "\\.")}: `));
  });
  it("rejects duplicate tier names and AZs", () => {
    expect(() => planSubnets("10.10.0.0/16", [{ name: "public", kind: SubnetKind.PUBLIC }, { name: "public", kind: SubnetKind.PRIVATE }], AZS)).toThrow(/network\.tiers: \["public","public"\].*distinct tier names/);
    expect(() => planSubnets("10.10.0.0/16", [{ name: "public", kind: SubnetKind.PUBLIC }], ["us-east-1a", "us-east-1a"])).toThrow(/distinct zone names/);
  });
});

describe("Network", () => {
  const json = stackWith((stack) => new Network(stack, "net", { name: "t", region: "us-east-1", cidr: "10.10.0.0/16", availabilityZones: AZS }));

  it("creates public, private-app and private-data subnets in every AZ, none mapping public IPs", () => {
    const subnets = resourcesOf(json, "aws_subnet").map(([, s]) => s);
    expect(subnets).toHaveLength(6);
    expect(subnets.map((s) => s.tags.Tier).sort()).toEqual(["private-app", "private-app", "private-data", "private-data", "public", "public"]);
    for (const subnet of subnets) expect(subnet.map_public_ip_on_launch).toBe(false);
    expect(new Set(subnets.map((s) => s.availability_zone))).toEqual(new Set(AZS));
  });
  it("routes public via the IGW, private-app via NAT and private-data nowhere", () => {
    const routes = resourcesOf(json, "aws_route").map(([, r]) => r);
    const tables = Object.fromEntries(resourcesOf(json, "aws_route_table").map(([name, t]) => [name, t.tags.Name]));
    const defaultRoutes = routes.filter((r) => r.destination_cidr_block === "0.0.0.0/0");
    const byTable = (r: Record<string, string>) => tables[/aws_route_table\.([^.]+)\.id/.exec(r.route_table_id)![1]];
    expect(defaultRoutes.filter((r) => r.gateway_id).map(byTable)).toEqual(["t-public"]);
    expect(defaultRoutes.filter((r) => r.nat_gateway_id).map(byTable).sort()).toEqual(["t-private-app-us-east-1a", "t-private-app-us-east-1b"]);
    expect(defaultRoutes.some((r) => byTable(r).includes("private-data"))).toBe(false);
    expect(resourcesOf(json, "aws_nat_gateway")).toHaveLength(1);
  });
  it("one NAT gateway per AZ on request", () => {
    const perAz = stackWith((stack) => new Network(stack, "net", { name: "t", region: "us-east-1", cidr: "10.10.0.0/16", availabilityZones: AZS, natGateways: NatGatewayMode.PER_AZ }));
    expect(resourcesOf(perAz, "aws_nat_gateway")).toHaveLength(2);
  });
  it("strips the default security group and logs all traffic", () => {
    const [[, sg]] = resourcesOf(json, "aws_default_security_group");
    expect(sg.ingress).toEqual([]);
    expect(sg.egress).toEqual([]);
    const [[, flowLog]] = resourcesOf(json, "aws_flow_log");
    expect(flowLog.traffic_type).toBe("ALL");
    const [[, group]] = resourcesOf(json, "aws_cloudwatch_log_group");
    expect(group.retention_in_days).toBe(90);
  });
  it("lets the flow-log role write only to its log group", () => {
    const policies = resourcesOf(json, "aws_iam_role_policy").map(([, p]) => JSON.parse(p.policy));
    expect(policies).toHaveLength(1);
    const [statement] = policies[0].Statement;
    expect(statement.Action.sort()).toEqual(["logs:CreateLogStream", "logs:DescribeLogStreams", "logs:PutLogEvents"]);
    expect(statement.Resource.every((r: string) => r.includes("aws_cloudwatch_log_group"))).toBe(true);
  });
  it("hands out subnets by tier and rejects unknown tiers", () => {
    stackWith((stack) => {
      const net = new Network(stack, "net", { name: "t", region: "us-east-1", cidr: "10.10.0.0/16", availabilityZones: AZS });
      expect(net.subnetIds("private-app")).toHaveLength(2);
      expect(net.routeTableIds).toHaveLength(4);
      expect(() => net.subnetIds("private")).toThrow(/net\.subnets\(tier\): "private" is not allowed; expected one of public, private-app, private-data/);
    });
  });
  it("rejects a token as CIDR (it must be split at synth)", () => {
    expect(() => stackWith((stack) => new Network(stack, "net", { name: "t", region: "us-east-1", cidr: "${TfToken[TOKEN.1]}", availabilityZones: AZS }))).toThrow(/net\.cidr: .* a concrete value/);
  });
  it("rejects a private tier with NAT but no public tier", () => {
    expect(() =>
      stackWith((stack) => new Network(stack, "net", { name: "t", region: "us-east-1", cidr: "10.10.0.0/16", availabilityZones: AZS, tiers: [{ name: "app", kind: SubnetKind.PRIVATE }] })),
    ).toThrow(/net\.tiers: \["app"\] is not allowed; expected a public tier to hold the NAT gateway/);
  });
  it("rejects a flow-log retention CloudWatch refuses", () => {
    expect(() => stackWith((stack) => new Network(stack, "net", { name: "t", region: "us-east-1", cidr: "10.10.0.0/16", availabilityZones: AZS, flowLogRetentionDays: 10 }))).toThrow(/flowLogRetentionDays: 10/);
  });
});

describe("CrossRegionPeering", () => {
  function peered(eastCidr: string, westCidr: string, westRegion = "us-west-2") {
    return stackWith((stack, east, west) => {
      const a = new Network(stack, "east-net", { provider: east, name: "e", region: "us-east-1", cidr: eastCidr, availabilityZones: AZS });
      const b = new Network(stack, "west-net", { provider: west, name: "w", region: westRegion, cidr: westCidr, availabilityZones: ["us-west-2a", "us-west-2b"] });
      new CrossRegionPeering(stack, "peering", { requester: a.peeringSide, accepter: b.peeringSide });
    });
  }

  it("requests from one region, auto-accepts in the other, and resolves DNS across", () => {
    const json = peered("10.10.0.0/16", "10.20.0.0/16");
    const [[, connection]] = resourcesOf(json, "aws_vpc_peering_connection");
    expect(connection.peer_region).toBe("us-west-2");
    expect(connection.auto_accept).toBe(false);
    const [[, accepter]] = resourcesOf(json, "aws_vpc_peering_connection_accepter");
    expect(accepter.auto_accept).toBe(true);
    expect(accepter.provider).toBe("aws.west");
    const options = resourcesOf(json, "aws_vpc_peering_connection_options").map(([, o]) => o);
    expect(options.map((o) => o.requester?.allow_remote_vpc_dns_resolution ?? o.accepter?.allow_remote_vpc_dns_resolution)).toEqual([true, true]);
  });
  it("adds a route to the peer CIDR in every route table of both VPCs, never a default route", () => {
    const json = peered("10.10.0.0/16", "10.20.0.0/16");
    const peeringRoutes = resourcesOf(json, "aws_route").map(([, r]) => r).filter((r) => r.vpc_peering_connection_id);
    const tableCount = resourcesOf(json, "aws_route_table").length;
    expect(peeringRoutes).toHaveLength(tableCount);
    expect(peeringRoutes.filter((r) => r.destination_cidr_block === "10.20.0.0/16")).toHaveLength(tableCount / 2);
    expect(peeringRoutes.filter((r) => r.destination_cidr_block === "10.10.0.0/16")).toHaveLength(tableCount / 2);
  });
  it("names each peering route after its route table, so adding an AZ never re-targets a route", () => {
    const routesOf = (json: TfJson) =>
      Object.fromEntries(resourcesOf(json, "aws_route").filter(([, r]) => r.vpc_peering_connection_id).map(([name, r]) => [name, r.route_table_id]));
    const withAzs = (zones: number) =>
      stackWith((stack, east, west) => {
        const letters = ["a", "b", "c"].slice(0, zones);
        const a = new Network(stack, "east-net", { provider: east, name: "e", region: "us-east-1", cidr: "10.10.0.0/16", availabilityZones: letters.map((l) => `us-east-1${l}`) });
        const b = new Network(stack, "west-net", { provider: west, name: "w", region: "us-west-2", cidr: "10.20.0.0/16", availabilityZones: letters.map((l) => `us-west-2${l}`) });
        new CrossRegionPeering(stack, "peering", { requester: a.peeringSide, accepter: b.peeringSide });
      });
    const two = routesOf(withAzs(2));
    const three = routesOf(withAzs(3));
    for (const [name, table] of Object.entries(two)) expect(three[name]).toBe(table);
    expect(Object.keys(three).length).toBeGreaterThan(Object.keys(two).length);
  });
  it("rejects overlapping CIDRs", () => {
    expect(() => peered("10.10.0.0/16", "10.10.128.0/17")).toThrow(/peering\.accepter\.cidr: "10\.10\.128\.0\/17" is not allowed; expected a CIDR that does not overlap the requester's 10\.10\.0\.0\/16/);
  });
  it("rejects the same region on both sides", () => {
    expect(() => peered("10.10.0.0/16", "10.20.0.0/16", "us-east-1")).toThrow(/peering\.accepter\.region: "us-east-1" is not allowed/);
  });
  it("rejects peering a VPC with itself", () => {
    expect(() =>
      stackWith((stack) => {
        const a = new Network(stack, "net", { name: "e", region: "us-east-1", cidr: "10.10.0.0/16", availabilityZones: AZS });
        new CrossRegionPeering(stack, "peering", { requester: a.peeringSide, accepter: { ...a.peeringSide, region: "us-west-2" } });
      }),
    ).toThrow(/peering\.accepter\.vpcId: .* a VPC other than the requester's/);
  });
});
