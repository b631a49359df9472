/**
 * Which attribute changes make Terraform replace a resource (ForceNew /
 * RequiresReplace in hashicorp/aws 5.100), for every resource type the project
 * synthesizes. `terraform providers schema -json` does not export this (it
 * lists types, required/optional/computed, not ForceNew), so comparing two
 * plans made from empty state needs this committed list. It is written from
 * the provider's resource code; where the provider replaces only under a
 * condition the entry says which (`user_data` replaces an instance only with
 * `user_data_replace_on_change`). Renames the provider does in place (an RDS
 * `identifier`, a Route 53 record's `type`) are not listed.
 * Tests check that every resource type of every stack has an entry, and probe
 * the real provider (a plan against a hand-made state, one attribute changed per
 * resource) for the attributes that matter most here: __tests__/review/force-new-provider.test.ts.
 */

/** true: always replaces; a function: replaces when it returns true for the planned values. */
export type ForceNewRule = true | ((after: Record<string, unknown>) => boolean);

const userDataReplaces: ForceNewRule = (after) => after.user_data_replace_on_change === true;
const bucketChild = { bucket: true, expected_bucket_owner: true } as const;

export const FORCE_NEW: Readonly<Record<string, Readonly<Record<string, ForceNewRule>>>> = {
  aws_sns_topic_subscription: { topic_arn: true, protocol: true, endpoint: true },
  aws_sns_topic: { name: true, name_prefix: true, fifo_topic: true },
  aws_secretsmanager_secret_version: { secret_id: true },
  aws_secretsmanager_secret: { name: true, name_prefix: true },
  aws_lb_listener_rule: { listener_arn: true },
  aws_cloudwatch_metric_alarm: { alarm_name: true },
  aws_cloudwatch_dashboard: { dashboard_name: true },
  aws_autoscaling_policy: { name: true, autoscaling_group_name: true },
  aws_acm_certificate: { domain_name: true, subject_alternative_names: true, key_algorithm: true, certificate_authority_arn: true },
  aws_acm_certificate_validation: { certificate_arn: true, validation_record_fqdns: true },
  aws_autoscaling_group: { name: true, name_prefix: true },
  aws_backup_plan: { name: true },
  aws_backup_selection: { name: true, plan_id: true, iam_role_arn: true, resources: true, not_resources: true, selection_tag: true, condition: true },
  aws_backup_vault: { name: true, kms_key_arn: true },
  aws_cloudfront_distribution: {},
  aws_cloudwatch_log_group: { name: true, name_prefix: true, log_group_class: true },
  aws_db_instance: {
    identifier_prefix: true, engine: true, db_name: true, username: true, availability_zone: true,
    storage_encrypted: true, kms_key_id: true, character_set_name: true, nchar_character_set_name: true, timezone: true,
    snapshot_identifier: true, replicate_source_db: true, custom_iam_instance_profile: true,
  },
  aws_db_parameter_group: { name: true, name_prefix: true, family: true, description: true },
  aws_db_subnet_group: { name: true, name_prefix: true },
  aws_default_security_group: { vpc_id: true },
  // Framework resource: every argument but tags is RequiresReplace.
  aws_ec2_instance_connect_endpoint: { subnet_id: true, security_group_ids: true, preserve_client_ip: true },
  aws_eip: { domain: true, vpc: true, address: true, network_border_group: true, public_ipv4_pool: true, customer_owned_ipv4_pool: true, ipam_pool_id: true },
  aws_elasticache_replication_group: {
    replication_group_id: true, at_rest_encryption_enabled: true, kms_key_id: true, subnet_group_name: true, port: true,
    preferred_cache_cluster_azs: true, snapshot_arns: true, snapshot_name: true, data_tiering_enabled: true,
  },
  aws_elasticache_subnet_group: { name: true },
  aws_elasticache_user: { user_id: true, user_name: true },
  aws_elasticache_user_group: { user_group_id: true, engine: true },
  aws_flow_log: {
    vpc_id: true, subnet_id: true, eni_id: true, traffic_type: true, log_destination: true, log_destination_type: true,
    log_group_name: true, iam_role_arn: true, max_aggregation_interval: true, log_format: true, destination_options: true,
  },
  aws_iam_instance_profile: { name: true, name_prefix: true, path: true },
  aws_iam_policy: { name: true, name_prefix: true, path: true },
  aws_iam_role: { name: true, name_prefix: true, path: true },
  aws_iam_role_policy: { name: true, name_prefix: true, role: true },
  aws_iam_role_policy_attachment: { role: true, policy_arn: true },
  aws_instance: {
    ami: true, availability_zone: true, subnet_id: true, private_ip: true, key_name: true, placement_group: true,
    security_groups: true, associate_public_ip_address: true, ebs_block_device: true, ephemeral_block_device: true,
    network_interface: true, ipv6_address_count: true, cpu_core_count: true, cpu_threads_per_core: true, cpu_options: true,
    hibernation: true, enclave_options: true, launch_template: true,
    "root_block_device.encrypted": true, "root_block_device.kms_key_id": true,
    user_data: userDataReplaces, user_data_base64: userDataReplaces,
  },
  aws_internet_gateway: {},
  aws_kms_alias: { name: true, name_prefix: true },
  aws_kms_key: { customer_master_key_spec: true, key_usage: true, multi_region: true, custom_key_store_id: true, xks_key_id: true },
  aws_launch_template: { name: true, name_prefix: true },
  aws_lb: { name: true, name_prefix: true, internal: true, load_balancer_type: true },
  aws_lb_listener: { load_balancer_arn: true },
  aws_lb_target_group: { name: true, name_prefix: true, port: true, protocol: true, vpc_id: true, target_type: true, protocol_version: true, ip_address_type: true },
  aws_nat_gateway: { allocation_id: true, subnet_id: true, connectivity_type: true, private_ip: true },
  aws_network_interface: { subnet_id: true, interface_type: true },
  aws_route: { route_table_id: true, destination_cidr_block: true, destination_ipv6_cidr_block: true, destination_prefix_list_id: true },
  aws_route53_health_check: { type: true, request_interval: true, measure_latency: true, reference_name: true },
  aws_route53_record: { zone_id: true, name: true, set_identifier: true },
  aws_route53_zone: { name: true, delegation_set_id: true },
  aws_route_table: { vpc_id: true },
  aws_route_table_association: { subnet_id: true, gateway_id: true },
  aws_s3_bucket: { bucket: true, bucket_prefix: true, object_lock_enabled: true },
  aws_s3_bucket_lifecycle_configuration: bucketChild,
  aws_s3_bucket_ownership_controls: { bucket: true },
  aws_s3_bucket_policy: { bucket: true },
  aws_s3_bucket_public_access_block: { bucket: true },
  aws_s3_bucket_server_side_encryption_configuration: bucketChild,
  aws_s3_bucket_versioning: bucketChild,
  aws_security_group: { name: true, name_prefix: true, vpc_id: true, description: true },
  aws_ssm_parameter: { name: true },
  aws_ecr_repository: { name: true, "encryption_configuration.encryption_type": true, "encryption_configuration.kms_key": true },
  aws_ecr_lifecycle_policy: { repository: true },
  // Replication rules and creation-template settings are updated in place; a template is keyed by its prefix.
  aws_ecr_replication_configuration: {},
  aws_ecr_repository_creation_template: { prefix: true },
  aws_subnet: { vpc_id: true, cidr_block: true, availability_zone: true, availability_zone_id: true, ipv6_native: true },
  aws_vpc: { cidr_block: true, ipv4_ipam_pool_id: true, ipv4_netmask_length: true },
  aws_vpc_peering_connection: { vpc_id: true, peer_vpc_id: true, peer_owner_id: true, peer_region: true },
  aws_vpc_peering_connection_accepter: { vpc_peering_connection_id: true },
  aws_vpc_peering_connection_options: { vpc_peering_connection_id: true },
  aws_vpc_security_group_egress_rule: { security_group_id: true },
  aws_vpc_security_group_ingress_rule: { security_group_id: true },
  aws_wafv2_ip_set: { name: true, name_prefix: true, scope: true, ip_address_version: true },
  aws_wafv2_web_acl: { name: true, name_prefix: true, scope: true },
  aws_wafv2_web_acl_association: { resource_arn: true, web_acl_arn: true },
  aws_wafv2_web_acl_logging_configuration: { resource_arn: true },
  // Not in offline plans (no provider offline); listed so the list covers every synthesized type.
  namecheap_domain_records: { domain: true },
};

/**
 * Of the changed attributes, those that force a replacement; `undefined` when
 * the type is not in the list (the caller says the replacement is undetermined).
 */
export function forcingAttributes(type: string, changed: readonly string[], after: Record<string, unknown>): string[] | undefined {
  const rules = FORCE_NEW[type];
  if (!rules) return undefined;
  return changed.filter((attr) => {
    const rule = rules[attr] ?? rules[attr.split(".")[0]];
    return rule === true || (typeof rule === "function" && rule(after));
  });
}
