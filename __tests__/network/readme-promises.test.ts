/**
 * Network in a stack of its own: every promise of modules/network/README.md, asserted on the
 * synthesized JSON or on the pure layout function (test names quote the README). Each test
 * synthesizes its own stack, so mutation testing's per-test coverage can tell the tests apart.
 */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import * as networkModule from "../../modules/network";
import { DEFAULT_TIERS, NatGatewayMode, Network, NetworkProps, SubnetKind, SubnetTier, planSubnets } from "../../modules/network";
import { onlyResourceOf, resourcesOf, resourceValuesOf } from "../support/synth";

type Json = Record<string, any>;

const PROPS: NetworkProps = { region: "eu-west-1", name: "shop", cidr: "10.30.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"] };

function synth(build: (stack: TerraformStack) => void): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "network-test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  build(stack);
  return JSON.parse(Testing.synth(stack));
}
const networkJson = (props: Partial<NetworkProps> = {}) => synth((s) => new Network(s, "net", { ...PROPS, ...props }));
const nameOfRef = (ref: string): string => /^\$\{[a-z_]+\.([\w-]+)\.[a-z_]+\}$/.exec(ref)![1];
/** Default routes (0.0.0.0/0) by the Name tag of their route table: "igw", "nat:<nat Name>". */
function defaultRoutes(json: Json): Record<string, string> {
  const tables = json.resource.aws_route_table;
  const nats = json.resource.aws_nat_gateway ?? {};
  return Object.fromEntries(
    resourceValuesOf(json, "aws_route")
      .filter((r) => r.destination_cidr_block === "0.0.0.0/0")
      .map((r) => [tables[nameOfRef(r.route_table_id)].tags.Name, r.gateway_id ? "igw" : `nat:${nats[nameOfRef(r.nat_gateway_id)].tags.Name}`]),
  );
}

describe("Network (modules/network/README.md)", () => {
  it("\"`enable_dns_support` / `enable_dns_hostnames = true`\"", () => {
    const [, vpc] = onlyResourceOf(networkJson(), "aws_vpc");
    expect(vpc).toMatchObject({ cidr_block: "10.30.0.0/16", enable_dns_support: true, enable_dns_hostnames: true, tags: { Name: "shop" } });
  });

  it("\"`map_public_ip_on_launch = false` on every subnet\"", () => {
    const subnets = resourceValuesOf(networkJson(), "aws_subnet");
    expect(subnets).toHaveLength(6);
    expect(subnets.map((s) => s.map_public_ip_on_launch)).toEqual(Array(6).fill(false));
  });

  it("\"`mapPublicIpOnLaunch` … public subnets assign public IPs at launch\": only the public tier's subnets", () => {
    const subnets = resourceValuesOf(networkJson({ mapPublicIpOnLaunch: true }), "aws_subnet");
    expect(Object.fromEntries(subnets.map((s) => [s.tags.Name, s.map_public_ip_on_launch]))).toEqual({
      "shop-public-eu-west-1a": true,
      "shop-public-eu-west-1b": true,
      "shop-private-app-eu-west-1a": false,
      "shop-private-app-eu-west-1b": false,
      "shop-private-data-eu-west-1a": false,
      "shop-private-data-eu-west-1b": false,
    });
  });

  it("\"`aws_default_security_group` with `ingress = []` and `egress = []`\"", () => {
    const json = networkJson();
    const [, group] = onlyResourceOf(json, "aws_default_security_group");
    const [vpcName] = onlyResourceOf(json, "aws_vpc");
    expect(group).toMatchObject({ vpc_id: `\${aws_vpc.${vpcName}.id}`, ingress: [], egress: [] });
  });

  it("\"a flow log of `ALL` traffic (60 s aggregation) to the CloudWatch group `/vpc/<name>/flow-logs`\" (retention default `90`)", () => {
    const json = networkJson();
    const [groupName, group] = onlyResourceOf(json, "aws_cloudwatch_log_group");
    const [vpcName] = onlyResourceOf(json, "aws_vpc");
    expect(group).toEqual({ name: "/vpc/shop/flow-logs", retention_in_days: 90 });
    const [, flowLog] = onlyResourceOf(json, "aws_flow_log");
    expect(flowLog).toMatchObject({
      vpc_id: `\${aws_vpc.${vpcName}.id}`,
      traffic_type: "ALL",
      max_aggregation_interval: 60,
      log_destination_type: "cloud-watch-logs",
      log_destination: `\${aws_cloudwatch_log_group.${groupName}.arn}`,
    });
    expect(onlyResourceOf(networkJson({ flowLogRetentionDays: 365 }), "aws_cloudwatch_log_group")[1].retention_in_days).toBe(365);
  });

  it("\"written by a role allowed only `logs:CreateLogStream`, `logs:PutLogEvents` and `logs:DescribeLogStreams` on that group\"", () => {
    const json = networkJson();
    const [groupName] = onlyResourceOf(json, "aws_cloudwatch_log_group");
    const [roleName, role] = onlyResourceOf(json, "aws_iam_role");
    expect(role.name).toBe("shop-flow-logs");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Service: "vpc-flow-logs.amazonaws.com" });
    expect(onlyResourceOf(json, "aws_flow_log")[1].iam_role_arn).toBe(`\${aws_iam_role.${roleName}.arn}`);
    const [, policy] = onlyResourceOf(json, "aws_iam_role_policy");
    const arn = `\${aws_cloudwatch_log_group.${groupName}.arn}`;
    expect(JSON.parse(policy.policy).Statement).toEqual([
      expect.objectContaining({ Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [arn, `${arn}:*`] }),
    ]);
  });

  it("\"an internet gateway\" and \"one subnet per tier and AZ\" tagged `Name` and `Tier`", () => {
    const json = networkJson();
    expect(onlyResourceOf(json, "aws_internet_gateway")[1].tags).toEqual({ Name: "shop" });
    const subnets = resourceValuesOf(json, "aws_subnet").map((s) => [s.tags.Tier, s.availability_zone]);
    expect(subnets.sort()).toEqual(DEFAULT_TIERS.flatMap((t) => PROPS.availabilityZones.map((az) => [t.name, az])).sort());
  });

  it("\"For `10.10.0.0/16` with the default tiers: public `10.10.0.0/20`, `10.10.16.0/20`; private-app `10.10.64.0/20`, `10.10.80.0/20`; private-data `10.10.128.0/20`, `10.10.144.0/20`\"", () => {
    const json = networkJson({ cidr: "10.10.0.0/16", availabilityZones: ["eu-west-1a", "eu-west-1b"] });
    expect(Object.fromEntries(resourceValuesOf(json, "aws_subnet").map((s) => [s.tags.Name, s.cidr_block]))).toEqual({
      "shop-public-eu-west-1a": "10.10.0.0/20",
      "shop-public-eu-west-1b": "10.10.16.0/20",
      "shop-private-app-eu-west-1a": "10.10.64.0/20",
      "shop-private-app-eu-west-1b": "10.10.80.0/20",
      "shop-private-data-eu-west-1a": "10.10.128.0/20",
      "shop-private-data-eu-west-1b": "10.10.144.0/20",
    });
  });

  it("\"A third AZ fills the free slot of each band (`10.10.32.0/20`, `10.10.96.0/20`, …) and a fourth tier appended to the list takes the unused band, so no existing subnet changes its CIDR\"", () => {
    const two = planSubnets("10.10.0.0/16", DEFAULT_TIERS, ["a1", "b1"]);
    const three = planSubnets("10.10.0.0/16", DEFAULT_TIERS, ["a1", "b1", "c1"]);
    for (const subnet of two) expect(three).toContainEqual(subnet);
    expect(three.filter((s) => s.azIndex === 2).map((s) => s.cidr)).toEqual(["10.10.32.0/20", "10.10.96.0/20", "10.10.160.0/20"]);
    const fourTiers = planSubnets("10.10.0.0/16", [...DEFAULT_TIERS, { name: "private-cache", kind: SubnetKind.ISOLATED }], ["a1", "b1"]);
    for (const subnet of two) expect(fourTiers).toContainEqual(subnet);
    expect(fourTiers.filter((s) => s.tier === "private-cache").map((s) => s.cidr)).toEqual(["10.10.192.0/20", "10.10.208.0/20"]);
  });

  it("\"What *does* renumber: reordering or inserting tiers or AZs\"", () => {
    const tiers: SubnetTier[] = [...DEFAULT_TIERS];
    const reordered = planSubnets("10.10.0.0/16", [tiers[1], tiers[0], tiers[2]], ["a1", "b1"]);
    expect(reordered.find((s) => s.tier === "public" && s.azIndex === 0)!.cidr).toBe("10.10.64.0/20");
    const inserted = planSubnets("10.10.0.0/16", DEFAULT_TIERS, ["z1", "a1", "b1"]);
    expect(inserted.find((s) => s.tier === "public" && s.availabilityZone === "a1")!.cidr).toBe("10.10.16.0/20");
  });

  it("\"The VPC is split into 16 equal blocks (`MAX_TIERS` × `MAX_AZS`, 4 new bits)\": a /24 gives /28 subnets", () => {
    expect([networkModule.MAX_TIERS, networkModule.MAX_AZS]).toEqual([4, 4]);
    const full = planSubnets("10.0.0.0/24", [1, 2, 3, 4].map((i) => ({ name: `t${i}`, kind: SubnetKind.ISOLATED })), ["a", "b", "c", "d"]);
    expect(full).toHaveLength(16);
    expect(new Set(full.map((s) => s.cidr)).size).toBe(16);
    expect(full.every((s) => s.cidr.endsWith("/28"))).toBe(true);
    expect(full[15].cidr).toBe("10.0.0.240/28");
  });

  it("\"`SINGLE` (default) — one NAT gateway (and its Elastic IP) in the first AZ's subnet of the first public tier; every private route table sends `0.0.0.0/0` there\"", () => {
    const json = networkJson();
    const [natName, nat] = onlyResourceOf(json, "aws_nat_gateway");
    const [eipName, eip] = onlyResourceOf(json, "aws_eip");
    const publicA = resourcesOf(json, "aws_subnet").find(([, s]) => s.tags.Name === "shop-public-eu-west-1a")![0];
    expect(nat).toMatchObject({ subnet_id: `\${aws_subnet.${publicA}.id}`, allocation_id: `\${aws_eip.${eipName}.allocation_id}` });
    expect(eip.domain).toBe("vpc");
    expect(natName).toBeDefined();
    expect(defaultRoutes(json)).toEqual({
      "shop-public": "igw",
      "shop-private-app-eu-west-1a": "nat:shop-nat-eu-west-1a",
      "shop-private-app-eu-west-1b": "nat:shop-nat-eu-west-1a",
    });
  });

  it("\"`PER_AZ` — one NAT gateway per AZ; each AZ's private table uses its own\"", () => {
    const json = networkJson({ natGateways: NatGatewayMode.PER_AZ });
    expect(resourceValuesOf(json, "aws_nat_gateway")).toHaveLength(2);
    expect(resourceValuesOf(json, "aws_eip")).toHaveLength(2);
    expect(defaultRoutes(json)).toEqual({
      "shop-public": "igw",
      "shop-private-app-eu-west-1a": "nat:shop-nat-eu-west-1a",
      "shop-private-app-eu-west-1b": "nat:shop-nat-eu-west-1b",
    });
  });

  it("\"`natPublicIps` (the NAT gateways' public addresses, where the private tiers' internet traffic comes from …)\": one per gateway, none without NAT", () => {
    const ipsOf = (props: Partial<NetworkProps>) => {
      const json = synth((s) => {
        const network = new Network(s, "net", { ...PROPS, ...props });
        new TerraformOutput(s, "nat_ips", { value: network.natPublicIps });
      });
      const eips = resourcesOf(json, "aws_eip").map(([name]) => `\${aws_eip.${name}.public_ip}`);
      return { ips: json.output.nat_ips.value as string[], eips };
    };
    const perAz = ipsOf({ natGateways: NatGatewayMode.PER_AZ });
    expect(perAz.ips).toHaveLength(2);
    expect([...perAz.ips].sort()).toEqual([...perAz.eips].sort());
    expect(ipsOf({}).ips).toHaveLength(1);
    expect(ipsOf({ natGateways: NatGatewayMode.NONE }).ips).toEqual([]);
  });

  it("\"Switching from `SINGLE` keeps the first gateway and adds the others\"", () => {
    const single = networkJson();
    const perAz = networkJson({ natGateways: NatGatewayMode.PER_AZ });
    const [firstName, first] = onlyResourceOf(single, "aws_nat_gateway");
    expect(perAz.resource.aws_nat_gateway[firstName]).toEqual(first);
    const [eipName, eip] = onlyResourceOf(single, "aws_eip");
    expect(perAz.resource.aws_eip[eipName]).toEqual(eip);
  });

  it("\"`NONE` — no NAT: private tiers have no egress at all\"", () => {
    const json = networkJson({ natGateways: NatGatewayMode.NONE });
    expect(resourceValuesOf(json, "aws_nat_gateway")).toEqual([]);
    expect(resourceValuesOf(json, "aws_eip")).toEqual([]);
    expect(defaultRoutes(json)).toEqual({ "shop-public": "igw" });
  });

  it("\"`natGateways` … (only created when a private tier exists)\"", () => {
    const json = networkJson({ tiers: [{ name: "public", kind: SubnetKind.PUBLIC }, { name: "data", kind: SubnetKind.ISOLATED }] });
    expect(resourceValuesOf(json, "aws_nat_gateway")).toEqual([]);
    expect(resourceValuesOf(json, "aws_eip")).toEqual([]);
  });

  it("\"Private tiers get one route table per AZ …; public and isolated tiers one table per tier. Default tiers in two AZs: four route tables.\"", () => {
    const json = networkJson();
    const tables = resourceValuesOf(json, "aws_route_table").map((t) => t.tags.Name);
    expect(tables.sort()).toEqual(["shop-private-app-eu-west-1a", "shop-private-app-eu-west-1b", "shop-private-data", "shop-public"]);
    const tableOfSubnet = Object.fromEntries(
      resourceValuesOf(json, "aws_route_table_association").map((a) => [json.resource.aws_subnet[nameOfRef(a.subnet_id)].tags.Name, json.resource.aws_route_table[nameOfRef(a.route_table_id)].tags.Name]),
    );
    expect(tableOfSubnet).toEqual({
      "shop-public-eu-west-1a": "shop-public",
      "shop-public-eu-west-1b": "shop-public",
      "shop-private-app-eu-west-1a": "shop-private-app-eu-west-1a",
      "shop-private-app-eu-west-1b": "shop-private-app-eu-west-1b",
      "shop-private-data-eu-west-1a": "shop-private-data",
      "shop-private-data-eu-west-1b": "shop-private-data",
    });
    // private-data is ISOLATED: no route at all.
    expect(Object.keys(defaultRoutes(json))).not.toContain("shop-private-data");
  });

  it("attributes: \"`subnets(tier)` → `NetworkSubnet[]` (`{ id, tier, kind, azIndex, availabilityZone, cidr }`, in AZ order; the CIDR is concrete)\", `subnetIds(tier)`, `routeTableIdsFor(tier)`, `routeTableIds` (every table of the VPC)", () => {
    const json = synth((s) => {
      const net = new Network(s, "net", PROPS);
      const subnets = net.subnets("public");
      expect(subnets.map(({ tier, kind, azIndex, availabilityZone, cidr }) => ({ tier, kind, azIndex, availabilityZone, cidr }))).toEqual([
        { tier: "public", kind: SubnetKind.PUBLIC, azIndex: 0, availabilityZone: "eu-west-1a", cidr: "10.30.0.0/20" },
        { tier: "public", kind: SubnetKind.PUBLIC, azIndex: 1, availabilityZone: "eu-west-1b", cidr: "10.30.16.0/20" },
      ]);
      expect([net.vpcId !== undefined, net.cidr, net.region, net.availabilityZones]).toEqual([true, "10.30.0.0/16", "eu-west-1", ["eu-west-1a", "eu-west-1b"]]);
      new TerraformOutput(s, "app-subnets", { value: net.subnetIds("private-app") });
      new TerraformOutput(s, "app-tables", { value: net.routeTableIdsFor("private-app") });
      new TerraformOutput(s, "data-tables", { value: net.routeTableIdsFor("private-data") });
      new TerraformOutput(s, "all-tables", { value: net.routeTableIds });
    });
    const subnetName = (name: string) => `\${aws_subnet.${resourcesOf(json, "aws_subnet").find(([, s]) => s.tags.Name === name)![0]}.id}`;
    const tableId = (name: string) => `\${aws_route_table.${resourcesOf(json, "aws_route_table").find(([, t]) => t.tags.Name === name)![0]}.id}`;
    expect(json.output["app-subnets"].value).toEqual([subnetName("shop-private-app-eu-west-1a"), subnetName("shop-private-app-eu-west-1b")]);
    expect(json.output["app-tables"].value).toEqual([tableId("shop-private-app-eu-west-1a"), tableId("shop-private-app-eu-west-1b")]);
    expect(json.output["data-tables"].value).toEqual([tableId("shop-private-data")]);
    expect([...json.output["all-tables"].value].sort()).toEqual(resourcesOf(json, "aws_route_table").map(([n]) => `\${aws_route_table.${n}.id}`).sort());
  });

  it("\"Also exported: `planSubnets` (the pure layout function), `FlowLogs`, `DEFAULT_TIERS`, `MAX_AZS`, `MAX_TIERS`\"", () => {
    expect(Object.keys(networkModule)).toEqual(expect.arrayContaining(["planSubnets", "FlowLogs", "DEFAULT_TIERS", "MAX_AZS", "MAX_TIERS", "Network", "NatGatewayMode", "SubnetKind"]));
    expect(DEFAULT_TIERS).toEqual([
      { name: "public", kind: SubnetKind.PUBLIC },
      { name: "private-app", kind: SubnetKind.PRIVATE },
      { name: "private-data", kind: SubnetKind.ISOLATED },
    ]);
  });

  const tooLongTier = "a".repeat(32);
  it.each([
    ["`<id>.cidr`: an unresolved token", { cidr: "${TfToken[TOKEN.1]}" }, /net\.cidr: "<unresolved token>" is not allowed/],
    ["`<id>.region`: an unresolved token", { region: "${TfToken[TOKEN.1]}" }, /net\.region: "<unresolved token>" is not allowed/],
    ["`<id>.cidr`: not a canonical IPv4 CIDR (host bits set)", { cidr: "10.30.1.0/16" }, /net\.cidr: "10\.30\.1\.0\/16" is not allowed/],
    ["`<id>.cidr`: not a canonical IPv4 CIDR (octet > 255)", { cidr: "10.300.0.0/16" }, /net\.cidr: "10\.300\.0\.0\/16" is not allowed/],
    ["`<id>.cidr`: a prefix outside /16–/24 (/15)", { cidr: "10.30.0.0/15" }, /net\.cidr: "10\.30\.0\.0\/15" is not allowed; expected a prefix between \/16 and \/24/],
    ["`<id>.cidr`: a prefix outside /16–/24 (/25)", { cidr: "10.30.0.0/25" }, /net\.cidr: "10\.30\.0\.0\/25" is not allowed; expected a prefix between \/16 and \/24/],
    ["`<id>.natGateways`: not `none | single | per-az`", { natGateways: "double" as NatGatewayMode }, /net\.natGateways: "double" is not allowed; expected none \| single \| per-az/],
    ["`<id>.tiers`: fewer than 1", { tiers: [] }, /net\.tiers: \[\] is not allowed; expected 1 to 4 tiers/],
    ["`<id>.tiers`: more than 4 tiers", { tiers: [1, 2, 3, 4, 5].map((i) => ({ name: `t${i}`, kind: SubnetKind.ISOLATED })) }, /net\.tiers: .* is not allowed; expected 1 to 4 tiers/],
    ["`<id>.tiers`: duplicate names", { tiers: [{ name: "public", kind: SubnetKind.PUBLIC }, { name: "public", kind: SubnetKind.ISOLATED }] }, /net\.tiers: \["public","public"\] is not allowed; expected distinct tier names/],
    ["`<id>.tiers`: a private tier with NAT but no public tier", { tiers: [{ name: "app", kind: SubnetKind.PRIVATE }] }, /net\.tiers: \["app"\] is not allowed; expected a public tier to hold the NAT gateway, or natGateways: none/],
    ["`<id>.tiers[].name`: not lowercase letters, digits and dashes starting with a letter", { tiers: [{ name: "App", kind: SubnetKind.ISOLATED }] }, /net\.tiers\[\]\.name: "App" is not allowed/],
    ["`<id>.tiers[].name`: … (at most 31 characters)", { tiers: [{ name: tooLongTier, kind: SubnetKind.ISOLATED }] }, new RegExp(`net\\.tiers\\[\\]\\.name: "${tooLongTier}" is not allowed`)],
    ["`<id>.availabilityZones`: fewer than 1", { availabilityZones: [] }, /net\.availabilityZones: \[\] is not allowed; expected 1 to 4 availability zones/],
    ["`<id>.availabilityZones`: more than 4", { availabilityZones: ["a", "b", "c", "d", "e"].map((l) => `eu-west-1${l}`) }, /net\.availabilityZones: .* is not allowed; expected 1 to 4 availability zones/],
    ["`<id>.availabilityZones`: duplicate names", { availabilityZones: ["eu-west-1a", "eu-west-1a"] }, /net\.availabilityZones: .* is not allowed; expected distinct zone names/],
    ["`flowLogRetentionDays`: a retention CloudWatch refuses (e.g. `10`)", { flowLogRetentionDays: 10 }, /flowLogRetentionDays: 10 is not allowed; expected one of 1, 3, 5/],
  ])("validation error %s", (_label, props, message) => {
    expect(() => networkJson(props as Partial<NetworkProps>)).toThrow(message);
  });

  it("a private tier without a public one is fine with `natGateways: NatGatewayMode.NONE`; a 31-character tier name is accepted", () => {
    const json = networkJson({ natGateways: NatGatewayMode.NONE, tiers: [{ name: "a".repeat(31), kind: SubnetKind.PRIVATE }] });
    expect(resourceValuesOf(json, "aws_subnet")).toHaveLength(2);
    expect(resourceValuesOf(json, "aws_internet_gateway")).toEqual([]);
  });

  it("\"`<id>.subnets(tier)`: a tier the network does not have (also from `subnetIds` and `routeTableIdsFor`)\"", () => {
    synth((s) => {
      const net = new Network(s, "net", PROPS);
      const message = /net\.subnets\(tier\): "private" is not allowed; expected one of public, private-app, private-data/;
      expect(() => net.subnets("private")).toThrow(message);
      expect(() => net.subnetIds("private")).toThrow(message);
      expect(() => net.routeTableIdsFor("private")).toThrow(message);
    });
  });
});
