/**
 * OperatorSecret in a stack of its own (modules/monitoring/README.md, operator-secret.ts): a SecureString
 * with its own KMS key that Terraform creates with a placeholder and never reads back, the writing
 * host's statements, and an operator role that may read this parameter and nothing else.
 */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { OperatorSecret } from "../../modules/monitoring";

type Json = Record<string, any>;

function build(): { json: Json; secret: OperatorSecret } {
  const app = Testing.app();
  const stack = new TerraformStack(app, "secret-test");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const secret = new OperatorSecret(stack, "grafana-admin", { name: "shop-dev-stage3", secret: "grafana-admin", accountId: "111122223333" });
  new TerraformOutput(stack, "writer", { value: secret.writerStatements });
  new TerraformOutput(stack, "role_arn", { value: secret.operatorRoleArn });
  new TerraformOutput(stack, "role_name", { value: secret.operatorRoleName });
  return { json: JSON.parse(Testing.synth(stack)), secret };
}
const all = (json: Json, type: string): [string, Json][] => Object.entries(json.resource[type] ?? {});

describe("OperatorSecret", () => {
  it("an SSM SecureString /<name>/<secret> under its own key alias/<name>-<secret>, with a placeholder Terraform never reads back", () => {
    const { json, secret } = build();
    const [[, parameter]] = all(json, "aws_ssm_parameter");
    const [[keyId, key]] = all(json, "aws_kms_key");
    expect(parameter).toMatchObject({
      name: "/shop-dev-stage3/grafana-admin",
      type: "SecureString",
      key_id: `\${aws_kms_key.${keyId}.arn}`,
      value: "not yet written by the host",
      description: "grafana-admin: written by the host at first boot; read it with the operator role",
    });
    expect(parameter.lifecycle.ignore_changes).toEqual(["value"]);
    expect(key.description).toBe("Encrypts grafana-admin of shop-dev-stage3 in SSM");
    expect(all(json, "aws_kms_alias")[0][1].name).toBe("alias/shop-dev-stage3-grafana-admin");
    expect(secret.parameterName).toBe("/shop-dev-stage3/grafana-admin");
    // Concrete, so it can be written into user data.
    expect(secret.keyAlias).toBe("alias/shop-dev-stage3-grafana-admin");
  });

  it("the writing host may put this parameter and encrypt with this key, nothing else (no read)", () => {
    const { json } = build();
    const [[parameterId]] = all(json, "aws_ssm_parameter");
    const [[keyId]] = all(json, "aws_kms_key");
    expect(json.output.writer.value).toEqual([
      { Sid: "WriteOperatorSecret", Effect: "Allow", Action: ["ssm:PutParameter"], Resource: `\${aws_ssm_parameter.${parameterId}.arn}` },
      { Sid: "EncryptOperatorSecret", Effect: "Allow", Action: ["kms:Encrypt", "kms:GenerateDataKey"], Resource: `\${aws_kms_key.${keyId}.arn}` },
    ]);
  });

  it("the operator role <name>-operator, assumable from the account only, for an hour, may read this parameter and decrypt with its key only", () => {
    const { json } = build();
    const [[parameterId]] = all(json, "aws_ssm_parameter");
    const [[keyId]] = all(json, "aws_kms_key");
    const [[roleId, role]] = all(json, "aws_iam_role");
    expect(role.name).toBe("shop-dev-stage3-operator");
    expect(role.description).toBe("Reads /shop-dev-stage3/grafana-admin; assumable by principals of the account that are allowed to");
    expect(role.max_session_duration).toBe(3600);
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::111122223333:root" }, Action: "sts:AssumeRole" }],
    });
    const [[, policy]] = all(json, "aws_iam_role_policy");
    expect(policy.role).toBe(`\${aws_iam_role.${roleId}.id}`);
    expect(policy.name).toBe("read-grafana-admin");
    expect(JSON.parse(policy.policy).Statement).toEqual([
      { Sid: "ReadOperatorSecret", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: `\${aws_ssm_parameter.${parameterId}.arn}` },
      { Sid: "DecryptOperatorSecret", Effect: "Allow", Action: ["kms:Decrypt"], Resource: `\${aws_kms_key.${keyId}.arn}` },
    ]);
    expect(json.output.role_arn.value).toBe(`\${aws_iam_role.${roleId}.arn}`);
    expect(json.output.role_name.value).toBe(`\${aws_iam_role.${roleId}.name}`);
  });
});
