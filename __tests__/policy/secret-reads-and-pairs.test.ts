/**
 * Rules for the classes of bug mutation testing found (issue #16): secret reads scoped to what a
 * construct declares, secret-holding SSM parameters encrypted with a customer key, both nodes of a
 * load-balancer pair scraped, on fixtures. The same rules on the real stage 3 stack:
 * stage3-stack-rules.test.ts.
 */
import { renderCloudConfig } from "../../modules/core/cloud-config";
import { escapeTerraformTemplate } from "../../modules/core/terraform-text";
import { grantsSecretRead, IamSecretReadScoped, namesOneResource } from "../../modules/policy/rules/iam/IamSecretReadScoped";
import { MonPairExportersScraped } from "../../modules/policy/rules/monitoring/MonPairExportersScraped";
import { looksSecret, SsmSecretParameterEncrypted } from "../../modules/policy/rules/ssm/SsmSecretParameterEncrypted";
import { filesOfUserData } from "../../modules/policy/inspect/cloud-config-files";
import { describeRules, failing, messages, withSections } from "./fixtures";

const policy = (...statements: Record<string, unknown>[]) => JSON.stringify({ Version: "2012-10-17", Statement: statements });
const SECRET = "${aws_db_instance.db.master_user_secret[0].secret_arn}";

const prometheus = (...targets: string[]) => `scrape_configs:
  - job_name: haproxy
    static_configs:
${targets.map((t) => `      - targets: ["${t}"]`).join("\n")}
`;
const monitoringHost = (config: string, encoding?: "gz+b64") =>
  escapeTerraformTemplate(renderCloudConfig({ writeFiles: [{ path: "/etc/prometheus/prometheus.yml", content: config, ...(encoding ? { compress: true } : {}) }] }));
const lb = (ip: string, pair = "web-stage3") => ({ private_ip: ip, tags: { Name: `lb ${ip}`, LoadBalancerPair: pair } });

describeRules([
  {
    rule: IamSecretReadScoped,
    compliant: withSections({
      resource: [
        ["aws_iam_role_policy", "app", { policy: policy({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET] }, { Effect: "Allow", Action: "kms:Decrypt", Resource: "${aws_kms_key.db.arn}" }) }],
        ["aws_iam_role_policy", "lb", { policy: policy({ Effect: "Allow", Action: ["ssm:GetParameter", "ssm:PutParameter"], Resource: ["${aws_ssm_parameter.certificate.arn}", "arn:aws:ssm:*:*:parameter/web-stage3/haproxy/backends"] }) }],
        ["aws_iam_role_policy", "describe", { policy: policy({ Effect: "Allow", Action: ["ec2:DescribeInstances", "ssm:DescribeParameters"], Resource: "*" }) }],
        ["aws_iam_policy", "tagged", { policy: policy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/Project": "web" } } }) }],
        ["aws_iam_policy", "denied", { policy: policy({ Effect: "Deny", Action: "ssm:GetParameter*", Resource: "*" }) }],
      ],
    }),
    nonCompliant: withSections({
      resource: [
        ["aws_iam_role_policy", "any_secret", { policy: policy({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: "*" }) }],
        ["aws_iam_role_policy", "prefix", { policy: policy({ Effect: "Allow", Action: "ssm:GetParametersByPath", Resource: "arn:aws:ssm:us-east-1:111122223333:parameter/web-stage3/*" }) }],
        ["aws_iam_role_policy", "get_star", { policy: policy({ Effect: "Allow", Action: "secretsmanager:Get*", Resource: "arn:aws:secretsmanager:us-east-1:111122223333:secret:db-??????" }) }],
        ["aws_iam_policy", "not_resource", { policy: policy({ Effect: "Allow", Action: "ssm:GetParameter", NotResource: "arn:aws:ssm:us-east-1:111122223333:parameter/admin" }) }],
        ["aws_iam_policy", "from_data", { policy: "${data.aws_iam_policy_document.reads.json}" }],
        ["aws_iam_role", "inline", { inline_policy: [{ name: "i", policy: policy({ Effect: "Allow", Action: "ssm:GetParameters", Resource: ["${aws_ssm_parameter.a.arn}", "arn:aws:ssm:*:*:parameter/*"] }) }] }],
        ["aws_iam_role_policy", "ok", { policy: policy({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET] }) }],
        ["aws_iam_policy", "tls_only", { policy: policy({ Effect: "Allow", Action: "secretsmanager:GetSecretValue", Resource: "*", Condition: { Bool: { "aws:SecureTransport": "true" } } }) }],
      ],
      data: [["aws_iam_policy_document", "reads", { statement: [{ actions: ["ssm:GetParameter"], resources: ["*"] }] }]],
    }),
    failing: ["aws_iam_policy.from_data", "aws_iam_policy.not_resource", "aws_iam_policy.tls_only", "aws_iam_role.inline", "aws_iam_role_policy.any_secret", "aws_iam_role_policy.get_star", "aws_iam_role_policy.prefix"],
    texts: [
      "aws_iam_policy.from_data: policy statement[0] allows ssm:GetParameter on \"*\"",
      "aws_iam_policy.not_resource: policy statement[0] allows ssm:GetParameter on NotResource",
      "aws_iam_policy.tls_only: policy statement[0] allows secretsmanager:GetSecretValue on \"*\"",
      "aws_iam_role.inline: inline_policy[0].policy statement[0] allows ssm:GetParameters on \"arn:aws:ssm:*:*:parameter/*\"",
      "aws_iam_role_policy.any_secret: policy statement[0] allows secretsmanager:GetSecretValue on \"*\"",
      "aws_iam_role_policy.get_star: policy statement[0] allows secretsmanager:Get* on \"arn:aws:secretsmanager:us-east-1:111122223333:secret:db-??????\"",
      "aws_iam_role_policy.prefix: policy statement[0] allows ssm:GetParametersByPath on \"arn:aws:ssm:us-east-1:111122223333:parameter/web-stage3/*\"",
    ],
  },
  {
    rule: SsmSecretParameterEncrypted,
    compliant: withSections({
      resource: [
        ["aws_ssm_parameter", "certificate", { name: "/web-stage3/haproxy/certificate", type: "SecureString", key_id: "${aws_kms_key.certificate.arn}", value: "pending" }],
        ["aws_ssm_parameter", "grafana", { name: "/web-stage3/grafana-admin", type: "SecureString", key_id: "alias/web-stage3-grafana-admin", value: "x" }],
        ["aws_ssm_parameter", "backends", { name: "/web-stage3/haproxy/backends", type: "String", value: "10.0.0.1:80", description: "Web servers the load balancers balance over" }],
        ["aws_ssm_parameter", "keepalived", { name: "/web-stage3/keepalived/router-id", type: "String", value: "51" }],
      ],
    }),
    nonCompliant: withSections({
      resource: [
        ["aws_ssm_parameter", "plain_cert", { name: "/web-stage3/haproxy/certificate", type: "String", value: "pending" }],
        ["aws_ssm_parameter", "aws_key", { name: "/web-stage3/tls/private-key", type: "SecureString", key_id: "alias/aws/ssm", value: "x" }],
        ["aws_ssm_parameter", "no_key", { name: "/web-stage3/db", type: "SecureString", value: "x" }],
        ["aws_ssm_parameter", "described", { name: "/web-stage3/x", type: "String", value: "x", description: "API token of the chat webhook" }],
        ["aws_ssm_parameter", "aws_key_arn", { name: "/web-stage3/password", type: "SecureString", key_id: "arn:aws:kms:us-east-1:111122223333:alias/aws/ssm", value: "x" }],
        ["aws_ssm_parameter", "fine", { name: "/web-stage3/haproxy/backends", type: "String", value: "10.0.0.1:80" }],
      ],
    }),
    failing: ["aws_ssm_parameter.aws_key", "aws_ssm_parameter.aws_key_arn", "aws_ssm_parameter.described", "aws_ssm_parameter.no_key", "aws_ssm_parameter.plain_cert"],
    texts: [
      "aws_ssm_parameter.aws_key: key_id \"alias/aws/ssm\" is an AWS-managed key; use a customer-managed key",
      "aws_ssm_parameter.aws_key_arn: key_id \"arn:aws:kms:us-east-1:111122223333:alias/aws/ssm\" is an AWS-managed key; use a customer-managed key",
      "aws_ssm_parameter.described: type is \"String\" for a parameter that holds a secret (\"/web-stage3/x\"); it must be \"SecureString\"; key_id is unset, so the AWS-managed key alias/aws/ssm encrypts it",
      "aws_ssm_parameter.no_key: key_id is unset, so the AWS-managed key alias/aws/ssm encrypts it",
      "aws_ssm_parameter.plain_cert: type is \"String\" for a parameter that holds a secret (\"/web-stage3/haproxy/certificate\"); it must be \"SecureString\"; key_id is unset, so the AWS-managed key alias/aws/ssm encrypts it",
    ],
  },
  {
    rule: MonPairExportersScraped,
    compliant: withSections({
      resource: [
        ["aws_instance", "lb_a", lb("10.13.0.10")],
        ["aws_instance", "lb_b", lb("10.13.16.10")],
        ["aws_instance", "monitoring", { private_ip: "10.13.64.20", user_data: monitoringHost(prometheus("10.13.0.10:8405", "10.13.16.10:8405"), "gz+b64") }],
        ["aws_instance", "web", { private_ip: "10.13.32.20", tags: { Name: "web" } }],
      ],
    }),
    nonCompliant: withSections({
      resource: [
        ["aws_instance", "lb_a", lb("10.13.0.10")],
        ["aws_instance", "lb_b", lb("10.13.16.10")],
        ["aws_instance", "lb_c", { tags: { LoadBalancerPair: "other" }, private_ip: "${aws_network_interface.c.private_ip}" }],
        ["aws_instance", "monitoring", { private_ip: "10.13.64.20", user_data: monitoringHost(prometheus("10.13.0.10:8405", "10.13.16.10:9100")) }],
      ],
    }),
    failing: ["aws_instance.lb_b", "aws_instance.lb_c"],
    texts: [
      "aws_instance.lb_b: node 10.13.16.10 of pair \"web-stage3\" is not scraped: no Prometheus configuration of the stack targets 10.13.16.10:8405",
      "aws_instance.lb_c: node of pair \"other\" has no fixed private_ip (\"${aws_network_interface.c.private_ip}\"), so no scrape target can name it",
    ],
  },
]);

describe("rule details", () => {
  it.each([
    ["secretsmanager:GetSecretValue", true],
    ["secretsmanager:get*", true],
    ["ssm:GetParameter?", true],
    ["ssm:*", true],
    ["*", true],
    ["secretsmanager:DescribeSecret", false],
    ["ssm:PutParameter", false],
    ["ssm:DescribeParameters", false],
  ])("%s grants a secret read: %s", (action, expected) => {
    expect(grantsSecretRead(action)).toBe(expected);
  });
  it.each([
    [SECRET, true],
    ["arn:aws:ssm:*:*:parameter/web/haproxy/backends", true],
    ["arn:aws:ssm:us-east-1:111122223333:parameter/web/${var.name}", true],
    ["*", false],
    ["arn:aws:ssm:us-east-1:111122223333:parameter/web/*", false],
    ["arn:*:secretsmanager:us-east-1:111122223333:secret:db", false],
    ["arn:aws:secretsmanager:us-east-1:111122223333", false],
    ["web-secret", false],
  ])("%s names one resource: %s", (resource, expected) => {
    expect(namesOneResource(resource)).toBe(expected);
  });
  it.each([
    ["/a/haproxy/certificate", "", true],
    ["/a/tls-cert", "", true],
    ["/a/site.pem", "", true],
    ["/a/x", "The admin password", true],
    ["/a/api-key", "", true],
    ["/a/haproxy/backends", "Web servers the load balancers balance over", false],
    ["/a/keepalived", "", false],
    ["/a/monkey", "", false],
  ])("%s (%s) looks secret: %s", (name, description, expected) => {
    expect(looksSecret(name, description)).toBe(expected);
  });
  it("messages name the statement, the actions and the broad resources", () => {
    const doc = withSections({ resource: [["aws_iam_role_policy", "p", { policy: policy({ Sid: "ReadAll", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: ["*", "${aws_ssm_parameter.a.arn}"] }) }]] });
    expect(messages(IamSecretReadScoped, doc)).toEqual(['policy statement "ReadAll" allows ssm:GetParameter on "*"']);
    const pair = withSections({ resource: [["aws_instance", "b", lb("10.0.16.10")], ["aws_instance", "m", { user_data: monitoringHost(prometheus("10.0.0.10:8405")) }]] });
    expect(messages(MonPairExportersScraped, pair)).toEqual(['node 10.0.16.10 of pair "web-stage3" is not scraped: no Prometheus configuration of the stack targets 10.0.16.10:8405']);
  });
  it("a pair without any Prometheus in the stack is not this rule's business", () => {
    expect(failing(MonPairExportersScraped, withSections({ resource: [["aws_instance", "a", lb("10.0.0.10")]] }))).toEqual([]);
  });
  it("reads compressed and plain cloud-config files, and nothing from other user data", () => {
    expect(filesOfUserData(monitoringHost("x: 1\n", "gz+b64"))).toEqual([{ path: "/etc/prometheus/prometheus.yml", content: "x: 1\n" }]);
    expect(filesOfUserData("#!/bin/bash\necho hi\n")).toEqual([]);
    expect(filesOfUserData("#cloud-config\nnot json")).toEqual([]);
    expect(filesOfUserData(undefined)).toEqual([]);
  });
});

describe("IAM-SECRET-READ-SCOPED: every read action, literal pattern characters, finding texts", () => {
  test("each secret-reading action is recognised, by name or by pattern", () => {
    for (const action of ["secretsmanager:GetSecretValue", "ssm:GetParameter", "ssm:GetParameters", "ssm:GetParametersByPath", "ssm:GetParameterHistory", "ssm:GetParamete?", "SSM:getparameterhistory"]) {
      expect([action, grantsSecretRead(action)]).toEqual([action, true]);
    }
    for (const action of ["ssm:Get.Parameter", "ssm.GetParameter", "ssm:PutParameter", "ssm:GetParameterX"]) expect([action, grantsSecretRead(action)]).toEqual([action, false]);
  });

  test("a Condition scopes a read only when it picks the secret or parameter: its tags or its id, not the caller or the connection", () => {
    const read = (Condition: Record<string, unknown>) =>
      withSections({ resource: [["aws_iam_policy", "p", { policy: policy({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "ssm:GetParameter"], Resource: "*", Condition }) }]] });
    const all = 'policy statement[0] allows secretsmanager:GetSecretValue, ssm:GetParameter on "*"';
    for (const key of ["aws:ResourceTag/Project", "secretsmanager:ResourceTag/Stack", "ssm:resourceTag/Stack", "secretsmanager:SecretId", "AWS:RESOURCETAG/Project"]) {
      expect([key, messages(IamSecretReadScoped, read({ StringEquals: { [key]: "web" } }))]).toEqual([key, []]);
    }
    for (const key of ["aws:SecureTransport", "aws:SourceVpc", "aws:ResourceTag", "aws:ResourceTag/", "secretsmanager:SecretIdX", "xaws:ResourceTag/Project", "aws:RequestTag/Project", "secretsmanager:VersionStage"]) {
      expect([key, messages(IamSecretReadScoped, read({ StringEquals: { [key]: "web" } }))]).toEqual([key, [all]]);
    }
    // One scoping key among others is enough; the data source's condition blocks are read the same way.
    expect(messages(IamSecretReadScoped, read({ Bool: { "aws:SecureTransport": "true" }, StringEquals: { "aws:ResourceTag/Project": "web" } }))).toEqual([]);
    const fromData = (variable: string) =>
      withSections({
        resource: [["aws_iam_policy", "p", { policy: "${data.aws_iam_policy_document.d.json}" }]],
        data: [["aws_iam_policy_document", "d", { statement: [{ actions: ["ssm:GetParameter"], resources: ["*"], condition: [{ test: "StringEquals", variable, values: ["web"] }] }] }]],
      });
    expect(messages(IamSecretReadScoped, fromData("ssm:resourceTag/Stack"))).toEqual([]);
    expect(messages(IamSecretReadScoped, fromData("aws:SourceVpc"))).toEqual(['policy statement[0] allows ssm:GetParameter on "*"']);
  });

  test("findings list the read actions and the broad resources, or NotResource", () => {
    const doc = withSections({
      resource: [
        ["aws_iam_policy", "broad", { policy: policy({ Effect: "Allow", Action: ["ssm:GetParameter", "ssm:GetParameters"], Resource: ["*", "arn:aws:ssm:*:*:parameter/*", "${aws_ssm_parameter.a.arn}"] }) }],
        ["aws_iam_policy", "not_resource", { policy: policy({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue", "ssm:GetParameter"], NotResource: "x" }) }],
      ],
    });
    expect(messages(IamSecretReadScoped, doc)).toEqual([
      "policy statement[0] allows ssm:GetParameter, ssm:GetParameters on \"*\", \"arn:aws:ssm:*:*:parameter/*\"",
      "policy statement[0] allows secretsmanager:GetSecretValue, ssm:GetParameter on NotResource",
    ]);
  });
});
