/**
 * Databases export at least their error log to CloudWatch Logs, so failures and
 * authentication errors survive the instance.
 *
 * Equivalents: checkov CKV_AWS_129; trivy none; cdk-nag RDSLoggingEnabled (NIST 800-53 packs), AwsSolutions-RDS16 (Aurora MySQL).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, NOT_APPLICABLE, nonCompliant } from "../../types";
import { strings } from "../../values";
import { engineOf } from "./rds-facts";

/** The log every engine must export; unknown engines need at least one export. */
function requiredLog(engine: string): string | undefined {
  if (/^(mysql|mariadb|aurora-mysql|aurora$)/.test(engine)) return "error";
  if (/postgres/.test(engine)) return "postgresql";
  if (/^oracle/.test(engine)) return "alert";
  if (/^sqlserver/.test(engine)) return "error";
  if (/^db2/.test(engine)) return "diag.log";
  return undefined;
}

/**
 * RDS Custom (custom-oracle-ee, custom-sqlserver-ee, …): AWS offers no
 * CloudWatch Logs export for it ("This setting doesn't apply to RDS Custom", API
 * reference), so the rule asks for none, and flags a setting that promises logs
 * a reviewer would never find.
 */
const RDS_CUSTOM = /^custom-/;

export const RdsLogExports: PolicyRule = {
  id: "RDS-LOG-EXPORTS",
  severity: "error",
  title: "RDS instances export their logs to CloudWatch Logs",
  fix: "Set enabled_cloudwatch_logs_exports, e.g. [\"error\", \"slowquery\"] for MySQL or [\"postgresql\"] for PostgreSQL (none for RDS Custom).",
  appliesTo: ["aws_db_instance"],
  evaluate(subject) {
    const exports = strings(subject.config.enabled_cloudwatch_logs_exports);
    const engine = engineOf(subject);
    if (RDS_CUSTOM.test(engine)) {
      return exports.length === 0
        ? NOT_APPLICABLE
        : nonCompliant(`enabled_cloudwatch_logs_exports ${JSON.stringify(exports)} is set on RDS Custom (${engine}), for which AWS exports no logs to CloudWatch Logs: the setting does not apply there`);
    }
    const required = requiredLog(engine);
    if (required && !exports.includes(required)) {
      return nonCompliant(`enabled_cloudwatch_logs_exports ${JSON.stringify(exports)} lacks "${required}"`);
    }
    return exports.length > 0 ? COMPLIANT : nonCompliant("enabled_cloudwatch_logs_exports is empty");
  },
};
