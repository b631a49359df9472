/**
 * Subnets do not hand out public IPs on launch: a host is public only when it is
 * given an Elastic IP on purpose. Private-tier subnets must never set it.
 *
 * Equivalents: checkov CKV_AWS_130; trivy AVD-AWS-0164; cdk-nag VPCSubnetAutoAssignPublicIpDisabled (NIST 800-53 packs).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { isTrue } from "../../values";

export const VpcSubnetNoAutoPublicIp: PolicyRule = {
  id: "VPC-SUBNET-NO-AUTO-PUBLIC-IP",
  severity: "error",
  title: "Subnets do not map public IPs on launch",
  fix: "Set map_public_ip_on_launch = false; give public entry points an aws_eip instead.",
  appliesTo: ["aws_subnet"],
  evaluate(subject) {
    return isTrue(subject.config.map_public_ip_on_launch)
      ? nonCompliant("map_public_ip_on_launch is true")
      : COMPLIANT;
  },
};
