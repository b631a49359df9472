/**
 * tier-firewalls.ts: the security-group chain of one region, rule by rule (README: "CloudFront's origin-facing
 * prefix list → frontend ALB (HTTPS only), internet → backend ALB; ALB → hosts; bastion → hosts (SSH); backend → cache").
 */
import { TierFirewalls, TierFirewallsProps } from "../../modules/warm-standby/tier-firewalls";
import { resourcesOf } from "../support/synth";
import { expectInvalid, newStack, synth } from "./fleet-support";

type Rule = { group: string; description: string; port: string; cidr?: string; peer?: string; prefixList?: string };

const BASE: TierFirewallsProps = { vpcId: "vpc-0123456789abcdef0", name: "acme" };

function build(props: Partial<TierFirewallsProps> = {}) {
  const stack = newStack();
  const firewalls = new TierFirewalls(stack, "fw", { ...BASE, ...props });
  const typed = { frontendAlb: firewalls.frontendAlb, backendAlb: firewalls.backendAlb, frontend: firewalls.frontend, backend: firewalls.backend, cache: firewalls.cache, bastion: firewalls.bastion };
  const { json, values } = synth(stack, Object.fromEntries(Object.entries(typed).filter(([, f]) => f !== undefined).map(([k, f]) => [k, f!.securityGroupId])));
  const groupNameById = new Map(resourcesOf(json, "aws_security_group").map(([id, g]) => [`\${aws_security_group.${id}.id}`, g.name as string]));
  const groupOf = (ref: string) => {
    const name = groupNameById.get(ref);
    if (!name) throw new Error(`no group ${ref}`);
    return name;
  };
  const rules = (type: string): Rule[] =>
    resourcesOf(json, type)
      .map(([, r]) => {
        expect(r.from_port).toBe(r.to_port);
        expect(r.ip_protocol).toBe("tcp");
        return {
          group: groupOf(r.security_group_id),
          description: r.description,
          port: `${r.ip_protocol}/${r.from_port}`,
          ...(r.cidr_ipv4 === undefined ? {} : { cidr: r.cidr_ipv4 }),
          ...(r.referenced_security_group_id === undefined ? {} : { peer: groupOf(r.referenced_security_group_id) }),
          ...(r.prefix_list_id === undefined ? {} : { prefixList: r.prefix_list_id }),
        };
      })
      .sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
  const groups = Object.fromEntries(resourcesOf(json, "aws_security_group").map(([, g]) => [g.name, g]));
  /** The group names behind the typed securityGroupIds. */
  const typedGroups = Object.fromEntries(Object.entries(values).map(([k, v]) => [k, groupOf(v as string)]));
  return { firewalls, json, groups, ingress: rules("aws_vpc_security_group_ingress_rule"), egress: rules("aws_vpc_security_group_egress_rule"), typedGroups };
}
const sorted = (rules: Rule[]) => [...rules].sort((a, b) => JSON.stringify(a).localeCompare(JSON.stringify(b)));
const group = (name: string, description: string) => ({ vpc_id: "vpc-0123456789abcdef0", name, description, tags: { Name: name }, lifecycle: { create_before_destroy: true } });
const webOut = (g: string): Rule[] => [
  { group: g, description: "HTTPS out: package mirrors and AWS APIs", port: "tcp/443", cidr: "0.0.0.0/0" },
  { group: g, description: "HTTP out: Debian package mirrors", port: "tcp/80", cidr: "0.0.0.0/0" },
];


describe("the default chain (no bastion, no CloudFront prefix list, hosts on port 80)", () => {
  test("five groups: two load balancers, two host tiers, the cache; no bastion", () => {
    const { groups, firewalls } = build();
    expect(groups).toEqual({
      "acme-frontend-alb": group("acme-frontend-alb", "frontend load balancer: HTTP/HTTPS from the internet"),
      "acme-backend-alb": group("acme-backend-alb", "backend load balancer: HTTP/HTTPS from the internet"),
      "acme-frontend": group("acme-frontend", "frontend hosts: HTTP from the frontend load balancer only"),
      "acme-backend": group("acme-backend", "backend hosts: HTTP from the backend load balancer only"),
      "acme-cache": group("acme-cache", "Redis: TLS port from the backend hosts only"),
    });
    expect(firewalls.bastion).toBeUndefined();
  });
  test("ingress: only the load balancers from the internet (80, 443); each host tier from its load balancer; Redis (6379) from the backend only", () => {
    expect(build().ingress).toEqual(
      sorted([
        { group: "acme-frontend-alb", description: "HTTPS from the internet", port: "tcp/443", cidr: "0.0.0.0/0" },
        { group: "acme-frontend-alb", description: "HTTP from the internet, redirected to HTTPS", port: "tcp/80", cidr: "0.0.0.0/0" },
        { group: "acme-backend-alb", description: "HTTPS from the internet", port: "tcp/443", cidr: "0.0.0.0/0" },
        { group: "acme-backend-alb", description: "HTTP from the internet, redirected to HTTPS", port: "tcp/80", cidr: "0.0.0.0/0" },
        { group: "acme-frontend", description: "HTTP from the frontend load balancer", port: "tcp/80", peer: "acme-frontend-alb" },
        { group: "acme-backend", description: "HTTP from the backend load balancer", port: "tcp/80", peer: "acme-backend-alb" },
        { group: "acme-cache", description: "Redis from the backend hosts", port: "tcp/6379", peer: "acme-backend" },
      ]),
    );
  });
  test("egress: load balancers only to their hosts, hosts web out (packages, AWS APIs), backend to Redis; the cache sends nothing", () => {
    expect(build().egress).toEqual(
      sorted([
        { group: "acme-frontend-alb", description: "HTTP from the frontend load balancer", port: "tcp/80", peer: "acme-frontend" },
        { group: "acme-backend-alb", description: "HTTP from the backend load balancer", port: "tcp/80", peer: "acme-backend" },
        ...webOut("acme-frontend"),
        ...webOut("acme-backend"),
        { group: "acme-backend", description: "Redis from the backend hosts", port: "tcp/6379", peer: "acme-cache" },
      ]),
    );
  });
  test("the typed groups are the right ones", () => {
    expect(build().typedGroups).toEqual({ frontendAlb: "acme-frontend-alb", backendAlb: "acme-backend-alb", frontend: "acme-frontend", backend: "acme-backend", cache: "acme-cache" });
  });
});

describe("frontendAlbPrefixListId: only CloudFront's origin-facing servers reach the frontend load balancer, on HTTPS only", () => {
  test("the frontend load balancer's group and its single ingress rule; the backend load balancer stays open on 80/443", () => {
    const { groups, ingress, egress, typedGroups } = build({ frontendAlbPrefixListId: "pl-3b927c52" });
    expect(groups["acme-frontend-alb"]).toEqual(group("acme-frontend-alb", "frontend load balancer: HTTPS from CloudFront only"));
    expect(ingress.filter((r) => r.group === "acme-frontend-alb")).toEqual([{ group: "acme-frontend-alb", description: "HTTPS from CloudFront origin-facing servers", port: "tcp/443", prefixList: "pl-3b927c52" }]);
    expect(ingress.filter((r) => r.group === "acme-backend-alb")).toEqual(build().ingress.filter((r) => r.group === "acme-backend-alb"));
    expect(egress.filter((r) => r.group === "acme-frontend-alb")).toEqual([{ group: "acme-frontend-alb", description: "HTTP from the frontend load balancer", port: "tcp/80", peer: "acme-frontend" }]);
    expect(ingress.filter((r) => r.group === "acme-frontend")).toEqual([{ group: "acme-frontend", description: "HTTP from the frontend load balancer", port: "tcp/80", peer: "acme-frontend-alb" }]);
    expect(typedGroups.frontendAlb).toBe("acme-frontend-alb");
    expect(Object.keys(groups).sort()).toEqual(["acme-backend", "acme-backend-alb", "acme-cache", "acme-frontend", "acme-frontend-alb"]);
  });
});

describe("hostPort: port the hosts serve HTTP on behind the load balancers (@default 80)", () => {
  test("8080 moves both load balancer → host paths, nothing else", () => {
    const { ingress, egress } = build({ hostPort: 8080 });
    const moved = (rules: Rule[]) => rules.map((r) => (r.description.startsWith("HTTP from the") && r.description.endsWith("load balancer") ? { ...r, port: "tcp/8080" } : r));
    const defaults = build();
    expect(ingress).toEqual(sorted(moved(defaults.ingress)));
    expect(egress).toEqual(sorted(moved(defaults.egress)));
    expect(ingress.filter((r) => r.port === "tcp/8080")).toHaveLength(2);
  });
});

describe("bastion: SSH from the admin ranges, and from the bastion to the hosts (@default false)", () => {
  test("the bastion group, SSH from each admin range, SSH on to both host tiers; the typed bastion is that group", () => {
    const { groups, ingress, egress, typedGroups } = build({ bastion: true, adminCidrs: ["203.0.113.0/24", "198.51.100.7/32"] });
    expect(groups["acme-bastion"]).toEqual(group("acme-bastion", "bastion host: SSH from the admin ranges only"));
    expect(typedGroups).toEqual({ frontendAlb: "acme-frontend-alb", backendAlb: "acme-backend-alb", frontend: "acme-frontend", backend: "acme-backend", cache: "acme-cache", bastion: "acme-bastion" });
    const defaults = build();
    expect(ingress).toEqual(
      sorted([
        ...defaults.ingress,
        { group: "acme-bastion", description: "SSH from admin range 203.0.113.0/24", port: "tcp/22", cidr: "203.0.113.0/24" },
        { group: "acme-bastion", description: "SSH from admin range 198.51.100.7/32", port: "tcp/22", cidr: "198.51.100.7/32" },
        { group: "acme-frontend", description: "SSH from the bastion to the frontend hosts", port: "tcp/22", peer: "acme-bastion" },
        { group: "acme-backend", description: "SSH from the bastion to the backend hosts", port: "tcp/22", peer: "acme-bastion" },
      ]),
    );
    expect(egress).toEqual(
      sorted([
        ...defaults.egress,
        ...webOut("acme-bastion"),
        { group: "acme-bastion", description: "SSH from the bastion to the frontend hosts", port: "tcp/22", peer: "acme-frontend" },
        { group: "acme-bastion", description: "SSH from the bastion to the backend hosts", port: "tcp/22", peer: "acme-backend" },
      ]),
    );
  });
  test("bastion without admin ranges is refused", () => {
    expectInvalid(() => build({ bastion: true }), "fw.adminCidrs", [], "at least one admin CIDR when bastion is true");
    expectInvalid(() => build({ bastion: true, adminCidrs: [] }), "fw.adminCidrs", [], "at least one admin CIDR when bastion is true");
  });
  test("admin ranges without a bastion are refused (no SSH anywhere), bastion left out or false", () => {
    expectInvalid(() => build({ adminCidrs: ["203.0.113.0/24"] }), "fw.adminCidrs", ["203.0.113.0/24"], "nothing when bastion is false (no SSH anywhere)");
    expectInvalid(() => build({ bastion: false, adminCidrs: ["203.0.113.0/24"] }), "fw.adminCidrs", ["203.0.113.0/24"], "nothing when bastion is false (no SSH anywhere)");
  });
  test("admin ranges: /8 is the widest accepted, /7 is refused; /32 is accepted", () => {
    expect(build({ bastion: true, adminCidrs: ["10.0.0.0/8"] }).ingress).toContainEqual({ group: "acme-bastion", description: "SSH from admin range 10.0.0.0/8", port: "tcp/22", cidr: "10.0.0.0/8" });
    expect(build({ bastion: true, adminCidrs: ["10.0.0.1/32"] }).ingress).toContainEqual({ group: "acme-bastion", description: "SSH from admin range 10.0.0.1/32", port: "tcp/22", cidr: "10.0.0.1/32" });
    expectInvalid(() => build({ bastion: true, adminCidrs: ["10.0.0.0/8", "10.0.0.0/7"] }), "fw.adminCidrs", "10.0.0.0/7", "an IPv4 CIDR no wider than /8");
    expectInvalid(() => build({ bastion: true, adminCidrs: ["0.0.0.0/0"] }), "fw.adminCidrs", "0.0.0.0/0", "an IPv4 CIDR no wider than /8");
  });
  test("a malformed admin range is refused with the CIDR problem", () => {
    expectInvalid(() => build({ bastion: true, adminCidrs: ["10.0.0.1/24"] }), "fw.adminCidrs", "10.0.0.1/24", "an IPv4 CIDR no wider than /8 (host bits are set (the network address is 10.0.0.0/24))");
    expectInvalid(() => build({ bastion: true, adminCidrs: ["office"] }), "fw.adminCidrs", "office", "an IPv4 CIDR no wider than /8 (not in the form a.b.c.d/n)");
  });
});
