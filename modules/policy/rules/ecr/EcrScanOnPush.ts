/**
 * Images are scanned for known vulnerabilities when they are pushed, so a
 * pipeline can refuse to ship an image with critical findings.
 *
 * Equivalents: checkov CKV_AWS_163; trivy AVD-AWS-0030; cdk-nag none.
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { block, isTrue, show } from "../../values";

export const EcrScanOnPush: PolicyRule = {
  id: "ECR-SCAN-ON-PUSH",
  severity: "error",
  title: "ECR repositories scan images on push",
  fix: "Set image_scanning_configuration { scan_on_push = true } (ContainerRegistry does).",
  appliesTo: ["aws_ecr_repository"],
  evaluate(subject) {
    const value = block(subject.config.image_scanning_configuration)?.scan_on_push;
    return isTrue(value) ? COMPLIANT : nonCompliant(`image_scanning_configuration.scan_on_push is ${show(value)}`);
  },
};
