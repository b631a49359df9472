/**
 * Exposure: what the internet can reach. Each resource's values are reduced to
 * exposure facts (internet ingress, public IPs, internet-facing listeners);
 * a change exposes the facts it adds and closes the facts it removes.
 */
import { ResourceChange, valueOrTemplate } from "./plan";
import { describeRef } from "./names";

export interface ExposureChange {
  readonly change: "added" | "removed";
  readonly kind: "internet ingress" | "public IP" | "listener";
  readonly address: string;
  readonly detail: string;
}

const INTERNET = ["0.0.0.0/0", "::/0"];

export function exposureChanges(changes: readonly ResourceChange[], names: Map<string, string>): ExposureChange[] {
  const out: ExposureChange[] = [];
  for (const c of changes) {
    if (c.action === "no-op") continue;
    const before = c.before ? facts(c, c.before, c.beforeExpressions ?? {}, names) : [];
    const after = c.after ? facts(c, c.after, c.expressions, names) : [];
    for (const f of after) if (!before.some((b) => b.detail === f.detail)) out.push({ change: "added", address: c.address, ...f });
    for (const f of before) if (!after.some((a) => a.detail === f.detail)) out.push({ change: "removed", address: c.address, ...f });
  }
  return out;
}

type Fact = { kind: ExposureChange["kind"]; detail: string };

function portRange(protocol: unknown, from: unknown, to: unknown): string {
  const p = String(protocol ?? "");
  if (p === "-1" || p === "all") return "all protocols and ports";
  return from === to ? `${p} ${String(from)}` : `${p} ${String(from)}-${String(to)}`;
}

function facts(c: ResourceChange, v: Record<string, unknown>, expressions: Record<string, unknown>, names: Map<string, string>): Fact[] {
  const target = (attr: string): string => describeRef(valueOrTemplate(v, expressions, attr), names);
  switch (c.type) {
    case "aws_vpc_security_group_ingress_rule": {
      const source = [v.cidr_ipv4, v.cidr_ipv6].find((cidr) => INTERNET.includes(String(cidr)));
      return source ? [{ kind: "internet ingress", detail: `${portRange(v.ip_protocol, v.from_port, v.to_port)} from ${String(source)} to ${target("security_group_id")}` }] : [];
    }
    case "aws_security_group_rule": {
      if (v.type !== "ingress") return [];
      const cidrs = [...asArray(v.cidr_blocks), ...asArray(v.ipv6_cidr_blocks)].filter((x) => INTERNET.includes(String(x)));
      return cidrs.map((cidr) => ({ kind: "internet ingress" as const, detail: `${portRange(v.protocol, v.from_port, v.to_port)} from ${String(cidr)} to ${target("security_group_id")}` }));
    }
    case "aws_security_group": {
      const name = String(v.name ?? c.address);
      return asArray(v.ingress).flatMap((rule) => {
        const r = rule as Record<string, unknown>;
        const cidrs = [...asArray(r.cidr_blocks), ...asArray(r.ipv6_cidr_blocks)].filter((x) => INTERNET.includes(String(x)));
        return cidrs.map((cidr) => ({ kind: "internet ingress" as const, detail: `${portRange(r.protocol, r.from_port, r.to_port)} from ${String(cidr)} to ${name}` }));
      });
    }
    case "aws_eip":
      return [{ kind: "public IP", detail: `Elastic IP ${names.get(c.address) ?? c.address}` }];
    case "aws_instance":
      return v.associate_public_ip_address === true ? [{ kind: "public IP", detail: `instance ${names.get(c.address) ?? c.address} gets a public IP` }] : [];
    case "aws_launch_template":
      return asArray(v.network_interfaces).some((ni) => String((ni as Record<string, unknown>).associate_public_ip_address) === "true")
        ? [{ kind: "public IP", detail: `instances from launch template ${String(v.name ?? c.address)} get public IPs` }]
        : [];
    case "aws_subnet":
      return v.map_public_ip_on_launch === true ? [{ kind: "public IP", detail: `subnet ${names.get(c.address) ?? c.address} assigns public IPs on launch` }] : [];
    case "aws_lb":
      return v.internal === false ? [{ kind: "listener", detail: `internet-facing ${String(v.load_balancer_type ?? "")} load balancer ${String(v.name ?? c.address)}` }] : [];
    case "aws_lb_listener":
      return [{ kind: "listener", detail: `${String(v.protocol)} ${String(v.port)} on ${target("load_balancer_arn")}` }];
    case "aws_cloudfront_distribution":
      return [{ kind: "listener", detail: `CloudFront ${asArray(v.aliases).join(", ") || c.address} (viewer protocol ${asArray(v.default_cache_behavior).map((b) => String((b as Record<string, unknown>).viewer_protocol_policy)).join(", ")})` }];
    default:
      return [];
  }
}

export function asArray(value: unknown): unknown[] {
  return Array.isArray(value) ? value : value === undefined || value === null ? [] : [value];
}
