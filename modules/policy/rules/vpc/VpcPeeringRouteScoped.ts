/**
 * Routes over a VPC peering connection target the peer's CIDRs, never the
 * default route: 0.0.0.0/0 via a peering would send all traffic (and the
 * internet egress of this VPC) to the other region.
 *
 * Equivalents: checkov CKV2_AWS_44; trivy none; cdk-nag none.
 */
import { isInternetCidr } from "../../inspect/ingress";
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";
import { asString, blocks, hasText, Json } from "../../values";

function problemsOf(route: Json, where: string, cidrKey: string, ipv6Key: string): string[] {
  if (!hasText(route.vpc_peering_connection_id)) return [];
  return [asString(route[cidrKey]), asString(route[ipv6Key])]
    .filter((cidr): cidr is string => cidr !== undefined && isInternetCidr(cidr))
    .map((cidr) => `${where} sends ${cidr} through VPC peering ${route.vpc_peering_connection_id}`);
}

export const VpcPeeringRouteScoped: PolicyRule = {
  id: "VPC-PEERING-ROUTE-SCOPED",
  severity: "error",
  title: "Routes through a VPC peering connection never cover 0.0.0.0/0 or ::/0",
  fix: "Route only the peer VPC's CIDR block(s) through the peering connection.",
  appliesTo: ["aws_route", "aws_route_table"],
  evaluate(subject) {
    if (subject.type === "aws_route") {
      return fromProblems(problemsOf(subject.config, "the route", "destination_cidr_block", "destination_ipv6_cidr_block"));
    }
    return fromProblems(blocks(subject.config.route).flatMap((r, i) => problemsOf(r, `route[${i}]`, "cidr_block", "ipv6_cidr_block")));
  },
};
