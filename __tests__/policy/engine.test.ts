import {
  assertCompliant, evaluateStack, evaluateStackDetailed, INVALID_SUPPRESSION_ID, PolicyViolationError, STALE_SUPPRESSION_ID,
} from "../../modules/policy/engine";
import { formatReportJson, formatReportText } from "../../modules/policy/report";
import { ALL_RULES } from "../../modules/policy/rules";
import { COMPLIANT, nonCompliant, PolicyRule } from "../../modules/policy/types";
import { tf } from "./fixtures";

const imdsv1 = { metadata_options: { http_tokens: "optional" }, root_block_device: { encrypted: true } };
const hardened = { metadata_options: { http_tokens: "required" }, root_block_device: { encrypted: true } };

function rule(id: string, evaluate: PolicyRule["evaluate"], severity: "error" | "warning" = "error"): PolicyRule {
  return { id, severity, title: id, fix: `fix ${id}`, appliesTo: ["aws_instance"], evaluate };
}

function withSuppressions(config: Record<string, unknown>, entries: unknown): Record<string, unknown> {
  return { ...config, "//": { metadata: { path: "s/web" }, policy_suppressions: entries } };
}

describe("registry", () => {
  test("holds at least 30 rules with unique ids, a title, a fix and a severity", () => {
    expect(ALL_RULES.length).toBeGreaterThanOrEqual(30);
    expect(new Set(ALL_RULES.map((r) => r.id)).size).toBe(ALL_RULES.length);
    for (const r of ALL_RULES) {
      expect(r.id).toMatch(/^[A-Z0-9]+(-[A-Za-z0-9]+)+$/);
      expect([r.id, r.title.length > 10]).toEqual([r.id, true]);
      expect(r.fix.length).toBeGreaterThan(10);
      expect(["error", "warning"]).toContain(r.severity);
    }
  });
});

describe("evaluateStack", () => {
  test("reports rule id, severity, address, construct path, message and fix", () => {
    const findings = evaluateStack(tf(["aws_instance", "web", imdsv1]), { stackName: "stage0" });
    expect(findings).toEqual([{
      stackName: "stage0", ruleId: "EC2-IMDSv2", severity: "error", address: "aws_instance.web", constructPath: "test/web",
      message: 'metadata_options.http_tokens is "optional"; IMDSv1 stays reachable',
      fix: expect.stringContaining("http_tokens"), suppressed: false, suppressionReason: undefined,
    }]);
  });

  test("a rule that throws counts as an error violation naming the failure", () => {
    const throwing = rule("T-THROWS", () => { throw new Error("boom"); }, "warning");
    const [finding] = evaluateStack(tf(["aws_instance", "web", {}]), { stackName: "s", rules: [throwing] });
    expect(finding).toMatchObject({ ruleId: "T-THROWS", severity: "error", address: "aws_instance.web", suppressed: false });
    expect(finding.message).toMatch(/the rule itself failed \(boom\); treated as a violation/);
  });

  test("a rule returning garbage counts as a violation", () => {
    const garbage = rule("T-GARBAGE", () => ({ status: "maybe" }) as never);
    expect(evaluateStack(tf(["aws_instance", "web", {}]), { stackName: "s", rules: [garbage] })[0].message).toMatch(/returned \{"status":"maybe"\}/);
  });

  test("rules cannot mutate the document they inspect", () => {
    const mutating = rule("T-MUTATES", (s) => { (s.config as Record<string, unknown>).ami = "x"; return COMPLIANT; });
    const findings = evaluateStack(tf(["aws_instance", "web", {}]), { stackName: "s", rules: [mutating] });
    expect(findings[0].message).toMatch(/read.only|not extensible|Cannot add property/);
  });

  test("rules only see the types they apply to; providers and data only when asked", () => {
    const seen: string[] = [];
    const spy: PolicyRule = { ...rule("T-SPY", (s) => { seen.push(s.address); return COMPLIANT; }), appliesTo: "*" };
    const doc = { ...tf(["aws_instance", "web", {}]), data: { aws_ami: { debian: {} } }, provider: { aws: [{ region: "x" }] } };
    evaluateStack(doc, { stackName: "s", rules: [spy] });
    expect(seen).toEqual(["aws_instance.web"]);
    seen.length = 0;
    evaluateStack(doc, { stackName: "s", rules: [{ ...spy, kinds: ["resource", "data", "provider"] }] });
    expect(seen).toEqual(["aws_instance.web", "data.aws_ami.debian", "provider.aws"]);
  });

  test("rejects a document that is not a JSON object", () => {
    expect(() => evaluateStack("nope", { stackName: "s" })).toThrow(/expected a Terraform JSON object/);
  });
});

describe("suppressions read from the JSON", () => {
  const reason = "legacy host, replaced in Q3 by the hardened fleet";

  test("a valid suppression marks the matching finding suppressed with its reason", () => {
    const doc = tf(["aws_instance", "web", withSuppressions(imdsv1, [{ rule_id: "EC2-IMDSv2", reason, applied_at: "s" }])]);
    const findings = evaluateStack(doc, { stackName: "s" });
    expect(findings).toEqual([expect.objectContaining({ ruleId: "EC2-IMDSv2", suppressed: true, suppressionReason: reason })]);
    expect(() => assertCompliant(findings)).not.toThrow();
  });

  test("a suppression that matches no finding is reported as a stale warning", () => {
    const doc = tf(["aws_instance", "web", withSuppressions(hardened, [{ rule_id: "EC2-IMDSv2", reason }])]);
    const detailed = evaluateStackDetailed(doc, { stackName: "s" });
    expect(detailed.findings).toEqual([expect.objectContaining({ ruleId: STALE_SUPPRESSION_ID, severity: "warning", address: "aws_instance.web" })]);
    expect(detailed.suppressions).toEqual([expect.objectContaining({ ruleId: "EC2-IMDSv2", used: false })]);
    expect(() => assertCompliant(detailed.findings)).not.toThrow();
  });

  test.each([
    ["an unknown rule id", [{ rule_id: "EC2-IMDSV9", reason }], /unknown rule id "EC2-IMDSV9"/],
    ["a short reason", [{ rule_id: "EC2-IMDSv2", reason: "because" }], /too short/],
    ["a malformed entry", [{ rule: "EC2-IMDSv2" }], /must be \{rule_id/],
    ["a non-list", { rule_id: "EC2-IMDSv2" }, /must be a list/],
  ])("%s hand-written into the JSON is an unsuppressible error and does not suppress", (_label, entries, pattern) => {
    const doc = tf(["aws_instance", "web", withSuppressions(imdsv1, entries)]);
    const findings = evaluateStack(doc, { stackName: "s" });
    const invalid = findings.find((f) => f.ruleId === INVALID_SUPPRESSION_ID);
    expect(invalid).toMatchObject({ severity: "error", suppressed: false });
    expect(invalid?.message).toMatch(pattern);
    expect(findings.find((f) => f.ruleId === "EC2-IMDSv2")?.suppressed).toBe(false);
  });
});

describe("assertCompliant", () => {
  test("throws one error listing every unsuppressed error: rule, address, construct path, problem, fix", () => {
    const doc = tf(["aws_instance", "a", imdsv1], ["aws_instance", "b", { ...hardened, associate_public_ip_address: true }]);
    const findings = evaluateStack(doc, { stackName: "stage0-single-server" });
    let error: unknown;
    try {
      assertCompliant(findings);
    } catch (e) {
      error = e;
    }
    expect(error).toBeInstanceOf(PolicyViolationError);
    const text = (error as Error).message;
    expect(text).toMatch(/stage0-single-server: 2 unsuppressed error finding/);
    expect(text).toContain("[EC2-IMDSv2] aws_instance.a (construct test/a)");
    expect(text).toContain("[EC2-NO-PUBLIC-IP] aws_instance.b (construct test/b)");
    expect(text).toContain("problem: associate_public_ip_address is true");
    expect(text).toMatch(/fix: Set associate_public_ip_address = false/);
    expect((error as PolicyViolationError).findings).toHaveLength(2);
  });

  test("warnings alone never throw", () => {
    const warnOnly = rule("T-WARN", () => nonCompliant("meh"), "warning");
    expect(() => assertCompliant(evaluateStack(tf(["aws_instance", "w", {}]), { stackName: "s", rules: [warnOnly] }))).not.toThrow();
  });
});

describe("report", () => {
  const doc = tf(
    ["aws_instance", "bad", imdsv1],
    ["aws_instance", "waived", withSuppressions(imdsv1, [{ rule_id: "EC2-IMDSv2", reason: "vendor appliance needs IMDSv1 until 2.0" }])],
  );
  const evaluation = evaluateStackDetailed(doc, { stackName: "stage9" });

  test("text lists failures with fixes, suppressions with reasons, and a verdict", () => {
    const text = formatReportText([evaluation]);
    expect(text).toMatch(/== stage9: 2 blocks checked against \d+ rules — 1 error\(s\), 0 warning\(s\), 1 suppressed ==/);
    expect(text).toMatch(/FAIL\s+EC2-IMDSv2\s+aws_instance\.bad\s+test\/bad/);
    expect(text).toMatch(/SUPPRESSED\s+EC2-IMDSv2\s+aws_instance\.waived/);
    expect(text).toContain("suppressed: vendor appliance needs IMDSv1 until 2.0");
    expect(text).toMatch(/EC2-IMDSv2\s+aws_instance\.waived\s+yes\s+vendor appliance/);
    expect(text).toContain("Policy FAILED: 1 unsuppressed error(s) in 1 stack(s).");
  });

  test("JSON carries the same facts", () => {
    const json = JSON.parse(formatReportJson([evaluation]));
    expect(json.ok).toBe(false);
    expect(json.stacks[0].summary).toEqual({ errors: 1, warnings: 0, suppressed: 1 });
    expect(json.stacks[0].findings.map((f: { status: string }) => f.status).sort()).toEqual(["FAIL", "SUPPRESSED"]);
    expect(json.stacks[0].suppressions[0]).toMatchObject({ ruleId: "EC2-IMDSv2", address: "aws_instance.waived", used: true });
  });
});

describe("engine details a reviewer reads", () => {
  const reason = "legacy host, replaced in Q3 by the hardened fleet";

  test("a failing rule's fix says to fix the rule, then the rule's own fix; a thrown non-Error is shown too", () => {
    const throwing = rule("T-THROWS", () => { throw "plain text"; }, "warning");
    const [finding] = evaluateStack(tf(["aws_instance", "web", {}]), { stackName: "s", rules: [throwing] });
    expect(finding.message).toBe("the rule itself failed (plain text); treated as a violation");
    expect(finding.fix).toBe("fix the rule or report it to the policy owners; fix T-THROWS");
  });

  test("a non-compliant result without a message, or no result at all, is a failed rule", () => {
    const empty = rule("T-EMPTY", () => ({ status: "non-compliant", message: "" }) as never, "warning");
    const nothing = rule("T-NOTHING", () => undefined as never, "warning");
    const findings = evaluateStack(tf(["aws_instance", "web", {}]), { stackName: "s", rules: [empty, nothing] });
    expect(findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      ["T-EMPTY", "error", "the rule itself failed (returned {\"status\":\"non-compliant\",\"message\":\"\"}); treated as a violation"],
      ["T-NOTHING", "error", "the rule itself failed (returned undefined); treated as a violation"],
    ]);
  });

  test("a warning rule's finding keeps its severity and fix; counts of blocks and rules are reported", () => {
    const warn = rule("T-WARN", () => nonCompliant("meh"), "warning");
    const detailed = evaluateStackDetailed(tf(["aws_instance", "a", {}], ["aws_s3_bucket", "b", {}]), { stackName: "s", rules: [warn] });
    expect(detailed.findings.map((f) => [f.severity, f.fix])).toEqual([["warning", "fix T-WARN"]]);
    expect([detailed.blockCount, detailed.ruleCount, detailed.stackName]).toEqual([2, 1, "s"]);
  });

  test("suppression problems and stale suppressions carry their fixes; a used suppression is recorded in full", () => {
    const doc = tf(
      ["aws_instance", "stale", withSuppressions(hardened, [{ rule_id: "EC2-IMDSv2", reason, applied_at: "s/stale" }])],
      ["aws_instance", "stale_unplaced", withSuppressions(hardened, [{ rule_id: "EC2-IMDSv2", reason }])],
      ["aws_instance", "bad", withSuppressions(imdsv1, [{ rule_id: "NOPE-NOPE", reason }])],
      ["aws_instance", "used", withSuppressions(imdsv1, [{ rule_id: "EC2-IMDSv2", reason, applied_at: "s" }])],
    );
    const detailed = evaluateStackDetailed(doc, { stackName: "st" });
    const engine = detailed.findings.filter((f) => f.ruleId.startsWith("POLICY-")).map((f) => [f.ruleId, f.address, f.severity, f.message, f.fix, f.constructPath, f.stackName, f.suppressed]);
    expect(engine).toEqual([
      [STALE_SUPPRESSION_ID, "aws_instance.stale", "warning", "suppression of EC2-IMDSv2 matches no finding on this resource (stale)",
        "remove the suppress(…, \"EC2-IMDSv2\", …) call on s/stale or narrow it to the resource that needs it", "s/web", "st", false],
      [STALE_SUPPRESSION_ID, "aws_instance.stale_unplaced", "warning", "suppression of EC2-IMDSv2 matches no finding on this resource (stale)",
        "remove the suppress(…, \"EC2-IMDSv2\", …) call or narrow it to the resource that needs it", "s/web", "st", false],
      [INVALID_SUPPRESSION_ID, "aws_instance.bad", "error", "suppression names unknown rule id \"NOPE-NOPE\"",
        "use suppress(construct, ruleId, reason) with a known rule id and a reason of at least 10 characters", "s/web", "st", false],
    ]);
    expect(detailed.suppressions.find((s) => s.address === "aws_instance.used")).toEqual({
      stackName: "st", address: "aws_instance.used", constructPath: "s/web", ruleId: "EC2-IMDSv2", reason, appliedAt: "s", used: true,
    });
  });

  test("the violation text names every stack once, and an unknown construct path as unknown", () => {
    const f = (stackName: string, constructPath?: string) => ({ stackName, ruleId: "R-1", severity: "error" as const, address: "a.b", constructPath, message: "m", fix: "x", suppressed: false });
    const text = new PolicyViolationError([f("one"), f("two", "p"), f("one")]).message;
    expect(text.split("\n")).toEqual([
      "Security policy failed for stack one, two: 3 unsuppressed error finding(s)",
      "  1. [R-1] a.b (construct unknown)", "     problem: m", "     fix: x",
      "  2. [R-1] a.b (construct p)", "     problem: m", "     fix: x",
      "  3. [R-1] a.b (construct unknown)", "     problem: m", "     fix: x",
      "If a finding is intended, call suppress(construct, ruleId, reason) from modules/policy with a reason a reviewer would accept.",
    ]);
    expect(new PolicyViolationError([]).name).toBe("PolicyViolationError");
  });
});
