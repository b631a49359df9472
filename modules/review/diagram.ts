/**
 * The architecture as a Mermaid flowchart, generated from a synthesized stack
 * (cdk.tf.json): regions ⊃ VPCs ⊃ tiers (subnets' `Tier` tag) ⊃ hosts, auto
 * scaling groups, load balancers and data stores; VPC peering; and the flows
 * security-group rules allow (source → target, ports), so the diagram cannot
 * drift from the code.
 */
import { asArray } from "./exposure";

type Block = Record<string, unknown>;
type TfJson = { provider?: Record<string, Block[]>; resource?: Record<string, Record<string, Block>> };

export type NodeKind = "host" | "asg" | "load balancer" | "database" | "cache" | "bucket" | "elastic ip" | "cdn" | "external";

export interface DiagramNode {
  readonly id: string;
  /** Terraform address, or a pseudo address (`internet`, `cidr:…`) for outside sources. */
  readonly address: string;
  readonly kind: NodeKind;
  readonly label: string;
  readonly region?: string;
  readonly vpc?: string;
  readonly tier?: string;
}

export interface DiagramEdge {
  readonly from: string;
  readonly to: string;
  readonly label: string;
  readonly dotted?: boolean;
}

export interface Diagram {
  readonly nodes: readonly DiagramNode[];
  readonly edges: readonly DiagramEdge[];
  readonly mermaid: string;
}

/** Node id for an address: readable and stable (a test can recompute it). */
export function nodeId(address: string): string {
  return "n_" + address.replace(/[^A-Za-z0-9_]/g, "_");
}

const REF = /\$\{([a-z0-9_]+\.[A-Za-z0-9_-]+)[^}]*\}/;

function refOf(value: unknown): string | undefined {
  const m = REF.exec(typeof value === "string" ? value : "");
  return m ? m[1] : undefined;
}

function refsOf(value: unknown): string[] {
  return asArray(value).map(refOf).filter((x): x is string => x !== undefined);
}

function blocks(value: unknown): Block[] {
  return asArray(value).filter((x): x is Block => typeof x === "object" && x !== null);
}

export function architectureDiagram(stack: unknown): Diagram {
  const doc = stack as TfJson;
  const resources = doc.resource ?? {};
  const all = (type: string): [string, Block][] => Object.entries(resources[type] ?? {}).map(([name, b]) => [`${type}.${name}`, b]);
  const get = (address: string | undefined): Block | undefined => {
    if (!address) return undefined;
    const [type, name] = address.split(".");
    return resources[type]?.[name];
  };
  const regions: Record<string, string> = {};
  for (const p of doc.provider?.aws ?? []) regions[p.alias ? `aws.${String(p.alias)}` : "aws"] = String(p.region ?? "");
  const regionOf = (b: Block): string => regions[String(b.provider ?? "aws")] ?? regions.aws ?? "region";
  const tagName = (b: Block, fallback: string): string => String((b.tags as Block | undefined)?.Name ?? b.name ?? b.identifier ?? b.replication_group_id ?? b.bucket ?? fallback);

  const nodes: DiagramNode[] = [];
  const edges: DiagramEdge[] = [];
  const place = (subnetAddress: string | undefined): { vpc?: string; tier?: string } => {
    const subnet = get(subnetAddress);
    if (!subnet) return {};
    return { vpc: refOf(subnet.vpc_id), tier: String((subnet.tags as Block | undefined)?.Tier ?? "subnet") };
  };
  const add = (address: string, kind: NodeKind, label: string, b: Block, subnet?: string): void => {
    nodes.push({ id: nodeId(address), address, kind, label, region: regionOf(b), ...place(subnet) });
  };

  // Hosts (an instance placed through its network interface takes the interface's subnet and IP).
  const eniOf = (b: Block): Block | undefined => get(refOf(blocks(b.network_interface)[0]?.network_interface_id));
  for (const [address, b] of all("aws_instance")) {
    const eni = eniOf(b);
    const ip = b.private_ip ?? asArray(eni?.private_ips)[0];
    const role = (b.tags as Block | undefined)?.Role;
    add(address, role === "load-balancer" ? "load balancer" : "host", `${tagName(b, address)}${ip ? `<br/>${String(ip)}` : ""}`, b, refOf(b.subnet_id) ?? refOf(eni?.subnet_id));
  }
  for (const [address, b] of all("aws_autoscaling_group")) {
    add(address, "asg", `ASG ${tagName(b, address)}<br/>${String(b.min_size)}–${String(b.max_size)}, desired ${String(b.desired_capacity ?? b.min_size)}`, b, refsOf(b.vpc_zone_identifier)[0]);
  }
  for (const [address, b] of all("aws_lb")) {
    add(address, "load balancer", `${b.internal === true ? "internal" : "internet-facing"} ALB ${tagName(b, address)}`, b, refsOf(b.subnets)[0]);
  }
  for (const [address, b] of all("aws_db_instance")) {
    const source = refOf(b.replicate_source_db);
    // A same-region replica has no subnet group of its own: it lives in its source's.
    const group = get(refOf(b.db_subnet_group_name)) ?? get(refOf(get(source)?.db_subnet_group_name));
    add(address, "database", `${String(b.engine ?? "replica")} ${tagName(b, address)}${b.multi_az === true ? " (Multi-AZ)" : ""}`, b, refsOf(group?.subnet_ids)[0]);
    if (source) edges.push({ from: nodeId(source), to: nodeId(address), label: "replication", dotted: true });
  }
  for (const [address, b] of all("aws_elasticache_replication_group")) {
    const group = get(refOf(b.subnet_group_name));
    add(address, "cache", `${String(b.engine ?? "cache")} ${tagName(b, address)}`, b, refsOf(group?.subnet_ids)[0]);
  }
  for (const [address, b] of all("aws_s3_bucket")) add(address, "bucket", `bucket ${tagName(b, address)}`, b);
  for (const [address, b] of all("aws_eip")) {
    add(address, "elastic ip", `Elastic IP ${tagName(b, address)}`, b);
    const target = refOf(b.instance) ?? refOf(b.network_interface);
    const host = target?.startsWith("aws_network_interface.") ? all("aws_instance").find(([, i]) => refOf(blocks(i.network_interface)[0]?.network_interface_id) === target)?.[0] : target;
    if (host) edges.push({ from: nodeId(address), to: nodeId(host), label: "" });
  }
  for (const [address, b] of all("aws_cloudfront_distribution")) {
    nodes.push({ id: nodeId(address), address, kind: "cdn", label: `CloudFront ${asArray(b.aliases).join(", ")}` });
    for (const origin of blocks(b.origin)) {
      const lb = refOf(origin.domain_name);
      if (lb && get(lb)) edges.push({ from: nodeId(address), to: nodeId(lb), label: "origin" });
    }
  }

  // Security-group membership: which nodes sit behind which group.
  const members = new Map<string, string[]>();
  const join = (groups: unknown, address: string): void => {
    for (const sg of refsOf(groups)) members.set(sg, [...(members.get(sg) ?? []), nodeId(address)]);
  };
  for (const [address, b] of all("aws_instance")) join(b.vpc_security_group_ids ?? eniOf(b)?.security_groups, address);
  for (const [address, b] of all("aws_lb")) join(b.security_groups, address);
  for (const [address, b] of all("aws_db_instance")) join(b.vpc_security_group_ids, address);
  for (const [address, b] of all("aws_elasticache_replication_group")) join(b.security_group_ids, address);
  for (const [address, b] of all("aws_autoscaling_group")) {
    const lt = get(refOf(blocks(b.launch_template)[0]?.id));
    join(lt?.vpc_security_group_ids ?? blocks(lt?.network_interfaces)[0]?.security_groups, address);
  }
  const byIp = new Map<string, string>();
  for (const n of nodes) {
    const ip = /<br\/>(\d+\.\d+\.\d+\.\d+)$/.exec(n.label)?.[1];
    if (ip) byIp.set(`${ip}/32`, n.id);
  }
  const external = (cidr: string): string => {
    const address = cidr === "0.0.0.0/0" || cidr === "::/0" ? "internet" : `cidr:${cidr}`;
    if (!nodes.some((n) => n.address === address)) nodes.push({ id: nodeId(address), address, kind: "external", label: address === "internet" ? "internet" : cidr });
    return nodeId(address);
  };

  const flows = new Map<string, Set<string>>();
  for (const [, rule] of all("aws_vpc_security_group_ingress_rule")) {
    const targets = members.get(refOf(rule.security_group_id) ?? "") ?? [];
    const port = String(rule.ip_protocol) === "-1" ? "all" : rule.from_port === rule.to_port ? `${String(rule.ip_protocol)} ${String(rule.from_port)}` : `${String(rule.ip_protocol)} ${String(rule.from_port)}-${String(rule.to_port)}`;
    const cidr = String(rule.cidr_ipv4 ?? rule.cidr_ipv6 ?? "");
    const sources = rule.referenced_security_group_id ? members.get(refOf(rule.referenced_security_group_id) ?? "") ?? [] : cidr ? [byIp.get(cidr) ?? external(cidr)] : [];
    for (const from of sources) for (const to of targets) if (from !== to) flows.set(`${from} ${to}`, (flows.get(`${from} ${to}`) ?? new Set()).add(port));
  }
  for (const [key, ports] of flows) {
    const [from, to] = key.split(" ");
    edges.push({ from, to, label: [...ports].sort().join(", ") });
  }
  for (const [, b] of all("aws_vpc_peering_connection")) {
    const a = refOf(b.vpc_id);
    const p = refOf(b.peer_vpc_id);
    if (a && p) edges.push({ from: nodeId(a), to: nodeId(p), label: "VPC peering", dotted: true });
  }

  return { nodes, edges, mermaid: render(nodes, edges, all("aws_vpc")) };
}

function text(label: string): string {
  return `"${label.replace(/"/g, "#quot;")}"`;
}

const SHAPES: Record<NodeKind, [string, string]> = {
  host: ["[", "]"],
  asg: ["[[", "]]"],
  "load balancer": ["{{", "}}"],
  database: ["[(", ")]"],
  cache: ["[(", ")]"],
  bucket: ["[(", ")]"],
  "elastic ip": ["([", "])"],
  cdn: ["{{", "}}"],
  external: ["((", "))"],
};

function render(nodes: readonly DiagramNode[], edges: readonly DiagramEdge[], vpcs: [string, Block][]): string {
  const lines = ["flowchart LR"];
  const node = (n: DiagramNode, indent: string): string => `${indent}${n.id}${SHAPES[n.kind][0]}${text(n.label)}${SHAPES[n.kind][1]}`;
  const regions = [...new Set(nodes.map((n) => n.region).filter((r): r is string => r !== undefined))];
  for (const n of nodes.filter((x) => x.region === undefined)) lines.push(node(n, "  "));
  for (const region of regions) {
    lines.push(`  subgraph ${nodeId(`region.${region}`)}[${text(region)}]`);
    const inRegion = nodes.filter((n) => n.region === region);
    for (const n of inRegion.filter((x) => !x.vpc)) lines.push(node(n, "    "));
    const vpcIds = [...new Set(inRegion.map((n) => n.vpc).filter((v): v is string => v !== undefined))];
    for (const vpc of vpcIds) {
      const b = vpcs.find(([a]) => a === vpc)?.[1] ?? {};
      lines.push(`    subgraph ${nodeId(vpc)}[${text(`VPC ${String((b.tags as Block | undefined)?.Name ?? vpc)} ${String(b.cidr_block ?? "")}`.trim())}]`);
      const inVpc = inRegion.filter((n) => n.vpc === vpc);
      for (const tier of [...new Set(inVpc.map((n) => n.tier ?? "subnet"))]) {
        lines.push(`      subgraph ${nodeId(`${vpc}.${tier}`)}[${text(tier)}]`);
        for (const n of inVpc.filter((x) => (x.tier ?? "subnet") === tier)) lines.push(node(n, "        "));
        lines.push("      end");
      }
      lines.push("    end");
    }
    lines.push("  end");
  }
  for (const e of edges) {
    const arrow = e.dotted ? "-.->" : "-->";
    lines.push(e.label ? `  ${e.from} ${arrow}|${text(e.label)}| ${e.to}` : `  ${e.from} ${arrow} ${e.to}`);
  }
  return lines.join("\n") + "\n";
}
