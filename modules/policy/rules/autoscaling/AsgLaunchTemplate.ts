/**
 * Auto Scaling groups launch from a launch template (launch configurations are
 * deprecated and cannot require IMDSv2 tokens or use current instance types).
 *
 * Equivalents: checkov CKV_AWS_315; trivy none; cdk-nag none.
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { block, hasText } from "../../values";

export const AsgLaunchTemplate: PolicyRule = {
  id: "ASG-LAUNCH-TEMPLATE",
  severity: "error",
  title: "Auto Scaling groups use a launch template, not a launch configuration",
  fix: "Set launch_template { id = <template>.id, version = <template>.latest_version } and drop launch_configuration.",
  appliesTo: ["aws_autoscaling_group"],
  evaluate(subject) {
    const c = subject.config;
    if (hasText(c.launch_configuration)) return nonCompliant("uses launch_configuration");
    const direct = block(c.launch_template);
    const mixed = block(block(block(c.mixed_instances_policy)?.launch_template)?.launch_template_specification);
    return direct || mixed ? COMPLIANT : nonCompliant("no launch_template is configured");
  },
};
