/**
 * Web ACLs include AWS's Known Bad Inputs managed rule group (Log4Shell, Java
 * deserialization, host-header tricks) in blocking mode, not count-only.
 *
 * Equivalents: checkov CKV_AWS_192 (and CKV2_AWS_76 / CKV2_AWS_47 for the attached ACL); trivy none; cdk-nag none.
 */
import { requiresManagedRuleGroup } from "./managed-rule-group";

export const KNOWN_BAD_INPUTS = "AWSManagedRulesKnownBadInputsRuleSet";

export const WafKnownBadInputs = requiresManagedRuleGroup("WAF-KNOWN-BAD-INPUTS", KNOWN_BAD_INPUTS);
