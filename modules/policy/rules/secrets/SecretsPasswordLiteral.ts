/**
 * No literal passwords: neither a `password`-named attribute with a literal value
 * (e.g. aws_db_instance.password, use manage_master_user_password) nor a quoted
 * `password = "…"` / `password: "…"` / `IDENTIFIED BY '…'` in user data or any string.
 * Values that are references or shell expansions (`${…}`, `$VAR`, `$(…)`) are fine.
 * Write-only arguments (`password_wo`, `secret_string_wo`) count too: they keep
 * a value out of the state, but a literal one is still in the JSON.
 *
 * Equivalents: checkov CKV_AWS_46 (user data), CKV_SECRET_6 (high-entropy strings); trivy AVD-AWS-0029 and
 * generic secret rules; cdk-nag none (DocumentDBCredentialsInSecretsManager is the closest).
 */
import { isLiteralSecret, secretRule } from "../../inspect/secret-rule";
import { mask } from "../../values";

const PASSWORD_ATTRIBUTE = /(^|_)(password|passwd)(_wo)?$|^auth_token$|^secret_string_wo$/;
/**
 * A key ending in password/passwd/pwd (MYSQL_ROOT_PASSWORD, "admin_password"), then = or :, then a
 * quoted literal that does not start with $. Starts at the keyword (no leading character class),
 * so scanning large user data stays linear.
 */
const QUOTED_ASSIGNMENT = /(?:password|passwd|pwd)\\?["']?\s*[:=]\s*\\?["']([^"'\\$\s][^"'\\]*)\\?["']/gi;
const SQL_IDENTIFIED_BY = /IDENTIFIED\s+(?:WITH\s+\S+\s+)?BY\s+\\?['"]([^'"\\$][^'"\\]*)\\?['"]/gi;

export const SecretsPasswordLiteral = secretRule({
  id: "SECRETS-PASSWORD-LITERAL",
  title: "No literal passwords in attributes, user data or scripts",
  fix: "Generate the password at boot or keep it in Secrets Manager / SSM Parameter Store and read it at runtime (RDS: manage_master_user_password = true).",
  detect(at) {
    const hits = [...at.value.matchAll(QUOTED_ASSIGNMENT), ...at.value.matchAll(SQL_IDENTIFIED_BY)]
      .map((m) => `a literal password ${mask(m[1])}`);
    if (PASSWORD_ATTRIBUTE.test(at.key) && isLiteralSecret(at.value) && hits.length === 0) {
      hits.push(`a literal ${at.key} ${mask(at.value)}`);
    }
    return hits;
  },
});
