/**
 * Web ACLs include AWS's SQL database managed rule group (SQL injection in
 * query strings, bodies, cookies and URIs) in blocking mode: the warm-standby
 * design puts a SQL database behind every web tier.
 *
 * Equivalents: checkov none (CKV_AWS_192 covers Known Bad Inputs only); trivy none; cdk-nag none
 * (AWS Security Hub WAF guidance; the status-page design asks for it).
 */
import { requiresManagedRuleGroup } from "./managed-rule-group";

export const SQL_INJECTION = "AWSManagedRulesSQLiRuleSet";

export const WafSqlInjection = requiresManagedRuleGroup("WAF-SQL-INJECTION", SQL_INJECTION);
