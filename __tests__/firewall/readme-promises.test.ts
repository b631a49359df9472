/**
 * Firewall in a stack of its own: every promise of modules/firewall/README.md, asserted on the
 * synthesized JSON (test names quote the README). Each test synthesizes its own stack, so mutation
 * testing's per-test coverage can tell the tests apart.
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Firewall, FirewallProps, PUBLIC_ENTRY_JUSTIFICATION, Peer, Port } from "../../modules/firewall";
import { enforcePolicy, StackEvaluation } from "../../modules/policy";

type Json = Record<string, any>;

const PROPS: FirewallProps = { vpcId: "vpc-1", name: "shop-web", description: "Web servers: HTTP from the load balancer only" };

function synth(build: (stack: TerraformStack) => void, runValidations = false): Json {
  const app = Testing.app();
  const stack = new TerraformStack(app, "firewall-test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  build(stack);
  return JSON.parse(Testing.synth(stack, runValidations));
}
/** cdk.tf.json as `cdktf synth` writes it (Testing.synth drops the `//` metadata blocks). */
function synthToDisk(build: (stack: TerraformStack) => void): Json {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "firewall-readme-"));
  try {
    const app = new App({ outdir, stackTraces: false });
    const stack = new TerraformStack(app, "firewall-test");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    build(stack);
    app.synth();
    return JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "firewall-test", "cdk.tf.json"), "utf8"));
  } finally {
    fs.rmSync(outdir, { recursive: true, force: true });
  }
}
const rules = (json: Json, type: "ingress" | "egress"): [string, Json][] => Object.entries(json.resource?.[`aws_vpc_security_group_${type}_rule`] ?? {});
const ruleValues = (json: Json, type: "ingress" | "egress"): Json[] => rules(json, type).map(([, r]) => r);
const groupRef = (json: Json, suffix = ""): string => {
  const names = Object.keys(json.resource.aws_security_group).filter((n) => n.includes(suffix));
  if (names.length !== 1) throw new Error(`expected one security group matching ${suffix}, found ${names.length}`);
  return `\${aws_security_group.${names[0]}.id}`;
};

/** Synthesizes with the policy gate; returns the evaluation and the error, if synth stopped. */
function gated(build: (stack: TerraformStack) => void): { evaluation: StackEvaluation; error?: Error } {
  const evaluations: StackEvaluation[] = [];
  let error: Error | undefined;
  try {
    synth((s) => {
      build(s);
      enforcePolicy(s, { report: (e) => evaluations.push(e) });
    }, true);
  } catch (e) {
    error = e as Error;
  }
  return { evaluation: evaluations[0], error };
}

describe("Firewall (modules/firewall/README.md)", () => {
  it("\"rules are separate `aws_vpc_security_group_ingress_rule` / `aws_vpc_security_group_egress_rule` resources, each with a description\"", () => {
    const json = synth((s) =>
      new Firewall(s, "fw", PROPS)
        .allowFrom(Peer.ipv4("10.0.0.0/24"), Port.tcp(80), "HTTP from the app range")
        .allowTo(Peer.ipv4("10.0.1.0/24"), Port.tcp(5432), "PostgreSQL to the data range"),
    );
    const group = Object.values(json.resource.aws_security_group)[0] as Json;
    expect(group.ingress).toBeUndefined();
    expect(group.egress).toBeUndefined();
    const all = [...ruleValues(json, "ingress"), ...ruleValues(json, "egress")];
    expect(all).toHaveLength(4);
    for (const rule of all) {
      expect(rule.description).toEqual(expect.any(String));
      expect(rule.description.length).toBeGreaterThan(0);
      expect(rule.security_group_id).toBe(groupRef(json));
    }
  });

  it("\"no rule exists unless a module asks for it, outbound included\": `allowWebEgress: false` and no calls write no rule", () => {
    const json = synth((s) => new Firewall(s, "fw", { ...PROPS, allowWebEgress: false }));
    expect(rules(json, "ingress")).toEqual([]);
    expect(rules(json, "egress")).toEqual([]);
    expect(Object.keys(json.resource.aws_security_group)).toHaveLength(1);
  });

  it("\"the group's `description` … and `Name` tag, `create_before_destroy` on the group\"", () => {
    const json = synth((s) => new Firewall(s, "fw", PROPS));
    const group = Object.values(json.resource.aws_security_group)[0] as Json;
    expect(group).toMatchObject({ name: "shop-web", vpc_id: "vpc-1", description: PROPS.description, tags: { Name: "shop-web" }, lifecycle: { create_before_destroy: true } });
  });

  it("\"by default only outbound 80/443 to `0.0.0.0/0`\"; no ingress", () => {
    const json = synth((s) => new Firewall(s, "fw", PROPS));
    expect(rules(json, "ingress")).toEqual([]);
    const egress = ruleValues(json, "egress");
    expect(egress.map((r) => [r.ip_protocol, r.from_port, r.to_port, r.cidr_ipv4]).sort()).toEqual([
      ["tcp", 443, 443, "0.0.0.0/0"],
      ["tcp", 80, 80, "0.0.0.0/0"],
    ]);
  });

  it("\"`allowFrom(peer, port, description)` | one ingress rule from `peer`\"; \"`allowTo(peer, port, description)` | one egress rule to `peer`\"", () => {
    const json = synth((s) =>
      new Firewall(s, "fw", { ...PROPS, allowWebEgress: false })
        .allowFrom(Peer.ipv4("203.0.113.0/24"), Port.tcp(22), "SSH from the admin range")
        .allowTo(Peer.host("10.0.2.5"), Port.udp(514), "Syslog to the collector"),
    );
    expect(ruleValues(json, "ingress")).toEqual([
      { security_group_id: groupRef(json), description: "SSH from the admin range", ip_protocol: "tcp", from_port: 22, to_port: 22, cidr_ipv4: "203.0.113.0/24" },
    ]);
    expect(ruleValues(json, "egress")).toEqual([
      { security_group_id: groupRef(json), description: "Syslog to the collector", ip_protocol: "udp", from_port: 514, to_port: 514, cidr_ipv4: "10.0.2.5/32" },
    ]);
  });

  it("\"`connectFrom(source, port, description)` | both sides: ingress here referencing `source`'s group, egress on `source` referencing this group\"", () => {
    const json = synth((s) => {
      const lb = new Firewall(s, "lb", { ...PROPS, name: "shop-lb", description: "Load balancer: HTTPS from the internet", allowWebEgress: false });
      new Firewall(s, "web", { ...PROPS, allowWebEgress: false }).connectFrom(lb, Port.tcp(80), "HTTP from the load balancer");
    });
    const [ingress] = ruleValues(json, "ingress");
    const [egress] = ruleValues(json, "egress");
    expect(ruleValues(json, "ingress")).toHaveLength(1);
    expect(ruleValues(json, "egress")).toHaveLength(1);
    expect(ingress).toMatchObject({ security_group_id: groupRef(json, "web_"), referenced_security_group_id: groupRef(json, "lb_"), from_port: 80, to_port: 80 });
    expect(egress).toMatchObject({ security_group_id: groupRef(json, "lb_"), referenced_security_group_id: groupRef(json, "web_"), from_port: 80, to_port: 80 });
    expect(ingress.cidr_ipv4).toBeUndefined();
    expect(egress.cidr_ipv4).toBeUndefined();
  });

  it("\"`allowFromInternet(port, description, justification)` | ingress from `0.0.0.0/0` plus an audited suppression\": `\"//\": {\"policy_suppressions\": …}` with `rule_id`, `reason`, `applied_at`", () => {
    const json = synthToDisk((s) => new Firewall(s, "fw", PROPS).allowFromInternet(Port.tcp(443), "HTTPS from the internet", PUBLIC_ENTRY_JUSTIFICATION));
    const [[, rule]] = rules(json, "ingress");
    expect(rule).toMatchObject({ cidr_ipv4: "0.0.0.0/0", from_port: 443, to_port: 443, ip_protocol: "tcp" });
    expect(rule["//"].policy_suppressions).toEqual([
      { rule_id: "SG-NO-PUBLIC-INGRESS", reason: PUBLIC_ENTRY_JUSTIFICATION, applied_at: "firewall-test/fw/in-tcp-443-https-from-the-internet" },
    ]);
  });

  it("\"shows as `SUPPRESSED` in `npm run policy`\": the gate passes and counts the finding as suppressed", () => {
    const { evaluation, error } = gated((s) => new Firewall(s, "fw", PROPS).allowFromInternet(Port.tcp(443), "HTTPS from the internet", PUBLIC_ENTRY_JUSTIFICATION));
    expect(error).toBeUndefined();
    const findings = evaluation.findings.filter((f) => f.ruleId === "SG-NO-PUBLIC-INGRESS");
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ suppressed: true, suppressionReason: PUBLIC_ENTRY_JUSTIFICATION });
  });

  it("\"`allowFrom(Peer.anyIpv4(), …)` carries no justification, so the policy pack stops synth with an `SG-NO-PUBLIC-INGRESS` error\"", () => {
    const { evaluation, error } = gated((s) => new Firewall(s, "fw", PROPS).allowFrom(Peer.anyIpv4(), Port.tcp(443), "HTTPS from the internet"));
    expect(error?.message).toMatch(/SG-NO-PUBLIC-INGRESS/);
    expect(evaluation.findings.filter((f) => f.ruleId === "SG-NO-PUBLIC-INGRESS" && !f.suppressed)).toHaveLength(1);
  });

  it("\"Rule ids derive from the rule (`in-tcp-443-https-from-the-internet`: direction, port, description slug of up to 48 characters)\"", () => {
    const long = "SSH from the operators' admin range in the head office building";
    const json = synthToDisk((s) =>
      new Firewall(s, "fw", PROPS)
        .allowFromInternet(Port.tcp(443), "HTTPS from the internet", PUBLIC_ENTRY_JUSTIFICATION)
        .allowFrom(Peer.ipv4("203.0.113.0/24"), Port.tcp(22), long)
        .allowFrom(Peer.host("10.0.0.5"), Port.vrrp(), "VRRP from the peer"),
    );
    const paths = rules(json, "ingress").map(([, r]) => r["//"].metadata.path.split("/").pop());
    const slug = long.toLowerCase().replace(/[^a-z0-9]+/g, "-").slice(0, 48);
    expect(slug).toHaveLength(48);
    expect(paths.sort()).toEqual(["in-tcp-22-" + slug, "in-tcp-443-https-from-the-internet", "in-vrrp-vrrp-from-the-peer"].sort());
    const egressPaths = rules(json, "egress").map(([, r]) => r["//"].metadata.path.split("/").pop());
    expect(egressPaths.sort()).toEqual(["out-tcp-443-https-out-package-mirrors-and-aws-apis", "out-tcp-80-http-out-debian-package-mirrors"]);
  });

  it("\"reordering code never renames, i.e. replaces, a rule\": the same rules in another order synthesize the same resource names", () => {
    const a = (f: Firewall) => f.allowFrom(Peer.ipv4("10.0.0.0/24"), Port.tcp(80), "HTTP from the app range");
    const b = (f: Firewall) => f.allowFrom(Peer.ipv4("10.0.1.0/24"), Port.tcp(22), "SSH from the admin range");
    const one = synth((s) => b(a(new Firewall(s, "fw", PROPS))));
    const other = synth((s) => a(b(new Firewall(s, "fw", PROPS))));
    expect(Object.fromEntries(rules(other, "ingress"))).toEqual(Object.fromEntries(rules(one, "ingress")));
  });

  it("\"Two rules with the same direction, port and description collide\"; naming the source in the description resolves it", () => {
    expect(() =>
      synth((s) =>
        new Firewall(s, "fw", PROPS)
          .allowFrom(Peer.ipv4("10.0.0.0/24"), Port.tcp(22), "SSH from the admin range")
          .allowFrom(Peer.ipv4("10.0.1.0/24"), Port.tcp(22), "SSH from the admin range"),
      ),
    ).toThrow(/There is already a Construct with name 'in-tcp-22-ssh-from-the-admin-range'/);
    const json = synth((s) =>
      new Firewall(s, "fw", PROPS)
        .allowFrom(Peer.ipv4("10.0.0.0/24"), Port.tcp(22), "SSH from admin range 10.0.0.0/24")
        .allowFrom(Peer.ipv4("10.0.1.0/24"), Port.tcp(22), "SSH from admin range 10.0.1.0/24"),
    );
    expect(rules(json, "ingress")).toHaveLength(2);
  });

  it("\"Changing a rule's description replaces that rule (its id changes); the group and other rules stay\"", () => {
    const build = (description: string) =>
      synth((s) => new Firewall(s, "fw", PROPS).allowFrom(Peer.ipv4("10.0.0.0/24"), Port.tcp(80), description).allowFrom(Peer.ipv4("10.0.1.0/24"), Port.tcp(22), "SSH from the admin range"));
    const before = build("HTTP from the app range");
    const after = build("HTTP from the application range");
    expect(Object.keys(after.resource.aws_security_group)).toEqual(Object.keys(before.resource.aws_security_group));
    const names = (json: Json) => rules(json, "ingress").map(([n]) => n);
    const kept = names(before).filter((n) => names(after).includes(n));
    expect(kept).toHaveLength(1);
    expect(kept[0]).toMatch(/ssh-from-the-admin-range/);
    expect(names(after).filter((n) => !names(before).includes(n))).toHaveLength(1);
    expect(Object.keys(egressOf(after))).toEqual(Object.keys(egressOf(before)));
  });

  it("factories, \"never free strings\": `Peer.host(ip)` (a /32), `Peer.anyIpv4()`, `Peer.securityGroup(groupId)`, `Port.udp(n)`, `Port.vrrp()` (IP protocol 112), `Port.allTraffic()`", () => {
    const json = synth((s) =>
      new Firewall(s, "fw", { ...PROPS, allowWebEgress: false })
        .allowFrom(Peer.host("10.0.0.5"), Port.vrrp(), "VRRP from the peer")
        .allowFrom(Peer.securityGroup("sg-0123456789abcdef0"), Port.udp(53), "DNS from the resolver group")
        .allowTo(Peer.ipv4("10.0.0.0/16"), Port.allTraffic(), "Everything to the VPC")
        .allowTo(Peer.anyIpv4(), Port.tcp(123), "NTP over TCP to anywhere"),
    );
    const ingress = ruleValues(json, "ingress");
    expect(ingress.find((r) => r.ip_protocol === "112")).toMatchObject({ cidr_ipv4: "10.0.0.5/32" });
    expect(ingress.find((r) => r.ip_protocol === "112")!.from_port).toBeUndefined();
    expect(ingress.find((r) => r.ip_protocol === "udp")).toMatchObject({ referenced_security_group_id: "sg-0123456789abcdef0", from_port: 53, to_port: 53 });
    const egress = ruleValues(json, "egress");
    expect(egress.find((r) => r.ip_protocol === "-1")).toMatchObject({ cidr_ipv4: "10.0.0.0/16" });
    expect(egress.find((r) => r.ip_protocol === "-1")!.from_port).toBeUndefined();
    expect(egress.find((r) => r.ip_protocol === "tcp")).toMatchObject({ cidr_ipv4: "0.0.0.0/0", from_port: 123 });
  });

  it("\"`Peer.prefixList(id)` (a managed prefix list such as CloudFront's origin-facing servers; a concrete id must look like `pl-3b927c52`)\"", () => {
    const json = synth((s) => new Firewall(s, "fw", { ...PROPS, allowWebEgress: false }).allowFrom(Peer.prefixList("pl-3b927c52"), Port.tcp(443), "HTTPS from CloudFront origin-facing servers"));
    const [rule] = ruleValues(json, "ingress");
    expect(rule).toMatchObject({ prefix_list_id: "pl-3b927c52", from_port: 443 });
    expect(rule.cidr_ipv4).toBeUndefined();
    expect(rule.referenced_security_group_id).toBeUndefined();
    expect(() => Peer.prefixList("3b927c52")).toThrow(/peer prefix list: "3b927c52" is not allowed; expected a prefix list id such as pl-3b927c52/);
    expect(() => Peer.prefixList("pl-XYZ")).toThrow(/peer prefix list/);
  });

  it("\"Concrete CIDRs are validated; tokens pass through\"", () => {
    expect(() => Peer.ipv4("10.0.0.1/24")).toThrow(/peer cidr: "10\.0\.0\.1\/24" is not allowed/);
    const json = synth((s) => {
      const other = new Firewall(s, "other", { ...PROPS, name: "other", allowWebEgress: false });
      new Firewall(s, "fw", { ...PROPS, allowWebEgress: false }).allowFrom(Peer.ipv4(`${other.securityGroupId}`), Port.tcp(80), "HTTP from a computed range");
    });
    expect(ruleValues(json, "ingress")[0].cidr_ipv4).toMatch(/^\$\{aws_security_group\./);
  });

  it.each([
    ["`<id>.description`: shorter than 10 characters (e.g. `\"short\"`)", (s: TerraformStack) => new Firewall(s, "fw", { ...PROPS, description: "short" }), /fw\.description: "short" is not allowed; expected a description of at least 10 characters/],
    ["`<id>.allowFrom(description)`: an empty rule description", (s: TerraformStack) => new Firewall(s, "fw", PROPS).allowFrom(Peer.host("10.0.0.1"), Port.tcp(22), " "), /fw\.allowFrom\(description\): " " is not allowed; expected a non-empty description/],
    ["`<id>.allowTo(description)`: an empty rule description", (s: TerraformStack) => new Firewall(s, "fw", PROPS).allowTo(Peer.host("10.0.0.1"), Port.tcp(22), ""), /fw\.allowTo\(description\): "" is not allowed/],
    ["empty description also from `allowFromInternet`", (s: TerraformStack) => new Firewall(s, "fw", PROPS).allowFromInternet(Port.tcp(443), "", PUBLIC_ENTRY_JUSTIFICATION), /fw\.allowFrom\(description\): "" is not allowed/],
    ["empty description also from `connectFrom`", (s: TerraformStack) => new Firewall(s, "fw", PROPS).connectFrom(new Firewall(s, "lb", { ...PROPS, name: "lb" }), Port.tcp(80), ""), /fw\.allowFrom\(description\): "" is not allowed/],
    ["`suppress(<path>, SG-NO-PUBLIC-INGRESS).reason`: an `allowFromInternet` justification shorter than 10 characters", (s: TerraformStack) => new Firewall(s, "fw", PROPS).allowFromInternet(Port.tcp(443), "HTTPS from the internet", "public"), /suppress\(firewall-test\/fw\/in-tcp-443-https-from-the-internet, SG-NO-PUBLIC-INGRESS\)\.reason: "public" is not allowed/],
    ["`peer cidr: \"10.0.0.0/40\" is not allowed`: `Peer.ipv4`", () => Peer.ipv4("10.0.0.0/40"), /peer cidr: "10\.0\.0\.0\/40" is not allowed/],
    ["`peer cidr` … `Peer.host` with a malformed concrete address", () => Peer.host("10.0.0.256"), /peer cidr: "10\.0\.0\.256\/32" is not allowed/],
    ["`port: 70000 is not allowed`: `Port.tcp`", () => Port.tcp(70000), /port: 70000 is not allowed/],
    ["`Port.udp` outside 0–65535", () => Port.udp(-1), /port: -1 is not allowed/],
    ["`Port.tcp` not an integer", () => Port.tcp(22.5), /port: 22\.5 is not allowed/],
  ])("validation error %s", (_label, make, message) => {
    expect(() => synth((s) => make(s))).toThrow(message);
  });

  it("ports 0 and 65535 are accepted (the range is inclusive)", () => {
    expect(Port.tcp(0).fromPort).toBe(0);
    expect(Port.udp(65535).toPort).toBe(65535);
  });
});

function egressOf(json: Json): Record<string, Json> {
  return json.resource.aws_vpc_security_group_egress_rule ?? {};
}
