/**
 * No AWS access key id (AKIA… long-term, ASIA… temporary) in any attribute,
 * user data included, and no literal access_key in a provider block: keys come
 * from the standard credential chain.
 *
 * Equivalents: checkov CKV_SECRET_2, CKV_AWS_41 (provider), CKV_AWS_46 (user data); trivy AVD-AWS-0029 / AVD-AWS-0129
 * and secret rule aws-access-key-id; cdk-nag none (CodeBuildProjectEnvVarAwsCred is the closest).
 */
import { isLiteralSecret, secretRule } from "../../inspect/secret-rule";
import { mask } from "../../values";

const ACCESS_KEY_ID = /(?<![A-Z0-9])(?:AKIA|ASIA)[A-Z0-9]{16}(?![A-Z0-9])/g;

export const SecretsAwsAccessKeyId = secretRule({
  id: "SECRETS-AWS-ACCESS-KEY-ID",
  title: "No AWS access key ids in any attribute or provider block",
  fix: "Remove the key (and rotate it: it is in the JSON and in git); use the AWS credential chain or an instance role.",
  detect(at, subject) {
    const hits = [...at.value.matchAll(ACCESS_KEY_ID)].map((m) => `an AWS access key id ${mask(m[0])}`);
    if (subject.kind === "provider" && subject.type === "aws" && at.key === "access_key" && isLiteralSecret(at.value) && hits.length === 0) {
      hits.push(`a literal access_key ${mask(at.value)}`);
    }
    return hits;
  },
});
