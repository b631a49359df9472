import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { PolicyStatement, policyDocument } from "../core/iam";
import { CustomerManagedKey } from "../encryption";

export interface OperatorSecretProps {
  readonly provider?: TerraformProvider;
  /** Name prefix, e.g. "webplat-dev-stage3". */
  readonly name: string;
  /** What the secret is, e.g. "grafana-admin" (the parameter is /<name>/<secret>). */
  readonly secret: string;
  /** Account whose principals may assume the operator role (their own IAM policies decide who). */
  readonly accountId: string;
}

/**
 * A secret a host generates and operators read: an SSM SecureString with its
 * own KMS key, which Terraform creates with a placeholder and never reads back
 * (the host writes the value at first boot, so it is in no JSON and no state),
 * the statements the writing host needs, and an operator role — assumable from
 * the account — that may read this parameter and nothing else.
 */
export class OperatorSecret extends Construct {
  readonly parameterName: string;
  /** The key's alias, `alias/<name>-<secret>`. */
  readonly keyAlias: string;
  readonly operatorRoleArn: string;
  /** Name of the operator role (other modules add their grants to it, e.g. EC2 Instance Connect). */
  readonly operatorRoleName: string;
  /** IAM statements of the host that writes the value. */
  readonly writerStatements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: OperatorSecretProps) {
    super(scope, id);
    const provider = props.provider;
    const alias = `${props.name}-${props.secret}`;
    const key = new CustomerManagedKey(this, "key", { provider, alias, description: `Encrypts ${props.secret} of ${props.name} in SSM` });
    this.parameterName = `/${props.name}/${props.secret}`;
    const parameter = new SsmParameter(this, "parameter", {
      provider,
      name: this.parameterName,
      type: "SecureString",
      keyId: key.keyArn,
      description: `${props.secret}: written by the host at first boot; read it with the operator role`,
      value: "not yet written by the host",
      // The host owns the value; Terraform must neither read it into a plan nor reset it.
      lifecycle: { ignoreChanges: ["value"] },
    });
    // Concrete (not a reference), so it can be written into user data.
    this.keyAlias = `alias/${alias}`;
    this.writerStatements = [
      { Sid: "WriteOperatorSecret", Effect: "Allow", Action: ["ssm:PutParameter"], Resource: parameter.arn },
      { Sid: "EncryptOperatorSecret", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: key.keyArn },
    ];
    const role = new IamRole(this, "operator", {
      provider,
      name: `${props.name}-operator`,
      description: `Reads ${this.parameterName}; assumable by principals of the account that are allowed to`,
      assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${props.accountId}:root` }, Action: "sts:AssumeRole" }] }),
      maxSessionDuration: 3600,
    });
    new IamRolePolicy(this, "operator-policy", {
      provider,
      role: role.id,
      name: `read-${props.secret}`,
      policy: policyDocument([
        { Sid: "ReadOperatorSecret", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: parameter.arn },
        { Sid: "DecryptOperatorSecret", Effect: "Allow", Action: ["kms:Decrypt"], Resource: key.keyArn },
      ]),
    });
    this.operatorRoleArn = role.arn;
    this.operatorRoleName = role.name;
  }
}
