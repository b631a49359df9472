/**
 * SSM parameters that hold a secret — a certificate or key, a password, a token — are SecureString
 * parameters encrypted with a customer-managed KMS key: a String parameter is readable by anyone with
 * ssm:GetParameter, and the AWS-managed key (alias/aws/ssm) cannot be limited to the one role that may
 * decrypt. A parameter counts as holding a secret when it is a SecureString already, or when its name
 * or description says certificate, key, PEM, password, secret, token or credential.
 *
 * Equivalents: checkov CKV2_AWS_34 (SecureString for secret-looking names) and CKV_AWS_337 (customer key);
 * trivy AVD-AWS-0098 (Secrets Manager with customer key, closest); cdk-nag none.
 */
import type { PolicyRule } from "../../types";
import { fromProblems, NOT_APPLICABLE } from "../../types";
import { asString, hasText, show } from "../../values";

/** Words in a parameter's name or description that say it holds a secret. */
const SECRET_WORDS = /(certificate|(^|[^a-z])certs?([^a-z]|$)|(^|[^a-z])pem([^a-z]|$)|private[-_ ]?key|(^|[^a-z])(api[-_ ]?)?keys?([^a-z]|$)|password|passwd|secret|token|credential)/i;

export function looksSecret(name: string, description: string): boolean {
  return SECRET_WORDS.test(name) || SECRET_WORDS.test(description);
}

export const SsmSecretParameterEncrypted: PolicyRule = {
  id: "SSM-SECRET-PARAMETER-ENCRYPTED",
  severity: "error",
  title: "SSM parameters holding a certificate, key, password or token are SecureString with a customer-managed KMS key",
  fix: "Set type = \"SecureString\" and key_id to a customer-managed aws_kms_key (its arn or alias), and grant kms:Decrypt on that key only to the readers.",
  appliesTo: ["aws_ssm_parameter"],
  evaluate(subject) {
    const type = asString(subject.config.type) ?? "";
    const name = asString(subject.config.name) ?? "";
    const description = asString(subject.config.description) ?? "";
    if (type !== "SecureString" && !looksSecret(name, description)) return NOT_APPLICABLE;
    const problems: string[] = [];
    if (type !== "SecureString") problems.push(`type is ${show(subject.config.type)} for a parameter that holds a secret (${show(name)}); it must be "SecureString"`);
    const key = subject.config.key_id;
    if (!hasText(key)) problems.push("key_id is unset, so the AWS-managed key alias/aws/ssm encrypts it");
    else if (/(^|[:/])alias\/aws\//.test(String(key))) problems.push(`key_id ${show(key)} is an AWS-managed key; use a customer-managed key`);
    return fromProblems(problems);
  },
};
