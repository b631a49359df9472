/**
 * The review's pure logic on small hand-made plans: one fact per test (the
 * real-plan tests in review-plans.test.ts cover the whole path).
 */
import { changesOfPlan, comparePlans, dangerItems, ignoredChanges, exposureChanges, iamChanges, parsePlan, PlanResourceChange, ResourceChange, reviewMarkdown, reviewPlan, TfPlan } from "../../modules/review";
import { componentOf } from "../../modules/review/migration";

function rc(address: string, actions: string[], before: Record<string, unknown> | null, after: Record<string, unknown> | null, extra: { action_reason?: string; replace_paths?: string[][]; unknown?: Record<string, unknown> } = {}): PlanResourceChange {
  const [type, name] = address.split(".");
  return { address, mode: "managed", type, name, action_reason: extra.action_reason, change: { actions, before, after, after_unknown: extra.unknown ?? {}, replace_paths: extra.replace_paths } };
}

function plan(changes: PlanResourceChange[], expressions: Record<string, Record<string, unknown>> = {}): TfPlan {
  return {
    format_version: "1.2",
    resource_changes: changes,
    configuration: {
      provider_config: { aws: { expressions: { region: { constant_value: "us-east-1" } } } },
      root_module: { resources: changes.map((c) => ({ address: c.address, type: c.type, provider_config_key: "aws", expressions: expressions[c.address] ?? {} })) },
    },
  };
}

const POLICY = (statement: Record<string, unknown>): string => JSON.stringify({ Version: "2012-10-17", Statement: [statement] });

describe("a plan against real state", () => {
  const p = plan([
    rc("aws_instance.lb", ["delete", "create"], { private_ip: "10.0.0.10", instance_type: "t3.micro" }, { private_ip: "10.0.0.11", instance_type: "t3.micro" }, { action_reason: "replace_because_cannot_update", replace_paths: [["private_ip"]] }),
    rc("aws_db_instance.db", ["delete"], { identifier: "db" }, null),
    rc("aws_iam_role.r", ["no-op"], { name: "r" }, { name: "r" }),
  ]);
  const changes = changesOfPlan(p);

  it("takes the replacement's cause from replace_paths and action_reason", () => {
    expect(changes[0]).toMatchObject({ action: "replace", forcedBy: ["private_ip"], reason: "an attribute that cannot be updated in place changed" });
  });

  it("flags the replaced fixed-IP host and the destroyed database as DANGER, not the no-op", () => {
    expect(dangerItems(changes).map((d) => [d.address, d.action])).toEqual([["aws_instance.lb", "replace"], ["aws_db_instance.db", "delete"]]);
  });

  it("renders DANGER first and exits as DANGER", () => {
    const md = reviewMarkdown(reviewPlan({ stack: "s", plan: p }));
    expect(md.indexOf("DANGER: 2")).toBeLessThan(md.indexOf("| create |"));
    expect(md).toMatch(/\*\*DELETE\*\* `aws_db_instance.db` — database/);
  });
});

describe("two plans compared", () => {
  const base = plan([rc("aws_instance.web", ["create"], null, { instance_type: "t3.micro", user_data_replace_on_change: true }, { unknown: { user_data: true } })], { "aws_instance.web": { user_data: { constant_value: "#cloud-config\ninterface: ens5" } } });

  it("sees a changed template behind a value known only after apply, and replaces when user_data_replace_on_change is set", () => {
    const next = plan([rc("aws_instance.web", ["create"], null, { instance_type: "t2.micro", user_data_replace_on_change: true }, { unknown: { user_data: true } })], { "aws_instance.web": { user_data: { constant_value: "#cloud-config\ninterface: eth0" } } });
    const [c] = comparePlans(base, next);
    expect(c).toMatchObject({ action: "replace", changedAttributes: ["instance_type", "user_data"], forcedBy: ["user_data"] });
  });

  it("updates in place when only the instance type changes", () => {
    const next = plan([rc("aws_instance.web", ["create"], null, { instance_type: "t3.small", user_data_replace_on_change: true }, { unknown: { user_data: true } })], { "aws_instance.web": { user_data: { constant_value: "#cloud-config\ninterface: ens5" } } });
    expect(comparePlans(base, next)[0]).toMatchObject({ action: "update", changedAttributes: ["instance_type"], forcedBy: [] });
  });

  it("leaves out attributes under lifecycle.ignore_changes, as Terraform would with state", () => {
    const a = plan([rc("aws_instance.web", ["create"], null, { ami: "ami-00000000000000001", instance_type: "t3.micro" })]);
    const b = plan([rc("aws_instance.web", ["create"], null, { ami: "ami-00000000000000002", instance_type: "t3.micro" })]);
    expect(comparePlans(a, b)[0]).toMatchObject({ action: "replace", forcedBy: ["ami"] });
    const stack = { resource: { aws_instance: { web: { ami: "ami-00000000000000002", lifecycle: { ignore_changes: ["ami"] } } } } };
    expect(comparePlans(a, b, ignoredChanges(stack))[0]).toMatchObject({ action: "no-op" });
  });

  it("\"treats a type missing from the ForceNew list as \"replacement undetermined\"\": says so instead of guessing", () => {
    const a = plan([rc("aws_unknown_thing.x", ["create"], null, { size: 1 })]);
    const b = plan([rc("aws_unknown_thing.x", ["create"], null, { size: 2 })]);
    expect(comparePlans(a, b)[0]).toMatchObject({ action: "update", reason: expect.stringMatching(/not in the ForceNew list: .*undetermined/) });
  });

  it("lists resources only in the base as deletes and only in the new plan as creates", () => {
    const a = plan([rc("aws_s3_bucket.old", ["create"], null, { bucket: "old" })]);
    const b = plan([rc("aws_s3_bucket.new", ["create"], null, { bucket: "new" })]);
    expect(comparePlans(a, b).map((c) => [c.address, c.action]).sort()).toEqual([["aws_s3_bucket.new", "create"], ["aws_s3_bucket.old", "delete"]]);
  });
});

const change = (over: Partial<ResourceChange>): ResourceChange => ({ address: "x.y", type: "x", action: "update", before: null, after: null, unknownAfter: [], changedAttributes: [], forcedBy: [], providerKey: "aws", expressions: {}, ...over });

describe("exposure", () => {
  it("lists a rule widened to the internet as added and a deleted internet rule as removed", () => {
    const names = new Map([["aws_security_group.lb", "lb"]]);
    const widened = change({ address: "aws_vpc_security_group_ingress_rule.a", type: "aws_vpc_security_group_ingress_rule", before: { cidr_ipv4: "10.0.0.0/8", ip_protocol: "tcp", from_port: 22, to_port: 22 }, after: { cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 22, to_port: 22 }, expressions: { security_group_id: { references: ["aws_security_group.lb.id", "aws_security_group.lb"] } } });
    const deleted = change({ address: "aws_vpc_security_group_ingress_rule.b", type: "aws_vpc_security_group_ingress_rule", action: "delete", before: { cidr_ipv6: "::/0", ip_protocol: "-1" }, beforeExpressions: { security_group_id: { constant_value: "${aws_security_group.lb.id}" } } });
    expect(exposureChanges([widened, deleted], names).map((e) => `${e.change}: ${e.detail}`)).toEqual([
      "added: tcp 22 from 0.0.0.0/0 to lb",
      "removed: all protocols and ports from ::/0 to lb",
    ]);
  });
});

describe("IAM", () => {
  const role = (policy: Record<string, unknown>[]): Record<string, unknown> => ({ policy: JSON.stringify({ Version: "2012-10-17", Statement: policy }) });

  it("reports new actions, new resources and dropped conditions of the same statement as widened", () => {
    const before = role([{ Sid: "S", Effect: "Allow", Action: "s3:GetObject", Resource: "arn:aws:s3:::a/*", Condition: { Bool: { "aws:SecureTransport": "true" } } }]);
    const after = role([{ Sid: "S", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: ["arn:aws:s3:::a/*", "arn:aws:s3:::b/*"] }]);
    const [c] = iamChanges([change({ address: "aws_iam_role_policy.p", type: "aws_iam_role_policy", before, after })]);
    expect(c).toMatchObject({ change: "widened", added: { actions: ["s3:PutObject"], resources: ["arn:aws:s3:::b/*"], conditionsDropped: ["Bool aws:SecureTransport = true"] } });
  });

  it("reports a narrowed statement as nothing to approve, and a new statement as added", () => {
    const before = role([{ Sid: "S", Effect: "Allow", Action: ["s3:GetObject", "s3:PutObject"], Resource: "*" }]);
    const after = role([{ Sid: "S", Effect: "Allow", Action: "s3:GetObject", Resource: "*" }, { Effect: "Allow", Action: "kms:Decrypt", Resource: "*" }]);
    expect(iamChanges([change({ address: "aws_iam_role_policy.p", type: "aws_iam_role_policy", before, after })]).map((c) => c.change)).toEqual(["added"]);
  });

  it("reads a policy known only after apply from its template; \"policy documents built only from data sources are reported as unreadable\"", () => {
    const created = change({ address: "aws_iam_role_policy.p", type: "aws_iam_role_policy", action: "create", after: {}, expressions: { policy: { constant_value: POLICY({ Effect: "Allow", Action: "ec2:AssociateAddress", Resource: "${aws_eip.x.arn}" }) } } });
    expect(iamChanges([created])[0]).toMatchObject({ change: "added", statement: { actions: ["ec2:AssociateAddress"], resources: ["${aws_eip.x.arn}"] } });
    const opaque = change({ address: "aws_iam_role_policy.q", type: "aws_iam_role_policy", action: "create", after: {}, expressions: { policy: { references: ["data.aws_iam_policy_document.d.json"] } } });
    expect(iamChanges([opaque])[0].change).toBe("unreadable");
  });
});

describe("inputs", () => {
  it("rejects what is not a plan, naming the file and what is expected", () => {
    expect(() => parsePlan("{", "p.json")).toThrow(/p\.json: not JSON .*terraform show -json/);
    expect(() => parsePlan('{"resources": []}', "p.json")).toThrow(/p\.json: not a Terraform plan/);
  });

  it("groups the migration view by top-level construct", () => {
    expect(componentOf("aws_instance.load-balancers_lb-a_instance_EF471F6C")).toBe("load-balancers");
  });
});
