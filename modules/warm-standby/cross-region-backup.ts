import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { BackupVault } from "@cdktf/provider-aws/lib/backup-vault";
import { BackupPlan } from "@cdktf/provider-aws/lib/backup-plan";
import { BackupSelection } from "@cdktf/provider-aws/lib/backup-selection";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicyAttachment } from "@cdktf/provider-aws/lib/iam-role-policy-attachment";
import { CustomerManagedKey } from "../encryption";
import { serviceTrustPolicy } from "../core/iam";

/** Longest `name` (the vault and plan names add suffixes within AWS Backup's 50 characters). */
export const BACKUP_NAME_LIMIT = 40;
import { check } from "../core/validation";

/** AWS managed policies the AWS Backup service role needs to back up and restore. */
export const BACKUP_SERVICE_POLICIES = [
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
  "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
];

export interface CrossRegionBackupProps {
  /** Provider of the primary region (vault, plan, selection). @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Provider of the DR region (the copy vault). */
  readonly drProvider: TerraformProvider;
  /** Name prefix of vaults, plan, keys and role. */
  readonly name: string;
  /** Tag every protected resource carries; its value is `selectionTagValue`. @default "Backup" */
  readonly selectionTagKey?: string;
  /** @default the `name` */
  readonly selectionTagValue?: string;
  /** When backups start (AWS Backup cron, UTC). @default "cron(0 5 * * ? *)" */
  readonly schedule?: string;
  /** Days recovery points are kept, in both vaults (7–3650). @default 35 */
  readonly retentionDays?: number;
  /**
   * Region the backups run in: "dr" after a failover, when the writer lives
   * there — the plan backs up into the DR vault and copies to the primary's.
   * Both vaults (and their recovery points) stay where they are.
   * @default "primary"
   */
  readonly runFrom?: "primary" | "dr";
}

/**
 * AWS Backup for the warm standby: a KMS-encrypted vault and a daily plan in
 * the primary region, every recovery point copied to a KMS-encrypted vault in
 * the DR region, resources chosen by tag (tag a resource to protect it).
 */
export class CrossRegionBackup extends Construct {
  /** The tag that puts a resource into the plan. */
  readonly selectionTag: { readonly key: string; readonly value: string };
  readonly vaultArn: string;
  readonly drVaultArn: string;

  constructor(scope: Construct, id: string, props: CrossRegionBackupProps) {
    super(scope, id);
    check(new RegExp(`^[a-zA-Z0-9_-]{2,${BACKUP_NAME_LIMIT}}$`).test(props.name), `${id}.name`, props.name, `2–${BACKUP_NAME_LIMIT} letters, digits, hyphens or underscores`);
    const schedule = props.schedule ?? "cron(0 5 * * ? *)";
    check(/^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/.test(schedule), `${id}.schedule`, schedule, 'an AWS Backup cron expression such as "cron(0 5 * * ? *)"');
    const retention = props.retentionDays ?? 35;
    check(Number.isInteger(retention) && retention >= 7 && retention <= 3650, `${id}.retentionDays`, retention, "an integer from 7 to 3650");
    const key = props.selectionTagKey ?? "Backup";
    check(/^[a-zA-Z0-9 _.:/=+@-]{1,128}$/.test(key) && !key.toLowerCase().startsWith("aws:"), `${id}.selectionTagKey`, key, "a tag key (1–128 characters, not starting with aws: in any case)");
    this.selectionTag = { key, value: props.selectionTagValue ?? props.name };
    const provider = props.provider;

    const vaultKey = new CustomerManagedKey(this, "key", { provider, alias: `${props.name}-backup`, description: `AWS Backup vault ${props.name}` });
    const drKey = new CustomerManagedKey(this, "dr-key", { provider: props.drProvider, alias: `${props.name}-backup-dr`, description: `AWS Backup DR copy vault ${props.name}` });
    const vault = new BackupVault(this, "vault", { provider, name: props.name, kmsKeyArn: vaultKey.keyArn, forceDestroy: false });
    const drVault = new BackupVault(this, "dr-vault", { provider: props.drProvider, name: `${props.name}-dr`, kmsKeyArn: drKey.keyArn, forceDestroy: false });

    const role = new IamRole(this, "role", { provider, name: `${props.name}-backup`, assumeRolePolicy: serviceTrustPolicy("backup.amazonaws.com") });
    BACKUP_SERVICE_POLICIES.forEach((policyArn, index) => new IamRolePolicyAttachment(this, `role-policy-${index}`, { provider, role: role.name, policyArn }));
    // After a failover the plan runs in the DR region (other addresses: the primary region's plan may be unreachable).
    const fromDr = props.runFrom === "dr";
    const [planProvider, local, remote, suffix] = fromDr ? [props.drProvider, drVault, vault, "-dr"] : [provider, vault, drVault, ""];
    const plan = new BackupPlan(this, `plan${suffix}`, {
      provider: planProvider,
      name: `${props.name}${suffix}`,
      rule: [
        {
          ruleName: fromDr ? "daily-with-primary-copy" : "daily-with-dr-copy",
          targetVaultName: local.name,
          schedule,
          startWindow: 60,
          completionWindow: 360,
          lifecycle: { deleteAfter: retention },
          copyAction: [{ destinationVaultArn: remote.arn, lifecycle: { deleteAfter: retention } }],
          recoveryPointTags: { Plan: props.name },
        },
      ],
    });
    new BackupSelection(this, `selection${suffix}`, {
      provider: planProvider,
      name: `${props.name}-by-tag`,
      planId: plan.id,
      iamRoleArn: role.arn,
      selectionTag: [{ type: "STRINGEQUALS", key, value: this.selectionTag.value }],
    });
    this.vaultArn = vault.arn;
    this.drVaultArn = drVault.arn;
  }
}
