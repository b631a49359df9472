import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { KmsKey } from "@cdktf/provider-aws/lib/kms-key";
import { KmsAlias } from "@cdktf/provider-aws/lib/kms-alias";
import { check } from "../core/validation";

export interface CustomerManagedKeyProps {
  /** AWS provider of the region the key lives in (keys are regional). @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Alias without the `alias/` prefix, e.g. "webplat-stage4-rds". Letters, digits, `/`, `_`, `-`. */
  readonly alias: string;
  /** What the key protects; shown in the console. */
  readonly description: string;
  /** Days a scheduled deletion waits (7–30), the window to cancel a mistaken destroy. @default 30 */
  readonly deletionWindowDays?: number;
  /**
   * AWS services that encrypt with the key on the account's behalf (e.g.
   * cloudwatch.amazonaws.com publishing alarms to an encrypted SNS topic):
   * they may generate data keys and decrypt, only for this account. Such a key
   * needs a policy of its own, which names the account.
   * @default none (the AWS default key policy)
   */
  readonly serviceUsers?: { readonly accountId: string; readonly principals: readonly string[] };
}

/**
 * A symmetric KMS customer managed key with yearly automatic rotation and an
 * alias. The key policy is the AWS default (the account administers and uses
 * the key through IAM), so no account id is needed at synth time.
 */
export class CustomerManagedKey extends Construct {
  readonly keyArn: string;
  readonly keyId: string;
  readonly aliasName: string;

  constructor(scope: Construct, id: string, props: CustomerManagedKeyProps) {
    super(scope, id);
    const window = props.deletionWindowDays ?? 30;
    check(Number.isInteger(window) && window >= 7 && window <= 30, `${id}.deletionWindowDays`, window, "an integer from 7 to 30");
    check(/^[a-zA-Z0-9/_-]{1,250}$/.test(props.alias) && !props.alias.startsWith("aws/"), `${id}.alias`, props.alias, "letters, digits, /, _ and - (without the alias/ prefix, not starting with aws/)");
    check(props.description.trim().length >= 10, `${id}.description`, props.description, "a description of at least 10 characters");
    const key = new KmsKey(this, "key", {
      provider: props.provider,
      description: props.description,
      enableKeyRotation: true,
      deletionWindowInDays: window,
      keyUsage: "ENCRYPT_DECRYPT",
      customerMasterKeySpec: "SYMMETRIC_DEFAULT",
      policy: props.serviceUsers && servicePolicy(props.serviceUsers.accountId, props.serviceUsers.principals),
      tags: { Name: props.alias },
    });
    const alias = new KmsAlias(this, "alias", { provider: props.provider, name: `alias/${props.alias}`, targetKeyId: key.keyId });
    this.keyArn = key.arn;
    this.keyId = key.keyId;
    this.aliasName = alias.name;
  }
}

/** The default key policy (the account administers the key through IAM) plus the services' use of it. */
function servicePolicy(accountId: string, principals: readonly string[]): string {
  return JSON.stringify({
    Version: "2012-10-17",
    Statement: [
      { Sid: "AccountAdministersThroughIam", Effect: "Allow", Principal: { AWS: `arn:aws:iam::${accountId}:root` }, Action: "kms:*", Resource: "*" },
      {
        Sid: "ServicesEncryptForThisAccount",
        Effect: "Allow",
        Principal: { Service: [...principals] },
        Action: ["kms:GenerateDataKey*", "kms:Decrypt"],
        Resource: "*",
        Condition: { StringEquals: { "aws:SourceAccount": accountId } },
      },
    ],
  });
}
