import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { NetworkInterface } from "@cdktf/provider-aws/lib/network-interface";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { PolicyStatement } from "../core/iam";
import { HostRole } from "./host-role";
import { IMDS_V2_ONLY, checkUserDataPlaceholders, rootVolumeSize } from "./hardening";
import { escapeTerraformTemplate } from "../core/terraform-text";
import { USER_DATA_MAX_BYTES } from "../core/cloud-config";
import { check } from "../core/validation";
import { supportsEbsOptimization, validateInstanceType } from "./instance-type";

/** How the host is reachable from the internet, if at all. */
export enum PublicAddress {
  /** Private address only (the default for every tier). */
  NONE = "none",
  /**
   * An Elastic IP attached to the host's network interface before it boots, so
   * first-boot package installs already have egress.
   */
  ELASTIC_IP = "elastic-ip",
  /**
   * An address assigned at launch. Only for hosts that must reach AWS APIs
   * while not holding a shared Elastic IP (the standby load balancer).
   */
  AUTO_ASSIGNED = "auto-assigned",
}

export interface HardenedInstanceProps {
  /** AWS provider of the region the resources live in. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Name tag and IAM name prefix, unique per account and region. */
  readonly name: string;
  /** Role tag (web, app, lb, monitoring, …); monitoring discovers hosts by it. */
  readonly role: string;
  /** EC2 instance type, e.g. t3.micro. */
  readonly instanceType: string;
  /** AMI id (concrete or a data-source token). */
  readonly ami: string;
  readonly subnetId: string;
  readonly securityGroupIds: string[];
  /** Plain user data (e.g. renderCloudConfig output); Terraform template markers are escaped here. @default no user data */
  readonly userData?: string;
  /**
   * Values known only at apply time, substituted into `userData` after escaping:
   * each key is a placeholder that appears in the user data, each value a token.
   * @default {}
   */
  readonly userDataValues?: Record<string, string>;
  /** Fixed private IPv4 address inside the subnet. @default assigned by AWS */
  readonly privateIp?: string;
  /** Public reachability. @default PublicAddress.NONE */
  readonly publicAddress?: PublicAddress;
  /** Root volume size in GiB (encrypted gp3). @default 16 */
  readonly rootVolumeGb?: number;
  /** A role shared with other hosts of the same kind (fleets). @default a role of its own built from `policyStatements` */
  readonly hostRole?: HostRole;
  /** IAM statements for the host's own role (least privilege: scope resources); not with `hostRole`. @default [] */
  readonly policyStatements?: readonly PolicyStatement[];
  /** Grant Session Manager access (shell without SSH; needs the SSM agent, which Debian 12 lacks); not with `hostRole`. @default false */
  readonly sessionManager?: boolean;
  /** EC2 key pair name for SSH. @default none (no SSH key) */
  readonly keyName?: string;
  /** Extra tags. @default {} */
  readonly tags?: Record<string, string>;
  /**
   * Replace the host when `ami` changes. Off by default: with an AMI lookup,
   * every new Debian release would otherwise replace every host on the next
   * plan; roll new images deliberately with `terraform apply -replace`.
   * @default false
   */
  readonly replaceOnAmiChange?: boolean;
}

/**
 * The one way this project creates an EC2 host: IMDSv2 only (hop limit 1),
 * encrypted gp3 root volume, detailed monitoring, EBS-optimized where the type
 * allows, its own IAM role and instance profile, and no public address unless
 * asked for.
 */
export class HardenedInstance extends Construct {
  readonly instanceId: string;
  readonly privateIp: string;
  /** Public address when `publicAddress` is ELASTIC_IP (stable) or AUTO_ASSIGNED (changes on stop/start). */
  readonly publicIp?: string;
  readonly roleName: string;
  readonly roleArn: string;
  readonly instance: Instance;

  constructor(scope: Construct, id: string, props: HardenedInstanceProps) {
    super(scope, id);
    validateInstanceType(`${id}.instanceType`, props.instanceType);
    const rootVolumeGb = rootVolumeSize(id, props.rootVolumeGb);
    const publicAddress = props.publicAddress ?? PublicAddress.NONE;
    const provider = props.provider;

    check(
      !(props.hostRole && (props.policyStatements || props.sessionManager !== undefined)),
      `${id}.hostRole`,
      "hostRole with policyStatements/sessionManager",
      "either a shared hostRole or this host's own policyStatements/sessionManager, not both",
    );
    const role = props.hostRole ?? new HostRole(this, "host-role", { provider, name: props.name, policyStatements: props.policyStatements, sessionManager: props.sessionManager });

    // The interface exists before the instance so an Elastic IP can be attached before first boot.
    const eni =
      publicAddress === PublicAddress.ELASTIC_IP
        ? new NetworkInterface(this, "eni", {
            provider,
            subnetId: props.subnetId,
            securityGroups: props.securityGroupIds,
            privateIps: props.privateIp ? [props.privateIp] : undefined,
            tags: { Name: props.name },
          })
        : undefined;
    const eip = eni ? new Eip(this, "eip", { provider, domain: "vpc", networkInterface: eni.id, tags: { Name: props.name } }) : undefined;

    this.instance = new Instance(this, "instance", {
      provider,
      ami: props.ami,
      instanceType: props.instanceType,
      iamInstanceProfile: role.instanceProfileName,
      keyName: props.keyName,
      monitoring: true,
      ebsOptimized: supportsEbsOptimization(props.instanceType),
      ...(eni
        ? { networkInterface: [{ networkInterfaceId: eni.id, deviceIndex: 0 }] }
        : {
            subnetId: props.subnetId,
            vpcSecurityGroupIds: props.securityGroupIds,
            privateIp: props.privateIp,
            associatePublicIpAddress: publicAddress === PublicAddress.AUTO_ASSIGNED,
          }),
      metadataOptions: { ...IMDS_V2_ONLY },
      rootBlockDevice: { volumeType: "gp3", volumeSize: rootVolumeGb, encrypted: true, deleteOnTermination: true },
      userData: props.userData === undefined ? undefined : this.userData(id, props.userData, props.userDataValues ?? {}),
      // A changed configuration means a new host: cloud-init applies user data on first boot only.
      userDataReplaceOnChange: props.userData !== undefined,
      tags: { Name: props.name, Role: props.role, ...(props.tags ?? {}) },
      volumeTags: { Name: props.name, Role: props.role },
      lifecycle: props.replaceOnAmiChange ? undefined : { ignoreChanges: ["ami"] },
      // Without this Terraform creates the Elastic IP and the instance in parallel, and first boot may run without egress.
      dependsOn: eip ? [eip] : undefined,
    });
    this.instanceId = this.instance.id;
    this.privateIp = this.instance.privateIp;
    this.publicIp = eip ? eip.publicIp : publicAddress === PublicAddress.AUTO_ASSIGNED ? this.instance.publicIp : undefined;
    this.roleName = role.roleName;
    this.roleArn = role.roleArn;
  }

  private userData(id: string, text: string, values: Record<string, string>): string {
    const bytes = Buffer.byteLength(text, "utf8");
    check(bytes <= USER_DATA_MAX_BYTES, `${id}.userData`, `${bytes} bytes`, `at most ${USER_DATA_MAX_BYTES} bytes (the EC2 limit)`);
    checkUserDataPlaceholders(id, text, values);
    let escaped = escapeTerraformTemplate(text);
    for (const [placeholder, value] of Object.entries(values)) escaped = escaped.split(placeholder).join(value);
    return escaped;
  }
}

