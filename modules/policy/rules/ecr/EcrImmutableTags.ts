/**
 * A tag names one image forever: a release tag cannot be overwritten by a
 * later push (or an attacker with push rights), and a rollback returns to the
 * same bits. Creation templates are held to it too, since they decide the
 * settings of replicated repositories.
 *
 * Equivalents: checkov CKV_AWS_51; trivy AVD-AWS-0031; cdk-nag none.
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { show } from "../../values";

export const EcrImmutableTags: PolicyRule = {
  id: "ECR-IMMUTABLE-TAGS",
  severity: "error",
  title: "ECR repositories and repository creation templates use immutable tags",
  fix: 'Set image_tag_mutability = "IMMUTABLE".',
  appliesTo: ["aws_ecr_repository", "aws_ecr_repository_creation_template"],
  evaluate(subject) {
    const value = subject.config.image_tag_mutability;
    // The API default is MUTABLE: a missing attribute counts as mutable.
    return value === "IMMUTABLE" ? COMPLIANT : nonCompliant(`image_tag_mutability is ${show(value)}`);
  },
};
