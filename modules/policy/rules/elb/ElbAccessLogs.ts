/**
 * Load balancers write access logs to S3 (the provider leaves them off even
 * when a bucket is given, unless enabled = true).
 *
 * Equivalents: checkov CKV_AWS_91; trivy none for ELBv2; cdk-nag AwsSolutions-ELB2 (ELBLoggingEnabled).
 */
import { LB_TYPES } from "../../inspect/load-balancers";
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";
import { block, hasText, isTrue, show } from "../../values";

export const ElbAccessLogs: PolicyRule = {
  id: "ELB-ACCESS-LOGS",
  severity: "error",
  title: "Load balancers have access logs enabled",
  fix: "Set access_logs { bucket = <log bucket>, enabled = true } (the bucket policy must allow the ELB log delivery principal).",
  appliesTo: LB_TYPES,
  evaluate(subject) {
    const logs = block(subject.config.access_logs);
    const problems: string[] = [];
    if (!logs) return fromProblems(["access_logs is not configured"]);
    if (!isTrue(logs.enabled)) problems.push(`access_logs.enabled is ${show(logs.enabled)}`);
    if (!hasText(logs.bucket)) problems.push("access_logs.bucket is empty");
    return fromProblems(problems);
  },
};
