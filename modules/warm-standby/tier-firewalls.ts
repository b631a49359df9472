import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { Firewall, PUBLIC_ENTRY_JUSTIFICATION, Peer, Port } from "../firewall";
import { cidrProblem } from "../core/cidr";
import { check } from "../core/validation";
import { REDIS_PORT } from "./redis-cache";

export interface TierFirewallsProps {
  /** AWS provider of the region. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  readonly vpcId: string;
  /** Security group name prefix. */
  readonly name: string;
  /** Admin ranges allowed to SSH to the bastion; never wider than /8. Only with `bastion`. @default [] */
  readonly adminCidrs?: readonly string[];
  /** Create the bastion group (SSH from `adminCidrs`) and let it SSH to the hosts. @default false (no bastion) */
  readonly bastion?: boolean;
  /**
   * Managed prefix list that alone may reach the frontend load balancer, on
   * HTTPS only (CloudFront's origin-facing servers, which fetch over HTTPS).
   * @default none: the frontend load balancer is open to the internet on 80/443
   */
  readonly frontendAlbPrefixListId?: string;
  /** Port the hosts serve HTTP on behind the load balancers. @default 80 */
  readonly hostPort?: number;
}

/**
 * The security-group chain of one region: only the two load balancers accept
 * traffic from the internet; each host tier accepts its load balancer (and SSH
 * from the bastion); the cache accepts the backend only. The database group
 * belongs to the database module (`db.allowFrom(firewalls.backend)`).
 */
export class TierFirewalls extends Construct {
  readonly bastion?: Firewall;
  readonly frontendAlb: Firewall;
  readonly backendAlb: Firewall;
  readonly frontend: Firewall;
  readonly backend: Firewall;
  readonly cache: Firewall;

  constructor(scope: Construct, id: string, props: TierFirewallsProps) {
    super(scope, id);
    const adminCidrs = props.adminCidrs ?? [];
    const withBastion = props.bastion ?? false;
    if (withBastion) check(adminCidrs.length > 0, `${id}.adminCidrs`, adminCidrs, "at least one admin CIDR when bastion is true");
    else check(adminCidrs.length === 0, `${id}.adminCidrs`, adminCidrs, "nothing when bastion is false (no SSH anywhere)");
    for (const cidr of adminCidrs) {
      const problem = cidrProblem(cidr);
      check(problem === undefined && Number(cidr.split("/")[1]) >= 8, `${id}.adminCidrs`, cidr, `an IPv4 CIDR no wider than /8${problem ? ` (${problem})` : ""}`);
    }
    const hostPort = props.hostPort ?? 80;
    const base = { provider: props.provider, vpcId: props.vpcId };
    const alb = (tier: string) =>
      new Firewall(this, `${tier}-alb`, { ...base, name: `${props.name}-${tier}-alb`, description: `${tier} load balancer: HTTP/HTTPS from the internet`, allowWebEgress: false })
        .allowFromInternet(Port.tcp(443), "HTTPS from the internet", PUBLIC_ENTRY_JUSTIFICATION)
        .allowFromInternet(Port.tcp(80), "HTTP from the internet, redirected to HTTPS", PUBLIC_ENTRY_JUSTIFICATION);
    const prefixListId = props.frontendAlbPrefixListId;
    // Closed edge: only CloudFront reaches the frontend; the internet cannot skip its WAF.
    this.frontendAlb = prefixListId
      ? new Firewall(this, "frontend-alb", { ...base, name: `${props.name}-frontend-alb`, description: "frontend load balancer: HTTPS from CloudFront only", allowWebEgress: false })
          .allowFrom(Peer.prefixList(prefixListId), Port.tcp(443), "HTTPS from CloudFront origin-facing servers")
      : alb("frontend");
    this.backendAlb = alb("backend");

    this.frontend = new Firewall(this, "frontend", { ...base, name: `${props.name}-frontend`, description: "frontend hosts: HTTP from the frontend load balancer only" })
      .connectFrom(this.frontendAlb, Port.tcp(hostPort), "HTTP from the frontend load balancer");
    this.backend = new Firewall(this, "backend", { ...base, name: `${props.name}-backend`, description: "backend hosts: HTTP from the backend load balancer only" })
      .connectFrom(this.backendAlb, Port.tcp(hostPort), "HTTP from the backend load balancer");
    this.cache = new Firewall(this, "cache", { ...base, name: `${props.name}-cache`, description: "Redis: TLS port from the backend hosts only", allowWebEgress: false })
      .connectFrom(this.backend, Port.tcp(REDIS_PORT), "Redis from the backend hosts");

    if (withBastion) {
      const bastion = new Firewall(this, "bastion", { ...base, name: `${props.name}-bastion`, description: "bastion host: SSH from the admin ranges only" });
      adminCidrs.forEach((cidr) => bastion.allowFrom(Peer.ipv4(cidr), Port.tcp(22), `SSH from admin range ${cidr}`));
      this.frontend.connectFrom(bastion, Port.tcp(22), "SSH from the bastion to the frontend hosts");
      this.backend.connectFrom(bastion, Port.tcp(22), "SSH from the bastion to the backend hosts");
      this.bastion = bastion;
    }
  }
}
