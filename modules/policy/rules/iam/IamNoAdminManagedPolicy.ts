/**
 * No principal gets an AWS-managed administrator policy (AdministratorAccess,
 * PowerUserAccess, IAMFullAccess, job-function administrators, *FullAccess):
 * workloads get purpose-built least-privilege policies.
 *
 * Equivalents: checkov CKV_AWS_274, CKV2_AWS_56 (IAMFullAccess); trivy none;
 * cdk-nag AwsSolutions-IAM4 (IAMNoManagedPolicies, stricter: any AWS-managed policy).
 */
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";
import { strings } from "../../values";

const AWS_MANAGED = /^arn:aws[a-z-]*:iam::aws:policy\/(.+)$/;
const ADMIN_NAMES = /(^|\/)(AdministratorAccess.*|PowerUserAccess|IAMFullAccess|[A-Za-z0-9]*FullAccess|[A-Za-z]*Administrator)$/;

/** Name of the AWS-managed admin policy the ARN points at, or undefined. */
export function adminPolicyName(arn: string): string | undefined {
  const match = AWS_MANAGED.exec(arn);
  return match && ADMIN_NAMES.test(match[1]) ? match[1] : undefined;
}

const ARN_ATTRIBUTES: Record<string, string> = {
  aws_iam_role_policy_attachment: "policy_arn",
  aws_iam_user_policy_attachment: "policy_arn",
  aws_iam_group_policy_attachment: "policy_arn",
  aws_iam_policy_attachment: "policy_arn",
  aws_iam_role: "managed_policy_arns",
  aws_iam_role_policy_attachments_exclusive: "policy_arns",
};

export const IamNoAdminManagedPolicy: PolicyRule = {
  id: "IAM-NO-ADMIN-MANAGED-POLICY",
  severity: "error",
  title: "No AWS-managed administrator or *FullAccess policy is attached",
  fix: "Replace the managed policy with an inline or customer-managed policy listing only the needed actions and resources.",
  appliesTo: Object.keys(ARN_ATTRIBUTES),
  evaluate(subject) {
    const attribute = ARN_ATTRIBUTES[subject.type];
    const problems = strings(subject.config[attribute])
      .map((arn) => ({ arn, name: adminPolicyName(arn) }))
      .filter((p) => p.name !== undefined)
      .map((p) => `${attribute} attaches AWS-managed ${p.name}`);
    return fromProblems(problems);
  },
};
