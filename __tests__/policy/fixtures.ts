/** Tiny builders for synthesized-Terraform-JSON fixtures and a per-rule evaluator. */
import { evaluateStack } from "../../modules/policy/engine";
import type { PolicyRule } from "../../modules/policy/types";

export type Block = Record<string, unknown>;
export type Entry = [type: string, name: string, config: Block];

/** `resource.<type>.<name>` document with `//.metadata.path` like cdktf writes it. */
export function tf(...entries: Entry[]): Block {
  return withSections({ resource: entries });
}

export function withSections(sections: { resource?: Entry[]; data?: Entry[]; provider?: Record<string, Block[]> }): Block {
  const doc: Block = {};
  const put = (key: string, entries: Entry[]) => {
    const section: Record<string, Record<string, Block>> = {};
    for (const [type, name, config] of entries) {
      section[type] = section[type] ?? {};
      section[type][name] = { "//": { metadata: { path: `test/${name}`, uniqueId: name } }, ...config };
    }
    doc[key] = section;
  };
  if (sections.resource) put("resource", sections.resource);
  if (sections.data) put("data", sections.data);
  if (sections.provider) doc.provider = sections.provider;
  return doc;
}

/** Sorted addresses where `rule` reports a violation. */
export function failing(rule: PolicyRule, doc: Block): string[] {
  return evaluateStack(doc, { stackName: "test", rules: [rule] })
    .filter((f) => f.ruleId === rule.id)
    .map((f) => f.address)
    .sort();
}

/** `address: message` of every finding of `rule`, sorted: what a reviewer reads. */
export function findingTexts(rule: PolicyRule, doc: Block): string[] {
  return evaluateStack(doc, { stackName: "test", rules: [rule] })
    .filter((f) => f.ruleId === rule.id)
    .map((f) => `${f.address}: ${f.message}`)
    .sort();
}

/** Messages of `rule`'s findings, for spot checks. */
export function messages(rule: PolicyRule, doc: Block): string[] {
  return evaluateStack(doc, { stackName: "test", rules: [rule] }).map((f) => f.message);
}

export interface RuleCase {
  readonly rule: PolicyRule;
  readonly compliant: Block;
  readonly nonCompliant: Block;
  /** Exact addresses expected to fail in `nonCompliant`. */
  readonly failing: string[];
  /** Exact `address: message` texts of `nonCompliant`'s findings (see findingTexts), when pinned. */
  readonly texts?: string[];
}

/** Declares the two standard tests of a rule. */
export function describeRules(cases: readonly RuleCase[]): void {
  for (const c of cases) {
    describe(c.rule.id, () => {
      test("compliant fixture passes (and the rule really inspects it)", () => {
        expect(failing(c.rule, c.compliant)).toEqual([]);
        const types = Object.keys((c.compliant.resource ?? {}) as Block);
        const provider = Object.keys((c.compliant.provider ?? {}) as Block);
        if (c.rule.appliesTo !== "*") {
          expect(types.some((t) => (c.rule.appliesTo as readonly string[]).includes(t))).toBe(true);
        } else {
          expect(types.length + provider.length).toBeGreaterThan(0);
        }
      });
      test("non-compliant fixture fails on exactly the expected addresses", () => {
        expect(failing(c.rule, c.nonCompliant)).toEqual([...c.failing].sort());
        if (process.env.DUMP_RULE_TEXTS) require("fs").appendFileSync(process.env.DUMP_RULE_TEXTS, `${JSON.stringify([c.rule.id, findingTexts(c.rule, c.nonCompliant)])}\n`);
      });
      if (c.texts) {
        test("non-compliant fixture's findings say what is wrong (exact texts)", () => {
          expect(findingTexts(c.rule, c.nonCompliant)).toEqual(c.texts);
        });
      }
    });
  }
}
