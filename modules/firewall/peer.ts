import { cidrProblem } from "../core/cidr";
import { isToken } from "../core/validation";

/** Who a rule admits: an IPv4 CIDR, another security group or a managed prefix list. */
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
  /** The ranges of a managed prefix list, e.g. CloudFront's origin-facing servers. */
  static prefixList(prefixListId: string): Peer {
    if (!isToken(prefixListId) && !/^pl-[0-9a-f]{8,17}$/.test(prefixListId)) {
      throw new Error(`peer prefix list: ${JSON.stringify(prefixListId)} is not allowed; expected a prefix list id such as pl-3b927c52`);
    }
    return new Peer(undefined, undefined, prefixListId);
  }
  private constructor(
    readonly cidr: string | undefined,
    readonly securityGroupId: string | undefined,
    readonly prefixListId?: string,
  ) {}
}
