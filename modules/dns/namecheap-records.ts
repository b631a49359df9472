import { TerraformProvider } from "cdktf";
import { Construct } from "constructs";
import { DomainRecords } from "../../.gen/providers/namecheap/domain-records";
import { NamecheapRecord, NamecheapRecordsMode, ResolvedRecord, resolveRecordSet } from "./record-set";
import { NamecheapRecordType } from "./record-validation";

export interface NamecheapRecordsProps {
  /**
   * Apex domain registered in the Namecheap account, e.g. "example.com" or "example.co.uk".
   * Subdomains ("www.example.com") are rejected: put them in `hostnames`.
   */
  readonly domain: string;

  /**
   * Value of the records created for every entry of `hostnames`: for type A an IPv4
   * address or a token such as an Elastic IP's `publicIp` (checked at apply time).
   * @default no address records; then `records` must hold at least one record
   */
  readonly address?: string;

  /**
   * Names that get a `type` record pointing at `address`: "@" is the apex, others are
   * lowercase names relative to the domain. Only together with `address`.
   * @default ["@", "www"]
   */
  readonly hostnames?: readonly string[];

  /**
   * Time to live in seconds for every record that does not set its own, 60–60000.
   * @default 300 (5 minutes, so re-pointing the site propagates quickly; the provider's own default is 1800)
   */
  readonly ttl?: number;

  /**
   * Record type of the `address` records, one of A, AAAA, ALIAS, CAA, CNAME, MX, MXE, NS, TXT, URL, URL301, FRAME.
   * @default "A"
   */
  readonly type?: NamecheapRecordType;

  /**
   * Further records of any type, e.g. the NS records that delegate "app" to Route 53
   * (see `subdomainDelegation`).
   * @default []
   */
  readonly records?: readonly NamecheapRecord[];

  /**
   * Replace every record of the domain with the records of this construct (provider mode
   * OVERWRITE). Records made by hand or by other tools (mail, verification TXT…) are deleted.
   * @default false — mode MERGE: only the records of this construct are added, changed or removed
   */
  readonly overwriteExistingRecords?: boolean;

  /**
   * Namecheap provider to use, e.g. from `namecheapProvider()`.
   * @default the stack's default (un-aliased) namecheap provider
   */
  readonly provider?: TerraformProvider;
}

/**
 * DNS records of one domain at Namecheap, managed as one `namecheap_domain_records`
 * resource. By default the site's apex and www point at `address`, in MERGE mode so
 * records this construct does not own are left alone.
 */
export class NamecheapRecords extends Construct {
  /** The apex domain. */
  public readonly domain: string;
  /** Provider mode written into the resource: MERGE unless `overwriteExistingRecords` is true. */
  public readonly mode: NamecheapRecordsMode;
  /** Every record this construct owns, with defaults applied. */
  public readonly records: readonly ResolvedRecord[];
  /** Names the records answer for, e.g. ["example.com", "www.example.com"]. */
  public readonly fqdns: string[];
  /** The underlying resource, for dependencies and escape hatches. */
  public readonly resource: DomainRecords;

  constructor(scope: Construct, id: string, props: NamecheapRecordsProps) {
    super(scope, id);
    const recordSet = resolveRecordSet(props);
    this.domain = recordSet.domain;
    this.mode = recordSet.mode;
    this.records = recordSet.records;
    this.fqdns = [...recordSet.fqdns];

    this.resource = new DomainRecords(this, "records", {
      provider: props.provider,
      domain: recordSet.domain,
      mode: recordSet.mode, // written even when MERGE: a reviewer sees it in the plan
      record: recordSet.records.map((record) => ({
        hostname: record.hostname,
        type: record.type,
        address: record.address,
        ttl: record.ttl,
        ...(record.mxPref !== undefined ? { mxPref: record.mxPref } : {}),
      })),
    });
  }
}
