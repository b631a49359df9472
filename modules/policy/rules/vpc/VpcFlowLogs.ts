/**
 * Every VPC has a flow log, so rejected and accepted traffic can be investigated.
 *
 * Equivalents: checkov CKV2_AWS_11; trivy AVD-AWS-0178; cdk-nag AwsSolutions-VPC7 (VPCFlowLogsEnabled).
 */
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant } from "../../types";

export const VpcFlowLogs: PolicyRule = {
  id: "VPC-FLOW-LOGS",
  severity: "error",
  title: "Every VPC has an aws_flow_log",
  fix: "Add aws_flow_log { vpc_id = <vpc>, traffic_type = \"ALL\" } to CloudWatch Logs or S3 (the network module does this).",
  appliesTo: ["aws_vpc"],
  evaluate(subject, doc) {
    return doc.referencing(subject, "vpc_id", "aws_flow_log").length > 0
      ? COMPLIANT
      : nonCompliant("no aws_flow_log references this VPC");
  },
};
