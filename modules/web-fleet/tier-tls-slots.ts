import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { PolicyStatement } from "../core/iam";
import { check, requireConcrete } from "../core/validation";
import { TlsIdentitySettings, tierServerName, tlsSlotName } from "../server-config";
import { suppress } from "../policy/suppressions";

export interface TierTlsSlotsProps {
  /** AWS provider of the slots' region. @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** Region of the slots (servers in other regions publish here too). */
  readonly region: string;
  /** Name prefix, e.g. "webplat-dev-stage3". */
  readonly name: string;
  /** The tier whose servers publish: "web", "app", … (the certificates' name is "<tier>.<name>.internal"). */
  readonly tier: string;
  /** The tier's servers' fixed private IPs (one slot each). */
  readonly addresses: readonly string[];
}

/**
 * One SSM slot per server of a tier, `/<name>/tls/<tier>/<ip>`, where the
 * server publishes its self-signed certificate (never its key: that stays on
 * the host) for its callers to pin. Terraform creates each slot with a
 * placeholder and never reads the value back; removing a server removes its
 * slot, and with it the callers' trust in that certificate.
 */
export class TierTlsSlots extends Construct {
  /** What the tier's servers carry and publish, and what their callers verify and read. */
  readonly settings: TlsIdentitySettings;
  /** The tier's servers may read and write their tier's slots, nothing else. */
  readonly publishStatement: PolicyStatement;
  /** Callers may read the tier's slots, nothing else. */
  readonly readStatement: PolicyStatement;

  constructor(scope: Construct, id: string, props: TierTlsSlotsProps) {
    super(scope, id);
    requireConcrete(`${id}.region`, props.region);
    check(/^[a-z][a-z0-9-]{0,15}$/.test(props.tier), `${id}.tier`, props.tier, "a lower-case tier name such as web or app");
    check(props.addresses.length > 0, `${id}.addresses`, props.addresses, "at least one server IP");
    const parameterPrefix = `/${props.name}/tls/${props.tier}`;
    this.settings = { serverName: tierServerName(props.tier, props.name), parameterPrefix, region: props.region };
    const arns = props.addresses.map((ip) => {
      const slot = new SsmParameter(this, `slot-${ip.replace(/\./g, "-")}`, {
        provider: props.provider,
        name: tlsSlotName(parameterPrefix, ip),
        type: "String",
        value: "pending: the server publishes its certificate here at first boot",
        description: `TLS certificate (public part only) of the ${props.tier} server ${ip}, pinned by its callers`,
        // The server writes its certificate; Terraform only creates the slot.
        lifecycle: { ignoreChanges: ["value"] },
      });
      suppress(slot, "SSM-SECRET-PARAMETER-ENCRYPTED", "Holds only the server's public certificate (the key never leaves the host); encrypting it would add decrypt grants to every caller and protect nothing");
      return slot.arn;
    });
    const sid = props.tier.charAt(0).toUpperCase() + props.tier.slice(1);
    this.publishStatement = { Sid: `Publish${sid}TlsCertificate`, Effect: "Allow", Action: ["ssm:GetParameter", "ssm:PutParameter"], Resource: arns };
    this.readStatement = { Sid: `Pin${sid}TlsCertificates`, Effect: "Allow", Action: ["ssm:GetParameters"], Resource: arns };
  }
}
