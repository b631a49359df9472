/**
 * Security-group ingress in all the shapes the AWS provider accepts, normalized:
 * inline `ingress` blocks (aws_security_group, aws_default_security_group),
 * aws_security_group_rule (type = "ingress") and aws_vpc_security_group_ingress_rule.
 */
import type { TfSubject } from "../types";
import { asNumber, asString, blocks, strings } from "../values";

export const SECURITY_GROUP_INGRESS_TYPES = [
  "aws_security_group",
  "aws_default_security_group",
  "aws_security_group_rule",
  "aws_vpc_security_group_ingress_rule",
] as const;

export interface IngressPermission {
  /** Where in the resource, for messages: `ingress[0]` or `rule`. */
  readonly where: string;
  /** "tcp", "udp", "icmp", "all", or the raw protocol text. */
  readonly protocol: string;
  readonly fromPort?: number;
  readonly toPort?: number;
  readonly cidrs: readonly string[];
}

export function ingressPermissions(subject: TfSubject): IngressPermission[] {
  const c = subject.config;
  switch (subject.type) {
    case "aws_security_group":
    case "aws_default_security_group":
      return blocks(c.ingress).map((b, i) => ({
        where: `ingress[${i}]`,
        protocol: normalizeProtocol(b.protocol),
        fromPort: asNumber(b.from_port),
        toPort: asNumber(b.to_port),
        cidrs: [...strings(b.cidr_blocks), ...strings(b.ipv6_cidr_blocks)],
      }));
    case "aws_security_group_rule":
      if (c.type !== "ingress") return [];
      return [{
        where: "rule",
        protocol: normalizeProtocol(c.protocol),
        fromPort: asNumber(c.from_port),
        toPort: asNumber(c.to_port),
        cidrs: [...strings(c.cidr_blocks), ...strings(c.ipv6_cidr_blocks)],
      }];
    case "aws_vpc_security_group_ingress_rule":
      return [{
        where: "rule",
        protocol: normalizeProtocol(c.ip_protocol),
        fromPort: asNumber(c.from_port),
        toPort: asNumber(c.to_port),
        cidrs: [asString(c.cidr_ipv4), asString(c.cidr_ipv6)].filter((v): v is string => v !== undefined),
      }];
    default:
      return [];
  }
}

/** 0.0.0.0/0, ::/0 or any other CIDR with a /0 prefix. */
export function isInternetCidr(cidr: string): boolean {
  return /\/0$/.test(cidr.trim());
}

export function internetCidrs(permission: IngressPermission): string[] {
  return permission.cidrs.filter(isInternetCidr);
}

/** True when the permission lets `protocol` traffic reach `port`. Unknown port bounds count as open. */
export function allowsPort(permission: IngressPermission, port: number, protocols: readonly string[]): boolean {
  if (permission.protocol === "all") return true;
  if (!protocols.includes(permission.protocol)) return false;
  const from = permission.fromPort ?? 0;
  const to = permission.toPort ?? 65535;
  return from <= port && port <= to;
}

/** True for protocol -1 or a TCP/UDP range spanning every port. */
export function allowsAllPorts(permission: IngressPermission): boolean {
  if (permission.protocol === "all") return true;
  return (permission.protocol === "tcp" || permission.protocol === "udp") &&
    (permission.fromPort ?? 0) <= 1 && (permission.toPort ?? 65535) >= 65535;
}

function normalizeProtocol(value: unknown): string {
  const text = String(value ?? "").toLowerCase();
  if (text === "-1" || text === "all") return "all";
  if (text === "6") return "tcp";
  if (text === "17") return "udp";
  if (text === "1") return "icmp";
  return text;
}
