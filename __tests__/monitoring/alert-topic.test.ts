/**
 * AlertTopic in a stack of its own (modules/monitoring/README.md): an SNS topic encrypted with its own
 * KMS key, e-mail subscriptions named after their address, and publish statements scoped to this
 * topic and key only.
 */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AlertTopic, AlertTopicProps } from "../../modules/monitoring";
import { InvalidInputError } from "../../modules/core/validation";

type Json = Record<string, any>;

function build(props: Partial<AlertTopicProps> = {}): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "alerts-test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const topic = new AlertTopic(stack, "alerts", { name: "shop-dev-stage3-alerts", ...props });
  // Outputs resolve the statements' tokens into the synthesized references.
  new TerraformOutput(stack, "publish", { value: topic.publishStatements });
  new TerraformOutput(stack, "topic", { value: topic.topicArn });
  new TerraformOutput(stack, "key", { value: topic.keyArn });
  return JSON.parse(Testing.synth(stack));
}
const all = (json: Json, type: string): [string, Json][] => Object.entries(json.resource[type] ?? {});

describe("AlertTopic", () => {
  it("\"an SNS topic encrypted with its own KMS key\" (alias = topic name, yearly rotation), tagged with its name", () => {
    const json = build();
    const [[topicId, topic]] = all(json, "aws_sns_topic");
    const [[keyId, key]] = all(json, "aws_kms_key");
    expect(topic.name).toBe("shop-dev-stage3-alerts");
    expect(topic.kms_master_key_id).toBe(`\${aws_kms_key.${keyId}.arn}`);
    expect(topic.tags).toEqual({ Name: "shop-dev-stage3-alerts" });
    expect(key.description).toBe("Encrypts the alert topic shop-dev-stage3-alerts");
    expect(key.enable_key_rotation).toBe(true);
    expect(all(json, "aws_kms_alias")[0][1].name).toBe("alias/shop-dev-stage3-alerts");
    expect(json.output.topic.value).toBe(`\${aws_sns_topic.${topicId}.arn}`);
    expect(json.output.key.value).toBe(`\${aws_kms_key.${keyId}.arn}`);
    // No service publishers: the default key policy (the account's IAM decides).
    expect(key.policy).toBeUndefined();
    expect(all(json, "aws_sns_topic_subscription")).toHaveLength(0);
  });

  it("\"publishStatements is everything a publisher needs … and nothing else\": sns:Publish on this topic, the data key of its key", () => {
    const json = build();
    const [[topicId]] = all(json, "aws_sns_topic");
    const [[keyId]] = all(json, "aws_kms_key");
    expect(json.output.publish.value).toEqual([
      { Sid: "PublishAlerts", Effect: "Allow", Action: ["sns:Publish"], Resource: `\${aws_sns_topic.${topicId}.arn}` },
      { Sid: "EncryptAlerts", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: `\${aws_kms_key.${keyId}.arn}` },
    ]);
  });

  it("one e-mail subscription per address, named after the address (adding one never replaces the others)", () => {
    const json = build({ emails: ["ops@example.com", "on.call+pager@example.org"] });
    const [[topicId]] = all(json, "aws_sns_topic");
    const subscriptions = all(json, "aws_sns_topic_subscription");
    const byEndpoint: Record<string, { id: string; protocol: string; topic: string }> = Object.fromEntries(subscriptions.map(([id, s]) => [s.endpoint, { id, protocol: s.protocol, topic: s.topic_arn }]));
    expect(Object.keys(byEndpoint).sort()).toEqual(["on.call+pager@example.org", "ops@example.com"]);
    for (const s of Object.values(byEndpoint)) expect([s.protocol, s.topic]).toEqual(["email", `\${aws_sns_topic.${topicId}.arn}`]);
    expect(byEndpoint["ops@example.com"].id).toContain("email-ops-example-com");
    expect(byEndpoint["on.call+pager@example.org"].id).toContain("email-on-call-pager-example-org");
    // Removing the first address leaves the second's resource id unchanged.
    expect(all(build({ emails: ["on.call+pager@example.org"] }), "aws_sns_topic_subscription").map(([id]) => id)).toEqual([byEndpoint["on.call+pager@example.org"].id]);
  });

  it("servicePublishers: the key lets those services encrypt for this account only", () => {
    const json = build({ servicePublishers: { accountId: "111122223333", services: ["cloudwatch.amazonaws.com"] } });
    const policy = JSON.parse(all(json, "aws_kms_key")[0][1].policy);
    expect(policy.Statement).toEqual([
      { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "kms:*", Resource: "*" },
      {
        Sid: "ServicesEncryptForThisAccount",
        Effect: "Allow",
        Principal: { Service: ["cloudwatch.amazonaws.com"] },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": "111122223333" } },
      },
    ]);
  });

  describe("\"Validation errors\" name field, value and what is allowed", () => {
    it.each([
      ["an address without @", ["ops.example.com"], 'alerts.emails[0]: "ops.example.com" is not allowed; expected an e-mail address such as ops@example.com'],
      ["an address without a domain suffix", ["ops@example"], 'alerts.emails[0]: "ops@example"'],
      ["text before an address", ["x y@example.com"], 'alerts.emails[0]: "x y@example.com"'],
      ["text after an address", ["ops@example.com x"], 'alerts.emails[0]: "ops@example.com x"'],
      ["two @", ["ops@x@example.com"], 'alerts.emails[0]: "ops@x@example.com"'],
      ["a one-letter top-level domain", ["ops@example.c"], 'alerts.emails[0]: "ops@example.c"'],
      ["the second address bad", ["ops@example.com", "nope"], 'alerts.emails[1]: "nope"'],
      ["a duplicate", ["ops@example.com", "ops@example.com"], 'alerts.emails: ["ops@example.com","ops@example.com"] is not allowed; expected distinct addresses'],
    ])("rejects %s", (_name, emails, message) => {
      expect(() => build({ emails })).toThrow(InvalidInputError);
      expect(() => build({ emails })).toThrow(message);
    });
  });
});
