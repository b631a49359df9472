/**
 * Instances and launch templates require IMDSv2 session tokens, so an SSRF in the
 * application cannot read the instance role's credentials with a plain GET.
 *
 * Equivalents: checkov CKV_AWS_79; trivy AVD-AWS-0028 (instances), AVD-AWS-0130 (launch templates);
 * cdk-nag EC2IMDSv2Enabled (NIST 800-53 / HIPAA packs).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { block, show } from "../../values";

export const Ec2Imdsv2Required: PolicyRule = {
  id: "EC2-IMDSv2",
  severity: "error",
  title: "Instances and launch templates require IMDSv2 (metadata_options.http_tokens = \"required\")",
  fix: "Set metadata_options { http_tokens = \"required\", http_put_response_hop_limit = 1 } (the hardened instance helper does this).",
  appliesTo: ["aws_instance", "aws_launch_template"],
  evaluate(subject) {
    const options = block(subject.config.metadata_options);
    if (options?.http_endpoint === "disabled") return COMPLIANT;
    if (options?.http_tokens === "required") return COMPLIANT;
    return nonCompliant(`metadata_options.http_tokens is ${show(options?.http_tokens)}; IMDSv1 stays reachable`);
  },
};
