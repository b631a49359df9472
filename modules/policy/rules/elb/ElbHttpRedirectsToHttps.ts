/**
 * Plain-HTTP listeners only redirect to HTTPS; no content is served unencrypted.
 * Listener rules attached to an HTTP listener must redirect as well.
 *
 * Equivalents: checkov CKV2_AWS_20 (CKV_AWS_2); trivy AVD-AWS-0054; cdk-nag ALBHttpToHttpsRedirection (NIST 800-53 packs).
 */
import { LISTENER_RULE_TYPES, LISTENER_TYPES, listenerProtocol } from "../../inspect/load-balancers";
import type { PolicyRule } from "../../types";
import { fromProblems, NOT_APPLICABLE } from "../../types";
import { block, blocks, Json, show } from "../../values";

function redirectProblems(actions: Json[], where: string): string[] {
  if (actions.length === 0) return [`${where} has no action`];
  return actions.flatMap((a, i) => {
    const redirect = block(a.redirect);
    if (a.type === "redirect" && String(redirect?.protocol ?? "").toUpperCase() === "HTTPS") return [];
    return [`${where}[${i}] is type ${show(a.type)}${a.type === "redirect" ? ` to protocol ${show(redirect?.protocol)}` : ""}, not a redirect to HTTPS`];
  });
}

export const ElbHttpRedirectsToHttps: PolicyRule = {
  id: "ELB-HTTP-REDIRECT-ONLY",
  severity: "error",
  title: "HTTP listeners (and their rules) only redirect to HTTPS",
  fix: "Use default_action { type = \"redirect\", redirect { protocol = \"HTTPS\", port = \"443\", status_code = \"HTTP_301\" } }.",
  appliesTo: [...LISTENER_TYPES, ...LISTENER_RULE_TYPES],
  evaluate(subject, doc) {
    if ((LISTENER_TYPES as readonly string[]).includes(subject.type)) {
      if (listenerProtocol(doc, subject) !== "HTTP") return NOT_APPLICABLE;
      return fromProblems(redirectProblems(blocks(subject.config.default_action), "default_action"));
    }
    const listener = doc.resolve(subject.config.listener_arn)?.subject;
    if (!listener || listenerProtocol(doc, listener) !== "HTTP") return NOT_APPLICABLE;
    return fromProblems(redirectProblems(blocks(subject.config.action), "action"));
  },
};
