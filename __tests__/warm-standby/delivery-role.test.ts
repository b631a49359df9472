/**
 * DeliveryRole: "The role a CI pipeline assumes to ship a release, and nothing more: push to the one repository,
 * read its DR replica, set the release pointers, and start (or cancel) instance refreshes of the backend groups.
 * It cannot change infrastructure, read other repositories, or touch other groups."
 */
import { DeliveryRole, DeliveryRoleProps, OidcTrust } from "../../modules/warm-standby/delivery-role";
import { invalidInputOf } from "../support/invalid-input";
import { TfJson } from "../support/synth";
import { ACCOUNT, one, refOf, scopeWith, synthWith } from "./delivery-support";

const REPO = "arn:aws:ecr:us-east-1:123456789012:repository/webplat-dev-stage4/app";
const REPLICA = "arn:aws:ecr:us-west-2:123456789012:repository/webplat-dev-stage4/app";
const POINTER_1 = "arn:aws:ssm:us-east-1:123456789012:parameter/webplat-dev-stage4/release";
const POINTER_2 = "arn:aws:ssm:us-west-2:123456789012:parameter/webplat-dev-stage4/release";
const GROUP_1 = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid-1:autoScalingGroupName/primary-backend";
const GROUP_2 = "arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:uuid-2:autoScalingGroupName/dr-backend";
const GROUP_3 = "arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:uuid-3:autoScalingGroupName/dr-backend-2";
const GITHUB = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

const base: DeliveryRoleProps = {
  name: "webplat-dev-stage4-delivery",
  accountId: ACCOUNT,
  repositoryArn: REPO,
  replicaRepositoryArn: REPLICA,
  targets: [
    { region: "us-east-1", pointerArn: POINTER_1, autoScalingGroupArns: [GROUP_1] },
    { region: "us-west-2", pointerArn: POINTER_2, autoScalingGroupArns: [GROUP_2, GROUP_3] },
  ],
};

const PERMISSIONS = [
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
    Resource: REPO,
  },
  { Sid: "WaitForTheReplica", Effect: "Allow", Action: ["ecr:DescribeImages"], Resource: REPLICA },
  { Sid: "SetTheReleasePointers", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:PutParameter"], Resource: [POINTER_1, POINTER_2] },
  { Sid: "RollTheBackendGroups", Effect: "Allow", Action: ["autoscaling:StartInstanceRefresh", "autoscaling:CancelInstanceRefresh"], Resource: [GROUP_1, GROUP_2, GROUP_3] },
  { Sid: "WatchTheRollout", Effect: "Allow", Action: ["autoscaling:DescribeInstanceRefreshes", "autoscaling:DescribeAutoScalingGroups"], Resource: "*" },
];

function synthRole(over: Partial<DeliveryRoleProps> = {}, withProvider = false): { json: TfJson; role: DeliveryRole } {
  let role: DeliveryRole | undefined;
  const json = synthWith((b) => {
    role = new DeliveryRole(b.stack, "delivery", { ...base, ...(withProvider ? { provider: b.dr } : {}), ...over });
    return { arn: role.roleArn, name: role.roleName };
  });
  return { json, role: role! };
}

const trustOf = (json: TfJson) => JSON.parse(one(json, "aws_iam_role")[1].assume_role_policy);

describe("DeliveryRole", () => {
  test("the role: its name, a description of what it is for, sessions of at most an hour, trusted by the account's principals by default", () => {
    const { json } = synthRole();
    expect(Object.keys(json.resource!).sort()).toEqual(["aws_iam_role", "aws_iam_role_policy"]);
    expect(one(json, "aws_iam_role")[1]).toEqual({
      name: "webplat-dev-stage4-delivery",
      description: "Assumed by the delivery pipeline: push the application image, set the release pointers, roll the backend groups",
      assume_role_policy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }],
      }),
      max_session_duration: 3600,
      tags: { Name: "webplat-dev-stage4-delivery" },
    });
  });

  test.each([["cn-north-1", "aws-cn"], ["us-gov-west-1", "aws-us-gov"]])("in %s the account's principals are those of partition %s", (region, partition) => {
    const { json } = synthRole({ targets: [{ region, pointerArn: POINTER_1, autoScalingGroupArns: [GROUP_1] }] });
    expect(trustOf(json).Statement[0].Principal).toEqual({ AWS: `arn:${partition}:iam::123456789012:root` });
  });

  test("its permissions, exactly: login, push and read the one repository, describe the replica, the pointers, refresh the groups, watch", () => {
    const { json, role } = synthRole();
    const [roleName] = one(json, "aws_iam_role");
    const policy = one(json, "aws_iam_role_policy")[1];
    expect(policy.name).toBe("deliver-releases");
    expect(policy.role).toBe(refOf("aws_iam_role", roleName, "id"));
    expect(JSON.parse(policy.policy)).toEqual({ Version: "2012-10-17", Statement: PERMISSIONS });
    expect(role.statements).toEqual(PERMISSIONS);
  });

  test("roleArn and roleName reference the role", () => {
    const { json } = synthRole();
    const [roleName] = one(json, "aws_iam_role");
    expect(json.output!.arn.value).toBe(refOf("aws_iam_role", roleName, "arn"));
    expect(json.output!.name.value).toBe(refOf("aws_iam_role", roleName, "name"));
  });

  test("a given provider carries both the role and its policy", () => {
    const { json } = synthRole({}, true);
    expect(one(json, "aws_iam_role")[1].provider).toBe("aws.dr");
    expect(one(json, "aws_iam_role_policy")[1].provider).toBe("aws.dr");
  });

  test("with no provider given, neither names one (the stack's default)", () => {
    const { json } = synthRole();
    expect(one(json, "aws_iam_role")[1].provider).toBeUndefined();
    expect(one(json, "aws_iam_role_policy")[1].provider).toBeUndefined();
  });

  test('OIDC: "only those tokens": web identity of the provider, aud sts.amazonaws.com by default, sub matching the subjects', () => {
    const oidc: OidcTrust = { providerArn: GITHUB, subjects: ["repo:acme/shop:environment:production", "repo:acme/shop:ref:refs/heads/main"] };
    const { json } = synthRole({ oidc });
    expect(trustOf(json)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Effect: "Allow",
          Principal: { Federated: GITHUB },
          Action: "sts:AssumeRoleWithWebIdentity",
          Condition: {
            StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" },
            StringLike: { "token.actions.githubusercontent.com:sub": ["repo:acme/shop:environment:production", "repo:acme/shop:ref:refs/heads/main"] },
          },
        },
      ],
    });
  });

  test("OIDC: a given audience, and a provider host with a path in another partition (the condition keys use host and path)", () => {
    const providerArn = "arn:aws-us-gov:iam::123456789012:oidc-provider/oidc.eks.us-gov-west-1.amazonaws.com/id/ABC_de.f~g-1";
    const { json } = synthRole({ oidc: { providerArn, subjects: ["system:serviceaccount:ci:deployer"], audience: "sts.amazonaws.com/custom" } });
    expect(trustOf(json).Statement[0]).toEqual({
      Effect: "Allow",
      Principal: { Federated: providerArn },
      Action: "sts:AssumeRoleWithWebIdentity",
      Condition: {
        StringEquals: { "oidc.eks.us-gov-west-1.amazonaws.com/id/ABC_de.f~g-1:aud": "sts.amazonaws.com/custom" },
        StringLike: { "oidc.eks.us-gov-west-1.amazonaws.com/id/ABC_de.f~g-1:sub": ["system:serviceaccount:ci:deployer"] },
      },
    });
  });

  test("OIDC subjects at the limits: 3 literal characters then wildcards, and 256 characters, are accepted", () => {
    const long = "r".repeat(256);
    const { json } = synthRole({ oidc: { providerArn: GITHUB, subjects: ["rep*", "abc", long] } });
    expect(trustOf(json).Statement[0].Condition.StringLike).toEqual({ "token.actions.githubusercontent.com:sub": ["rep*", "abc", long] });
  });
});

describe("DeliveryRole validation", () => {
  const attempt = (over: Partial<DeliveryRoleProps>, id = "delivery") => {
    const { stack } = scopeWith();
    return invalidInputOf(() => new DeliveryRole(stack, id, { ...base, ...over }));
  };
  const SUBJECT_ALLOWED = "a token subject that starts with at least 3 literal characters, e.g. repo:acme/shop:ref:refs/heads/main (a leading wildcard would trust every repository)";
  const PROVIDER_ALLOWED = "an IAM OIDC provider ARN such as arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";

  test("at least one region to deliver to", () => {
    const error = attempt({ targets: [] }, "pipeline");
    expect([error.field, error.value, error.allowed]).toEqual(["pipeline.targets", [], "at least one region to deliver to"]);
  });

  test.each(["", "12345678901", "1234567890123", "abcdefghijkl"])("accountId %p is refused at synth: it names the trusted account root", (accountId) => {
    const error = attempt({ accountId });
    expect([error.field, error.value, error.allowed]).toEqual(["delivery.accountId", accountId, "a 12-digit AWS account id such as 123456789012"]);
  });

  test("every target needs at least one Auto Scaling group (the field names the target)", () => {
    const error = attempt({ targets: [base.targets[0], { region: "us-west-2", pointerArn: POINTER_2, autoScalingGroupArns: [] }] });
    expect([error.field, error.value, error.allowed]).toEqual(["delivery.targets[1].autoScalingGroupArns", [], "at least one Auto Scaling group ARN"]);
    const first = attempt({ targets: [{ region: "us-east-1", pointerArn: POINTER_1, autoScalingGroupArns: [] }] });
    expect(first.field).toBe("delivery.targets[0].autoScalingGroupArns");
  });

  test.each([
    ["not an ARN", "token.actions.githubusercontent.com"],
    ["an IAM role instead", "arn:aws:iam::123456789012:role/token.actions.githubusercontent.com"],
    ["an 11-digit account", "arn:aws:iam::12345678901:oidc-provider/token.actions.githubusercontent.com"],
    ["a 13-digit account", "arn:aws:iam::1234567890123:oidc-provider/token.actions.githubusercontent.com"],
    ["a region in the ARN", "arn:aws:iam:us-east-1:123456789012:oidc-provider/token.actions.githubusercontent.com"],
    ["an empty host", "arn:aws:iam::123456789012:oidc-provider/"],
    ["a host with a space", "arn:aws:iam::123456789012:oidc-provider/token actions"],
    ["a path with a space", "arn:aws:iam::123456789012:oidc-provider/host/a b"],
    ["a trailing slash", "arn:aws:iam::123456789012:oidc-provider/host/"],
    ["a leading prefix", "xarn:aws:iam::123456789012:oidc-provider/host"],
    ["an upper-case partition", "arn:AWS:iam::123456789012:oidc-provider/host"],
    ["a bad partition suffix", "arn:aws-:iam::123456789012:oidc-provider/host"],
  ])("OIDC provider ARN refused: %s", (_what, providerArn) => {
    const error = attempt({ oidc: { providerArn, subjects: ["repo:acme/shop:ref:refs/heads/main"] } }, "pipeline");
    expect([error.field, error.value, error.allowed]).toEqual(["pipeline.oidc.providerArn", providerArn, PROVIDER_ALLOWED]);
  });

  test("OIDC provider ARNs accepted: aws, aws-cn, multi-part partitions, hosts with paths", () => {
    for (const providerArn of [
      GITHUB,
      "arn:aws-cn:iam::123456789012:oidc-provider/a",
      "arn:aws:iam::123456789012:oidc-provider/Host-9.Example.com",
      "arn:aws-iso-b:iam::123456789012:oidc-provider/gitlab.example.com/x/y",
    ]) {
      const { stack } = scopeWith();
      const role = new DeliveryRole(stack, "delivery", { ...base, oidc: { providerArn, subjects: ["abc"] } });
      expect(role.statements).toHaveLength(6);
    }
  });

  test("an empty subject list would trust every workflow of the provider: refused", () => {
    const error = attempt({ oidc: { providerArn: GITHUB, subjects: [] } });
    expect([error.field, error.value, error.allowed]).toEqual(["delivery.oidc.subjects", [], "at least one token subject (an empty list would trust every workflow of the provider)"]);
  });

  test.each([
    ["a leading wildcard", "*"],
    ["a wildcard after 2 characters", "re*"],
    ["a ? after 2 characters", "re?o:acme"],
    ["a space after 2 characters", "re po:acme"],
    ["a leading space", " repo:acme"],
    ["2 characters", "re"],
    ["an empty subject", ""],
    ["257 characters", "r".repeat(257)],
  ])("OIDC subject refused: %s", (_what, subject) => {
    const error = attempt({ oidc: { providerArn: GITHUB, subjects: ["repo:acme/shop:ref:refs/heads/main", subject] } });
    expect([error.field, error.value, error.allowed]).toEqual(["delivery.oidc.subjects", subject, SUBJECT_ALLOWED]);
  });
});
