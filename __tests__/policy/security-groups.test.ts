import { SgDefaultClosed } from "../../modules/policy/rules/ec2/SgDefaultClosed";
import { SgDescription } from "../../modules/policy/rules/ec2/SgDescription";
import { SgNoPublicAllPorts } from "../../modules/policy/rules/ec2/SgNoPublicAllPorts";
import { SgNoPublicCache } from "../../modules/policy/rules/ec2/SgNoPublicCache";
import { SgNoPublicDatabase } from "../../modules/policy/rules/ec2/SgNoPublicDatabase";
import { SgNoPublicGrafana } from "../../modules/policy/rules/ec2/SgNoPublicGrafana";
import { SgNoPublicIngress } from "../../modules/policy/rules/ec2/SgNoPublicIngress";
import { SgNoPublicNodeExporter } from "../../modules/policy/rules/ec2/SgNoPublicNodeExporter";
import { SgNoPublicPrometheus } from "../../modules/policy/rules/ec2/SgNoPublicPrometheus";
import { SgNoPublicRdp } from "../../modules/policy/rules/ec2/SgNoPublicRdp";
import { SgNoPublicSsh } from "../../modules/policy/rules/ec2/SgNoPublicSsh";
import { SgRuleDescription } from "../../modules/policy/rules/ec2/SgRuleDescription";
import type { PolicyRule } from "../../modules/policy/types";
import { describeRules, failing, messages, RuleCase, tf } from "./fixtures";

const ADMIN = "198.51.100.0/24";

/** Inline ingress block as cdktf writes it (unset fields are null). */
function ingress(from: number, to: number, cidrs: string[], protocol = "tcp", ipv6: string[] = []): Record<string, unknown> {
  return { from_port: from, to_port: to, protocol, cidr_blocks: cidrs, ipv6_cidr_blocks: ipv6, description: "test rule", self: null, security_groups: null, prefix_list_ids: null };
}

/**
 * For a port rule: compliant = the port only from the admin CIDR or a security group;
 * non-compliant = the port from the internet in each of the three shapes (inline, aws_security_group_rule,
 * aws_vpc_security_group_ingress_rule over IPv6) plus a covering range.
 */
function portCase(rule: PolicyRule, port: number, protocol = "tcp"): RuleCase {
  return {
    rule,
    compliant: tf(
      ["aws_security_group", "admin_only", { description: "admin", ingress: [ingress(port, port, [ADMIN], protocol)] }],
      ["aws_security_group_rule", "from_sg", { type: "ingress", from_port: port, to_port: port, protocol, source_security_group_id: "${aws_security_group.admin_only.id}", security_group_id: "x" }],
      ["aws_vpc_security_group_ingress_rule", "other_port_public", { ip_protocol: "tcp", from_port: port + 1, to_port: port + 1, cidr_ipv4: "0.0.0.0/0", security_group_id: "x" }],
      ["aws_security_group_rule", "egress", { type: "egress", from_port: 0, to_port: 0, protocol: "-1", cidr_blocks: ["0.0.0.0/0"], security_group_id: "x" }],
    ),
    nonCompliant: tf(
      ["aws_security_group", "inline", { description: "bad", ingress: [ingress(443, 443, ["0.0.0.0/0"]), ingress(port, port, ["0.0.0.0/0"], protocol)] }],
      ["aws_security_group_rule", "range", { type: "ingress", from_port: port - 1, to_port: port + 1, protocol, cidr_blocks: ["0.0.0.0/0"], security_group_id: "x" }],
      ["aws_vpc_security_group_ingress_rule", "v6", { ip_protocol: protocol, from_port: port, to_port: port, cidr_ipv6: "::/0", security_group_id: "x" }],
      ["aws_security_group_rule", "admin", { type: "ingress", from_port: port, to_port: port, protocol, cidr_blocks: [ADMIN], security_group_id: "x" }],
    ),
    failing: ["aws_security_group.inline", "aws_security_group_rule.range", "aws_vpc_security_group_ingress_rule.v6"],
  };
}

describeRules([
  portCase(SgNoPublicSsh, 22),
  portCase(SgNoPublicRdp, 3389),
  portCase(SgNoPublicDatabase, 5432),
  portCase(SgNoPublicCache, 6379),
  portCase(SgNoPublicPrometheus, 9090),
  portCase(SgNoPublicNodeExporter, 9100),
  portCase(SgNoPublicGrafana, 3000),
  {
    rule: SgNoPublicIngress,
    compliant: tf(
      ["aws_security_group", "web", { description: "web", ingress: [ingress(80, 80, ["10.0.0.0/16"])] }],
      ["aws_vpc_security_group_ingress_rule", "admin", { ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: ADMIN, security_group_id: "x" }],
    ),
    nonCompliant: tf(
      ["aws_security_group", "lb", { description: "lb", ingress: [ingress(443, 443, ["0.0.0.0/0"], "tcp", ["::/0"])] }],
      ["aws_security_group_rule", "http", { type: "ingress", from_port: 80, to_port: 80, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"], security_group_id: "x" }],
      ["aws_security_group_rule", "private", { type: "ingress", from_port: 80, to_port: 80, protocol: "tcp", cidr_blocks: ["10.0.0.0/8"], security_group_id: "x" }],
    ),
    failing: ["aws_security_group.lb", "aws_security_group_rule.http"],
    texts: ["aws_security_group.lb: ingress[0] allows tcp 443 from 0.0.0.0/0, ::/0", "aws_security_group_rule.http: rule allows tcp 80 from 0.0.0.0/0"],
  },
  {
    rule: SgNoPublicAllPorts,
    compliant: tf(
      ["aws_security_group", "lb", { description: "lb", ingress: [ingress(443, 443, ["0.0.0.0/0"])] }],
      ["aws_security_group_rule", "internal_all", { type: "ingress", from_port: 0, to_port: 0, protocol: "-1", cidr_blocks: ["10.0.0.0/8"], security_group_id: "x" }],
    ),
    nonCompliant: tf(
      ["aws_security_group", "all", { description: "x", ingress: [ingress(0, 0, ["0.0.0.0/0"], "-1", ["::/0"])] }],
      ["aws_security_group_rule", "range", { type: "ingress", from_port: 0, to_port: 65535, protocol: "tcp", cidr_blocks: ["0.0.0.0/0"], security_group_id: "x" }],
      ["aws_vpc_security_group_ingress_rule", "v6", { ip_protocol: "-1", cidr_ipv6: "::/0", security_group_id: "x" }],
    ),
    failing: ["aws_security_group.all", "aws_security_group_rule.range", "aws_vpc_security_group_ingress_rule.v6"],
    texts: [
      "aws_security_group.all: ingress[0] allows every port (all) from 0.0.0.0/0, ::/0",
      "aws_security_group_rule.range: rule allows every port (tcp) from 0.0.0.0/0",
      "aws_vpc_security_group_ingress_rule.v6: rule allows every port (all) from ::/0",
    ],
  },
  {
    rule: SgDescription,
    compliant: tf(["aws_security_group", "web", { description: "web servers: 80 from the load balancers" }]),
    nonCompliant: tf(
      ["aws_security_group", "ok", { description: "ok group" }],
      ["aws_security_group", "none", {}],
      ["aws_security_group", "blank", { description: " " }],
      ["aws_security_group", "provider_default", { description: "Managed by Terraform" }],
    ),
    failing: ["aws_security_group.blank", "aws_security_group.none", "aws_security_group.provider_default"],
    texts: [
      "aws_security_group.blank: description is \" \"",
      "aws_security_group.none: description is unset",
      "aws_security_group.provider_default: description is \"Managed by Terraform\"",
    ],
  },
  {
    rule: SgRuleDescription,
    compliant: tf(
      ["aws_security_group", "web", { description: "web", ingress: [ingress(80, 80, [ADMIN])], egress: [{ ...ingress(0, 0, ["0.0.0.0/0"], "-1"), description: "all egress" }] }],
      ["aws_vpc_security_group_egress_rule", "out", { description: "https out", ip_protocol: "tcp", from_port: 443, to_port: 443 }],
    ),
    nonCompliant: tf(
      ["aws_security_group", "inline", { description: "x", ingress: [{ ...ingress(80, 80, [ADMIN]), description: null }] }],
      ["aws_security_group_rule", "rule", { type: "ingress", from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: [ADMIN] }],
      ["aws_vpc_security_group_ingress_rule", "v2", { ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: ADMIN, description: "" }],
      ["aws_vpc_security_group_egress_rule", "ok", { ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0", description: "all egress" }],
      ["aws_vpc_security_group_egress_rule", "bare_out", { ip_protocol: "-1", cidr_ipv4: "0.0.0.0/0" }],
    ),
    failing: ["aws_security_group.inline", "aws_security_group_rule.rule", "aws_vpc_security_group_egress_rule.bare_out", "aws_vpc_security_group_ingress_rule.v2"],
    texts: [
      "aws_security_group.inline: ingress[0] has no description",
      "aws_security_group_rule.rule: the rule has no description",
      "aws_vpc_security_group_egress_rule.bare_out: the rule has no description",
      "aws_vpc_security_group_ingress_rule.v2: the rule has no description",
    ],
  },
  {
    rule: SgDefaultClosed,
    compliant: tf(
      ["aws_vpc", "main", { cidr_block: "10.0.0.0/16" }],
      ["aws_default_security_group", "main", { vpc_id: "${aws_vpc.main.id}" }],
    ),
    nonCompliant: tf(
      ["aws_vpc", "unmanaged", { cidr_block: "10.1.0.0/16" }],
      ["aws_vpc", "managed_with_rules", { cidr_block: "10.2.0.0/16" }],
      ["aws_default_security_group", "with_rules", { vpc_id: "${aws_vpc.managed_with_rules.id}", ingress: [ingress(0, 0, [], "-1")] }],
      ["aws_vpc", "rule_added", { cidr_block: "10.3.0.0/16" }],
      ["aws_default_security_group", "closed", { vpc_id: "${aws_vpc.rule_added.id}" }],
      ["aws_security_group_rule", "sneaky", { type: "ingress", from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: [ADMIN], security_group_id: "${aws_vpc.rule_added.default_security_group_id}" }],
    ),
    failing: ["aws_default_security_group.with_rules", "aws_vpc.rule_added", "aws_vpc.unmanaged"],
    texts: [
      "aws_default_security_group.with_rules: it declares 1 ingress rule(s)",
      "aws_vpc.rule_added: aws_security_group_rule.sneaky adds a rule to the default security group",
      "aws_vpc.unmanaged: no aws_default_security_group manages this VPC's default group, so it keeps AWS's allow-all rules",
    ],
  },
]);

test("port findings name the rule entry, port and source", () => {
  const doc = tf(["aws_security_group", "sg", { description: "x", ingress: [ingress(22, 22, ["0.0.0.0/0"])] }]);
  expect(messages(SgNoPublicSsh, doc)).toEqual(["ingress[0] allows SSH (tcp 22) from 0.0.0.0/0"]);
});

describe("ingress in every shape the provider accepts", () => {
  const v4rule = (name: string, fields: Record<string, unknown>): [string, string, Record<string, unknown>] =>
    ["aws_vpc_security_group_ingress_rule", name, { security_group_id: "x", cidr_ipv4: "0.0.0.0/0", ...fields }];

  test("protocol numbers and letter case are understood: 6 is tcp, 17 udp, 1 icmp, -1 and all are everything", () => {
    const doc = tf(
      v4rule("six", { ip_protocol: "6", from_port: 22, to_port: 22 }),
      v4rule("upper", { ip_protocol: "TCP", from_port: 22, to_port: 22 }),
      v4rule("seventeen", { ip_protocol: "17", from_port: 3389, to_port: 3389 }),
      v4rule("one", { ip_protocol: "1", from_port: -1, to_port: -1 }),
      v4rule("minus_one", { ip_protocol: "-1" }),
      ["aws_security_group", "all", { description: "x", ingress: [ingress(0, 0, ["0.0.0.0/0"], "ALL")] }],
    );
    expect(messages(SgNoPublicIngress, doc)).toEqual([
      "rule allows tcp 22 from 0.0.0.0/0",
      "rule allows tcp 22 from 0.0.0.0/0",
      "rule allows udp 3389 from 0.0.0.0/0",
      "rule allows icmp -1 from 0.0.0.0/0",
      "rule allows all traffic from 0.0.0.0/0",
      "ingress[0] allows all traffic from 0.0.0.0/0",
    ]);
    expect(messages(SgNoPublicSsh, doc)).toEqual(["rule allows SSH (tcp 22) from 0.0.0.0/0", "rule allows SSH (tcp 22) from 0.0.0.0/0", "rule allows SSH (all 22) from 0.0.0.0/0", "ingress[0] allows SSH (all 22) from 0.0.0.0/0"]);
    expect(messages(SgNoPublicRdp, doc)).toEqual(["rule allows RDP (udp 3389) from 0.0.0.0/0", "rule allows RDP (all 3389) from 0.0.0.0/0", "ingress[0] allows RDP (all 3389) from 0.0.0.0/0"]);
  });

  test("a range is reported as a range; unknown bounds count as 0 and 65535", () => {
    const doc = tf(v4rule("range", { ip_protocol: "tcp", from_port: 80, to_port: 443 }), v4rule("unbounded", { ip_protocol: "tcp" }), v4rule("from_only", { ip_protocol: "tcp", from_port: 8000 }));
    expect(messages(SgNoPublicIngress, doc)).toEqual(["rule allows tcp 80-443 from 0.0.0.0/0", "rule allows tcp 0-65535 from 0.0.0.0/0", "rule allows tcp 8000-65535 from 0.0.0.0/0"]);
    expect(messages(SgNoPublicSsh, doc)).toEqual(["rule allows SSH (tcp 22) from 0.0.0.0/0"]);
    expect(messages(SgNoPublicAllPorts, doc)).toEqual(["rule allows every port (tcp) from 0.0.0.0/0"]);
  });

  test("a port range that ends at or starts on the port covers it; one just beside it does not", () => {
    const doc = tf(
      v4rule("ends_on", { ip_protocol: "tcp", from_port: 20, to_port: 22 }),
      v4rule("starts_on", { ip_protocol: "tcp", from_port: 22, to_port: 30 }),
      v4rule("below", { ip_protocol: "tcp", from_port: 10, to_port: 21 }),
      v4rule("above", { ip_protocol: "tcp", from_port: 23, to_port: 30 }),
    );
    expect(failing(SgNoPublicSsh, doc)).toEqual(["aws_vpc_security_group_ingress_rule.ends_on", "aws_vpc_security_group_ingress_rule.starts_on"]);
  });

  test("every port means tcp or udp from 0 or 1 up to 65535 (or protocol -1); icmp or a shorter range is not", () => {
    const doc = tf(
      v4rule("from_one", { ip_protocol: "tcp", from_port: 1, to_port: 65535 }),
      v4rule("udp_all", { ip_protocol: "udp", from_port: 0, to_port: 65535 }),
      v4rule("from_two", { ip_protocol: "tcp", from_port: 2, to_port: 65535 }),
      v4rule("to_65534", { ip_protocol: "tcp", from_port: 0, to_port: 65534 }),
      v4rule("icmp", { ip_protocol: "icmp", from_port: 0, to_port: 65535 }),
      v4rule("no_to", { ip_protocol: "tcp", from_port: 0 }),
    );
    expect(failing(SgNoPublicAllPorts, doc)).toEqual(["aws_vpc_security_group_ingress_rule.from_one", "aws_vpc_security_group_ingress_rule.no_to", "aws_vpc_security_group_ingress_rule.udp_all"]);
  });

  test("any /0 prefix is the internet, with surrounding spaces too; a longer prefix is not", () => {
    const doc = tf(["aws_security_group_rule", "r", { type: "ingress", from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: ["10.0.0.0/0", " 0.0.0.0/0 ", "10.0.0.0/10"], ipv6_cidr_blocks: ["::/0"], security_group_id: "x" }]);
    expect(messages(SgNoPublicSsh, doc)).toEqual(["rule allows SSH (tcp 22) from 10.0.0.0/0,  0.0.0.0/0 , ::/0"]);
  });

  test("each port rule covers every port and protocol its file lists", () => {
    const cases: [PolicyRule, string, number[], string[]][] = [
      [SgNoPublicSsh, "SSH", [22], ["tcp"]],
      [SgNoPublicRdp, "RDP", [3389], ["tcp", "udp"]],
      [SgNoPublicDatabase, "database", [3306, 5432, 1433, 1521, 27017, 5439, 9042], ["tcp"]],
      [SgNoPublicCache, "cache", [6379, 11211], ["tcp", "udp"]],
      [SgNoPublicPrometheus, "Prometheus", [9090], ["tcp"]],
      [SgNoPublicNodeExporter, "node_exporter", [9100], ["tcp"]],
      [SgNoPublicGrafana, "Grafana", [3000], ["tcp"]],
    ];
    for (const [rule, service, ports, protocols] of cases) {
      expect(rule.title).toBe(`No ${service} (${protocols.join("/")} ${ports.join(", ")}) ingress from 0.0.0.0/0 or ::/0`);
      expect(rule.severity).toBe("error");
      expect(rule.fix).toBe(`Allow ${service} only from a known CIDR (e.g. the admin CIDR) or from a security group, never 0.0.0.0/0 or ::/0.`);
      for (const protocol of protocols) {
        const doc = tf(v4rule("all", { ip_protocol: protocol, from_port: 0, to_port: 65535 }));
        expect(messages(rule, doc)).toEqual([`rule allows ${service} (${protocol} ${ports.join(", ")}) from 0.0.0.0/0`]);
      }
      if (!protocols.includes("udp")) expect(messages(rule, tf(v4rule("udp", { ip_protocol: "udp", from_port: 0, to_port: 65535 })))).toEqual([]);
    }
  });

  test("an ingress rule of the default security group is reported by its address", () => {
    const doc = tf(
      ["aws_vpc", "main", { cidr_block: "10.0.0.0/16" }],
      ["aws_default_security_group", "main", { vpc_id: "${aws_vpc.main.id}", egress: [ingress(0, 0, ["0.0.0.0/0"], "-1")] }],
      ["aws_vpc_security_group_ingress_rule", "added", { security_group_id: "${aws_vpc.main.default_security_group_id}", ip_protocol: "-1", cidr_ipv4: ADMIN }],
      ["aws_vpc_security_group_egress_rule", "added_out", { security_group_id: "${aws_vpc.main.default_security_group_id}", ip_protocol: "-1", cidr_ipv4: ADMIN }],
      ["aws_security_group_rule", "other_group", { type: "ingress", security_group_id: "${aws_security_group.web.id}", from_port: 22, to_port: 22, protocol: "tcp", cidr_blocks: [ADMIN] }],
    );
    expect(messages(SgDefaultClosed, doc)).toEqual([
      "aws_vpc_security_group_ingress_rule.added adds a rule to the default security group; aws_vpc_security_group_egress_rule.added_out adds a rule to the default security group",
      "it declares 1 egress rule(s)",
    ]);
    expect(messages(SgDefaultClosed, tf(["aws_vpc", "lonely", {}]))).toEqual(["no aws_default_security_group manages this VPC's default group, so it keeps AWS's allow-all rules"]);
  });
});
