import { IamInstanceConnectScoped } from "../../modules/policy/rules/iam/IamInstanceConnectScoped";
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

/** The operator's Instance Connect grant as modules/operator-access writes it; parts can be left out. */
function instanceConnect(omit: { osuser?: false; tag?: false; port?: false } = {}): string {
  return policy(
    {
      Sid: "PushSshKeyToStackHosts",
      Effect: "Allow",
      Action: "ec2-instance-connect:SendSSHPublicKey",
      Resource: "arn:aws:ec2:us-east-1:111122223333:instance/*",
      Condition: { StringEquals: { ...(omit.osuser === false ? {} : { "ec2:osuser": "admin" }), ...(omit.tag === false ? {} : { "aws:ResourceTag/Stack": "stage3-scale-up" }) } },
    },
    {
      Sid: "TunnelThroughEndpoints",
      Effect: "Allow",
      Action: "ec2-instance-connect:OpenTunnel",
      Resource: "arn:aws:ec2:us-east-1:111122223333:instance-connect-endpoint/eice-0123456789abcdef0",
      Condition: { ...(omit.port === false ? {} : { NumericEquals: { "ec2-instance-connect:remotePort": "22" } }), NumericLessThanEquals: { "ec2-instance-connect:maxTunnelDuration": "3600" } },
    },
  );
}

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
    rule: IamInstanceConnectScoped,
    compliant: withSections({
      resource: [
        ["aws_iam_role_policy", "operator", { policy: instanceConnect() }],
        ["aws_iam_role_policy", "failover", { policy: failover }],
        ["aws_iam_policy", "from_data", { policy: "${data.aws_iam_policy_document.eic.json}" }],
      ],
      data: [
        [
          "aws_iam_policy_document",
          "eic",
          {
            statement: [
              { actions: ["ec2-instance-connect:SendSSHPublicKey"], resources: ["arn:aws:ec2:us-east-1:111122223333:instance/*"], condition: [{ test: "StringEquals", variable: "ec2:osuser", values: ["admin"] }, { test: "StringEquals", variable: "aws:ResourceTag/Stack", values: ["s"] }] },
              { actions: ["ec2-instance-connect:OpenTunnel"], resources: ["${aws_ec2_instance_connect_endpoint.e.arn}"], condition: { test: "NumericEquals", variable: "ec2-instance-connect:remotePort", values: ["22"] } },
            ],
          },
        ],
      ],
    }),
    nonCompliant: withSections({
      resource: [
        ["aws_iam_role_policy", "any_instance", { policy: policy({ Effect: "Allow", Action: "ec2-instance-connect:SendSSHPublicKey", Resource: "*", Condition: { StringEquals: { "ec2:osuser": "admin", "aws:ResourceTag/Stack": "s" } } }) }],
        ["aws_iam_role_policy", "any_user", { policy: instanceConnect({ osuser: false }) }],
        ["aws_iam_role_policy", "untagged", { policy: instanceConnect({ tag: false }) }],
        ["aws_iam_role_policy", "any_port", { policy: instanceConnect({ port: false }) }],
        ["aws_iam_policy", "any_endpoint", { policy: policy({ Effect: "Allow", Action: "ec2-instance-connect:OpenTunnel", Resource: "*", Condition: { NumericEquals: { "ec2-instance-connect:remotePort": "22" } } }) }],
        ["aws_iam_policy", "service_wildcard", { policy: policy({ Effect: "Allow", Action: "ec2-instance-connect:*", Resource: "*" }) }],
        ["aws_iam_role", "inline_send_star", { inline_policy: [{ name: "i", policy: policy({ Effect: "Allow", Action: "ec2-instance-connect:Send*", Resource: "arn:aws:ec2:*:*:instance/*" }) }] }],
        ["aws_iam_role_policy", "ok", { policy: instanceConnect() }],
        ["aws_iam_role_policy", "deny", { policy: policy({ Effect: "Deny", Action: "ec2-instance-connect:*", Resource: "*" }) }],
      ],
    }),
    failing: [
      "aws_iam_policy.any_endpoint",
      "aws_iam_policy.service_wildcard",
      "aws_iam_role.inline_send_star",
      "aws_iam_role_policy.any_instance",
      "aws_iam_role_policy.any_port",
      "aws_iam_role_policy.any_user",
      "aws_iam_role_policy.untagged",
    ],
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
