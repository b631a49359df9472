/**
 * The policy engine's edges that the rule fixtures never reach: how values and
 * references are read, the exact report a reviewer reads, the gate's own guards
 * and how suppressions are stored. Each test was added for a surviving mutant of
 * the `modules/policy:engine` mutation part (see mutation-survivors.md).
 */
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack } from "cdktf";
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import {
  enforcePolicy,
  evaluateStack,
  Finding,
  formatReportJson,
  formatReportText,
  nonCompliant,
  PolicyRule,
  RULE_IDS,
  StackEvaluation,
  suppress,
  TfDocument,
  refersTo,
} from "../../modules/policy";
import { RULE_ERROR_PREFIX } from "../../modules/policy/engine";
import { readSuppressions, reasonProblem } from "../../modules/policy/suppression-records";
import { asArray, asNumber, isReference, mask, strings } from "../../modules/policy/values";
import { tf, withSections } from "./fixtures";
import { REASON, synthJson, tinyStack } from "./tiny-stack";

describe("values as cdktf writes them", () => {
  test("an absent attribute is an empty list; nulls inside a list are dropped", () => {
    expect(asArray(undefined)).toEqual([]);
    expect(asArray(null)).toEqual([]);
    expect(asArray([1, null, undefined, 2])).toEqual([1, 2]);
    expect(asArray("one")).toEqual(["one"]);
  });

  test("numbers given as text: whole text only, surrounding blanks allowed, decimals of any length", () => {
    expect(asNumber(" 443 ")).toBe(443);
    expect(asNumber("-1")).toBe(-1);
    expect(asNumber("1.25")).toBe(1.25);
    expect(asNumber("443abc")).toBeUndefined();
    expect(asNumber("abc443")).toBeUndefined();
    expect(asNumber("1.x")).toBeUndefined();
    expect(asNumber(Infinity)).toBeUndefined();
  });

  test("a reference is a ${…} interpolation; an escaped $${…} is literal text", () => {
    expect(isReference("${aws_vpc.main.id}")).toBe(true);
    expect(isReference("arn:${aws_vpc.main.arn}/x")).toBe(true);
    expect(isReference("$${not.a.reference}")).toBe(false);
    expect(isReference("plain")).toBe(false);
    expect(isReference(42)).toBe(false);
  });

  test("strings() keeps only the strings of a list", () => {
    expect(strings(["a", 1, true, "b", { c: 1 }])).toEqual(["a", "b"]);
  });

  test("mask shows four characters of a secret only when it is longer than four", () => {
    expect(mask("abcd")).toBe("****");
    expect(mask("abcde")).toBe("abcd…(5 chars)");
  });
});

describe("TfDocument", () => {
  const vpcDoc = withSections({
    resource: [["aws_vpc", "main", { cidr_block: "10.0.0.0/16" }]],
    data: [["aws_iam_policy_document", "p", {}]],
  });

  test("names what it got when the document is not an object", () => {
    expect(() => new TfDocument(null)).toThrow("policy: expected a Terraform JSON object, got null");
    expect(() => new TfDocument("text")).toThrow("policy: expected a Terraform JSON object, got string");
  });

  test("resolves a whole-value reference only, with or without an index, blanks trimmed", () => {
    const doc = new TfDocument(vpcDoc);
    expect(doc.resolve("${aws_vpc.main.id}")?.subject.address).toBe("aws_vpc.main");
    expect(doc.resolve(" ${aws_vpc.main.id} ")?.attribute).toBe("id");
    expect(doc.resolve("${aws_vpc.main[0].id}")?.subject.address).toBe("aws_vpc.main");
    expect(doc.resolve('${aws_vpc.main["blue"].id}')?.subject.address).toBe("aws_vpc.main");
    expect(doc.resolve("${data.aws_iam_policy_document.p.json}")?.subject.address).toBe("data.aws_iam_policy_document.p");
    expect(doc.resolve("x-${aws_vpc.main.id}")).toBeUndefined();
    expect(doc.resolve("${aws_vpc.main.id}-x")).toBeUndefined();
    expect(doc.resolve("${aws_vpc.main[]].id}")).toBeUndefined();
    expect(doc.resolve("${aws_vpc.other.id}")).toBeUndefined();
  });

  test("refersTo: any item of a list, data sources by their data. prefix, never plain text", () => {
    const doc = new TfDocument(vpcDoc);
    const vpc = doc.byAddressOf("aws_vpc.main")!;
    const policy = doc.byAddressOf("data.aws_iam_policy_document.p")!;
    expect(refersTo(["sg-1", "${aws_vpc.main.id}"], vpc)).toBe(true);
    expect(refersTo(["sg-1", "sg-2"], vpc)).toBe(false);
    expect(refersTo("aws_vpc.main.id", vpc)).toBe(false);
    expect(refersTo("${data.aws_iam_policy_document.p.json}", policy)).toBe(true);
    expect(refersTo("${aws_iam_policy_document.p.json}", policy)).toBe(false);
    // A resource is not the data source of the same type and name.
    const sameName = new TfDocument(tf(["aws_iam_policy_document", "p", {}])).byAddressOf("aws_iam_policy_document.p")!;
    expect(refersTo("${data.aws_iam_policy_document.p.json}", sameName)).toBe(false);
  });

  test("a provider given as one object is the default provider", () => {
    expect(new TfDocument({ provider: { aws: { region: "us-east-1" } } }).subjects().map((s) => s.address)).toEqual(["provider.aws"]);
  });

  test("providers given as a list: the default one and each alias; entries that are not objects are skipped", () => {
    const doc = new TfDocument({ provider: { aws: [{ region: "us-east-1" }, { alias: "west", region: "us-west-2" }, "junk"] } });
    expect(doc.subjects().map((s) => [s.address, s.name])).toEqual([
      ["provider.aws", "default"],
      ["provider.aws.west", "west"],
    ]);
  });
});

describe("rule results the engine will not take as a finding", () => {
  const rule = (result: unknown): PolicyRule => ({
    id: "T-RESULT", severity: "error", title: "t", fix: "f", appliesTo: ["aws_vpc"],
    evaluate: () => result as ReturnType<PolicyRule["evaluate"]>,
  });
  const messagesOf = (result: unknown) =>
    evaluateStack(tf(["aws_vpc", "v", {}]), { stackName: "s", rules: [rule(result)] }).map((f) => f.message);

  test("an unknown status with a message, or a message that is not text, is a failed rule", () => {
    expect(messagesOf({ status: "maybe", message: "looks fine" })[0]).toContain(RULE_ERROR_PREFIX);
    expect(messagesOf({ status: "non-compliant", message: ["a list"] })[0]).toContain(RULE_ERROR_PREFIX);
    expect(messagesOf(nonCompliant("a real finding"))).toEqual(["a real finding"]);
  });
});

describe("the text report a reviewer reads", () => {
  const finding = (ruleId: string, address: string, severity: "error" | "warning", extra: Partial<Finding> = {}): Finding => ({
    stackName: "web", ruleId, severity, address, constructPath: `web/${address}`,
    message: `${ruleId} on ${address}`, fix: `fix ${address}`, suppressed: false, ...extra,
  });
  const web: StackEvaluation = {
    stackName: "web", blockCount: 7, ruleCount: 3,
    findings: [
      finding("B-RULE", "aws_b.two", "warning"),
      finding("A-RULE", "aws_a.one", "error", { suppressed: true, suppressionReason: "reviewed: the reason" }),
      finding("B-RULE", "aws_b.zero", "error"),
      finding("B-RULE", "aws_b.one", "error", { constructPath: undefined }),
      finding("A-RULE", "aws_a.two", "error"),
    ],
    suppressions: [
      { stackName: "web", address: "aws_a.one", ruleId: "A-RULE", reason: "reviewed: the reason", used: true },
      { stackName: "web", address: "aws_c.gone", ruleId: "C-RULE", reason: "no longer needed", used: false },
    ],
  };
  const empty: StackEvaluation = { stackName: "empty", blockCount: 0, ruleCount: 3, findings: [], suppressions: [] };

  test("failures first, then warnings, then suppressed; by rule, then address; aligned columns; each row's own message", () => {
    expect(formatReportText([web, empty])).toBe([
      "== web: 7 blocks checked against 3 rules — 3 error(s), 1 warning(s), 1 suppressed ==",
      "  STATUS      RULE    ADDRESS     CONSTRUCT PATH",
      "  FAIL        A-RULE  aws_a.two   web/aws_a.two",
      "      A-RULE on aws_a.two",
      "      fix: fix aws_a.two",
      "  FAIL        B-RULE  aws_b.one   -",
      "      B-RULE on aws_b.one",
      "      fix: fix aws_b.one",
      "  FAIL        B-RULE  aws_b.zero  web/aws_b.zero",
      "      B-RULE on aws_b.zero",
      "      fix: fix aws_b.zero",
      "  WARN        B-RULE  aws_b.two   web/aws_b.two",
      "      B-RULE on aws_b.two",
      "      fix: fix aws_b.two",
      "  SUPPRESSED  A-RULE  aws_a.one   web/aws_a.one",
      "      A-RULE on aws_a.one",
      "      suppressed: reviewed: the reason",
      "",
      "  Suppressions (2):",
      "  RULE    ADDRESS     USED   REASON",
      "  A-RULE  aws_a.one   yes    reviewed: the reason",
      "  C-RULE  aws_c.gone  STALE  no longer needed",
      "",
      "== empty: 0 blocks checked against 3 rules — 0 error(s), 0 warning(s), 0 suppressed ==",
      "  no findings",
      "",
      "  Suppressions (0):",
      "",
      "Policy FAILED: 3 unsuppressed error(s) in 2 stack(s).",
      "",
    ].join("\n"));
  });

  test("the verdict is OK when only warnings and suppressed errors remain, and counts them", () => {
    const passing: StackEvaluation = { ...web, findings: web.findings.filter((f) => f.suppressed || f.severity === "warning") };
    expect(formatReportText([passing, empty]).trimEnd().split("\n").pop())
      .toBe("Policy OK: 2 stack(s), 0 unsuppressed errors, 1 warning(s), 1 suppressed.");
  });

  test("the JSON report: ok only without unsuppressed errors, per-stack counts, each finding's status", () => {
    const failed = JSON.parse(formatReportJson([web, empty]));
    expect(failed.ok).toBe(false);
    expect(failed.summary).toEqual({ errors: 3, warnings: 1, suppressed: 1 });
    expect(failed.stacks.map((s: { summary: unknown }) => s.summary)).toEqual([
      { errors: 3, warnings: 1, suppressed: 1 },
      { errors: 0, warnings: 0, suppressed: 0 },
    ]);
    expect(failed.stacks[0].findings.map((f: { address: string; status: string }) => `${f.address} ${f.status}`)).toEqual([
      "aws_b.two WARN", "aws_a.one SUPPRESSED", "aws_b.zero FAIL", "aws_b.one FAIL", "aws_a.two FAIL",
    ]);
    expect(JSON.parse(formatReportJson([empty])).ok).toBe(true);
  });
});

describe("the policy gate's guards", () => {
  const outdirs: string[] = [];
  afterAll(() => outdirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
  const app = (config: { skipValidation?: boolean } = {}) => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-gate-edges-"));
    outdirs.push(outdir);
    return new App({ outdir, ...config });
  };

  test("an app without stacks is named <app> in the error", () => {
    expect(() => enforcePolicy(app())).toThrow('enforcePolicy(scope): "<app>" is not allowed');
  });

  test("refuses an App with skipValidation, which would write every stack unchecked", () => {
    const skipping = app({ skipValidation: true });
    new TerraformStack(skipping, "one");
    expect(() => enforcePolicy(skipping)).toThrow(/^App skipValidation: true is not allowed; expected false \(or unset\)/);
  });

  test("gating the same app twice names the stack, not a JavaScript property error", () => {
    const twice = app();
    new TerraformStack(twice, "one");
    enforcePolicy(twice, { report: false });
    expect(() => enforcePolicy(twice, { report: false }))
      .toThrow('enforcePolicy(scope): "one" is not allowed; expected a stack not already under the policy gate');
  });

  test("stacks added after the gate are all named, comma-separated", () => {
    const late = app();
    new TerraformStack(late, "one");
    enforcePolicy(late, { report: false });
    new TerraformStack(late, "late-a");
    new TerraformStack(late, "late-b");
    expect(() => late.synth()).toThrow('enforcePolicy(app): "late-a, late-b" is not allowed');
  });

  test("the gate's mark is a global symbol (any copy of the package sees it) that does not show in the construct's keys", () => {
    const marked = app();
    const stack = new TerraformStack(marked, "one");
    enforcePolicy(marked, { report: false });
    const mark = Object.getOwnPropertyDescriptor(stack, Symbol.for("staged-web-platform/policy-gate"));
    expect(mark).toMatchObject({ value: true, enumerable: false });
  });

  test("by default the text report of each stack goes to stderr", () => {
    const { stack, lb } = tinyStack();
    suppress(lb, "SG-NO-PUBLIC-INGRESS", REASON);
    enforcePolicy(stack);
    const written: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => {
      written.push(String(chunk));
      return true;
    });
    try {
      synthJson(stack);
    } finally {
      spy.mockRestore();
    }
    expect(written.join("")).toMatch(/^== tiny: \d+ blocks checked against \d+ rules — 0 error\(s\)/);
    expect(written.join("")).toContain("SUPPRESSED  SG-NO-PUBLIC-INGRESS");
    expect(written.join("")).toContain("Policy OK: 1 stack(s)");
  });
});

describe("how suppressions are stored", () => {
  test("an unknown rule id is refused with the known ids listed, comma-separated", () => {
    const { lb } = tinyStack();
    const error = (() => {
      try {
        suppress(lb, "NO-SUCH-RULE", REASON);
      } catch (e) {
        return (e as Error).message;
      }
      return "";
    })();
    expect(error).toContain(`expected one of the policy rule ids: ${[...RULE_IDS].slice(0, 2).join(", ")}, `);
  });

  test("a rule suppressed again after another rule on the same construct is still refused", () => {
    const { lb } = tinyStack();
    suppress(lb, "SG-NO-PUBLIC-INGRESS", REASON);
    suppress(lb, "SG-RULE-DESCRIPTION", REASON);
    expect(() => suppress(lb, "SG-NO-PUBLIC-INGRESS", REASON))
      .toThrow('suppress(tiny/lb).ruleId: "SG-NO-PUBLIC-INGRESS" is not allowed; expected a rule not already suppressed on this construct');
  });

  test("a missing target names every rule suppressed on it", () => {
    const { stack } = tinyStack();
    const nothing = new Construct(stack, "nothing");
    suppress(nothing, "SG-NO-PUBLIC-INGRESS", REASON);
    suppress(nothing, "EC2-IMDSv2", REASON);
    expect(() => synthJson(stack)).toThrow("SG-NO-PUBLIC-INGRESS, EC2-IMDSv2 suppressed on tiny/nothing");
  });

  test("a block without suppressions gets no suppression list at all, a data source neither", () => {
    const { stack, lb } = tinyStack();
    new DataAwsCallerIdentity(stack, "caller");
    suppress(lb, "SG-NO-PUBLIC-INGRESS", REASON);
    const json = synthJson(stack);
    expect(Object.keys(json.resource.aws_instance.web["//"])).not.toContain("policy_suppressions");
    expect(Object.keys(json.data.aws_caller_identity.caller["//"])).not.toContain("policy_suppressions");
  });

  test("the aspect writes them even when validations are skipped", () => {
    const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-aspect-"));
    try {
      const skipping = new App({ outdir, skipValidation: true });
      const stack = new TerraformStack(skipping, "tiny");
      const lb = new Construct(stack, "lb");
      new SecurityGroup(lb, "sg", { description: "load balancer" });
      suppress(lb, "SG-NO-PUBLIC-INGRESS", REASON);
      skipping.synth();
      const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "tiny", "cdk.tf.json"), "utf8"));
      const [sg] = Object.values(json.resource.aws_security_group) as Record<string, any>[];
      expect(sg["//"].policy_suppressions).toEqual([{ rule_id: "SG-NO-PUBLIC-INGRESS", reason: REASON, applied_at: "tiny/lb" }]);
    } finally {
      fs.rmSync(outdir, { recursive: true, force: true });
    }
  });

  test("they live under a global symbol (another copy of the package reads them), not among the construct's keys", () => {
    const { lb } = tinyStack();
    suppress(lb, "SG-NO-PUBLIC-INGRESS", REASON);
    const stored = Object.getOwnPropertyDescriptor(lb, Symbol.for("staged-web-platform/policy-suppressions"));
    expect(stored?.enumerable).toBe(false);
    expect(stored?.value).toEqual([{ ruleId: "SG-NO-PUBLIC-INGRESS", reason: REASON, appliedAt: "tiny/lb" }]);
  });
});

describe("suppression records read from the JSON", () => {
  const subjectWith = (entries: unknown) =>
    new TfDocument(tf(["aws_vpc", "v", { "//": { policy_suppressions: entries } }])).byAddressOf("aws_vpc.v")!;

  test("an entry must be an object with a text rule_id and a text reason", () => {
    const read = readSuppressions(subjectWith([
      "SG-NO-PUBLIC-INGRESS",
      { rule_id: 5, reason: "a reason long enough" },
      { rule_id: "EC2-IMDSv2", reason: 5 },
      { rule_id: "EC2-IMDSv2", reason: "a reason long enough", applied_at: "s/x" },
    ]));
    expect(read.problems).toEqual([0, 1, 2].map((i) => `policy_suppressions[${i}] must be {rule_id: string, reason: string}`));
    expect(read.entries).toEqual([{ rule_id: "EC2-IMDSv2", reason: "a reason long enough", applied_at: "s/x" }]);
  });

  test("a reason must be text of at least ten characters after trimming", () => {
    expect(reasonProblem(5)).toBe("reason must be a string");
    expect(reasonProblem("0123456789")).toBeNull();
    expect(reasonProblem("  012345678  ")).toContain("is too short");
  });
});
