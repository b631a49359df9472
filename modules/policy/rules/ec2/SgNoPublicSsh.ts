/**
 * SSH is never open to the internet; administrators come from the admin CIDR.
 *
 * Equivalents: checkov CKV_AWS_24; trivy AVD-AWS-0107; cdk-nag EC2RestrictedSSH (NIST 800-53 packs), AwsSolutions-EC23.
 */
import { publicPortRule } from "../../inspect/public-port-rule";

export const SgNoPublicSsh = publicPortRule({ id: "SG-NO-PUBLIC-SSH", service: "SSH", ports: [22], protocols: ["tcp"] });
