/**
 * EC2 Instance Connect grants stay scoped: pushing an SSH key
 * (`ec2-instance-connect:SendSSHPublicKey`) names instance ARNs, limits the OS
 * user (`ec2:osuser`) and narrows the instances by a resource tag; opening a
 * tunnel through an Instance Connect Endpoint (`ec2-instance-connect:OpenTunnel`)
 * names the endpoint ARNs and limits the remote port
 * (`ec2-instance-connect:remotePort`). Either grant on "*" is a shell on every
 * host of the account.
 *
 * Equivalents: none in checkov, trivy or cdk-nag (AwsSolutions-IAM5 flags the
 * wildcard resource only); follows AWS's examples in "Grant permissions to use
 * EC2 Instance Connect Endpoint" and "Configure IAM permissions for EC2 Instance Connect".
 */
import { IAM_POLICY_TYPES, PolicyStatement, actionCovers, policySources } from "../../inspect/iam-policy";
import type { PolicyRule } from "../../types";
import { fromProblems } from "../../types";

const SEND_KEY = "ec2-instance-connect:SendSSHPublicKey";
const OPEN_TUNNEL = "ec2-instance-connect:OpenTunnel";

function grants(s: PolicyStatement, action: string): boolean {
  return s.effect === "Allow" && (s.actions.some((a) => actionCovers(a, action)) || (s.notActions.length > 0 && !s.notActions.some((a) => actionCovers(a, action))));
}

/** Problems of one statement that grants `action`, given the ARN kind its resources must be. */
function scopeProblems(s: PolicyStatement, action: string, arnKind: RegExp, conditions: readonly [test: (key: string) => boolean, name: string][]): string[] {
  const problems: string[] = [];
  if (s.notResources.length > 0 || s.resources.length === 0 || s.resources.some((r) => r.includes("*") && !arnKind.test(r))) {
    problems.push(`${s.label} allows ${action} on ${s.notResources.length > 0 ? "NotResource" : JSON.stringify(s.resources.filter((r) => !arnKind.test(r)))}`);
  }
  for (const [test, name] of conditions) if (!s.conditionKeys.some(test)) problems.push(`${s.label} allows ${action} without a ${name} condition`);
  return problems;
}

export const IamInstanceConnectScoped: PolicyRule = {
  id: "IAM-INSTANCE-CONNECT-SCOPED",
  severity: "error",
  title: "EC2 Instance Connect grants name their instances/endpoints and carry OS-user, tag and port conditions",
  fix: "Grant SendSSHPublicKey on arn:…:instance/* with Condition ec2:osuser and aws:ResourceTag/<key>, and OpenTunnel on the endpoint ARNs with Condition ec2-instance-connect:remotePort (modules/operator-access does).",
  appliesTo: IAM_POLICY_TYPES,
  evaluate(subject, doc) {
    const problems: string[] = [];
    for (const source of policySources(subject, doc)) {
      for (const s of source.statements) {
        if (grants(s, SEND_KEY)) {
          problems.push(
            ...scopeProblems(s, SEND_KEY, /^(arn:[^:]+:ec2:[^:]*:[^:]*:instance\/.+|\$\{.+\})$/, [
              [(k) => k === "ec2:osuser", "ec2:osuser"],
              [(k) => k.startsWith("aws:resourcetag/") || k.startsWith("ec2:resourcetag/"), "aws:ResourceTag/<key>"],
            ]).map((p) => `${source.where} ${p}`),
          );
        }
        if (grants(s, OPEN_TUNNEL)) {
          problems.push(
            ...scopeProblems(s, OPEN_TUNNEL, /^(arn:[^:]+:ec2:[^:]*:[^:]*:instance-connect-endpoint\/eice-[0-9a-f]+|\$\{.+\})$/, [[(k) => k === "ec2-instance-connect:remoteport", "ec2-instance-connect:remotePort"]]).map(
              (p) => `${source.where} ${p}`,
            ),
          );
        }
      }
    }
    return fromProblems(problems);
  },
};
