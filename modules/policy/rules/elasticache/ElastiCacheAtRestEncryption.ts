/**
 * Cache snapshots and swap are encrypted at rest.
 *
 * Equivalents: checkov CKV_AWS_29; trivy AVD-AWS-0045; cdk-nag AwsSolutions-AEC3 (ElastiCacheRedisClusterEncryption).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { isTrue, show } from "../../values";

export const ElastiCacheAtRestEncryption: PolicyRule = {
  id: "ELASTICACHE-AT-REST-ENCRYPTION",
  severity: "error",
  title: "ElastiCache replication groups encrypt data at rest",
  fix: "Set at_rest_encryption_enabled = true (optionally kms_key_id).",
  appliesTo: ["aws_elasticache_replication_group"],
  evaluate(subject) {
    const v = subject.config.at_rest_encryption_enabled;
    return isTrue(v) ? COMPLIANT : nonCompliant(`at_rest_encryption_enabled is ${show(v)}`);
  },
};
