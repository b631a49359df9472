/**
 * HTTPS/TLS listeners use a security policy that allows only TLS 1.2 or newer.
 * The provider default (ELBSecurityPolicy-2016-08) still accepts TLS 1.0.
 *
 * Equivalents: checkov CKV_AWS_103; trivy AVD-AWS-0047; cdk-nag none for ELBv2 (AwsSolutions-ELB5 covers CLB).
 */
import { LISTENER_TYPES, listenerProtocol } from "../../inspect/load-balancers";
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE } from "../../types";
import { show } from "../../values";

/** AWS ELB security policies whose minimum protocol is TLS 1.2 (or 1.3). */
export const TLS12_POLICY = /^ELBSecurityPolicy-(TLS13-1-[23]-|TLS-1-2-|FS-1-2-)/;

export const ElbTlsPolicy: PolicyRule = {
  id: "ELB-TLS12-POLICY",
  severity: "error",
  title: "HTTPS and TLS listeners use a TLS 1.2+ security policy",
  fix: "Set ssl_policy = \"ELBSecurityPolicy-TLS13-1-2-2021-06\" (TLS 1.3 and 1.2 only).",
  appliesTo: LISTENER_TYPES,
  evaluate(subject, doc) {
    const protocol = listenerProtocol(doc, subject);
    if (protocol !== "HTTPS" && protocol !== "TLS") return NOT_APPLICABLE;
    const policy = subject.config.ssl_policy;
    if (typeof policy === "string" && TLS12_POLICY.test(policy)) return COMPLIANT;
    return nonCompliant(`ssl_policy is ${show(policy)}${policy === undefined ? " (provider default ELBSecurityPolicy-2016-08 allows TLS 1.0)" : ""}`);
  },
};
