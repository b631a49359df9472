import { cidrProblem } from "../core/cidr";
import { isToken } from "../core/validation";

/** Who a rule admits: an IPv4 CIDR or another security group. */
export class Peer {
  /** An IPv4 block; concrete values are validated. */
  static ipv4(cidr: string): Peer {
    if (!isToken(cidr)) {
      const problem = cidrProblem(cidr);
      if (problem) throw new Error(`peer cidr: ${JSON.stringify(cidr)} is not allowed; expected an IPv4 CIDR (${problem})`);
    }
    return new Peer(cidr, undefined);
  }
  /** One host, as a /32. */
  static host(ip: string): Peer {
    return Peer.ipv4(`${ip}/32`);
  }
  /** The whole IPv4 internet; reserved for public entry points (load balancers). */
  static anyIpv4(): Peer {
    return new Peer("0.0.0.0/0", undefined);
  }
  /** Members of a security group in the same region. */
  static securityGroup(groupId: string): Peer {
    return new Peer(undefined, groupId);
  }
  private constructor(
    readonly cidr: string | undefined,
    readonly securityGroupId: string | undefined,
  ) {}
}
