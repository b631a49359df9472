import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { check, requireConcrete } from "../core/validation";

export interface PrivateDatabaseNameProps {
  /** AWS provider used for the Route 53 calls (Route 53 is global). @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Stable name, e.g. "sql.db.internal"; the zone is everything after the first label. */
  readonly hostname: string;
  /** VPC that resolves the name. */
  readonly vpcId: string;
  /** Region of the VPC, concrete. */
  readonly vpcRegion: string;
  /** DNS name the hostname points to: this region's database endpoint address. */
  readonly target: string;
  /** Record TTL in seconds. @default 60 */
  readonly ttl?: number;
}

/**
 * A private hosted zone attached to one VPC with a CNAME from a stable name to
 * that region's database. Each region has its own zone of the same name, so
 * the application uses one hostname everywhere and a failover changes no
 * configuration (a promoted replica keeps its endpoint).
 */
export class PrivateDatabaseName extends Construct {
  readonly hostname: string;
  readonly zoneId: string;

  constructor(scope: Construct, id: string, props: PrivateDatabaseNameProps) {
    super(scope, id);
    requireConcrete(`${id}.hostname`, props.hostname);
    requireConcrete(`${id}.vpcRegion`, props.vpcRegion);
    const labels = props.hostname.split(".");
    check(labels.length >= 3 && labels.every((l) => /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/.test(l)), `${id}.hostname`, props.hostname, "a lowercase name of at least three labels such as sql.db.internal");
    const ttl = props.ttl ?? 60;
    check(Number.isInteger(ttl) && ttl >= 0 && ttl <= 86400, `${id}.ttl`, ttl, "an integer from 0 to 86400");
    const zone = new Route53Zone(this, "zone", {
      provider: props.provider,
      name: labels.slice(1).join("."),
      comment: `Private names of ${props.vpcRegion}: ${props.hostname} is this region's database`,
      vpc: [{ vpcId: props.vpcId, vpcRegion: props.vpcRegion }],
      forceDestroy: false,
    });
    new Route53Record(this, "record", { provider: props.provider, zoneId: zone.zoneId, name: props.hostname, type: "CNAME", ttl, records: [props.target] });
    this.hostname = props.hostname;
    this.zoneId = zone.zoneId;
  }
}
