import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { NamecheapRecord, subdomainDelegation } from "../dns";
import { validateApexDomain } from "../dns/record-validation";
import { check, requireConcrete } from "../core/validation";

/** A DNS name an alias record can point at (load balancer, CloudFront distribution). */
export interface AliasTarget {
  readonly dnsName: string;
  readonly zoneId: string;
}

export interface ApplicationZoneProps {
  /** AWS provider used for the Route 53 calls (Route 53 is global). @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Apex domain registered elsewhere (Namecheap), e.g. "example.com". */
  readonly domain: string;
  /** Label delegated to this zone, e.g. "app" → app.example.com. */
  readonly subdomain: string;
}

/**
 * The public Route 53 zone of the application's subdomain. The registrar keeps
 * the apex; NS records there (`delegationRecords`) hand the subdomain to this
 * zone, so Route 53 answers with health-checked failover records.
 */
export class ApplicationZone extends Construct {
  readonly zoneId: string;
  /** e.g. app.example.com. */
  readonly zoneName: string;
  /** The zone's four name servers (a list token). */
  readonly nameServers: string[];
  private readonly subdomain: string;
  private readonly provider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: ApplicationZoneProps) {
    super(scope, id);
    requireConcrete(`${id}.domain`, props.domain);
    validateApexDomain(`${id}.domain`, props.domain);
    check(/^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(props.subdomain), `${id}.subdomain`, props.subdomain, "one lowercase DNS label such as app");
    this.provider = props.provider;
    this.subdomain = props.subdomain;
    this.zoneName = `${props.subdomain}.${props.domain}`;
    const zone = new Route53Zone(this, "zone", { provider: props.provider, name: this.zoneName, comment: `Delegated from the registrar of ${props.domain}`, forceDestroy: false });
    this.zoneId = zone.zoneId;
    this.nameServers = zone.nameServers;
  }

  /** `<label>.<zone>`, e.g. api.app.example.com. */
  nameOf(label: string): string {
    return `${label}.${this.zoneName}`;
  }

  /** A and AAAA alias records from `name` (inside this zone) to `target`. */
  alias(id: string, name: string, target: AliasTarget, options: { ipv6?: boolean } = {}): this {
    check(name === this.zoneName || name.endsWith(`.${this.zoneName}`), `${this.node.id}.alias(name)`, name, `a name inside ${this.zoneName}`);
    for (const type of options.ipv6 ? ["A", "AAAA"] : ["A"]) {
      new Route53Record(this, `${id}-${type.toLowerCase()}`, {
        provider: this.provider,
        zoneId: this.zoneId,
        name,
        type,
        alias: { name: target.dnsName, zoneId: target.zoneId, evaluateTargetHealth: true },
      });
    }
    return this;
  }

  /** NS records for the registrar (Namecheap) that delegate the subdomain here. */
  delegationRecords(ttl?: number): NamecheapRecord[] {
    return subdomainDelegation(this.subdomain, this.nameServers, ttl);
  }
}
