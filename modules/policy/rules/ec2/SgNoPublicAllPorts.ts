/**
 * Never every port (protocol -1 or 0-65535) from the internet; unlike
 * SG-NO-PUBLIC-INGRESS this one is not meant to be suppressed.
 *
 * Equivalents: checkov CKV_AWS_277; trivy AVD-AWS-0107; cdk-nag AwsSolutions-EC23.
 */
import { allowsAllPorts, ingressPermissions, internetCidrs, SECURITY_GROUP_INGRESS_TYPES } from "../../inspect/ingress";
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";

export const SgNoPublicAllPorts: PolicyRule = {
  id: "SG-NO-PUBLIC-ALL-PORTS",
  severity: "error",
  title: "No security group opens all ports/protocols to 0.0.0.0/0 or ::/0",
  fix: "Open only the ports the service needs (e.g. tcp 443) to the sources that need them.",
  appliesTo: SECURITY_GROUP_INGRESS_TYPES,
  evaluate(subject) {
    const problems = ingressPermissions(subject)
      .filter((p) => allowsAllPorts(p) && internetCidrs(p).length > 0)
      .map((p) => `${p.where} allows every port (${p.protocol}) from ${internetCidrs(p).join(", ")}`);
    return fromProblems(problems);
  },
};
