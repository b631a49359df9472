/** Shared shape of the secret-scanning rules: scan every string of every block. */
import type { PolicyRule, TfSubject } from "../types";
import { fromProblems } from "../types";
import { stringsOf, StringAt } from "./strings";

export interface SecretRuleSpec {
  readonly id: string;
  readonly title: string;
  readonly fix: string;
  /** Returns the secret-looking values found in one string (already masked for messages). */
  readonly detect: (at: StringAt, subject: TfSubject) => string[];
}

export function secretRule(spec: SecretRuleSpec): PolicyRule {
  return {
    id: spec.id,
    severity: "error",
    title: spec.title,
    fix: spec.fix,
    appliesTo: "*",
    kinds: ["resource", "data", "provider"],
    evaluate(subject) {
      const problems: string[] = [];
      for (const at of stringsOf(subject.config)) {
        for (const hit of spec.detect(at, subject)) problems.push(`${at.path} contains ${hit}`);
      }
      return fromProblems([...new Set(problems)]);
    },
  };
}

/** A literal (not `${…}` reference, not empty) value. */
export function isLiteralSecret(value: string): boolean {
  const v = value.trim();
  return v.length > 0 && !v.startsWith("${") && !v.startsWith("$${");
}
