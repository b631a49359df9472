/**
 * Root and data volumes are encrypted, declared explicitly (an account-level
 * default is invisible in review and can be switched off).
 *
 * Equivalents: checkov CKV_AWS_8 (instances/launch configuration), CKV_AWS_3 (aws_ebs_volume);
 * trivy AVD-AWS-0131 (instances), AVD-AWS-0026 (volumes), AVD-AWS-0008 (launch configuration);
 * cdk-nag AwsSolutions-EC26 (EC2EBSVolumeEncrypted).
 */
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";
import { block, blocks, isTrue, show } from "../../values";

export const Ec2EbsEncrypted: PolicyRule = {
  id: "EC2-EBS-ENCRYPTED",
  severity: "error",
  title: "Root and EBS volumes of instances, launch templates and aws_ebs_volume are encrypted",
  fix: "Declare root_block_device { encrypted = true } (and encrypted = true on every ebs_block_device / block_device_mappings.ebs / aws_ebs_volume).",
  appliesTo: ["aws_instance", "aws_launch_template", "aws_ebs_volume"],
  evaluate(subject) {
    const c = subject.config;
    const problems: string[] = [];
    if (subject.type === "aws_ebs_volume") {
      if (!isTrue(c.encrypted)) problems.push(`encrypted is ${show(c.encrypted)}`);
    } else if (subject.type === "aws_instance") {
      const root = block(c.root_block_device);
      if (!root) problems.push("root_block_device is not declared, so the root volume's encryption depends on account defaults");
      else if (!isTrue(root.encrypted)) problems.push(`root_block_device.encrypted is ${show(root.encrypted)}`);
      blocks(c.ebs_block_device).forEach((d, i) => {
        if (!isTrue(d.encrypted)) problems.push(`ebs_block_device[${i}].encrypted is ${show(d.encrypted)}`);
      });
    } else {
      // Instance-store (virtual_name) and suppressed (no_device) mappings hold no EBS volume; findings keep the
      // mapping's own index.
      const mappings = blocks(c.block_device_mappings).map((m, i) => ({ m, i })).filter(({ m }) => !m.virtual_name && m.no_device === undefined);
      if (mappings.length === 0) problems.push("block_device_mappings declares no EBS volume, so the root volume's encryption depends on the AMI and account defaults");
      mappings.forEach(({ m, i }) => {
        const ebs = block(m.ebs);
        if (!isTrue(ebs?.encrypted)) problems.push(`block_device_mappings[${i}].ebs.encrypted is ${show(ebs?.encrypted)}`);
      });
    }
    return fromProblems(problems);
  },
};
