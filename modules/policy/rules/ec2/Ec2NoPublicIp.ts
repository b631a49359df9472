/**
 * Instances get no automatic public IP: private-tier hosts must not be reachable
 * from the internet, and public entry points get a deliberate Elastic IP instead
 * (which survives stop/start and is visible in review).
 *
 * Equivalents: checkov CKV_AWS_88; trivy AVD-AWS-0009 (launch configuration);
 * cdk-nag EC2InstanceNoPublicIp, AutoScalingLaunchConfigPublicIpDisabled (NIST 800-53 packs).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, fromProblems, nonCompliant } from "../../types";
import { blocks, isTrue } from "../../values";

export const Ec2NoPublicIp: PolicyRule = {
  id: "EC2-NO-PUBLIC-IP",
  severity: "error",
  title: "Instances and launch templates do not get an automatic public IP",
  fix: "Set associate_public_ip_address = false (use an aws_eip for a deliberate public entry point) and keep the subnet's map_public_ip_on_launch = false.",
  appliesTo: ["aws_instance", "aws_launch_template"],
  evaluate(subject, doc) {
    const c = subject.config;
    if (subject.type === "aws_launch_template") {
      const problems = blocks(c.network_interfaces)
        .map((n, i) => (isTrue(n.associate_public_ip_address) ? `network_interfaces[${i}].associate_public_ip_address is true` : ""))
        .filter(Boolean);
      return fromProblems(problems);
    }
    if (isTrue(c.associate_public_ip_address)) return nonCompliant("associate_public_ip_address is true");
    if (c.associate_public_ip_address === undefined) {
      const subnet = doc.resolve(c.subnet_id)?.subject;
      if (subnet?.type === "aws_subnet" && isTrue(subnet.config.map_public_ip_on_launch)) {
        return nonCompliant(`associate_public_ip_address is unset and subnet ${subnet.address} maps public IPs on launch`);
      }
    }
    return COMPLIANT;
  },
};
