/**
 * AWS length limits of the names the modules derive from `project` and
 * `environment`, checked on the synthesized JSON: whatever a module builds, a
 * name AWS would refuse at apply time fails synth here, naming the two fields.
 * Pure: no cdktf import.
 */

/** `<resource type>.<attribute>` → longest value AWS accepts. */
export const AWS_NAME_LIMITS: Readonly<Record<string, number>> = {
  "aws_iam_role.name": 64,
  "aws_iam_instance_profile.name": 128,
  "aws_iam_role_policy.name": 128,
  "aws_iam_policy.name": 128,
  "aws_security_group.name": 255,
  "aws_db_instance.identifier": 63,
  "aws_db_parameter_group.name": 255,
  "aws_db_subnet_group.name": 255,
  "aws_kms_alias.name": 256,
  "aws_ssm_parameter.name": 1011,
  "aws_cloudwatch_log_group.name": 512,
  "aws_autoscaling_group.name": 255,
  "aws_launch_template.name": 128,
  "aws_lb.name": 32,
  "aws_lb_target_group.name": 32,
  // name_prefix: Terraform appends a 26-character unique suffix.
  "aws_lb_target_group.name_prefix": 6,
  "aws_s3_bucket.bucket": 63,
  // bucket_prefix: Terraform appends a 26-character unique suffix.
  "aws_s3_bucket.bucket_prefix": 37,
  "aws_backup_vault.name": 50,
  "aws_backup_plan.name": 50,
  "aws_backup_selection.name": 50,
  "aws_elasticache_replication_group.replication_group_id": 40,
  "aws_elasticache_subnet_group.name": 255,
  "aws_elasticache_user.user_id": 40,
  "aws_elasticache_user.user_name": 120,
  "aws_elasticache_user_group.user_group_id": 40,
  "aws_wafv2_web_acl.name": 128,
  "aws_sns_topic.name": 256,
  "aws_cloudwatch_metric_alarm.alarm_name": 255,
  "aws_cloudwatch_dashboard.dashboard_name": 255,
};

export interface TooLongName {
  readonly address: string;
  readonly attribute: string;
  readonly value: string;
  readonly limit: number;
}

/** Every name in a stack's cdk.tf.json that is longer than AWS allows. */
export function tooLongNames(stack: { resource?: Record<string, Record<string, Record<string, unknown>>> }): TooLongName[] {
  const found: TooLongName[] = [];
  for (const [type, blocks] of Object.entries(stack.resource ?? {})) {
    for (const [name, block] of Object.entries(blocks)) {
      for (const [attribute, value] of Object.entries(block)) {
        const limit = AWS_NAME_LIMITS[`${type}.${attribute}`];
        // References (${…}) are resolved by Terraform from names checked where they are set.
        if (limit === undefined || typeof value !== "string" || value.includes("${")) continue;
        if (value.length > limit) found.push({ address: `${type}.${name}`, attribute, value, limit });
      }
    }
  }
  return found;
}
