import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { IamInstanceProfile } from "@cdktf/provider-aws/lib/iam-instance-profile";
import { PolicyStatement, policyDocument, serviceTrustPolicy } from "../core/iam";

/**
 * IAM actions that let Session Manager reach the host (no SSH needed); the ssmmessages channels have no
 * resource-level permissions. Only for images that run the SSM agent: Debian 12 ships none, so no role
 * of the stacks grants them (least privilege); operators use EC2 Instance Connect.
 */
export const SESSION_MANAGER_STATEMENTS: readonly PolicyStatement[] = [
  // The agent registers the instance it runs on; nothing else can be named here.
  { Sid: "SessionManagerRegistration", Effect: "Allow", Action: ["ssm:UpdateInstanceInformation"], Resource: "arn:aws:ec2:*:*:instance/*" },
  {
    Sid: "SessionManagerChannels",
    Effect: "Allow",
    Action: [
      "ssmmessages:CreateControlChannel",
      "ssmmessages:CreateDataChannel",
      "ssmmessages:OpenControlChannel",
      "ssmmessages:OpenDataChannel",
    ],
    Resource: "*",
  },
];

export interface HostRoleProps {
  /** AWS provider of the region the resources live in. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Role, policy and instance profile name (`<name>-host`). */
  readonly name: string;
  /** What the hosts may do (least privilege: scope resources). @default [] */
  readonly policyStatements?: readonly PolicyStatement[];
  /** Grant Session Manager access (shell without SSH; needs an image with the SSM agent, which Debian 12 lacks). @default false */
  readonly sessionManager?: boolean;
}

/** The IAM role and instance profile of one kind of host; a fleet shares one. */
export class HostRole extends Construct {
  readonly roleName: string;
  readonly roleArn: string;
  readonly instanceProfileName: string;

  constructor(scope: Construct, id: string, props: HostRoleProps) {
    super(scope, id);
    const provider = props.provider;
    const role = new IamRole(this, "role", {
      provider,
      name: `${props.name}-host`,
      assumeRolePolicy: serviceTrustPolicy("ec2.amazonaws.com"),
      tags: { Name: `${props.name}-host` },
    });
    const statements = [...((props.sessionManager ?? false) ? SESSION_MANAGER_STATEMENTS : []), ...(props.policyStatements ?? [])];
    if (statements.length > 0) {
      new IamRolePolicy(this, "policy", { provider, role: role.id, name: `${props.name}-host`, policy: policyDocument(statements) });
    }
    const profile = new IamInstanceProfile(this, "profile", { provider, name: `${props.name}-host`, role: role.name });
    this.roleName = role.name;
    this.roleArn = role.arn;
    this.instanceProfileName = profile.name;
  }
}
