/**
 * Reading a secret or an SSM parameter is scoped to named resources: a role may read only what its
 * construct declares (the database's managed secret, the pair's own parameters), never every secret
 * or parameter of the account (`*`) nor every one under a prefix (`…:secret:*`, `…:parameter/app/*`).
 * IAM-NO-WRITE-ON-WILDCARD-RESOURCE exempts read verbs by design; for these reads the data is the
 * secret, so they are held to the write standard. A wildcard in the region or account field of an ARN
 * that names one secret or parameter is accepted. A Condition counts as a scope only when one of its
 * keys picks the secret or parameter itself (its tags, or Secrets Manager's secret id); a Condition on
 * the caller or the connection (`aws:SecureTransport`, `aws:SourceVpc`) still lets the role read
 * every secret.
 *
 * Equivalents: checkov CKV_AWS_355 (any action on "*", coarser); trivy AVD-AWS-0057 (wildcards, coarser);
 * cdk-nag AwsSolutions-IAM5 (any wildcard resource, coarser); none scope secret reads specifically.
 */
import { IAM_POLICY_TYPES, allowStatementProblems } from "../../inspect/iam-policy";
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";

/** Actions that return a secret's or a parameter's value. */
const SECRET_READS = [
  "secretsmanager:GetSecretValue",
  "ssm:GetParameter",
  "ssm:GetParameters",
  "ssm:GetParametersByPath",
  "ssm:GetParameterHistory",
];

/**
 * Condition keys (lower-cased, as statements hold them) that narrow which secret or parameter is read:
 * a resource tag (global or service key) or the secret's id.
 */
const SCOPING_CONDITION_KEY = /^(?:(?:aws|secretsmanager|ssm):resourcetag\/.+|secretsmanager:secretid)$/;

/** True when a statement's Condition narrows the secrets or parameters it lets a role read. */
export function conditionNamesResource(conditionKeys: readonly string[]): boolean {
  return conditionKeys.some((key) => SCOPING_CONDITION_KEY.test(key));
}

/** True when an action pattern (IAM wildcards `*` and `?`, case-insensitive) grants one of SECRET_READS. */
export function grantsSecretRead(action: string): boolean {
  const pattern = new RegExp(`^${action.replace(/[.+^${}()|[\]\\]/g, "\\$&").replace(/\*/g, ".*").replace(/\?/g, ".")}$`, "i");
  return SECRET_READS.some((read) => pattern.test(read));
}

/**
 * A resource naming one secret or parameter: no `*`/`?` outside Terraform references and outside the
 * region and account fields of the ARN.
 */
export function namesOneResource(resource: string): boolean {
  const literal = resource.replace(/\$\{[^}]*\}/g, "REF");
  if (!literal.startsWith("arn:")) return literal === "REF";
  const parts = literal.split(":");
  if (parts.length < 6) return false;
  const name = parts.slice(5).join(":");
  return !/[*?]/.test(parts.slice(0, 3).join(":")) && !/[*?]/.test(name);
}

export const IamSecretReadScoped: PolicyRule = {
  id: "IAM-SECRET-READ-SCOPED",
  severity: "error",
  title: "Reads of secrets and SSM parameters (secretsmanager:GetSecretValue, ssm:GetParameter*) name each secret or parameter: no \"*\", no wildcard over a prefix, no NotResource",
  fix: "List the ARNs the host needs (e.g. the database's master_user_secret[0].secret_arn, the aws_ssm_parameter's arn), or add a Condition on the secret's tags (aws:ResourceTag/…) or id (secretsmanager:SecretId).",
  appliesTo: IAM_POLICY_TYPES,
  evaluate(subject, doc) {
    return fromProblems(allowStatementProblems(subject, doc, { withCondition: true }, (s) => {
      const reads = s.actions.filter(grantsSecretRead);
      if (reads.length === 0 || conditionNamesResource(s.conditionKeys)) return [];
      if (s.notResources.length > 0) return [`${s.label} allows ${reads.join(", ")} on NotResource`];
      const broad = s.resources.filter((r) => !namesOneResource(r));
      return broad.length > 0 ? [`${s.label} allows ${reads.join(", ")} on ${broad.map((r) => JSON.stringify(r)).join(", ")}`] : [];
    }));
  },
};
