/**
 * DANGER: a destroy or replacement that loses data or an address someone
 * depends on. Pipelines can demand a second approval when the list is not empty.
 */
import { ResourceChange } from "./plan";

/** Resource types whose destruction loses data, keys or a public address. */
export const STATEFUL_TYPES: Readonly<Record<string, string>> = {
  aws_db_instance: "database",
  aws_rds_cluster: "database cluster",
  aws_elasticache_replication_group: "cache with data",
  aws_dynamodb_table: "table",
  aws_efs_file_system: "file system",
  aws_ebs_volume: "volume",
  aws_s3_bucket: "bucket",
  aws_backup_vault: "backup vault (its recovery points)",
  aws_kms_key: "KMS key (data encrypted with it)",
  aws_eip: "Elastic IP (the public address DNS points at)",
  aws_route53_zone: "hosted zone (its name servers are delegated)",
};

export interface DangerItem {
  readonly address: string;
  readonly action: "delete" | "replace";
  readonly what: string;
  readonly forcedBy: readonly string[];
}

export function dangerItems(changes: readonly ResourceChange[]): DangerItem[] {
  const out: DangerItem[] = [];
  for (const c of changes) {
    if (c.action !== "delete" && c.action !== "replace") continue;
    const values = c.before ?? c.after ?? {};
    let what = STATEFUL_TYPES[c.type];
    if (!what && (c.type === "aws_instance" || c.type === "aws_network_interface") && hasFixedIp(values)) {
      what = `host with fixed IP ${fixedIp(values)} (its disk and address go with it)`;
    }
    if (what) out.push({ address: c.address, action: c.action, what, forcedBy: c.forcedBy });
  }
  return out;
}

function fixedIp(values: Record<string, unknown>): string | undefined {
  if (typeof values.private_ip === "string" && values.private_ip) return values.private_ip;
  const ips = values.private_ips;
  return Array.isArray(ips) && typeof ips[0] === "string" ? ips.join(", ") : undefined;
}

function hasFixedIp(values: Record<string, unknown>): boolean {
  return fixedIp(values) !== undefined;
}
