import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { partitionOf, PolicyStatement, policyDocument } from "../core/iam";
import { check, checkAccountId } from "../core/validation";

/** Where a release goes in one region: its pointer and the backend groups that roll. */
export interface DeliveryTarget {
  readonly region: string;
  /** ARN of the region's release pointer parameter. */
  readonly pointerArn: string;
  /** ARNs of the Auto Scaling groups the pipeline refreshes. */
  readonly autoScalingGroupArns: readonly string[];
}

/** A CI system that proves itself with OpenID Connect tokens (e.g. GitHub Actions). */
export interface OidcTrust {
  /** ARN of the account's IAM OIDC provider, e.g. arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com. */
  readonly providerArn: string;
  /** Token subjects allowed to assume the role (StringLike), e.g. "repo:acme/shop:ref:refs/heads/main" or "repo:acme/shop:environment:production". */
  readonly subjects: readonly string[];
  /** Token audience. @default "sts.amazonaws.com" */
  readonly audience?: string;
}

export interface DeliveryRoleProps {
  /** AWS provider (IAM is global). @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Role name, e.g. "webplat-dev-stage4-delivery". */
  readonly name: string;
  /** The account that owns the role. Without `oidc`, principals of this account (in the partition of the first target's region) whose own IAM policy allows sts:AssumeRole on the role may assume it. */
  readonly accountId: string;
  /** Trust a CI system's OIDC tokens instead of the account's principals. @default none (account principals) */
  readonly oidc?: OidcTrust;
  /** Primary repository the pipeline pushes to. */
  readonly repositoryArn: string;
  /** DR replica the pipeline waits for (read only). */
  readonly replicaRepositoryArn: string;
  /** The regions a release is rolled out to. */
  readonly targets: readonly DeliveryTarget[];
}

const OIDC_PROVIDER_ARN = /^arn:aws(-[a-z]+)*:iam::[0-9]{12}:oidc-provider\/([A-Za-z0-9.-]+(\/[A-Za-z0-9._~-]+)*)$/;

/**
 * The role a CI pipeline assumes to ship a release, and nothing more: push to
 * the one repository, read its DR replica, set the release pointers, and start
 * (or cancel) instance refreshes of the backend groups. It cannot change
 * infrastructure, read other repositories, or touch other groups.
 */
export class DeliveryRole extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  /** The role's permissions, for tests and reviews. */
  readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: DeliveryRoleProps) {
    super(scope, id);
    checkAccountId(`${id}.accountId`, props.accountId);
    check(props.targets.length > 0, `${id}.targets`, props.targets, "at least one region to deliver to");
    for (const [i, t] of props.targets.entries()) {
      check(t.autoScalingGroupArns.length > 0, `${id}.targets[${i}].autoScalingGroupArns`, t.autoScalingGroupArns, "at least one Auto Scaling group ARN");
    }
    this.statements = [
      // GetAuthorizationToken has no resource-level permissions: the token is only a login, the repository statements decide.
      { Sid: "RegistryLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      {
        Sid: "PushToTheRepository",
        Effect: "Allow",
        Action: [
          "ecr:BatchCheckLayerAvailability",
          "ecr:InitiateLayerUpload",
          "ecr:UploadLayerPart",
          "ecr:CompleteLayerUpload",
          "ecr:PutImage",
          "ecr:BatchGetImage",
          "ecr:DescribeImages",
          "ecr:DescribeImageScanFindings",
        ],
        Resource: props.repositoryArn,
      },
      { Sid: "WaitForTheReplica", Effect: "Allow", Action: ["ecr:DescribeImages"], Resource: props.replicaRepositoryArn },
      { Sid: "SetTheReleasePointers", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:PutParameter"], Resource: props.targets.map((t) => t.pointerArn) },
      {
        Sid: "RollTheBackendGroups",
        Effect: "Allow",
        Action: ["autoscaling:StartInstanceRefresh", "autoscaling:CancelInstanceRefresh"],
        Resource: props.targets.flatMap((t) => t.autoScalingGroupArns),
      },
      // Describe calls of Auto Scaling have no resource-level permissions.
      { Sid: "WatchTheRollout", Effect: "Allow", Action: ["autoscaling:DescribeInstanceRefreshes", "autoscaling:DescribeAutoScalingGroups"], Resource: "*" },
    ];
    const role = new IamRole(this, "role", {
      provider: props.provider,
      name: props.name,
      description: "Assumed by the delivery pipeline: push the application image, set the release pointers, roll the backend groups",
      assumeRolePolicy: policyDocument([props.oidc ? oidcTrust(id, props.oidc) : { Effect: "Allow", Principal: { AWS: `arn:${partitionOf(props.targets[0].region)}:iam::${props.accountId}:root` }, Action: "sts:AssumeRole" }]),
      maxSessionDuration: 3600,
      tags: { Name: props.name },
    });
    new IamRolePolicy(this, "policy", { provider: props.provider, role: role.id, name: "deliver-releases", policy: policyDocument(this.statements) });
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}

function oidcTrust(id: string, oidc: OidcTrust): PolicyStatement {
  const match = OIDC_PROVIDER_ARN.exec(oidc.providerArn);
  check(match !== null, `${id}.oidc.providerArn`, oidc.providerArn, "an IAM OIDC provider ARN such as arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com");
  check(oidc.subjects.length > 0, `${id}.oidc.subjects`, oidc.subjects, "at least one token subject (an empty list would trust every workflow of the provider)");
  for (const subject of oidc.subjects) {
    check(/^[^*?\s]{3,}/.test(subject) && subject.length <= 256, `${id}.oidc.subjects`, subject, "a token subject that starts with at least 3 literal characters, e.g. repo:acme/shop:ref:refs/heads/main (a leading wildcard would trust every repository)");
  }
  const host = match![2];
  return {
    Effect: "Allow",
    Principal: { Federated: oidc.providerArn },
    Action: "sts:AssumeRoleWithWebIdentity",
    Condition: { StringEquals: { [`${host}:aud`]: oidc.audience ?? "sts.amazonaws.com" }, StringLike: { [`${host}:sub`]: [...oidc.subjects] } },
  };
}
