/**
 * MySQL, MariaDB and PostgreSQL databases accept IAM authentication, so
 * applications can use short-lived tokens instead of long-lived passwords.
 *
 * Equivalents: checkov CKV_AWS_161; trivy AVD-AWS-0176; cdk-nag AwsSolutions-RDS6 (Aurora clusters).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE } from "../../types";
import { isTrue, show } from "../../values";
import { engineOf } from "./rds-facts";

const IAM_AUTH_ENGINES = /^(mysql|mariadb|postgres|aurora)/;

export const RdsIamAuthentication: PolicyRule = {
  id: "RDS-IAM-AUTH",
  severity: "error",
  title: "MySQL/MariaDB/PostgreSQL RDS instances enable IAM database authentication",
  fix: "Set iam_database_authentication_enabled = true.",
  appliesTo: ["aws_db_instance"],
  evaluate(subject) {
    const engine = engineOf(subject);
    if (engine !== "" && !IAM_AUTH_ENGINES.test(engine)) return NOT_APPLICABLE;
    const v = subject.config.iam_database_authentication_enabled;
    return isTrue(v) ? COMPLIANT : nonCompliant(`iam_database_authentication_enabled is ${show(v)}`);
  },
};
