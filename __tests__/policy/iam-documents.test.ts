/**
 * How the IAM rules read policy documents (modules/policy/inspect/iam-policy.ts): every shape a
 * policy attribute takes, what makes it unreadable (and that the reason is reported), statement
 * labels, conditions, and the action classifiers the rules' verdicts rest on. Added for the
 * mutants that survived the rule fixtures (issue #16): each of these decides whether a grant is
 * seen at all.
 */
import { actionCovers, isReadOnlyAction, isScopableWriteAction, isWildcardAction } from "../../modules/policy/inspect/iam-policy";
import { IamInstanceConnectScoped } from "../../modules/policy/rules/iam/IamInstanceConnectScoped";
import { IamNoWildcardAction } from "../../modules/policy/rules/iam/IamNoWildcardAction";
import { IamNoWriteOnWildcardResource } from "../../modules/policy/rules/iam/IamNoWriteOnWildcardResource";
import { messages, withSections } from "./fixtures";

const policy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const ALL = { Effect: "Allow", Action: "*", Resource: "*" };
const one = (config: Record<string, unknown>, data: [string, string, Record<string, unknown>][] = []) =>
  withSections({ resource: [["aws_iam_policy", "p", config]], data });

describe("policy attributes in every shape", () => {
  test("a policy given as an object (not a JSON string) is read", () => {
    expect(messages(IamNoWildcardAction, one({ policy: { Statement: [ALL] } }))).toEqual(["policy statement[0] allows *"]);
  });

  test("a JSON policy with surrounding whitespace is read", () => {
    expect(messages(IamNoWildcardAction, one({ policy: `\n  ${policy(ALL)}  \n` }))).toEqual(["policy statement[0] allows *"]);
  });

  test("a role's inline policies are named by their index; a block without a policy is skipped", () => {
    const doc = withSections({ resource: [["aws_iam_role", "r", { inline_policy: [{ name: "empty" }, { name: "fine", policy: policy({ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }) }, { name: "bad", policy: policy(ALL) }] }]] });
    expect(messages(IamNoWildcardAction, doc)).toEqual(["inline_policy[2].policy statement[0] allows *"]);
  });

  test("a role without inline policies and a policy resource without a policy have nothing to report", () => {
    const doc = withSections({ resource: [["aws_iam_role", "r", { assume_role_policy: policy(ALL) }], ["aws_iam_role_policy", "none", { role: "r" }]] });
    expect(messages(IamNoWildcardAction, doc)).toEqual([]);
  });

  test("a policy that is neither a string nor an object is unreadable, and says what it is", () => {
    expect(messages(IamNoWildcardAction, one({ policy: 42 }))).toEqual(["policy cannot be checked: policy is number, not a JSON string"]);
  });

  test("a policy starting with { that is not JSON is unreadable", () => {
    expect(messages(IamNoWildcardAction, one({ policy: "{ Statement = [] }" }))).toEqual(["policy cannot be checked: policy is not valid JSON"]);
  });

  test("an unreadable policy is shown whole up to 80 characters, else cut to 77 and ...", () => {
    const exact = `\${jsonencode(${"x".repeat(80 - 15)})}`;
    const long = `\${jsonencode(${"x".repeat(81 - 15)})}`;
    expect(exact).toHaveLength(80);
    expect(long).toHaveLength(81);
    expect(messages(IamNoWildcardAction, one({ policy: exact }))).toEqual([
      `policy cannot be checked: policy ${JSON.stringify(exact)} is neither a JSON document nor a reference to a data.aws_iam_policy_document in this stack`,
    ]);
    expect(messages(IamNoWildcardAction, one({ policy: long }))).toEqual([
      `policy cannot be checked: policy ${JSON.stringify(`${long.slice(0, 77)}...`)} is neither a JSON document nor a reference to a data.aws_iam_policy_document in this stack`,
    ]);
  });

  test("a reference to anything but a data.aws_iam_policy_document is unreadable", () => {
    const doc = withSections({
      resource: [
        ["aws_iam_policy", "other", { policy: policy(ALL) }],
        ["aws_iam_policy", "to_resource", { policy: "${aws_iam_policy.other.policy}" }],
        ["aws_iam_policy", "to_other_data", { policy: "${data.aws_caller_identity.me.json}" }],
        ["aws_iam_policy", "to_resource_same_type", { policy: "${aws_iam_policy_document.d.json}" }],
      ],
      data: [["aws_caller_identity", "me", {}], ["aws_iam_policy_document", "d", { statement: [{ actions: ["s3:GetObject"], resources: ["*"] }] }]],
    });
    const found = messages(IamNoWildcardAction, doc);
    expect(found).toContain("policy statement[0] allows *");
    expect(found.filter((m) => /neither a JSON document nor a reference/.test(m))).toHaveLength(3);
  });

  test("policy documents that include each other in a cycle are reported, not followed forever", () => {
    const doc = one({ policy: "${data.aws_iam_policy_document.a.json}" }, [
      ["aws_iam_policy_document", "a", { source_policy_documents: ["${data.aws_iam_policy_document.b.json}"] }],
      ["aws_iam_policy_document", "b", { override_policy_documents: ["${data.aws_iam_policy_document.a.json}"] }],
    ]);
    expect(messages(IamNoWildcardAction, doc)).toEqual(["policy cannot be checked: policy documents reference each other in a cycle at data.aws_iam_policy_document.a"]);
  });

  test("override_policy_documents are read like source_policy_documents", () => {
    const doc = one({ policy: "${data.aws_iam_policy_document.top.json}" }, [
      ["aws_iam_policy_document", "top", { override_policy_documents: ["${data.aws_iam_policy_document.all.json}"] }],
      ["aws_iam_policy_document", "all", { statement: [{ sid: "Everything", actions: ["*"], resources: ["*"] }] }],
    ]);
    expect(messages(IamNoWildcardAction, doc)).toEqual(["policy statement \"Everything\" allows *"]);
  });
});

describe("statements", () => {
  test("labels: the Sid when there is one, else the index (an empty Sid counts as none)", () => {
    const doc = one({ policy: policy({ Sid: "", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Sid: "", ...ALL }, { Sid: "Admin", ...ALL }) });
    expect(messages(IamNoWildcardAction, doc)).toEqual(["policy statement[1] allows *; policy statement \"Admin\" allows *"]);
    const data = one({ policy: "${data.aws_iam_policy_document.d.json}" }, [["aws_iam_policy_document", "d", { statement: [{ sid: "", actions: ["s3:GetObject"], resources: ["*"] }, { sid: "", actions: ["*"], resources: ["*"] }] }]]);
    expect(messages(IamNoWildcardAction, data)).toEqual(["policy statement[1] allows *"]);
  });

  test("a Sid that is not a string is not used as a label", () => {
    expect(messages(IamNoWildcardAction, one({ policy: policy({ Sid: 7, ...ALL }) }))).toEqual(["policy statement[0] allows *"]);
    const data = one({ policy: "${data.aws_iam_policy_document.d.json}" }, [["aws_iam_policy_document", "d", { statement: [{ sid: 7, actions: ["*"], resources: ["*"] }] }]]);
    expect(messages(IamNoWildcardAction, data)).toEqual(["policy statement[0] allows *"]);
  });

  test("Deny statements of a policy document data source grant nothing", () => {
    const doc = one({ policy: "${data.aws_iam_policy_document.d.json}" }, [["aws_iam_policy_document", "d", { statement: [{ effect: "Deny", actions: ["*"], resources: ["*"] }, { effect: "Allow", actions: ["ec2:*"], resources: ["*"] }] }]]);
    expect(messages(IamNoWildcardAction, doc)).toEqual(["policy statement[1] allows ec2:*"]);
  });

  test("not_actions and not_resources of a policy document data source are seen", () => {
    const doc = one({ policy: "${data.aws_iam_policy_document.d.json}" }, [["aws_iam_policy_document", "d", { statement: [{ not_actions: ["iam:*"], resources: ["*"] }, { actions: ["s3:PutObject"], not_resources: ["arn:aws:s3:::private/*"] }] }]]);
    expect(messages(IamNoWildcardAction, doc)).toEqual(["policy statement[0] uses Allow with NotAction"]);
    expect(messages(IamNoWriteOnWildcardResource, doc)).toEqual(["policy statement[1] allows s3:PutObject on NotResource"]);
  });

  test("a wildcard action is reported even when a Condition narrows the statement", () => {
    const doc = one({ policy: policy({ ...ALL, Condition: { StringEquals: { "aws:ResourceTag/Project": "web" } } }) });
    expect(messages(IamNoWildcardAction, doc)).toEqual(["policy statement[0] allows *"]);
  });

  test("an empty Condition does not narrow a write on \"*\"; a data source condition does", () => {
    const write = { Effect: "Allow", Action: "ec2:StopInstances", Resource: "*" };
    expect(messages(IamNoWriteOnWildcardResource, one({ policy: policy({ ...write, Condition: {} }) }))).toEqual(["policy statement[0] allows ec2:StopInstances on \"*\""]);
    const data = one({ policy: "${data.aws_iam_policy_document.d.json}" }, [["aws_iam_policy_document", "d", { statement: [
      { actions: ["ec2:StopInstances"], resources: ["*"], condition: [{ test: "StringEquals", variable: "aws:ResourceTag/Project", values: ["web"] }] },
      { actions: ["ec2:StartInstances"], resources: ["*"], condition: [] },
    ] }]]);
    expect(messages(IamNoWriteOnWildcardResource, data)).toEqual(["policy statement[1] allows ec2:StartInstances on \"*\""]);
  });

  test("condition keys are compared case-insensitively, in JSON and in data sources", () => {
    const sendKey = { Effect: "Allow", Action: "ec2-instance-connect:SendSSHPublicKey", Resource: "arn:aws:ec2:us-east-1:111122223333:instance/*" };
    expect(messages(IamInstanceConnectScoped, one({ policy: policy({ ...sendKey, Condition: { StringEquals: { "EC2:OSUser": "admin", "AWS:ResourceTag/Stack": "s" }, Bool: "ignored" } }) }))).toEqual([]);
    const data = one({ policy: "${data.aws_iam_policy_document.d.json}" }, [["aws_iam_policy_document", "d", { statement: [{
      actions: ["ec2-instance-connect:SendSSHPublicKey"], resources: ["arn:aws:ec2:us-east-1:111122223333:instance/*"],
      condition: [{ test: "StringEquals", variable: "EC2:OSUser", values: ["admin"] }, { test: "StringEquals", variable: "EC2:ResourceTag/Stack", values: ["s"] }],
    }] }]]);
    expect(messages(IamInstanceConnectScoped, data)).toEqual([]);
  });
});

describe("action classifiers", () => {
  test("the write actions that accept only Resource \"*\" are exempt, in any letter case", () => {
    const unscopable = [
      "cloudwatch:PutMetricData", "xray:PutTraceSegments", "xray:PutTelemetryRecords",
      "ssmmessages:CreateControlChannel", "ssmmessages:CreateDataChannel", "ssmmessages:OpenControlChannel", "ssmmessages:OpenDataChannel",
      "ec2messages:AcknowledgeMessage", "ec2messages:DeleteMessage", "ec2messages:FailMessage", "ec2messages:GetEndpoint",
      "ec2messages:GetMessages", "ec2messages:SendReply", "kms:CreateKey", "acm:RequestCertificate", "sts:GetCallerIdentity",
    ];
    for (const action of unscopable) expect([action, isScopableWriteAction(action)]).toEqual([action, false]);
    for (const action of ["ec2:AssociateAddress", "s3:PutObject", "kms:Decrypt", "ec2messages:SendReplyX", ""]) expect([action, isScopableWriteAction(action)]).toEqual([action, true]);
  });

  test("read-only means a read verb at the start of the action name", () => {
    const reads = ["ec2:DescribeInstances", "s3:GetObject", "s3:ListBucket", "s3:HeadObject", "dynamodb:BatchGetItem", "cloudtrail:LookupEvents", "cloudsearch:SearchX",
      "dynamodb:Query", "dynamodb:Scan", "s3:SelectObjectContent", "cloudwatch:ViewX", "acm:CheckX", "sso:ValidateX", "ec2:Describe*"];
    for (const action of reads) expect([action, isReadOnlyAction(action)]).toEqual([action, true]);
    for (const action of ["ec2:*", "ec2:", "DescribeInstances", "s3:PutObjectGet", "s3:PutObject", "*"]) expect([action, isReadOnlyAction(action)]).toEqual([action, false]);
  });

  test("wildcard actions are * and whole services", () => {
    for (const action of ["*", "ec2:*", "EC2:*", "ec2-instance-connect:*"]) expect([action, isWildcardAction(action)]).toEqual([action, true]);
    for (const action of ["ec2:Describe*", "x ec2:*", "ec2:*x", "ec2:Get", ":*", "**"]) expect([action, isWildcardAction(action)]).toEqual([action, false]);
  });

  test("action patterns: * and ? wildcards, case-insensitive, anchored, other characters literal", () => {
    expect(actionCovers("ec2:Describe*", "ec2:DescribeInstances")).toBe(true);
    expect(actionCovers("EC2:describe*", "ec2:DescribeInstances")).toBe(true);
    expect(actionCovers("ec2:Describe?nstances", "ec2:DescribeInstances")).toBe(true);
    expect(actionCovers("ec2:Describe?", "ec2:DescribeInstances")).toBe(false);
    expect(actionCovers("ec2:Describe", "ec2:DescribeInstances")).toBe(false);
    expect(actionCovers("ec2:DescribeInstances", "xec2:DescribeInstances")).toBe(false);
    expect(actionCovers("a.b:X", "aab:X")).toBe(false);
    expect(actionCovers("a+:X", "aa:X")).toBe(false);
    expect(actionCovers("a(b):X", "a(b):X")).toBe(true);
    expect(actionCovers("a$|b:X", "a$|b:X")).toBe(true);
  });
});
