/** Builds "no <service> port from the internet" rules; each rule file states its ports and references. */
import type { PolicyRule, Severity } from "../types";
import { COMPLIANT, fromProblems, NOT_APPLICABLE } from "../types";
import { allowsPort, ingressPermissions, internetCidrs, SECURITY_GROUP_INGRESS_TYPES } from "./ingress";

export interface PublicPortRuleSpec {
  readonly id: string;
  /** What listens there, for messages: "SSH". */
  readonly service: string;
  readonly ports: readonly number[];
  /** @default ["tcp"] */
  readonly protocols?: readonly string[];
  /** @default "error" */
  readonly severity?: Severity;
  readonly fix?: string;
}

export function publicPortRule(spec: PublicPortRuleSpec): PolicyRule {
  const protocols = spec.protocols ?? ["tcp"];
  const portList = spec.ports.join(", ");
  return {
    id: spec.id,
    severity: spec.severity ?? "error",
    title: `No ${spec.service} (${protocols.join("/")} ${portList}) ingress from 0.0.0.0/0 or ::/0`,
    fix: spec.fix ??
      `Allow ${spec.service} only from a known CIDR (e.g. the admin CIDR) or from a security group, never 0.0.0.0/0 or ::/0.`,
    appliesTo: SECURITY_GROUP_INGRESS_TYPES,
    evaluate(subject) {
      const permissions = ingressPermissions(subject);
      if (permissions.length === 0) return subject.type.endsWith("_rule") ? NOT_APPLICABLE : COMPLIANT;
      const problems: string[] = [];
      for (const p of permissions) {
        const open = internetCidrs(p);
        if (open.length === 0) continue;
        const hit = spec.ports.filter((port) => allowsPort(p, port, protocols));
        if (hit.length > 0) {
          problems.push(`${p.where} allows ${spec.service} (${p.protocol} ${hit.join(", ")}) from ${open.join(", ")}`);
        }
      }
      return fromProblems(problems);
    },
  };
}
