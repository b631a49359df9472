/**
 * Monthly cost ESTIMATE from the committed on-demand price table
 * (price-table.json: per region, dated, with its source; no network at run
 * time). Fixed monthly charges only: usage (data, requests, logs, LCUs) is
 * named, not guessed.
 */
import PRICE_TABLE from "./price-table.json";
import { ResourceChange, valueOrTemplate } from "./plan";
import { referencedAddress } from "./names";

export interface RegionPrices {
  readonly ec2_hour: Record<string, number>;
  readonly rds_hour: Record<string, Record<string, number>>;
  readonly rds_storage_gb_month: number;
  readonly elasticache_hour: Record<string, number>;
  readonly ebs_gp3_gb_month: number;
  readonly public_ipv4_hour: number;
  readonly nat_gateway_hour: number;
  readonly alb_hour: number;
  readonly kms_key_month: number;
  readonly secret_month: number;
  readonly route53_zone_month: number;
  readonly route53_health_check_month: number;
  readonly waf_web_acl_month: number;
  readonly waf_rule_month: number;
}

export interface PriceTable {
  readonly as_of: string;
  readonly source: string;
  readonly currency: string;
  readonly hours_per_month: number;
  readonly regions: Record<string, RegionPrices>;
  /** Every resource type: "priced: …", "free…" or "usage-based: …". */
  readonly types: Record<string, string>;
}

export const PRICES: PriceTable = PRICE_TABLE as PriceTable;

export interface CostLine {
  readonly type: string;
  readonly before: number;
  readonly after: number;
}

export interface CostEstimate {
  readonly currency: string;
  readonly asOf: string;
  readonly source: string;
  readonly before: number;
  readonly after: number;
  readonly delta: number;
  /** Per priced resource type, sorted by the larger side. */
  readonly lines: readonly CostLine[];
  /** Types present whose cost depends on usage (not in the totals). */
  readonly usageBased: readonly string[];
  /** Resources that could not be priced, with why (not in the totals). */
  readonly unpriced: readonly string[];
}

/** `regions`: provider key → region (from the plan's provider configuration). */
export function estimateCost(changes: readonly ResourceChange[], regions: Record<string, string>, table: PriceTable = PRICES): CostEstimate {
  const byType = new Map<string, { before: number; after: number }>();
  const usage = new Set<string>();
  const unpriced: string[] = [];
  const index = new Map(changes.map((c) => [c.address, c]));
  for (const c of changes) {
    const kind = table.types[c.type];
    if (kind === undefined) {
      unpriced.push(`${c.address}: type ${c.type} is not in the price table`);
      continue;
    }
    if (kind.startsWith("usage-based")) usage.add(c.type);
    if (!kind.startsWith("priced")) continue;
    if (kind.includes("+ usage-based")) usage.add(c.type);
    const region = regions[c.providerKey] ?? regions.aws;
    const prices = table.regions[region];
    if (!prices) {
      unpriced.push(`${c.address}: region ${region} is not in the price table`);
      continue;
    }
    const side = (values: Record<string, unknown> | null, side: "before" | "after"): number => {
      if (!values) return 0;
      const result = monthly(c, values, prices, table.hours_per_month, index, side);
      if (typeof result === "string") {
        unpriced.push(`${c.address}: ${result}`);
        return 0;
      }
      return result;
    };
    const line = byType.get(c.type) ?? { before: 0, after: 0 };
    line.before += side(c.before, "before");
    line.after += side(c.after, "after");
    byType.set(c.type, line);
  }
  const lines = [...byType].map(([type, v]) => ({ type, before: round(v.before), after: round(v.after) })).sort((a, b) => Math.max(b.before, b.after) - Math.max(a.before, a.after));
  const before = round(lines.reduce((n, l) => n + l.before, 0));
  const after = round(lines.reduce((n, l) => n + l.after, 0));
  return { currency: table.currency, asOf: table.as_of, source: table.source, before, after, delta: round(after - before), lines, usageBased: [...usage].sort(), unpriced: [...new Set(unpriced)] };
}

function round(n: number): number {
  return Math.round(n * 100) / 100;
}

/** Monthly fixed cost of one resource, or why it cannot be priced. */
function monthly(c: ResourceChange, v: Record<string, unknown>, p: RegionPrices, hours: number, index: Map<string, ResourceChange>, side: "before" | "after"): number | string {
  const num = (x: unknown, fallback = 0): number => (typeof x === "number" ? x : Number.isFinite(Number(x)) && x !== null && x !== "" ? Number(x) : fallback);
  switch (c.type) {
    case "aws_instance": {
      const hourly = p.ec2_hour[String(v.instance_type)];
      if (hourly === undefined) return `instance type ${String(v.instance_type)} is not in the price table`;
      const disk = (Array.isArray(v.root_block_device) ? v.root_block_device : []).reduce((n: number, d) => n + num((d as Record<string, unknown>).volume_size, 8), 0) || 8;
      return hourly * hours + disk * p.ebs_gp3_gb_month + (v.associate_public_ip_address === true ? p.public_ipv4_hour * hours : 0);
    }
    case "aws_autoscaling_group": {
      const lt = (Array.isArray(v.launch_template) ? v.launch_template[0] : undefined) as Record<string, unknown> | undefined;
      const ltAddress = referencedAddress(lt?.id ?? lt?.name) ?? referencedAddress(templateOf(c, side, "launch_template"));
      const template = ltAddress ? index.get(ltAddress) : undefined;
      const tv = template ? (side === "before" ? template.before ?? template.after : template.after ?? template.before) : undefined;
      if (!tv) return "its launch template is not in the plan";
      const hourly = p.ec2_hour[String(tv.instance_type)];
      if (hourly === undefined) return `instance type ${String(tv.instance_type)} is not in the price table`;
      const disk = (Array.isArray(tv.block_device_mappings) ? tv.block_device_mappings : []).reduce((n: number, m) => n + ((m as { ebs?: Record<string, unknown>[] }).ebs ?? []).reduce((k, e) => k + num(e.volume_size), 0), 0);
      return num(v.desired_capacity, num(v.min_size)) * (hourly * hours + disk * p.ebs_gp3_gb_month);
    }
    case "aws_db_instance": {
      const engine = String(v.engine ?? replicaSourceEngine(c, side, index) ?? "");
      const hourly = p.rds_hour[engine]?.[String(v.instance_class)];
      if (hourly === undefined) return `RDS ${engine} ${String(v.instance_class)} is not in the price table`;
      const copies = v.multi_az === true ? 2 : 1;
      const secret = v.manage_master_user_password === true ? p.secret_month : 0;
      return copies * (hourly * hours + num(v.allocated_storage, 20) * p.rds_storage_gb_month) + secret;
    }
    case "aws_elasticache_replication_group": {
      const hourly = p.elasticache_hour[String(v.node_type)];
      if (hourly === undefined) return `cache node ${String(v.node_type)} is not in the price table`;
      return hourly * hours * num(v.num_cache_clusters, 1);
    }
    case "aws_eip":
      return p.public_ipv4_hour * hours;
    case "aws_nat_gateway":
      return p.nat_gateway_hour * hours;
    case "aws_lb":
      return p.alb_hour * hours;
    case "aws_kms_key":
      return p.kms_key_month;
    case "aws_route53_zone":
      return p.route53_zone_month;
    case "aws_route53_health_check":
      return p.route53_health_check_month;
    case "aws_wafv2_web_acl":
      return p.waf_web_acl_month + (Array.isArray(v.rule) ? v.rule.length : 0) * p.waf_rule_month;
    default:
      return `type ${c.type} is marked priced but has no formula`;
  }
}

function templateOf(c: ResourceChange, side: "before" | "after", attr: string): unknown {
  const expr = (side === "before" ? c.beforeExpressions ?? c.expressions : c.expressions)[attr];
  const block = Array.isArray(expr) ? (expr[0] as Record<string, { references?: string[] }>) : undefined;
  const ref = block?.id?.references?.[0] ?? block?.name?.references?.[0];
  return ref ? `\${${ref}}` : valueOrTemplate(null, {}, attr);
}

/** A read replica's plan leaves `engine` unknown; it is its source's engine. */
function replicaSourceEngine(c: ResourceChange, side: "before" | "after", index: Map<string, ResourceChange>): unknown {
  const values = side === "before" ? c.before : c.after;
  const expressions = side === "before" ? c.beforeExpressions ?? c.expressions : c.expressions;
  const source = index.get(referencedAddress(valueOrTemplate(values, expressions, "replicate_source_db")) ?? "");
  const sv = side === "before" ? source?.before ?? source?.after : source?.after ?? source?.before;
  return sv?.engine ?? undefined;
}
