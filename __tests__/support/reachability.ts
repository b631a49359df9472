/** Who may reach whom, read from synthesized security-group rules. */
import { TfJson, resourcesOf } from "./synth";

export interface IngressRule {
  readonly group: string;
  readonly protocol: string;
  readonly port?: number;
  /** A CIDR, or "sg:<security group resource name>". */
  readonly source: string;
  readonly description: string;
}

const groupName = (ref: string) => /aws_security_group\.([^.]+)\.id/.exec(ref)?.[1] ?? ref;

/** Every ingress rule of the stack, with group references resolved to resource names. */
export function ingressRules(json: TfJson): IngressRule[] {
  return resourcesOf(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => ({
    group: groupName(r.security_group_id),
    protocol: r.ip_protocol,
    port: r.from_port,
    source: r.cidr_ipv4 ?? `sg:${groupName(r.referenced_security_group_id)}`,
    description: r.description,
  }));
}

/** Security group resource names of an instance (directly or through its network interface). */
export function groupsOfInstance(json: TfJson, instanceName: string): string[] {
  const instance = json.resource!.aws_instance[instanceName] as Record<string, any>;
  const refs: string[] = instance.vpc_security_group_ids ?? [];
  if (refs.length > 0) return refs.map(groupName);
  const eniName = /aws_network_interface\.([^.]+)\.id/.exec(instance.network_interface[0].network_interface_id)![1];
  return (json.resource!.aws_network_interface[eniName] as Record<string, any>).security_groups.map(groupName);
}

/** Instances whose Role tag is `role`, as [name, config]. */
export function instancesWithRole(json: TfJson, role: string): [string, Record<string, any>][] {
  return resourcesOf(json, "aws_instance").filter(([, i]) => i.tags?.Role === role);
}

/** Ingress rules that apply to the instances of one role. */
export function ingressToRole(json: TfJson, role: string): IngressRule[] {
  const groups = new Set(instancesWithRole(json, role).flatMap(([name]) => groupsOfInstance(json, name)));
  return ingressRules(json).filter((r) => groups.has(r.group));
}

/** Ports of `rules` open to a source matching `predicate`. */
export function portsFrom(rules: IngressRule[], predicate: (source: string) => boolean): (number | string)[] {
  return [...new Set(rules.filter((r) => predicate(r.source)).map((r) => r.port ?? r.protocol))].sort();
}

/** All IAM actions granted to a role resource name, across its inline policies. */
export function actionsOfRole(json: TfJson, roleResourceName: string): string[] {
  return resourcesOf(json, "aws_iam_role_policy")
    .filter(([, p]) => String(p.role).includes(`aws_iam_role.${roleResourceName}.`))
    .flatMap(([, p]) => JSON.parse(p.policy).Statement.flatMap((s: { Action: string | string[] }) => (Array.isArray(s.Action) ? s.Action : [s.Action])))
    .sort();
}

/** The IAM role resource name behind an instance's instance profile. */
export function roleOfInstance(json: TfJson, instanceName: string): string {
  const instance = json.resource!.aws_instance[instanceName] as Record<string, any>;
  const profileName = /aws_iam_instance_profile\.([^.]+)\.name/.exec(instance.iam_instance_profile)![1];
  const profile = json.resource!.aws_iam_instance_profile[profileName] as Record<string, any>;
  return /aws_iam_role\.([^.]+)\.name/.exec(profile.role)![1];
}

/** Every IAM statement granted to a role resource name, across its inline policies, with Action and Resource as lists. */
export function statementsOfRole(json: TfJson, roleResourceName: string): { Sid?: string; Effect: string; Action: string[]; Resource: string[]; Condition?: unknown }[] {
  const list = (v: string | string[]) => (Array.isArray(v) ? v : [v]);
  return resourcesOf(json, "aws_iam_role_policy")
    .filter(([, p]) => String(p.role).includes(`aws_iam_role.${roleResourceName}.`))
    .flatMap(([, p]) => JSON.parse(p.policy).Statement)
    .map((s: { Sid?: string; Effect: string; Action: string | string[]; Resource: string | string[]; Condition?: unknown }) => ({ ...s, Action: list(s.Action), Resource: list(s.Resource) }));
}
