import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { SnsTopic } from "@cdktf/provider-aws/lib/sns-topic";
import { SnsTopicSubscription } from "@cdktf/provider-aws/lib/sns-topic-subscription";
import type { PolicyStatement } from "../core/iam";
import { check } from "../core/validation";
import { CustomerManagedKey } from "../encryption";

const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/;

export interface AlertTopicProps {
  /** AWS provider of the topic's region. @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** Topic name and key alias, e.g. "webplat-dev-stage3-alerts". */
  readonly name: string;
  /** Addresses subscribed by e-mail (each confirms from the e-mail AWS sends). @default [] */
  readonly emails?: readonly string[];
  /**
   * AWS services that publish to the topic themselves, e.g. CloudWatch alarms
   * (`cloudwatch.amazonaws.com`): its key then lets them encrypt, for this
   * account only. @default none (publishers are IAM principals of the account)
   */
  readonly servicePublishers?: { readonly accountId: string; readonly services: readonly string[] };
}

/**
 * The SNS topic alerts are published to: encrypted with its own KMS key, with
 * e-mail subscriptions. `publishStatements` is everything a publisher needs —
 * sns:Publish on this topic, and the data key for its encryption — and nothing else.
 */
export class AlertTopic extends Construct {
  readonly topicArn: string;
  readonly keyArn: string;
  /** IAM statements that allow publishing to this topic only. */
  readonly publishStatements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: AlertTopicProps) {
    super(scope, id);
    const emails = props.emails ?? [];
    emails.forEach((email, i) => check(EMAIL.test(email), `${id}.emails[${i}]`, email, "an e-mail address such as ops@example.com"));
    check(new Set(emails).size === emails.length, `${id}.emails`, emails, "distinct addresses");
    const publishers = props.servicePublishers;
    const key = new CustomerManagedKey(this, "key", {
      provider: props.provider,
      alias: props.name,
      description: `Encrypts the alert topic ${props.name}`,
      serviceUsers: publishers && { accountId: publishers.accountId, principals: publishers.services },
    });
    const topic = new SnsTopic(this, "topic", { provider: props.provider, name: props.name, kmsMasterKeyId: key.keyArn, tags: { Name: props.name } });
    for (const email of emails) {
      // Named after the address, so adding or removing one never replaces the others.
      new SnsTopicSubscription(this, `email-${email.replace(/[^A-Za-z0-9]/g, "-")}`, { provider: props.provider, topicArn: topic.arn, protocol: "email", endpoint: email });
    }
    this.topicArn = topic.arn;
    this.keyArn = key.keyArn;
    this.publishStatements = [
      { Sid: "PublishAlerts", Effect: "Allow", Action: ["sns:Publish"], Resource: topic.arn },
      // SNS encrypts each message with a data key of the topic's key, on the publisher's behalf.
      { Sid: "EncryptAlerts", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: key.keyArn },
    ];
  }
}
