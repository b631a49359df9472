/**
 * Cache traffic is encrypted in transit (sessions and cached pages cross the VPC).
 *
 * Equivalents: checkov CKV_AWS_30; trivy AVD-AWS-0051; cdk-nag AwsSolutions-AEC3 (ElastiCacheRedisClusterEncryption).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";
import { isTrue, show } from "../../values";

export const ElastiCacheTransitEncryption: PolicyRule = {
  id: "ELASTICACHE-TRANSIT-ENCRYPTION",
  severity: "error",
  title: "ElastiCache replication groups encrypt data in transit",
  fix: "Set transit_encryption_enabled = true (clients connect with TLS).",
  appliesTo: ["aws_elasticache_replication_group"],
  evaluate(subject) {
    const v = subject.config.transit_encryption_enabled;
    return isTrue(v) ? COMPLIANT : nonCompliant(`transit_encryption_enabled is ${show(v)}`);
  },
};
