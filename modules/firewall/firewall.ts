import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { VpcSecurityGroupIngressRule, VpcSecurityGroupIngressRuleConfig } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import { check } from "../core/validation";
import { suppress } from "../policy/suppressions";
import { Peer } from "./peer";
import { Port } from "./port";

/** Why an entry point's web ports are open to everyone (written into each such rule's policy metadata). */
export const PUBLIC_ENTRY_JUSTIFICATION =
  "Public entry point of the site: its web ports must be reachable from the internet; every other port is closed or limited to named sources";

export interface FirewallProps {
  /** AWS provider of the region the resources live in. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  readonly vpcId: string;
  /** Security group name. */
  readonly name: string;
  /** What the group is for; shown in the console and required by auditors. */
  readonly description: string;
  /**
   * Allow outbound HTTP/HTTPS to anywhere (package mirrors, AWS APIs, ACME).
   * Everything else outbound must be opened with `allowTo`.
   * @default true
   */
  readonly allowWebEgress?: boolean;
}

/**
 * A security group whose rules are separate resources, each with a description.
 * No rule exists unless a module asks for it, outbound included.
 */
export class Firewall extends Construct {
  readonly securityGroupId: string;
  /** VPC of the group (rules that name another group must stay inside it). */
  readonly vpcId: string;
  private readonly provider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: FirewallProps) {
    super(scope, id);
    check(props.description.trim().length >= 10, `${id}.description`, props.description, "a description of at least 10 characters");
    this.provider = props.provider;
    this.vpcId = props.vpcId;
    const group = new SecurityGroup(this, "group", {
      provider: props.provider,
      vpcId: props.vpcId,
      name: props.name,
      description: props.description,
      // Rules live in their own resources; an empty inline list would fight them.
      tags: { Name: props.name },
      lifecycle: { createBeforeDestroy: true },
    });
    this.securityGroupId = group.id;
    if (props.allowWebEgress ?? true) {
      this.allowTo(Peer.anyIpv4(), Port.tcp(443), "HTTPS out: package mirrors and AWS APIs");
      this.allowTo(Peer.anyIpv4(), Port.tcp(80), "HTTP out: Debian package mirrors");
    }
  }

  /** Admit traffic from `peer` on `port`. */
  allowFrom(peer: Peer, port: Port, description: string): this {
    this.ingressRule(peer, port, description);
    return this;
  }

  /**
   * The deliberate exception: `port` open to the whole IPv4 internet (public
   * entry points only). The justification is written into the rule's policy
   * metadata, where reviewers and the policy pack read it.
   */
  allowFromInternet(port: Port, description: string, justification: string): this {
    suppress(this.ingressRule(Peer.anyIpv4(), port, description), "SG-NO-PUBLIC-INGRESS", justification);
    return this;
  }

  /** Allow traffic to `peer` on `port`. */
  allowTo(peer: Peer, port: Port, description: string): this {
    this.rule(VpcSecurityGroupEgressRule, "out", peer, port, description);
    return this;
  }

  private ingressRule(peer: Peer, port: Port, description: string): VpcSecurityGroupIngressRule {
    return this.rule(VpcSecurityGroupIngressRule, "in", peer, port, description);
  }

  /** Ingress and egress rules have the same shape; only the resource type differs. */
  private rule<T extends VpcSecurityGroupIngressRule | VpcSecurityGroupEgressRule>(
    Rule: new (scope: Construct, id: string, config: VpcSecurityGroupIngressRuleConfig) => T,
    direction: "in" | "out",
    peer: Peer,
    port: Port,
    description: string,
  ): T {
    check(description.trim().length > 0, `${this.node.id}.${direction === "in" ? "allowFrom" : "allowTo"}(description)`, description, "a non-empty description");
    return new Rule(this, ruleId(direction, port, description), {
      provider: this.provider,
      securityGroupId: this.securityGroupId,
      description,
      ipProtocol: port.protocol,
      fromPort: port.fromPort,
      toPort: port.toPort,
      cidrIpv4: peer.cidr,
      referencedSecurityGroupId: peer.securityGroupId,
      prefixListId: peer.prefixListId,
    });
  }

  /** Both sides at once: `source` may reach this group on `port`. Same region only. */
  connectFrom(source: Firewall, port: Port, description: string): this {
    this.allowFrom(Peer.securityGroup(source.securityGroupId), port, description);
    source.allowTo(Peer.securityGroup(this.securityGroupId), port, description);
    return this;
  }
}

/** Rule ids derive from the rule itself, so reordering code never renames (replaces) a rule. */
function ruleId(direction: string, port: Port, description: string): string {
  const slug = description.toLowerCase().replace(/[^a-z0-9]+/g, "-").replace(/^-|-$/g, "").slice(0, 48);
  return `${direction}-${port.label.replace("/", "-")}-${slug}`;
}
