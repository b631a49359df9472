/**
 * Any ingress from 0.0.0.0/0 or ::/0 is a finding. Public entry points (the load
 * balancers' 80/443) suppress it with a reason, so every internet-facing port is
 * an explicit, reviewed decision.
 *
 * Equivalents: checkov CKV_AWS_260 (port 80), CKV_AWS_277 (all ports); trivy AVD-AWS-0107;
 * cdk-nag AwsSolutions-EC23 (EC2RestrictedInbound).
 */
import { ingressPermissions, internetCidrs, SECURITY_GROUP_INGRESS_TYPES } from "../../inspect/ingress";
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";

export const SgNoPublicIngress: PolicyRule = {
  id: "SG-NO-PUBLIC-INGRESS",
  severity: "error",
  title: "No security group ingress from 0.0.0.0/0 or ::/0 unless suppressed as a deliberate public entry point",
  fix: "Restrict the source to known CIDRs or security groups; for a real public entry point (e.g. a load balancer's 80/443) suppress SG-NO-PUBLIC-INGRESS on it with the reason.",
  appliesTo: SECURITY_GROUP_INGRESS_TYPES,
  evaluate(subject) {
    const problems = ingressPermissions(subject).flatMap((p) => {
      const open = internetCidrs(p);
      if (open.length === 0) return [];
      const ports = p.protocol === "all" ? "all traffic"
        : p.fromPort !== undefined && p.fromPort === p.toPort ? `${p.protocol} ${p.fromPort}`
        : `${p.protocol} ${p.fromPort ?? 0}-${p.toPort ?? 65535}`;
      return [`${p.where} allows ${ports} from ${open.join(", ")}`];
    });
    return fromProblems(problems);
  },
};
