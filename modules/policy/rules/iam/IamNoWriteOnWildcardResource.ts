/**
 * Write actions are scoped to resources (ARNs) wherever the service supports
 * resource-level permissions. Read-only actions (Describe/Get/List…) and the few
 * write actions that accept only `*` (e.g. cloudwatch:PutMetricData) are exempt;
 * so are statements narrowed by a Condition (e.g. a resource tag).
 *
 * Equivalents: checkov CKV_AWS_355, CKV_AWS_111; trivy AVD-AWS-0057; cdk-nag AwsSolutions-IAM5 (IAMNoWildcardPermissions).
 */
import { IAM_POLICY_TYPES, isScopableWriteAction, policySources } from "../../inspect/iam-policy";
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";

export const IamNoWriteOnWildcardResource: PolicyRule = {
  id: "IAM-NO-WRITE-ON-WILDCARD-RESOURCE",
  severity: "error",
  title: "IAM policies grant no scopable write action on Resource \"*\" (or NotResource) without a Condition",
  fix: "Name the resource ARNs (e.g. the Elastic IP allocation and the pair's instances) or add a Condition such as aws:ResourceTag/Project.",
  appliesTo: IAM_POLICY_TYPES,
  evaluate(subject, doc) {
    const problems: string[] = [];
    for (const source of policySources(subject, doc)) {
      if (source.unreadable) {
        problems.push(`${source.where} cannot be checked: ${source.unreadable}`);
        continue;
      }
      for (const s of source.statements) {
        if (s.effect !== "Allow" || s.hasCondition) continue;
        const broad = s.resources.includes("*") || s.notResources.length > 0;
        if (!broad) continue;
        const writes = s.actions.filter(isScopableWriteAction);
        if (writes.length > 0) {
          problems.push(`${source.where} ${s.label} allows ${writes.join(", ")} on ${s.notResources.length ? "NotResource" : "\"*\""}`);
        }
      }
    }
    return fromProblems(problems);
  },
};
