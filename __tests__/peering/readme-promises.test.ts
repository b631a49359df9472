/**
 * CrossRegionPeering in a stack of its own: every promise of modules/peering/README.md, asserted on
 * the synthesized JSON (test names quote the README). Each test synthesizes its own stack, so mutation
 * testing's per-test coverage can tell the tests apart.
 */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Network, PeeringSide } from "../../modules/network";
import { CrossRegionPeering } from "../../modules/peering";
import { onlyResourceOf, resourcesOf, resourceValuesOf } from "../support/synth";

type Json = Record<string, any>;

interface Sides {
  readonly east: (zones?: number) => PeeringSide;
  readonly west: (zones?: number) => PeeringSide;
  readonly westProvider: AwsProvider;
}

function synth(build: (stack: TerraformStack, sides: Sides) => void): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "peering-test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const westProvider = new AwsProvider(stack, "aws-west", { region: "us-west-2", alias: "west" });
  const letters = ["a", "b", "c"];
  const sides: Sides = {
    westProvider,
    east: (zones = 2) =>
      new Network(stack, "east", { region: "us-east-1", name: "shop-east", cidr: "10.10.0.0/16", availabilityZones: letters.slice(0, zones).map((l) => `us-east-1${l}`) }).peeringSide,
    west: (zones = 2) =>
      new Network(stack, "west", { provider: westProvider, region: "us-west-2", name: "shop-west", cidr: "10.20.0.0/16", availabilityZones: letters.slice(0, zones).map((l) => `us-west-2${l}`) }).peeringSide,
  };
  build(stack, sides);
  return JSON.parse(Testing.synth(stack));
}
const peered = (name?: string, zones = 2) => synth((s, { east, west }) => new CrossRegionPeering(s, "peering", { requester: east(zones), accepter: west(zones), name }));
const peeringRoutes = (json: Json): [string, Json][] => resourcesOf(json, "aws_route").filter(([, r]) => r.vpc_peering_connection_id !== undefined);
const vpcRef = (json: Json, name: string) => `\${aws_vpc.${resourcesOf(json, "aws_vpc").find(([, v]) => v.tags.Name === name)![0]}.id}`;

describe("CrossRegionPeering (modules/peering/README.md)", () => {
  it("\"The requester's provider creates the connection with `auto_accept = false`\" toward the accepter's VPC and region", () => {
    const json = peered();
    const [, connection] = onlyResourceOf(json, "aws_vpc_peering_connection");
    expect(connection).toMatchObject({ vpc_id: vpcRef(json, "shop-east"), peer_vpc_id: vpcRef(json, "shop-west"), peer_region: "us-west-2", auto_accept: false });
    expect(connection.provider).toBeUndefined();
  });

  it("\"the accepter's provider accepts it (`auto_accept = true`)\"", () => {
    const json = peered();
    const [connectionName] = onlyResourceOf(json, "aws_vpc_peering_connection");
    const [, accepter] = onlyResourceOf(json, "aws_vpc_peering_connection_accepter");
    expect(accepter).toMatchObject({ provider: "aws.west", auto_accept: true, vpc_peering_connection_id: `\${aws_vpc_peering_connection.${connectionName}.id}` });
  });

  it("\"both sides set `allow_remote_vpc_dns_resolution = true`\"; \"Options and routes reference the accepter\"", () => {
    const json = peered();
    const [accepterName] = onlyResourceOf(json, "aws_vpc_peering_connection_accepter");
    const accepted = `\${aws_vpc_peering_connection_accepter.${accepterName}.id}`;
    const options = resourceValuesOf(json, "aws_vpc_peering_connection_options");
    expect(options).toHaveLength(2);
    expect(options.find((o) => o.requester)).toEqual({ vpc_peering_connection_id: accepted, requester: { allow_remote_vpc_dns_resolution: true } });
    expect(options.find((o) => o.accepter)).toEqual({ provider: "aws.west", vpc_peering_connection_id: accepted, accepter: { allow_remote_vpc_dns_resolution: true } });
    for (const [, route] of peeringRoutes(json)) expect(route.vpc_peering_connection_id).toBe(accepted);
  });

  it("\"every route table of both VPCs gets one route to the peer's CIDR — only to it, never a default route\"", () => {
    const json = peered();
    const tables = resourcesOf(json, "aws_route_table");
    const routes = peeringRoutes(json).map(([, r]) => r);
    expect(routes.map((r) => r.route_table_id).sort()).toEqual(tables.map(([n]) => `\${aws_route_table.${n}.id}`).sort());
    const vpcOfTable = (ref: string) => json.resource.aws_route_table[/aws_route_table\.([\w-]+)\.id/.exec(ref)![1]].vpc_id;
    for (const route of routes) {
      const fromEast = vpcOfTable(route.route_table_id) === vpcRef(json, "shop-east");
      expect([route.destination_cidr_block, route.provider]).toEqual(fromEast ? ["10.20.0.0/16", undefined] : ["10.10.0.0/16", "aws.west"]);
    }
    expect(routes.some((r) => r.destination_cidr_block === "0.0.0.0/0")).toBe(false);
  });

  it("\"Peering opens no firewall\": no security group and no rule come from the peering", () => {
    const without = synth((_s, { east, west }) => {
      east();
      west();
    });
    const json = peered();
    for (const type of ["aws_security_group", "aws_vpc_security_group_ingress_rule", "aws_vpc_security_group_egress_rule", "aws_default_security_group"]) {
      expect([type, resourcesOf(json, type)]).toEqual([type, resourcesOf(without, type)]);
    }
  });

  it("\"`name` | `string` | the construct id | `Name` tag of the connection (plus `Side: requester` / `accepter`)\"", () => {
    const byDefault = peered();
    expect(onlyResourceOf(byDefault, "aws_vpc_peering_connection")[1].tags).toEqual({ Name: "peering", Side: "requester" });
    expect(onlyResourceOf(byDefault, "aws_vpc_peering_connection_accepter")[1].tags).toEqual({ Name: "peering", Side: "accepter" });
    const named = peered("shop-peering");
    expect(onlyResourceOf(named, "aws_vpc_peering_connection")[1].tags).toEqual({ Name: "shop-peering", Side: "requester" });
    expect(onlyResourceOf(named, "aws_vpc_peering_connection_accepter")[1].tags).toEqual({ Name: "shop-peering", Side: "accepter" });
  });

  it("\"Attribute: `connectionId` (the `aws_vpc_peering_connection` id)\"", () => {
    const json = synth((s, { east, west }) => new TerraformOutput(s, "id", { value: new CrossRegionPeering(s, "peering", { requester: east(), accepter: west() }).connectionId }));
    expect(json.output.id.value).toBe(`\${aws_vpc_peering_connection.${onlyResourceOf(json, "aws_vpc_peering_connection")[0]}.id}`);
  });

  it("\"Same account: no `peer_owner_id` is set\"", () => {
    expect(onlyResourceOf(peered(), "aws_vpc_peering_connection")[1].peer_owner_id).toBeUndefined();
  });

  it("\"Hand-built sides work too (e.g. a VPC managed elsewhere), as long as `routeTables` lists every table that should reach the peer\"", () => {
    const json = synth((s, { east, westProvider }) => {
      const elsewhere: PeeringSide = { provider: westProvider, region: "us-west-2", vpcId: "vpc-0abc", cidr: "10.20.0.0/16", routeTables: { main: "rtb-0main", data: "rtb-0data" } };
      new CrossRegionPeering(s, "peering", { requester: east(), accepter: elsewhere });
    });
    expect(onlyResourceOf(json, "aws_vpc_peering_connection")[1].peer_vpc_id).toBe("vpc-0abc");
    const handBuilt = peeringRoutes(json).filter(([, r]) => r.provider === "aws.west").map(([, r]) => r.route_table_id);
    expect(handBuilt.sort()).toEqual(["rtb-0data", "rtb-0main"]);
  });

  it("\"Each route is named after its table's key in `routeTables`, so adding an AZ … only adds routes for the new tables; no existing peering route is re-targeted or replaced\"", () => {
    const two = Object.fromEntries(peeringRoutes(peered(undefined, 2)));
    const three = Object.fromEntries(peeringRoutes(peered(undefined, 3)));
    for (const [name, route] of Object.entries(two)) expect([name, three[name]]).toEqual([name, route]);
    // One more private-app table per VPC.
    expect(Object.keys(three).length).toBe(Object.keys(two).length + 2);
    expect(Object.keys(three).filter((n) => !(n in two)).every((n) => /-route-private-app-2_/.test(n))).toBe(true);
  });

  it.each([
    ["`<id>.accepter.vpcId`: the requester's own VPC (\"peering a VPC with itself\")", "self", /peering\.accepter\.vpcId: .* is not allowed; expected a VPC other than the requester's/],
    ["`<id>.accepter.region`: the requester's region (\"two sides in the same region\")", "region", /peering\.accepter\.region: "us-east-1" is not allowed; expected a region other than the requester's \(us-east-1\)/],
    ["`<id>.accepter.cidr`: a CIDR that overlaps the requester's (e.g. `10.10.128.0/17` against `10.10.0.0/16`)", "overlap", /peering\.accepter\.cidr: "10\.10\.128\.0\/17" is not allowed; expected a CIDR that does not overlap the requester's 10\.10\.0\.0\/16/],
    ["`<id>.requester.cidr`: an unresolved token", "requester.cidr", /peering\.requester\.cidr: "<unresolved token>" is not allowed/],
    ["`<id>.accepter.cidr`: an unresolved token", "accepter.cidr", /peering\.accepter\.cidr: "<unresolved token>" is not allowed/],
    ["`<id>.requester.region`: an unresolved token", "requester.region", /peering\.requester\.region: "<unresolved token>" is not allowed/],
    ["`<id>.accepter.region`: an unresolved token", "accepter.region", /peering\.accepter\.region: "<unresolved token>" is not allowed/],
    ["`cidr`: a side's CIDR is not a canonical IPv4 CIDR", "canonical", /^cidr: "10\.20\.0\.1\/16" is not allowed/],
  ])("validation error %s", (_label, variant, message) => {
    const build = () =>
      synth((s, { east, westProvider }) => {
        const requester = east();
        const token = requester.vpcId;
        const accepter: PeeringSide = { provider: westProvider, region: "us-west-2", vpcId: "vpc-0west", cidr: "10.20.0.0/16", routeTables: { main: "rtb-1" } };
        const sides: Record<string, [PeeringSide, PeeringSide]> = {
          self: [requester, { ...requester, region: "us-west-2", cidr: "10.20.0.0/16" }],
          region: [requester, { ...accepter, region: "us-east-1" }],
          overlap: [requester, { ...accepter, cidr: "10.10.128.0/17" }],
          "requester.cidr": [{ ...requester, cidr: token }, accepter],
          "accepter.cidr": [requester, { ...accepter, cidr: token }],
          "requester.region": [{ ...requester, region: token }, accepter],
          "accepter.region": [requester, { ...accepter, region: token }],
          canonical: [requester, { ...accepter, cidr: "10.20.0.1/16" }],
        };
        const [r, a] = sides[variant];
        new CrossRegionPeering(s, "peering", { requester: r, accepter: a });
      });
    expect(build).toThrow(message);
  });
});
