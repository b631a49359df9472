import { Construct } from "constructs";
import { VpcPeeringConnection } from "@cdktf/provider-aws/lib/vpc-peering-connection";
import { VpcPeeringConnectionAccepterA } from "@cdktf/provider-aws/lib/vpc-peering-connection-accepter";
import { VpcPeeringConnectionOptions } from "@cdktf/provider-aws/lib/vpc-peering-connection-options";
import { Route } from "@cdktf/provider-aws/lib/route";
import { cidrsOverlap } from "../core/cidr";
import { check, requireConcrete } from "../core/validation";
import type { PeeringSide } from "../network/network";

export interface CrossRegionPeeringProps {
  /** The VPC that requests the connection (its provider's region). `Network.peeringSide` fits. */
  readonly requester: PeeringSide;
  /** The VPC that accepts it, in another region. `Network.peeringSide` fits. */
  readonly accepter: PeeringSide;
  /** Name tag of the connection. @default the construct id */
  readonly name?: string;
}

/**
 * VPC peering between two regions: the requester asks, the accepter's provider
 * auto-accepts, both sides resolve each other's private DNS names, and every
 * route table of both VPCs gets a route to the peer's CIDR (and only to it).
 */
export class CrossRegionPeering extends Construct {
  readonly connectionId: string;

  constructor(scope: Construct, id: string, props: CrossRegionPeeringProps) {
    super(scope, id);
    const { requester, accepter } = props;
    for (const [side, value] of [["requester", requester], ["accepter", accepter]] as const) {
      requireConcrete(`${id}.${side}.cidr`, value.cidr);
      requireConcrete(`${id}.${side}.region`, value.region);
    }
    check(requester.vpcId !== accepter.vpcId, `${id}.accepter.vpcId`, accepter.vpcId, "a VPC other than the requester's");
    check(requester.region !== accepter.region, `${id}.accepter.region`, accepter.region, `a region other than the requester's (${requester.region}); this module peers across regions`);
    check(!cidrsOverlap(requester.cidr, accepter.cidr), `${id}.accepter.cidr`, accepter.cidr, `a CIDR that does not overlap the requester's ${requester.cidr} (peered VPCs cannot route overlapping ranges)`);
    const name = props.name ?? id;

    const connection = new VpcPeeringConnection(this, "connection", {
      provider: requester.provider,
      vpcId: requester.vpcId,
      peerVpcId: accepter.vpcId,
      peerRegion: accepter.region,
      // Cross-region connections cannot be accepted by the requester; the accepter resource does it.
      autoAccept: false,
      tags: { Name: name, Side: "requester" },
    });
    const accepted = new VpcPeeringConnectionAccepterA(this, "accepter", {
      provider: accepter.provider,
      vpcPeeringConnectionId: connection.id,
      autoAccept: true,
      tags: { Name: name, Side: "accepter" },
    });
    // Options can only be set once the connection is active, hence the accepter's id on both sides.
    new VpcPeeringConnectionOptions(this, "requester-options", {
      provider: requester.provider,
      vpcPeeringConnectionId: accepted.id,
      requester: { allowRemoteVpcDnsResolution: true },
    });
    new VpcPeeringConnectionOptions(this, "accepter-options", {
      provider: accepter.provider,
      vpcPeeringConnectionId: accepted.id,
      accepter: { allowRemoteVpcDnsResolution: true },
    });
    this.connectionId = connection.id;

    this.routes("requester", requester, accepter.cidr, accepted.id);
    this.routes("accepter", accepter, requester.cidr, accepted.id);
  }

  private routes(side: string, from: PeeringSide, peerCidr: string, connectionId: string): void {
    for (const [key, routeTableId] of Object.entries(from.routeTables)) {
      new Route(this, `${side}-route-${key}`, {
        provider: from.provider,
        routeTableId,
        destinationCidrBlock: peerCidr,
        vpcPeeringConnectionId: connectionId,
      });
    }
  }
}
