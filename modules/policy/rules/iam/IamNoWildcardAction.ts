/**
 * Allow statements name their actions: no `*`, no whole-service `svc:*`, and no
 * `NotAction` (which allows everything not listed).
 *
 * Equivalents: checkov CKV_AWS_63 / CKV_AWS_49, CKV_AWS_62 / CKV_AWS_1 (`*` on `*`); trivy AVD-AWS-0057;
 * cdk-nag AwsSolutions-IAM5 (IAMNoWildcardPermissions).
 */
import { IAM_POLICY_TYPES, allowStatementProblems, isWildcardAction } from "../../inspect/iam-policy";
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";

export const IamNoWildcardAction: PolicyRule = {
  id: "IAM-NO-WILDCARD-ACTION",
  severity: "error",
  title: "IAM policies allow no `*` or `service:*` actions and use no Allow + NotAction",
  fix: "List the exact actions the workload calls, e.g. [\"ec2:AssociateAddress\", \"ec2:DescribeAddresses\"].",
  appliesTo: IAM_POLICY_TYPES,
  evaluate(subject, doc) {
    return fromProblems(allowStatementProblems(subject, doc, { withCondition: true }, (s) => {
      const wild = s.actions.filter(isWildcardAction);
      return [
        ...(wild.length > 0 ? [`${s.label} allows ${wild.join(", ")}`] : []),
        ...(s.notActions.length > 0 ? [`${s.label} uses Allow with NotAction`] : []),
      ];
    }));
  },
};
