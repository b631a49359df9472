import { IamInstanceConnectScoped } from "../../modules/policy/rules/iam/IamInstanceConnectScoped";
import { adminPolicyName, IamNoAdminManagedPolicy } from "../../modules/policy/rules/iam/IamNoAdminManagedPolicy";
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
    texts: [
      "aws_iam_policy.hcl_expression: policy cannot be checked: policy \"${jsonencode({Statement = []})}\" is neither a JSON document nor a reference to a data.aws_iam_policy_document in this stack",
      "aws_iam_policy.star: policy statement[0] allows *",
      "aws_iam_role.not_action: inline_policy[0].policy statement[0] uses Allow with NotAction",
      "aws_iam_role_policy.service_star: policy statement[0] allows ec2:*",
      "aws_iam_user_policy.layered: policy statement[0] allows ec2:*",
    ],
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
    texts: [
      "aws_iam_policy.from_data: policy statement[0] allows s3:PutObject on \"*\"",
      "aws_iam_policy.not_resource: policy statement[0] allows s3:PutObject on NotResource",
      "aws_iam_role_policy.eip_any: policy statement[0] allows ec2:AssociateAddress on \"*\"",
    ],
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
    texts: [
      "aws_iam_policy.any_endpoint: policy statement[0] allows ec2-instance-connect:OpenTunnel on [\"*\"]",
      "aws_iam_policy.service_wildcard: policy statement[0] allows ec2-instance-connect:SendSSHPublicKey on [\"*\"]; policy statement[0] allows ec2-instance-connect:SendSSHPublicKey without a ec2:osuser condition; policy statement[0] allows ec2-instance-connect:SendSSHPublicKey without a aws:ResourceTag/<key> condition; policy statement[0] allows ec2-instance-connect:OpenTunnel on [\"*\"]; policy statement[0] allows ec2-instance-connect:OpenTunnel without a ec2-instance-connect:remotePort condition",
      "aws_iam_role.inline_send_star: inline_policy[0].policy statement[0] allows ec2-instance-connect:SendSSHPublicKey without a ec2:osuser condition; inline_policy[0].policy statement[0] allows ec2-instance-connect:SendSSHPublicKey without a aws:ResourceTag/<key> condition",
      "aws_iam_role_policy.any_instance: policy statement[0] allows ec2-instance-connect:SendSSHPublicKey on [\"*\"]",
      "aws_iam_role_policy.any_port: policy statement \"TunnelThroughEndpoints\" allows ec2-instance-connect:OpenTunnel without a ec2-instance-connect:remotePort condition",
      "aws_iam_role_policy.any_user: policy statement \"PushSshKeyToStackHosts\" allows ec2-instance-connect:SendSSHPublicKey without a ec2:osuser condition",
      "aws_iam_role_policy.untagged: policy statement \"PushSshKeyToStackHosts\" allows ec2-instance-connect:SendSSHPublicKey without a aws:ResourceTag/<key> condition",
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
    texts: [
      "aws_iam_group_policy_attachment.ec2_full: policy_arn attaches AWS-managed AmazonEC2FullAccess",
      "aws_iam_role.job_function: managed_policy_arns attaches AWS-managed job-function/NetworkAdministrator",
      "aws_iam_role_policy_attachment.admin: policy_arn attaches AWS-managed AdministratorAccess",
      "aws_iam_user_policy_attachment.power: policy_arn attaches AWS-managed PowerUserAccess",
    ],
  },
]);

test("an unreadable policy is reported with the reason, not silently passed", () => {
  const doc = withSections({ resource: [["aws_iam_policy", "p", { policy: "${jsonencode({})}" }]] });
  expect(messages(IamNoWildcardAction, doc)[0]).toMatch(/policy cannot be checked: .*neither a JSON document nor a reference/);
});

describe("IAM-INSTANCE-CONNECT-SCOPED: what a scoped grant is, and the findings' wording", () => {
  const rule = IamInstanceConnectScoped;
  const SEND = "ec2-instance-connect:SendSSHPublicKey";
  const TUNNEL = "ec2-instance-connect:OpenTunnel";
  const sendConditions = { StringEquals: { "ec2:osuser": "admin", "aws:ResourceTag/Stack": "s" } };
  const portCondition = { NumericEquals: { "ec2-instance-connect:remotePort": "22" } };
  const found = (...statements: Record<string, unknown>[]) => messages(rule, withSections({ resource: [["aws_iam_policy", "p", { policy: policy(...statements) }]] }));

  test("instance ARNs with wildcards in region, account or instance id, and references, are scoped", () => {
    const resources = [
      "arn:aws:ec2:*:111122223333:instance/*",
      "arn:aws:ec2:us-east-1:*:instance/i-0abc*",
      "${format(\"arn:aws:ec2:%s:%s:instance/*\", data.aws_region.current.name, data.aws_caller_identity.current.account_id)}",
    ];
    expect(found({ Effect: "Allow", Action: SEND, Resource: resources, Condition: sendConditions })).toEqual([]);
  });

  test("endpoint ARNs with wildcards in region or account are scoped; any endpoint id is not", () => {
    const ok = [
      "arn:aws-us-gov:ec2:us-east-1:*:instance-connect-endpoint/eice-0123456789abcdef0", "arn:aws:ec2:*:111122223333:instance-connect-endpoint/eice-0a1b2c",
      "${format(\"arn:aws:ec2:*:%s:instance-connect-endpoint/%s\", data.aws_caller_identity.current.account_id, aws_ec2_instance_connect_endpoint.e.id)}",
    ];
    expect(found({ Effect: "Allow", Action: TUNNEL, Resource: ok, Condition: portCondition })).toEqual([]);
    const bad = ["arn:aws:ec2:*:*:instance-connect-endpoint/eice-*", "arn:aws:ec2:*:*:instance-connect-endpoint/eice-0a*", "x*:arn:aws:ec2:us-east-1:1:instance-connect-endpoint/eice-0a", "${local.endpoint_arn}*"];
    expect(found({ Effect: "Allow", Action: TUNNEL, Resource: [...bad, ok[0]], Condition: portCondition })).toEqual([
      `policy statement[0] allows ${TUNNEL} on ${JSON.stringify(bad)}`,
    ]);
  });

  test("a wildcard before the ARN or after a reference is not an instance scope", () => {
    const bad = ["*:arn:aws:ec2:us-east-1:111122223333:instance/*", "${local.instance_arn_prefix}*"];
    expect(found({ Effect: "Allow", Action: SEND, Resource: bad, Condition: sendConditions })).toEqual([`policy statement[0] allows ${SEND} on ${JSON.stringify(bad)}`]);
  });

  test("NotResource, no Resource, and one wildcard among scoped resources are all unscoped", () => {
    expect(found({ Effect: "Allow", Action: SEND, NotResource: "arn:aws:ec2:*:*:instance/i-admin", Condition: sendConditions })).toEqual([`policy statement[0] allows ${SEND} on NotResource`]);
    expect(found({ Effect: "Allow", Action: SEND, Condition: sendConditions })).toEqual([`policy statement[0] allows ${SEND} on []`]);
    expect(found({ Effect: "Allow", Action: SEND, Resource: ["arn:aws:ec2:*:*:instance/*", "*"], Condition: sendConditions })).toEqual([`policy statement[0] allows ${SEND} on ["*"]`]);
  });

  test("the grant is seen among other actions and through NotAction; a NotAction excluding it grants nothing", () => {
    expect(found({ Effect: "Allow", Action: ["ec2:DescribeInstances", SEND], Resource: "arn:aws:ec2:*:*:instance/*", Condition: { StringEquals: { "ec2:osuser": "admin" } } })).toEqual([
      `policy statement[0] allows ${SEND} without a aws:ResourceTag/<key> condition`,
    ]);
    expect(found({ Effect: "Allow", NotAction: "ec2:*", Resource: "arn:aws:ec2:*:*:instance-connect-endpoint/eice-0a", Condition: { StringEquals: { "ec2:osuser": "admin", "ec2:ResourceTag/Stack": "s" } } })).toEqual([
      `policy statement[0] allows ${SEND} on ["arn:aws:ec2:*:*:instance-connect-endpoint/eice-0a"]; policy statement[0] allows ${TUNNEL} without a ec2-instance-connect:remotePort condition`,
    ]);
    expect(found({ Effect: "Allow", NotAction: ["ec2-instance-connect:*"], Resource: "*" })).toEqual([]);
  });

  test("a resource naming one instance without a wildcard is a scope, even when built from a reference", () => {
    const named = ["${local.instance_arn_prefix}i-0123456789abcdef0", "arn:aws:ec2:us-east-1:111122223333:instance/i-0123456789abcdef0"];
    expect(found({ Effect: "Allow", Action: SEND, Resource: named, Condition: sendConditions })).toEqual([]);
  });

  test("a NotAction that excludes the grant among other actions grants nothing", () => {
    expect(found({ Effect: "Allow", NotAction: ["s3:*", "ec2-instance-connect:*"], Resource: "*" })).toEqual([]);
  });

  test("each missing condition is named", () => {
    expect(found({ Effect: "Allow", Action: SEND, Resource: "arn:aws:ec2:*:*:instance/*" })).toEqual([
      `policy statement[0] allows ${SEND} without a ec2:osuser condition; policy statement[0] allows ${SEND} without a aws:ResourceTag/<key> condition`,
    ]);
  });
});

describe("finding texts of the other IAM rules", () => {
  const doc = (p: string) => withSections({ resource: [["aws_iam_policy", "p", { policy: p }]] });

  test("IAM-NO-WILDCARD-ACTION lists every wildcard action of a statement", () => {
    expect(messages(IamNoWildcardAction, doc(policy({ Effect: "Allow", Action: ["*", "s3:GetObject", "ec2:*"], Resource: "*" })))).toEqual(["policy statement[0] allows *, ec2:*"]);
  });

  test("IAM-NO-WRITE-ON-WILDCARD-RESOURCE lists every scopable write of a statement, not its reads or unscopable writes", () => {
    expect(messages(IamNoWriteOnWildcardResource, doc(policy({ Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:StopInstances", "cloudwatch:PutMetricData", "ec2:StartInstances"], Resource: "*" }))))
      .toEqual(["policy statement[0] allows ec2:StopInstances, ec2:StartInstances on \"*\""]);
  });

  test("IAM-NO-ADMIN-MANAGED-POLICY names the attribute and the policy, for every attachment type", () => {
    const admin = "arn:aws:iam::aws:policy/AdministratorAccess";
    const all = withSections({
      resource: [
        ["aws_iam_role_policy_attachment", "a", { policy_arn: admin }],
        ["aws_iam_user_policy_attachment", "b", { policy_arn: admin }],
        ["aws_iam_group_policy_attachment", "c", { policy_arn: admin }],
        ["aws_iam_policy_attachment", "d", { policy_arn: admin }],
        ["aws_iam_role", "e", { managed_policy_arns: [admin, "arn:aws:iam::aws:policy/ReadOnlyAccess", "arn:aws:iam::aws:policy/IAMFullAccess"] }],
        ["aws_iam_role_policy_attachments_exclusive", "f", { policy_arns: [admin] }],
      ],
    });
    expect(messages(IamNoAdminManagedPolicy, all).sort()).toEqual([
      "managed_policy_arns attaches AWS-managed AdministratorAccess; managed_policy_arns attaches AWS-managed IAMFullAccess",
      "policy_arn attaches AWS-managed AdministratorAccess",
      "policy_arn attaches AWS-managed AdministratorAccess",
      "policy_arn attaches AWS-managed AdministratorAccess",
      "policy_arn attaches AWS-managed AdministratorAccess",
      "policy_arns attaches AWS-managed AdministratorAccess",
    ]);
  });

  test("only an AWS-managed ARN whose name ends in an admin name counts", () => {
    expect(adminPolicyName("arn:aws:iam::aws:policy/job-function/SystemAdministrator")).toBe("job-function/SystemAdministrator");
    expect(adminPolicyName("arn:aws:iam::111122223333:policy/AdministratorAccess")).toBeUndefined();
    expect(adminPolicyName("x-arn:aws:iam::aws:policy/AdministratorAccess")).toBeUndefined();
    expect(adminPolicyName("arn:aws:iam::aws:policy/AmazonEC2FullAccessViaConsoleOnly")).toBeUndefined();
  });
});
