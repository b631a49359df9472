import { VpcFlowLogs } from "../../modules/policy/rules/vpc/VpcFlowLogs";
import { VpcPeeringRouteScoped } from "../../modules/policy/rules/vpc/VpcPeeringRouteScoped";
import { VpcSubnetNoAutoPublicIp } from "../../modules/policy/rules/vpc/VpcSubnetNoAutoPublicIp";
import { describeRules, tf } from "./fixtures";

const PCX = "${aws_vpc_peering_connection.east_west.id}";

describeRules([
  {
    rule: VpcFlowLogs,
    compliant: tf(
      ["aws_vpc", "main", { cidr_block: "10.0.0.0/16" }],
      ["aws_flow_log", "main", { vpc_id: "${aws_vpc.main.id}", traffic_type: "ALL" }],
    ),
    nonCompliant: tf(
      ["aws_vpc", "logged", { cidr_block: "10.0.0.0/16" }],
      ["aws_flow_log", "logged", { vpc_id: "${aws_vpc.logged.id}" }],
      ["aws_vpc", "silent", { cidr_block: "10.1.0.0/16" }],
      // a flow log for a similarly named VPC must not count
      ["aws_vpc", "silent2", { cidr_block: "10.2.0.0/16" }],
      ["aws_flow_log", "other", { vpc_id: "${aws_vpc.silent2_extra.id}" }],
    ),
    failing: ["aws_vpc.silent", "aws_vpc.silent2"],
    texts: ["aws_vpc.silent2: no aws_flow_log references this VPC", "aws_vpc.silent: no aws_flow_log references this VPC"],
  },
  {
    rule: VpcSubnetNoAutoPublicIp,
    compliant: tf(["aws_subnet", "private", { map_public_ip_on_launch: false }], ["aws_subnet", "unset", {}]),
    nonCompliant: tf(
      ["aws_subnet", "public", { map_public_ip_on_launch: true }],
      ["aws_subnet", "private", { map_public_ip_on_launch: false }],
    ),
    failing: ["aws_subnet.public"],
    texts: ["aws_subnet.public: map_public_ip_on_launch is true"],
  },
  {
    rule: VpcPeeringRouteScoped,
    compliant: tf(
      ["aws_route", "to_peer", { route_table_id: "rt", destination_cidr_block: "10.1.0.0/16", vpc_peering_connection_id: PCX }],
      ["aws_route", "default_via_nat", { route_table_id: "rt", destination_cidr_block: "0.0.0.0/0", nat_gateway_id: "nat" }],
      ["aws_route_table", "rt", { route: [{ cidr_block: "10.1.0.0/16", vpc_peering_connection_id: PCX }, { cidr_block: "0.0.0.0/0", gateway_id: "igw" }] }],
    ),
    nonCompliant: tf(
      ["aws_route", "default_via_peer", { route_table_id: "rt", destination_cidr_block: "0.0.0.0/0", vpc_peering_connection_id: PCX }],
      ["aws_route", "v6_via_peer", { route_table_id: "rt", destination_ipv6_cidr_block: "::/0", vpc_peering_connection_id: PCX }],
      ["aws_route", "ok", { route_table_id: "rt", destination_cidr_block: "10.1.0.0/16", vpc_peering_connection_id: PCX }],
      ["aws_route_table", "inline", { route: [{ cidr_block: "0.0.0.0/0", vpc_peering_connection_id: PCX }] }],
    ),
    failing: ["aws_route.default_via_peer", "aws_route.v6_via_peer", "aws_route_table.inline"],
    texts: [
      "aws_route.default_via_peer: the route sends 0.0.0.0/0 through VPC peering ${aws_vpc_peering_connection.east_west.id}",
      "aws_route.v6_via_peer: the route sends ::/0 through VPC peering ${aws_vpc_peering_connection.east_west.id}",
      "aws_route_table.inline: route[0] sends 0.0.0.0/0 through VPC peering ${aws_vpc_peering_connection.east_west.id}",
    ],
  },
]);
