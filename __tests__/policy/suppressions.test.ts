import { Testing } from "cdktf";
import { Construct } from "constructs";
import { DataAwsSsmParameter } from "@cdktf/provider-aws/lib/data-aws-ssm-parameter";
import { Instance } from "@cdktf/provider-aws/lib/instance";
import { assertCompliant, evaluateStack } from "../../modules/policy/engine";
import { suppress } from "../../modules/policy/suppressions";
import { REASON, synthJson, tinyStack } from "./tiny-stack";

describe("suppress()", () => {
  test("writes the suppression into every resource under the construct, visible in the JSON", () => {
    const { stack, lb } = tinyStack();
    suppress(lb, "SG-NO-PUBLIC-INGRESS", REASON);
    const json = synthJson(stack);
    const [sg] = Object.values(json.resource.aws_security_group) as Record<string, any>[];
    expect(sg["//"].policy_suppressions).toEqual([{ rule_id: "SG-NO-PUBLIC-INGRESS", reason: REASON, applied_at: "tiny/lb" }]);
    expect(sg["//"].metadata.path).toBe("tiny/lb/sg");
    const [instance] = Object.values(json.resource.aws_instance) as Record<string, any>[];
    expect(instance["//"].policy_suppressions).toBeUndefined();
  });

  test("the engine honours it from the JSON alone; without it the stack fails", () => {
    const suppressed = tinyStack();
    suppress(suppressed.lb, "SG-NO-PUBLIC-INGRESS", REASON);
    const findings = evaluateStack(synthJson(suppressed.stack), { stackName: "tiny" });
    expect(findings.filter((f) => f.ruleId === "SG-NO-PUBLIC-INGRESS")).toEqual([
      expect.objectContaining({ suppressed: true, suppressionReason: REASON, constructPath: "tiny/lb/sg" }),
    ]);

    const plain = tinyStack();
    const plainFindings = evaluateStack(synthJson(plain.stack), { stackName: "tiny" });
    expect(() => assertCompliant(plainFindings)).toThrow(/\[SG-NO-PUBLIC-INGRESS\] aws_security_group\.lb_sg_\w+ \(construct tiny\/lb\/sg\)/);
  });

  test("an ancestor's and the resource's own suppressions combine; the nearest wins per rule", () => {
    const { stack, lb } = tinyStack();
    const sg = lb.node.findChild("sg");
    suppress(stack, "SG-NO-PUBLIC-INGRESS", "stack-wide reason that is long enough");
    suppress(sg, "SG-NO-PUBLIC-INGRESS", REASON);
    suppress(sg, "SG-RULE-DESCRIPTION", "kept for the stale-suppression report");
    const json = synthJson(stack);
    const [sgJson] = Object.values(json.resource.aws_security_group) as Record<string, any>[];
    expect(sgJson["//"].policy_suppressions.map((s: { rule_id: string; applied_at: string }) => [s.rule_id, s.applied_at]))
      .toEqual([["SG-NO-PUBLIC-INGRESS", "tiny/lb/sg"], ["SG-RULE-DESCRIPTION", "tiny/lb/sg"]]);
    const stale = evaluateStack(json, { stackName: "tiny" }).filter((f) => f.ruleId === "POLICY-STALE-SUPPRESSION");
    // the stack-wide suppression reaches the instance too, where nothing needs it, and SG-RULE-DESCRIPTION matches nothing
    expect(stale.map((f) => f.message).sort()).toEqual([
      "suppression of SG-NO-PUBLIC-INGRESS matches no finding on this resource (stale)",
      "suppression of SG-RULE-DESCRIPTION matches no finding on this resource (stale)",
    ]);
  });

  test("reaches a data source's JSON too (cdktf rewrites a data source's `//`), and the engine honours it there", () => {
    const { stack } = tinyStack();
    const lookup = new DataAwsSsmParameter(stack, "lookup", { name: `/docs/example-password="not-a-secret"` });
    const reason = "a documentation example parameter name, not a credential";
    suppress(lookup, "SECRETS-PASSWORD-LITERAL", reason);
    const json = synthJson(stack);
    const [data] = Object.values(json.data.aws_ssm_parameter) as Record<string, any>[];
    expect(data["//"]).toEqual({
      metadata: expect.objectContaining({ path: "tiny/lookup" }),
      policy_suppressions: [{ rule_id: "SECRETS-PASSWORD-LITERAL", reason, applied_at: "tiny/lookup" }],
    });
    expect(evaluateStack(json, { stackName: "tiny" }).filter((f) => f.ruleId === "SECRETS-PASSWORD-LITERAL")).toEqual([
      expect.objectContaining({ suppressed: true, suppressionReason: reason, address: expect.stringMatching(/^data\.aws_ssm_parameter\./) }),
    ]);
  });

  test("rejects a reason shorter than 10 characters", () => {
    const { lb } = tinyStack();
    expect(() => suppress(lb, "SG-NO-PUBLIC-INGRESS", "   short  ")).toThrow(/reason: "   short  " is not allowed; expected a reason of at least 10 characters/);
  });

  test("rejects an unknown rule id, listing the known ones", () => {
    const { lb } = tinyStack();
    expect(() => suppress(lb, "SG-NO-PUBLIC-EVERYTHING", REASON)).toThrow(/ruleId: "SG-NO-PUBLIC-EVERYTHING" is not allowed; expected one of the policy rule ids: .*SG-NO-PUBLIC-INGRESS/);
  });

  test("rejects a scope above any stack (cdktf would never apply it)", () => {
    const { app } = tinyStack();
    expect(() => suppress(app, "SG-NO-PUBLIC-INGRESS", REASON)).toThrow(/suppress\(scope\): "<app>" is not allowed; expected a stack or a construct inside a stack/);
  });

  test("rejects suppressing the same rule twice on one construct", () => {
    const { lb } = tinyStack();
    suppress(lb, "SG-NO-PUBLIC-INGRESS", REASON);
    expect(() => suppress(lb, "SG-NO-PUBLIC-INGRESS", REASON)).toThrow(/not already suppressed/);
  });

  test("a suppression on a construct without resources fails synth (missing target)", () => {
    const { stack } = tinyStack();
    const empty = new Construct(stack, "empty");
    suppress(empty, "EC2-IMDSv2", "applies to nothing at all, on purpose");
    expect(() => Testing.fullSynth(stack)).toThrow(/policy suppression target missing: EC2-IMDSv2 suppressed on tiny\/empty, which contains no Terraform resource/);
  });

  test("a target gets resources added after suppress() is called (checked at synth, not at call time)", () => {
    const { stack } = tinyStack();
    const later = new Construct(stack, "later");
    suppress(later, "EC2-IMDSv2", "vendor appliance requires IMDSv1 until 2.0");
    new Instance(later, "appliance", { ami: "ami-1", instanceType: "t3.micro", rootBlockDevice: { encrypted: true } });
    const json = synthJson(stack);
    const finding = evaluateStack(json, { stackName: "tiny" }).find((f) => f.address.startsWith("aws_instance.later_appliance"));
    expect(finding).toMatchObject({ ruleId: "EC2-IMDSv2", suppressed: true });
  });
});

describe("suppress() records", () => {
  test("the reason is stored trimmed; a second rule on the same construct is added; entries are sorted by rule id", () => {
    const { stack, lb } = tinyStack();
    suppress(lb, "SG-RULE-DESCRIPTION", `  ${REASON}\n`);
    suppress(lb, "EC2-IMDSv2", "second rule on the same construct, kept");
    const json = synthJson(stack);
    const [sg] = Object.values(json.resource.aws_security_group) as Record<string, any>[];
    expect(sg["//"].policy_suppressions).toEqual([
      { rule_id: "EC2-IMDSv2", reason: "second rule on the same construct, kept", applied_at: "tiny/lb" },
      { rule_id: "SG-RULE-DESCRIPTION", reason: REASON, applied_at: "tiny/lb" },
    ]);
  });

  test("a suppression on the stack itself is applied at the stack's path", () => {
    const { stack } = tinyStack();
    suppress(stack, "EC2-IMDSv2", "whole stack: a vendor appliance demo");
    const json = synthJson(stack);
    const [instance] = Object.values(json.resource.aws_instance) as Record<string, any>[];
    expect(instance["//"].policy_suppressions).toEqual([{ rule_id: "EC2-IMDSv2", reason: "whole stack: a vendor appliance demo", applied_at: "tiny" }]);
  });
});
