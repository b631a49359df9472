import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { FlowLog } from "@cdktf/provider-aws/lib/flow-log";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { check } from "../core/validation";
import { policyDocument, serviceTrustPolicy } from "../core/iam";

/** CloudWatch retention values the API accepts. */
export const LOG_RETENTION_DAYS = [1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288, 3653];

export interface FlowLogsProps {
  /** AWS provider of the region the resources live in. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  readonly vpcId: string;
  /** Name prefix for the log group and role. */
  readonly name: string;
  /** Log group retention in days; one of the values CloudWatch accepts. @default 90 */
  readonly retentionDays?: number;
}

/** VPC flow logs (all traffic) to a CloudWatch log group, written by a role that may only write there. */
export class FlowLogs extends Construct {
  readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: FlowLogsProps) {
    super(scope, id);
    const retention = props.retentionDays ?? 90;
    check(LOG_RETENTION_DAYS.includes(retention), "flowLogRetentionDays", retention, `one of ${LOG_RETENTION_DAYS.join(", ")}`);
    const provider = props.provider;
    const group = new CloudwatchLogGroup(this, "group", { provider, name: `/vpc/${props.name}/flow-logs`, retentionInDays: retention });
    const role = new IamRole(this, "role", {
      provider,
      name: `${props.name}-flow-logs`,
      assumeRolePolicy: serviceTrustPolicy("vpc-flow-logs.amazonaws.com"),
    });
    new IamRolePolicy(this, "write", {
      provider,
      role: role.id,
      name: "write-flow-logs",
      policy: policyDocument([
        { Effect: "Allow", Action: ["logs:CreateLogStream", "logs:PutLogEvents", "logs:DescribeLogStreams"], Resource: [group.arn, `${group.arn}:*`] },
      ]),
    });
    new FlowLog(this, "flow-log", { provider, vpcId: props.vpcId, trafficType: "ALL", logDestinationType: "cloud-watch-logs", logDestination: group.arn, iamRoleArn: role.arn, maxAggregationInterval: 60 });
    this.logGroupName = group.name;
  }
}
