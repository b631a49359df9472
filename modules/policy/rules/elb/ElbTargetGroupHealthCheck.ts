/**
 * HTTP(S) target groups check an explicit application path, so a backend that
 * accepts TCP but serves errors is taken out of rotation.
 *
 * Equivalents: checkov CKV_AWS_261; trivy none; cdk-nag none.
 */
import { TARGET_GROUP_TYPES } from "../../inspect/load-balancers";
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE } from "../../types";
import { block, hasText, show } from "../../values";

const HTTP_PROTOCOLS = ["HTTP", "HTTPS"];

export const ElbTargetGroupHealthCheck: PolicyRule = {
  id: "ELB-TG-HEALTH-CHECK",
  severity: "error",
  title: "HTTP(S) target groups have an enabled health check with a path",
  fix: "Set health_check { enabled = true, path = \"/healthz\", matcher = \"200\" }.",
  appliesTo: TARGET_GROUP_TYPES,
  evaluate(subject) {
    const c = subject.config;
    if (c.target_type === "lambda") return NOT_APPLICABLE;
    const check = block(c.health_check);
    const protocol = String(c.protocol ?? "").toUpperCase();
    const checkProtocol = String(check?.protocol ?? "").toUpperCase();
    if (!HTTP_PROTOCOLS.includes(protocol) && !HTTP_PROTOCOLS.includes(checkProtocol)) return NOT_APPLICABLE;
    if (!check) return nonCompliant("health_check is not configured");
    if (check.enabled === false || check.enabled === "false") return nonCompliant("health_check.enabled is false");
    return hasText(check.path) ? COMPLIANT : nonCompliant(`health_check.path is ${show(check.path)}`);
  },
};
