/**
 * RDP is never open to the internet.
 *
 * Equivalents: checkov CKV_AWS_25; trivy AVD-AWS-0107; cdk-nag EC2RestrictedCommonPorts (NIST 800-53 packs), AwsSolutions-EC23.
 */
import { publicPortRule } from "../../inspect/public-port-rule";

export const SgNoPublicRdp = publicPortRule({ id: "SG-NO-PUBLIC-RDP", service: "RDP", ports: [3389], protocols: ["tcp", "udp"] });
