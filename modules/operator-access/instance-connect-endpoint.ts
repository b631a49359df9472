import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { Ec2InstanceConnectEndpoint } from "@cdktf/provider-aws/lib/ec2-instance-connect-endpoint";
import { Firewall, Peer, Port } from "../firewall";
import { check, requireConcrete } from "../core/validation";

export interface InstanceConnectEndpointProps {
  /** AWS provider of the VPC's region. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Region of `provider`, concrete (the operator's grants name it). */
  readonly region: string;
  /** Name tag and security group name, e.g. "webplat-dev-stage3-primary-eice". */
  readonly name: string;
  readonly vpcId: string;
  /** CIDR of the VPC: the endpoint may open SSH to it (each host admits the endpoint by group, or not at all). */
  readonly vpcCidr: string;
  /** Subnet the endpoint's network interface lives in (a private one; it needs no public address). */
  readonly subnetId: string;
}

/**
 * An EC2 Instance Connect Endpoint: operators holding
 * `ec2-instance-connect:OpenTunnel` on it reach port 22 of private hosts in its
 * VPC with no VPN, bastion or public address (`aws ec2-instance-connect ssh
 * --connection-type eice`). Free of charge; AWS allows one per VPC and five per
 * region. Its security group opens nothing inbound and only SSH out to its
 * VPC; `admitSsh` lets hosts accept port 22 from this endpoint's group only.
 */
export class InstanceConnectEndpoint extends Construct {
  readonly endpointId: string;
  readonly arn: string;
  readonly firewall: Firewall;
  readonly vpcId: string;
  readonly region: string;

  constructor(scope: Construct, id: string, props: InstanceConnectEndpointProps) {
    super(scope, id);
    requireConcrete(`${id}.region`, props.region);
    this.vpcId = props.vpcId;
    this.region = props.region;
    this.firewall = new Firewall(this, "firewall", {
      provider: props.provider,
      vpcId: props.vpcId,
      name: props.name,
      description: "EC2 Instance Connect Endpoint: SSH out to the hosts that admit it, nothing in",
      allowWebEgress: false,
    }).allowTo(Peer.ipv4(props.vpcCidr), Port.tcp(22), "SSH to hosts of the VPC that admit the endpoint");
    const endpoint = new Ec2InstanceConnectEndpoint(this, "endpoint", {
      provider: props.provider,
      subnetId: props.subnetId,
      securityGroupIds: [this.firewall.securityGroupId],
      // The hosts see the endpoint's address, so their rules can name its group instead of the operators' addresses.
      preserveClientIp: false,
      tags: { Name: props.name },
    });
    this.endpointId = endpoint.id;
    this.arn = endpoint.arn;
  }

  /** Hosts behind these firewalls accept SSH (22) from this endpoint only; same VPC. */
  admitSsh(...firewalls: Firewall[]): this {
    for (const firewall of firewalls) {
      check(firewall.vpcId === this.vpcId, `${this.node.id}.admitSsh(${firewall.node.id})`, "a firewall of another VPC", `firewalls in the endpoint's own VPC`);
      firewall.allowFrom(Peer.securityGroup(this.firewall.securityGroupId), Port.tcp(22), "SSH from the EC2 Instance Connect Endpoint");
    }
    return this;
  }
}
