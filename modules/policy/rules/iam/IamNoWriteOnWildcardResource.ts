/**
 * Write actions are scoped to resources (ARNs) wherever the service supports
 * resource-level permissions. Read-only actions (Describe/Get/List…) and the few
 * write actions that accept only `*` (e.g. cloudwatch:PutMetricData) are exempt;
 * so are statements narrowed by a Condition (e.g. a resource tag).
 *
 * Equivalents: checkov CKV_AWS_355, CKV_AWS_111; trivy AVD-AWS-0057; cdk-nag AwsSolutions-IAM5 (IAMNoWildcardPermissions).
 */
import { IAM_POLICY_TYPES, allowStatementProblems, isScopableWriteAction } from "../../inspect/iam-policy";
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";

export const IamNoWriteOnWildcardResource: PolicyRule = {
  id: "IAM-NO-WRITE-ON-WILDCARD-RESOURCE",
  severity: "error",
  title: "IAM policies grant no scopable write action on Resource \"*\" (or NotResource) without a Condition",
  fix: "Name the resource ARNs (e.g. the Elastic IP allocation and the pair's instances) or add a Condition such as aws:ResourceTag/Project.",
  appliesTo: IAM_POLICY_TYPES,
  evaluate(subject, doc) {
    return fromProblems(allowStatementProblems(subject, doc, { withCondition: false }, (s) => {
      const broad = s.resources.includes("*") || s.notResources.length > 0;
      const writes = broad ? s.actions.filter(isScopableWriteAction) : [];
      return writes.length > 0 ? [`${s.label} allows ${writes.join(", ")} on ${s.notResources.length ? "NotResource" : "\"*\""}`] : [];
    }));
  },
};
