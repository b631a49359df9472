import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { PolicyStatement, partitionOf, policyDocument } from "../core/iam";
import { check } from "../core/validation";
import { DEBIAN_ADMIN_USER } from "../server-config/instance-connect";
import { InstanceConnectEndpoint } from "./instance-connect-endpoint";

/** Longest tunnel an operator may open, in seconds (the role's session lasts at most as long). */
export const MAX_TUNNEL_SECONDS = 3600;

export interface OperatorAccessProps {
  /** AWS provider for the IAM resources (global). @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Name prefix; a role of its own is `<name>-operator`. */
  readonly name: string;
  /** Account whose principals may assume the operator role (their own IAM policies decide who). */
  readonly accountId: string;
  /** The Instance Connect Endpoints operators tunnel through (one per VPC). */
  readonly endpoints: readonly InstanceConnectEndpoint[];
  /** SSH keys may be pushed only to instances carrying all of these tags (e.g. Project, Environment, Stack); a list admits any of its values. */
  readonly instanceTags: Readonly<Record<string, string | readonly string[]>>;
  /** The only OS user keys may be pushed for. @default "admin" (Debian's cloud user) */
  readonly osUser?: string;
  /** An existing operator role to extend (e.g. the one reading the Grafana password). @default a role of its own */
  readonly role?: { readonly name: string; readonly arn: string };
}

/**
 * The operator's way onto a host with SSH closed to the internet: an IAM role
 * (assumable from the account) that may push a one-minute SSH key for one OS
 * user to this stack's instances only (`ec2-instance-connect:SendSSHPublicKey`,
 * tag and `ec2:osuser` conditions) and open a tunnel to port 22 through this
 * stack's Instance Connect Endpoints only (`OpenTunnel`, remote port and
 * duration conditions). The hosts read the pushed key from instance metadata
 * (server-config's instance-connect script).
 */
export class OperatorAccess extends Construct {
  readonly roleArn: string;
  readonly roleName: string;
  readonly statements: readonly PolicyStatement[];

  constructor(scope: Construct, id: string, props: OperatorAccessProps) {
    super(scope, id);
    check(props.endpoints.length > 0, `${id}.endpoints`, props.endpoints.length, "at least one Instance Connect Endpoint");
    const tagKeys = Object.keys(props.instanceTags);
    check(tagKeys.length > 0, `${id}.instanceTags`, props.instanceTags, "at least one tag that marks this stack's instances");
    const osUser = props.osUser ?? DEBIAN_ADMIN_USER;
    check(/^[a-z_][a-z0-9_-]{0,31}$/.test(osUser), `${id}.osUser`, osUser, "a Linux user name such as admin");

    const regions = [...new Set(props.endpoints.map((e) => e.region))];
    const instanceArns = regions.map((region) => `arn:${partitionOf(region)}:ec2:${region}:${props.accountId}:instance/*`);
    this.statements = [
      {
        Sid: "PushSshKeyToStackHosts",
        Effect: "Allow",
        Action: ["ec2-instance-connect:SendSSHPublicKey"],
        Resource: instanceArns,
        Condition: { StringEquals: { "ec2:osuser": osUser, ...Object.fromEntries(tagKeys.map((k) => [`aws:ResourceTag/${k}`, props.instanceTags[k] as string | string[]])) } },
      },
      {
        Sid: "TunnelToSshThroughStackEndpoints",
        Effect: "Allow",
        Action: ["ec2-instance-connect:OpenTunnel"],
        Resource: props.endpoints.map((e) => e.arn),
        Condition: { NumericEquals: { "ec2-instance-connect:remotePort": "22" }, NumericLessThanEquals: { "ec2-instance-connect:maxTunnelDuration": String(MAX_TUNNEL_SECONDS) } },
      },
      // The CLI finds the instance's VPC and its endpoint; both calls accept only "*".
      { Sid: "FindHostsAndEndpoints", Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeInstanceConnectEndpoints"], Resource: "*" },
    ];

    const role =
      props.role ??
      new IamRole(this, "role", {
        provider: props.provider,
        name: `${props.name}-operator`,
        description: "Operators: SSH onto this stack's hosts through EC2 Instance Connect; assumable by principals of the account that are allowed to",
        assumeRolePolicy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { AWS: `arn:aws:iam::${props.accountId}:root` }, Action: "sts:AssumeRole" }] }),
        maxSessionDuration: MAX_TUNNEL_SECONDS,
      });
    new IamRolePolicy(this, "policy", { provider: props.provider, role: role.name, name: "ssh-through-instance-connect", policy: policyDocument(this.statements) });
    this.roleArn = role.arn;
    this.roleName = role.name;
  }
}
