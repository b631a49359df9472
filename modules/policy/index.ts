/**
 * Security policy pack: rules over synthesized Terraform JSON, audited
 * suppressions, and reports. See README "Security policy".
 *
 *   const findings = evaluateStack(JSON.parse(cdkTfJson), { stackName });
 *   assertCompliant(findings); // throws one Error listing every unsuppressed error
 *   suppress(lbSecurityGroup, "SG-NO-PUBLIC-INGRESS", "public entry point: 80/443 for everyone");
 */
export * from "./types";
export { TfDocument, refersTo } from "./document";
export {
  assertCompliant,
  evaluateStack,
  evaluateStackDetailed,
  INVALID_SUPPRESSION_ID,
  PolicyViolationError,
  STALE_SUPPRESSION_ID,
  unsuppressedErrors,
} from "./engine";
export type { EvaluateOptions, StackEvaluation, SuppressionUse } from "./engine";
export { ALL_RULES, RULE_IDS, ruleById } from "./rules";
export { MIN_REASON_LENGTH, SUPPRESSIONS_KEY } from "./suppression-records";
export { suppress, suppressionsFor } from "./suppressions";
export { formatReportJson, formatReportText } from "./report";
export { enforcePolicy } from "./gate";
export type { PolicyGate, PolicyGateOptions } from "./gate";
export { writeSuppressionMetadata } from "./suppressions";
