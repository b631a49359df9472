/**
 * Every application load balancer serves HTTPS.
 *
 * Equivalents: checkov CKV_AWS_2; trivy AVD-AWS-0054; cdk-nag ELBTlsHttpsListenersOnly (AwsSolutions-ELB5 for CLB).
 */
import { isApplicationLb, listenerProtocol, listenersOf, LB_TYPES } from "../../inspect/load-balancers";
import type { PolicyRule } from "../../types";
import { COMPLIANT, nonCompliant, NOT_APPLICABLE } from "../../types";

export const ElbAlbHttpsListener: PolicyRule = {
  id: "ELB-HTTPS-LISTENER",
  severity: "error",
  title: "Every application load balancer has an HTTPS listener",
  fix: "Add aws_lb_listener { protocol = \"HTTPS\", port = 443, certificate_arn = <ACM cert>, ssl_policy = \"ELBSecurityPolicy-TLS13-1-2-2021-06\" }.",
  appliesTo: LB_TYPES,
  evaluate(subject, doc) {
    if (!isApplicationLb(subject)) return NOT_APPLICABLE;
    const protocols = listenersOf(doc, subject).map((l) => listenerProtocol(doc, l));
    return protocols.includes("HTTPS")
      ? COMPLIANT
      : nonCompliant(`no HTTPS listener (listeners: ${protocols.length ? protocols.join(", ") : "none"})`);
  },
};
