import { Construct } from "constructs";
import { Fn, TerraformProvider } from "cdktf";
import { LaunchTemplate } from "@cdktf/provider-aws/lib/launch-template";
import { PolicyStatement } from "../core/iam";
import { USER_DATA_MAX_BYTES } from "../core/cloud-config";
import { launchTemplateUserDataBytes } from "../core/launch-template-user-data";
import { check } from "../core/validation";
import { HostRole } from "./host-role";
import { IMDS_V2_ONLY, checkUserDataPlaceholders, rootVolumeSize } from "./hardening";
import { supportsEbsOptimization, validateInstanceType } from "./instance-type";

export interface HardenedLaunchTemplateProps {
  /** AWS provider of the region the resources live in. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Template name, Name tag of the instances and IAM name prefix, unique per account and region. */
  readonly name: string;
  /** Role tag (frontend, backend, …); monitoring discovers hosts by it. */
  readonly role: string;
  /** EC2 instance type, e.g. t3.micro. */
  readonly instanceType: string;
  /** AMI id (concrete or a data-source token). */
  readonly ami: string;
  readonly securityGroupIds: readonly string[];
  /** Plain user data (e.g. renderCloudConfig output), base64-encoded here. @default no user data */
  readonly userData?: string;
  /** Values known only at apply time substituted into `userData` after escaping: placeholder → token. @default {} */
  readonly userDataValues?: Record<string, string>;
  /** Root volume size in GiB (encrypted gp3). @default 16 */
  readonly rootVolumeGb?: number;
  /** A role shared with other hosts. @default a role of its own built from `policyStatements` */
  readonly hostRole?: HostRole;
  /** IAM statements for the template's own role (least privilege); not with `hostRole`. @default [] */
  readonly policyStatements?: readonly PolicyStatement[];
  /** EC2 key pair name for SSH. @default none (no SSH key) */
  readonly keyName?: string;
  /** Extra tags on the instances. @default {} */
  readonly tags?: Record<string, string>;
}

/**
 * The launch-template twin of HardenedInstance, for Auto Scaling groups: IMDSv2
 * only (hop limit 1), encrypted gp3 root volume, detailed monitoring,
 * EBS-optimized where the type allows, an instance profile, and no public IP.
 */
export class HardenedLaunchTemplate extends Construct {
  readonly launchTemplateId: string;
  /** Latest version; an Auto Scaling group pinned to it rolls out each change through its instance refresh. */
  readonly latestVersion: string;
  readonly hostRole: HostRole;
  readonly template: LaunchTemplate;

  constructor(scope: Construct, id: string, props: HardenedLaunchTemplateProps) {
    super(scope, id);
    validateInstanceType(`${id}.instanceType`, props.instanceType);
    const rootVolumeGb = rootVolumeSize(id, props.rootVolumeGb);
    check(!(props.hostRole && props.policyStatements), `${id}.hostRole`, "hostRole with policyStatements", "either a shared hostRole or this template's own policyStatements, not both");
    check(props.securityGroupIds.length > 0, `${id}.securityGroupIds`, props.securityGroupIds, "at least one security group id");
    const provider = props.provider;
    this.hostRole = props.hostRole ?? new HostRole(this, "host-role", { provider, name: props.name, policyStatements: props.policyStatements });
    const tags = { Name: props.name, Role: props.role, ...(props.tags ?? {}) };

    this.template = new LaunchTemplate(this, "template", {
      provider,
      name: props.name,
      description: `${props.role} hosts: IMDSv2, encrypted gp3, no public IP`,
      imageId: props.ami,
      instanceType: props.instanceType,
      keyName: props.keyName,
      ebsOptimized: String(supportsEbsOptimization(props.instanceType)),
      iamInstanceProfile: { name: this.hostRole.instanceProfileName },
      monitoring: { enabled: true },
      metadataOptions: { ...IMDS_V2_ONLY },
      networkInterfaces: [{ deviceIndex: 0, associatePublicIpAddress: "false", deleteOnTermination: "true", securityGroups: [...props.securityGroupIds] }],
      blockDeviceMappings: [{ deviceName: "/dev/xvda", ebs: { volumeType: "gp3", volumeSize: rootVolumeGb, encrypted: "true", deleteOnTermination: "true" } }],
      userData: props.userData === undefined ? undefined : this.userData(id, props.userData, props.userDataValues ?? {}),
      tagSpecifications: [
        { resourceType: "instance", tags },
        { resourceType: "volume", tags: { Name: props.name, Role: props.role } },
      ],
      updateDefaultVersion: true,
      tags: { Name: props.name, Role: props.role },
    });
    this.launchTemplateId = this.template.id;
    this.latestVersion = Fn.tostring(this.template.latestVersion);
  }

  /**
   * Launch templates take base64 user data; Terraform gzips it
   * (modules/core/launch-template-user-data.ts): literal text base64-encoded
   * here, apply-time values spliced in with
   * `base64gzip(join("", [base64decode(<literal>), <token>, …]))`.
   */
  private userData(id: string, text: string, values: Record<string, string>): string {
    checkUserDataPlaceholders(id, text, values);
    const placeholders = Object.keys(values);
    const pattern = placeholders.length === 0 ? undefined : new RegExp(placeholders.map((p) => p.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")).join("|"), "g");
    const occurrences = pattern ? [...text.matchAll(pattern)] : [];
    const bytes = launchTemplateUserDataBytes(text, occurrences.length);
    check(bytes <= USER_DATA_MAX_BYTES, `${id}.userData`, `${bytes} bytes gzip-compressed and base64-encoded`, `at most ${USER_DATA_MAX_BYTES} bytes (the EC2 limit)`);
    const literal = (from: number, to: number) => Fn.base64decode(Buffer.from(text.slice(from, to), "utf8").toString("base64"));
    const parts: string[] = [];
    let last = 0;
    for (const match of occurrences) {
      if (match.index! > last) parts.push(literal(last, match.index!));
      parts.push(values[match[0]]);
      last = match.index! + match[0].length;
    }
    if (last < text.length || parts.length === 0) parts.push(literal(last, text.length));
    return Fn.base64gzip(Fn.join("", parts));
  }
}
