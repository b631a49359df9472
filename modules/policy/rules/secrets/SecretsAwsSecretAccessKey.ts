/**
 * No AWS secret access key: neither a literal `secret_key` / `aws_secret_access_key`
 * attribute nor an `aws_secret_access_key = …` / `AWS_SECRET_ACCESS_KEY=…` assignment
 * of a 40-character key inside any string (user data, scripts).
 *
 * Equivalents: checkov CKV_SECRET_2 family, CKV_AWS_41 (provider), CKV_AWS_46 (user data);
 * trivy AVD-AWS-0029 and secret rule aws-secret-access-key; cdk-nag none.
 */
import { isLiteralSecret, secretRule } from "../../inspect/secret-rule";
import { mask } from "../../values";

const SECRET_KEY_ATTRIBUTES = new Set(["secret_key", "aws_secret_access_key", "secret_access_key"]);
const ASSIGNMENT = /aws_?secret_?access_?key["'\\\s]*[:=][\s"'\\]*([A-Za-z0-9/+]{40})(?![A-Za-z0-9/+])/gi;

export const SecretsAwsSecretAccessKey = secretRule({
  id: "SECRETS-AWS-SECRET-KEY",
  title: "No AWS secret access keys in any attribute, script or provider block",
  fix: "Remove the key and rotate it; use the AWS credential chain or an instance role.",
  detect(at) {
    const hits = [...at.value.matchAll(ASSIGNMENT)].map((m) => `an AWS secret access key ${mask(m[1])}`);
    if (SECRET_KEY_ATTRIBUTES.has(at.key) && isLiteralSecret(at.value) && hits.length === 0) {
      hits.push(`a literal ${at.key} ${mask(at.value)}`);
    }
    return hits;
  },
});
