import { IamNoAdminManagedPolicy } from "../../modules/policy/rules/iam/IamNoAdminManagedPolicy";
import { IamNoWildcardAction } from "../../modules/policy/rules/iam/IamNoWildcardAction";
import { IamNoWriteOnWildcardResource } from "../../modules/policy/rules/iam/IamNoWriteOnWildcardResource";
import { describeRules, messages, withSections } from "./fixtures";

const policy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const EIP = "arn:aws:ec2:us-east-1:111122223333:elastic-ip/eipalloc-0abc";

/** Compliant HAProxy-style failover grant: describe on "*", write actions scoped to the EIP. */
const failover = policy(
  { Effect: "Allow", Action: ["ec2:DescribeAddresses", "ec2:DescribeInstances"], Resource: "*" },
  { Effect: "Allow", Action: ["ec2:AssociateAddress", "ec2:DisassociateAddress"], Resource: [EIP, "${aws_instance.lb_a.arn}"] },
  { Effect: "Allow", Action: "cloudwatch:PutMetricData", Resource: "*" },
);

describeRules([
  {
    rule: IamNoWildcardAction,
    compliant: withSections({
      resource: [
        ["aws_iam_role_policy", "failover", { role: "r", policy: failover }],
        ["aws_iam_policy", "from_data", { policy: "${data.aws_iam_policy_document.monitoring.json}" }],
        ["aws_iam_role", "role", { assume_role_policy: policy({ Effect: "Allow", Action: "sts:AssumeRole", Principal: { Service: "ec2.amazonaws.com" } }), inline_policy: [{ name: "i", policy: failover }] }],
        ["aws_iam_policy", "deny_all", { policy: policy({ Effect: "Deny", Action: "*", Resource: "*" }) }],
      ],
      data: [["aws_iam_policy_document", "monitoring", { statement: [{ actions: ["ec2:DescribeInstances", "ec2:DescribeAvailabilityZones"], resources: ["*"] }] }]],
    }),
    nonCompliant: withSections({
      resource: [
        ["aws_iam_policy", "star", { policy: policy({ Effect: "Allow", Action: "*", Resource: "*" }) }],
        ["aws_iam_role_policy", "service_star", { policy: "${data.aws_iam_policy_document.ec2_all.json}" }],
        ["aws_iam_role", "not_action", { inline_policy: { name: "x", policy: policy({ Effect: "Allow", NotAction: "iam:*", Resource: "*" }) } }],
        ["aws_iam_policy", "hcl_expression", { policy: "${jsonencode({Statement = []})}" }],
        ["aws_iam_policy", "ok", { policy: failover }],
        ["aws_iam_user_policy", "layered", { policy: "${data.aws_iam_policy_document.layered.json}" }],
      ],
      data: [
        ["aws_iam_policy_document", "ec2_all", { statement: [{ effect: "Allow", actions: ["ec2:*"], resources: ["*"] }] }],
        ["aws_iam_policy_document", "layered", { source_policy_documents: ["${data.aws_iam_policy_document.ec2_all.json}"], statement: [{ actions: ["s3:GetObject"], resources: ["arn:aws:s3:::b/*"] }] }],
      ],
    }),
    failing: ["aws_iam_policy.hcl_expression", "aws_iam_policy.star", "aws_iam_role.not_action", "aws_iam_role_policy.service_star", "aws_iam_user_policy.layered"],
  },
  {
    rule: IamNoWriteOnWildcardResource,
    compliant: withSections({
      resource: [
        ["aws_iam_role_policy", "failover", { policy: failover }],
        ["aws_iam_policy", "tag_scoped", { policy: policy({ Effect: "Allow", Action: "ec2:StopInstances", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/Project": "web" } } }) }],
        ["aws_iam_policy", "from_data", { policy: "${data.aws_iam_policy_document.ssm.json}" }],
      ],
      data: [["aws_iam_policy_document", "ssm", { statement: [{ actions: ["ssmmessages:CreateControlChannel", "ec2:Describe*"], resources: ["*"] }] }]],
    }),
    nonCompliant: withSections({
      resource: [
        ["aws_iam_role_policy", "eip_any", { policy: policy({ Effect: "Allow", Action: ["ec2:DescribeAddresses", "ec2:AssociateAddress"], Resource: "*" }) }],
        ["aws_iam_policy", "not_resource", { policy: policy({ Effect: "Allow", Action: "s3:PutObject", NotResource: "arn:aws:s3:::private/*" }) }],
        ["aws_iam_policy", "from_data", { policy: "${data.aws_iam_policy_document.put_any.json}" }],
        ["aws_iam_policy", "ok", { policy: failover }],
      ],
      data: [["aws_iam_policy_document", "put_any", { statement: { actions: ["s3:PutObject"], resources: ["*"] } }]],
    }),
    failing: ["aws_iam_policy.from_data", "aws_iam_policy.not_resource", "aws_iam_role_policy.eip_any"],
  },
  {
    rule: IamNoAdminManagedPolicy,
    compliant: withSections({
      resource: [
        ["aws_iam_role_policy_attachment", "ssm", { role: "r", policy_arn: "arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore" }],
        ["aws_iam_role_policy_attachment", "own", { role: "r", policy_arn: "${aws_iam_policy.failover.arn}" }],
        ["aws_iam_role", "role", { managed_policy_arns: ["arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"] }],
      ],
    }),
    nonCompliant: withSections({
      resource: [
        ["aws_iam_role_policy_attachment", "admin", { role: "r", policy_arn: "arn:aws:iam::aws:policy/AdministratorAccess" }],
        ["aws_iam_user_policy_attachment", "power", { user: "u", policy_arn: "arn:aws:iam::aws:policy/PowerUserAccess" }],
        ["aws_iam_group_policy_attachment", "ec2_full", { group: "g", policy_arn: "arn:aws-us-gov:iam::aws:policy/AmazonEC2FullAccess" }],
        ["aws_iam_role", "job_function", { managed_policy_arns: ["arn:aws:iam::aws:policy/job-function/NetworkAdministrator"] }],
        ["aws_iam_role_policy_attachment", "fine", { role: "r", policy_arn: "arn:aws:iam::aws:policy/ReadOnlyAccess" }],
      ],
    }),
    failing: ["aws_iam_group_policy_attachment.ec2_full", "aws_iam_role.job_function", "aws_iam_role_policy_attachment.admin", "aws_iam_user_policy_attachment.power"],
  },
]);

test("an unreadable policy is reported with the reason, not silently passed", () => {
  const doc = withSections({ resource: [["aws_iam_policy", "p", { policy: "${jsonencode({})}" }]] });
  expect(messages(IamNoWildcardAction, doc)[0]).toMatch(/policy cannot be checked: .*neither a JSON document nor a reference/);
});
