import { Construct } from "constructs";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { serviceTrustPolicy } from "../core/iam";

/** The AWS managed policy RDS Enhanced Monitoring needs (write to the RDSOSMetrics log group only). */
export const ENHANCED_MONITORING_POLICY_ARN = "arn:aws:iam::aws:policy/service-role/AmazonRDSEnhancedMonitoringRole";

export interface EnhancedMonitoringRoleProps {
  /** Role name, unique in the account (IAM is global: one role serves every region). */
  readonly name: string;
}

/** The role RDS assumes to publish OS metrics (Enhanced Monitoring) to CloudWatch Logs. */
export class EnhancedMonitoringRole extends Construct {
  readonly roleArn: string;

  constructor(scope: Construct, id: string, props: EnhancedMonitoringRoleProps) {
    super(scope, id);
    const role = new IamRole(this, "role", {
      name: props.name,
      assumeRolePolicy: serviceTrustPolicy("monitoring.rds.amazonaws.com"),
      tags: { Name: props.name },
    });
    new IamRolePolicyAttachment(this, "policy", { role: role.name, policyArn: ENHANCED_MONITORING_POLICY_ARN });
    this.roleArn = role.arn;
  }
}
