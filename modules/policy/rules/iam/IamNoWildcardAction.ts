/**
 * Allow statements name their actions: no `*`, no whole-service `svc:*`, and no
 * `NotAction` (which allows everything not listed).
 *
 * Equivalents: checkov CKV_AWS_63 / CKV_AWS_49, CKV_AWS_62 / CKV_AWS_1 (`*` on `*`); trivy AVD-AWS-0057;
 * cdk-nag AwsSolutions-IAM5 (IAMNoWildcardPermissions).
 */
import { IAM_POLICY_TYPES, isWildcardAction, policySources } from "../../inspect/iam-policy";
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";

export const IamNoWildcardAction: PolicyRule = {
  id: "IAM-NO-WILDCARD-ACTION",
  severity: "error",
  title: "IAM policies allow no `*` or `service:*` actions and use no Allow + NotAction",
  fix: "List the exact actions the workload calls, e.g. [\"ec2:AssociateAddress\", \"ec2:DescribeAddresses\"].",
  appliesTo: IAM_POLICY_TYPES,
  evaluate(subject, doc) {
    const problems: string[] = [];
    for (const source of policySources(subject, doc)) {
      if (source.unreadable) {
        problems.push(`${source.where} cannot be checked: ${source.unreadable}`);
        continue;
      }
      for (const s of source.statements.filter((st) => st.effect === "Allow")) {
        const wild = s.actions.filter(isWildcardAction);
        if (wild.length > 0) problems.push(`${source.where} ${s.label} allows ${wild.join(", ")}`);
        if (s.notActions.length > 0) problems.push(`${source.where} ${s.label} uses Allow with NotAction`);
      }
    }
    return fromProblems(problems);
  },
};
