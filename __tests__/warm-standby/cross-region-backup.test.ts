/**
 * CrossRegionBackup: "AWS Backup for the warm standby: a KMS-encrypted vault and a daily plan in the primary
 * region, every recovery point copied to a KMS-encrypted vault in the DR region, resources chosen by tag
 * (tag a resource to protect it)."
 */
import { BACKUP_NAME_LIMIT, BACKUP_SERVICE_POLICIES, CrossRegionBackup, CrossRegionBackupProps } from "../../modules/warm-standby/cross-region-backup";
import { invalidInputOf } from "../support/invalid-input";
import { DataJson, configsOf, inventory, outputsOf, refTo, resourceNamed, synth, twoRegionStack } from "./data-support";

type Props = Omit<CrossRegionBackupProps, "drProvider">;

function build(props: Partial<Props> = {}, withProvider = true): { json: DataJson; backup: CrossRegionBackup } {
  const { stack, primary, dr } = twoRegionStack();
  const backup = new CrossRegionBackup(stack, "backup", { name: "acme-backup", drProvider: dr, ...(withProvider ? { provider: primary } : {}), ...props });
  const json = synth(stack, { vaultArn: backup.vaultArn, drVaultArn: backup.drVaultArn });
  return { json, backup };
}

function errorOf(props: Partial<Props>) {
  const { stack, dr } = twoRegionStack();
  return invalidInputOf(() => new CrossRegionBackup(stack, "backup", { name: "acme-backup", drProvider: dr, ...props }));
}

const plan = (json: DataJson, prefix = "backup_plan") => resourceNamed(json, "aws_backup_plan", prefix);
const rule = (json: DataJson) => plan(json).rule[0];

describe("vaults and keys", () => {
  test("a vault in the primary region and a `-dr` vault in the DR region, each encrypted with a customer managed key of its region, never force-destroyed", () => {
    const { json } = build();
    expect(inventory(json)).toEqual({
      aws_kms_key: 2,
      aws_kms_alias: 2,
      aws_backup_vault: 2,
      aws_iam_role: 1,
      aws_iam_role_policy_attachment: 2,
      aws_backup_plan: 1,
      aws_backup_selection: 1,
    });
    expect(resourceNamed(json, "aws_backup_vault", "backup_vault")).toEqual({
      provider: "aws.primary",
      name: "acme-backup",
      kms_key_arn: refTo(json, "aws_kms_key", "backup_key", "arn"),
      force_destroy: false,
    });
    expect(resourceNamed(json, "aws_backup_vault", "backup_dr-vault")).toEqual({
      provider: "aws.dr",
      name: "acme-backup-dr",
      kms_key_arn: refTo(json, "aws_kms_key", "backup_dr-key", "arn"),
      force_destroy: false,
    });
  });

  test("the keys: `<name>-backup` in the primary region, `<name>-backup-dr` in the DR region, described as what they protect", () => {
    const { json } = build();
    expect(resourceNamed(json, "aws_kms_key", "backup_key")).toMatchObject({ provider: "aws.primary", description: "AWS Backup vault acme-backup", enable_key_rotation: true });
    expect(resourceNamed(json, "aws_kms_alias", "backup_key_alias")).toEqual({ provider: "aws.primary", name: "alias/acme-backup-backup", target_key_id: refTo(json, "aws_kms_key", "backup_key", "key_id") });
    expect(resourceNamed(json, "aws_kms_key", "backup_dr-key")).toMatchObject({ provider: "aws.dr", description: "AWS Backup DR copy vault acme-backup", enable_key_rotation: true });
    expect(resourceNamed(json, "aws_kms_alias", "backup_dr-key_alias")).toEqual({ provider: "aws.dr", name: "alias/acme-backup-backup-dr", target_key_id: refTo(json, "aws_kms_key", "backup_dr-key", "key_id") });
  });

  test("vaultArn and drVaultArn are the two vaults' ARNs", () => {
    const { json } = build();
    expect(outputsOf(json)).toEqual({ vaultArn: refTo(json, "aws_backup_vault", "backup_vault", "arn"), drVaultArn: refTo(json, "aws_backup_vault", "backup_dr-vault", "arn") });
  });

  test("without a provider the primary-region resources use the stack's default AWS provider; the DR ones always the DR provider", () => {
    const { json } = build({}, false);
    for (const [type, prefix] of [
      ["aws_backup_vault", "backup_vault"],
      ["aws_kms_key", "backup_key"],
      ["aws_kms_alias", "backup_key_alias"],
      ["aws_iam_role", "backup_role"],
      ["aws_iam_role_policy_attachment", "backup_role-policy-0"],
      ["aws_iam_role_policy_attachment", "backup_role-policy-1"],
      ["aws_backup_plan", "backup_plan"],
      ["aws_backup_selection", "backup_selection"],
    ]) {
      expect(resourceNamed(json, type, prefix)).not.toHaveProperty("provider");
    }
    expect(resourceNamed(json, "aws_backup_vault", "backup_dr-vault").provider).toBe("aws.dr");
    expect(resourceNamed(json, "aws_kms_key", "backup_dr-key").provider).toBe("aws.dr");
  });
});

describe("the service role", () => {
  test("assumable by AWS Backup only, with the AWS managed backup and restore policies", () => {
    const { json } = build();
    const role = resourceNamed(json, "aws_iam_role", "backup_role");
    expect(role).toEqual({ provider: "aws.primary", name: "acme-backup-backup", assume_role_policy: expect.any(String) });
    expect(JSON.parse(role.assume_role_policy)).toEqual({
      Version: "2012-10-17",
      Statement: [{ Effect: "Allow", Principal: { Service: "backup.amazonaws.com" }, Action: "sts:AssumeRole" }],
    });
    expect(BACKUP_SERVICE_POLICIES).toEqual([
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForBackup",
      "arn:aws:iam::aws:policy/service-role/AWSBackupServiceRolePolicyForRestores",
    ]);
    expect(configsOf(json, "aws_iam_role_policy_attachment")).toEqual(
      BACKUP_SERVICE_POLICIES.map((policy_arn) => ({ provider: "aws.primary", role: refTo(json, "aws_iam_role", "backup_role", "name"), policy_arn })),
    );
  });
});

describe("the plan (default: runs in the primary region)", () => {
  test("daily at 05:00 UTC into the primary vault, kept 35 days, every recovery point copied to the DR vault and kept 35 days there, tagged with the plan", () => {
    const { json } = build();
    expect(plan(json)).toEqual({
      provider: "aws.primary",
      name: "acme-backup",
      rule: [
        {
          rule_name: "daily-with-dr-copy",
          target_vault_name: refTo(json, "aws_backup_vault", "backup_vault", "name"),
          schedule: "cron(0 5 * * ? *)",
          start_window: 60,
          completion_window: 360,
          lifecycle: { delete_after: 35 },
          copy_action: [{ destination_vault_arn: refTo(json, "aws_backup_vault", "backup_dr-vault", "arn"), lifecycle: { delete_after: 35 } }],
          recovery_point_tags: { Plan: "acme-backup" },
        },
      ],
    });
  });

  test("resources are chosen by the tag Backup = <name> by default, with the service role", () => {
    const { json, backup } = build();
    expect(resourceNamed(json, "aws_backup_selection", "backup_selection")).toEqual({
      provider: "aws.primary",
      name: "acme-backup-by-tag",
      plan_id: refTo(json, "aws_backup_plan", "backup_plan", "id"),
      iam_role_arn: refTo(json, "aws_iam_role", "backup_role", "arn"),
      selection_tag: [{ type: "STRINGEQUALS", key: "Backup", value: "acme-backup" }],
    });
    expect(backup.selectionTag).toEqual({ key: "Backup", value: "acme-backup" });
  });

  test("selectionTagKey and selectionTagValue set the tag that puts a resource into the plan", () => {
    const { json, backup } = build({ selectionTagKey: "team:protect", selectionTagValue: "nightly" });
    expect(resourceNamed(json, "aws_backup_selection", "backup_selection").selection_tag).toEqual([{ type: "STRINGEQUALS", key: "team:protect", value: "nightly" }]);
    expect(backup.selectionTag).toEqual({ key: "team:protect", value: "nightly" });
  });

  test("schedule and retentionDays land in the rule, the copy keeping the same retention", () => {
    const { json } = build({ schedule: "cron(30 1 ? * MON *)", retentionDays: 90 });
    expect(rule(json)).toMatchObject({ schedule: "cron(30 1 ? * MON *)", lifecycle: { delete_after: 90 } });
    expect(rule(json).copy_action).toEqual([{ destination_vault_arn: refTo(json, "aws_backup_vault", "backup_dr-vault", "arn"), lifecycle: { delete_after: 90 } }]);
  });

  test('runFrom "primary" is the default', () => {
    expect(build({ runFrom: "primary" }).json).toEqual(build().json);
  });
});

describe('runFrom "dr": after a failover the plan runs in the DR region', () => {
  test("the plan (`<name>-dr`, a new address) backs up into the DR vault and copies to the primary's", () => {
    const { json } = build({ runFrom: "dr" });
    expect(inventory(json)).toMatchObject({ aws_backup_plan: 1, aws_backup_selection: 1, aws_backup_vault: 2 });
    expect(plan(json, "backup_plan-dr")).toEqual({
      provider: "aws.dr",
      name: "acme-backup-dr",
      rule: [
        {
          rule_name: "daily-with-primary-copy",
          target_vault_name: refTo(json, "aws_backup_vault", "backup_dr-vault", "name"),
          schedule: "cron(0 5 * * ? *)",
          start_window: 60,
          completion_window: 360,
          lifecycle: { delete_after: 35 },
          copy_action: [{ destination_vault_arn: refTo(json, "aws_backup_vault", "backup_vault", "arn"), lifecycle: { delete_after: 35 } }],
          recovery_point_tags: { Plan: "acme-backup" },
        },
      ],
    });
  });

  test("the selection moves with it (same tag, same role); both vaults stay where they are", () => {
    const { json } = build({ runFrom: "dr" });
    expect(resourceNamed(json, "aws_backup_selection", "backup_selection-dr")).toEqual({
      provider: "aws.dr",
      name: "acme-backup-by-tag",
      plan_id: refTo(json, "aws_backup_plan", "backup_plan-dr", "id"),
      iam_role_arn: refTo(json, "aws_iam_role", "backup_role", "arn"),
      selection_tag: [{ type: "STRINGEQUALS", key: "Backup", value: "acme-backup" }],
    });
    expect(resourceNamed(json, "aws_backup_vault", "backup_vault")).toMatchObject({ provider: "aws.primary", name: "acme-backup" });
    expect(resourceNamed(json, "aws_backup_vault", "backup_dr-vault")).toMatchObject({ provider: "aws.dr", name: "acme-backup-dr" });
    expect(resourceNamed(json, "aws_iam_role", "backup_role").provider).toBe("aws.primary");
  });
});

describe("validation", () => {
  describe(`name: 2–${BACKUP_NAME_LIMIT} letters, digits, hyphens or underscores`, () => {
    test("the limit is 40 (vault and plan names add suffixes within AWS Backup's 50 characters)", () => {
      expect(BACKUP_NAME_LIMIT).toBe(40);
    });
    test.each(["ab", "A_b-9", "a".repeat(40)])("%p is accepted", (name) => {
      const { json } = build({ name });
      expect(resourceNamed(json, "aws_backup_vault", "backup_vault").name).toBe(name);
      expect(resourceNamed(json, "aws_backup_vault", "backup_dr-vault").name).toBe(`${name}-dr`);
    });
    test.each(["a", "a".repeat(41), "a.b", "a b", "", "ab/c", "ab\n"])("%p is refused, naming the field, the value and what is allowed", (name) => {
      expect(errorOf({ name }).message).toBe(`backup.name: ${JSON.stringify(name)} is not allowed; expected 2–40 letters, digits, hyphens or underscores`);
    });
  });

  describe("schedule: an AWS Backup cron expression", () => {
    test.each(["cron(0 */6 * * ? *)", "cron(15,45 10-12 1,15 JAN-JUN ? 2025-2030)", "cron(0/30 6,18 ? */2 MON-FRI *)"])("%p is accepted (every field may be longer than one character)", (schedule) => {
      expect(rule(build({ schedule }).json).schedule).toBe(schedule);
    });
    test.each(["rate(1 day)", "cron(0 5 * * ?)", "cron(0 5 * * ? * *)", "cron(0  5 * * ? *)", "cron(0 5 * * ? *) ", " cron(0 5 * * ? *)", "cron(0 5 * * ? *", "cron 0 5 * * ? *)", "cron( 5 * * ? *)"])(
      "%p is refused, naming the field, the value and what is allowed",
      (schedule) => {
        expect(errorOf({ schedule }).message).toBe(`backup.schedule: ${JSON.stringify(schedule)} is not allowed; expected an AWS Backup cron expression such as "cron(0 5 * * ? *)"`);
      },
    );
  });

  describe("retentionDays: an integer from 7 to 3650, default 35", () => {
    test.each([7, 8, 3650])("%p days in both vaults", (retentionDays) => {
      const r = rule(build({ retentionDays }).json);
      expect([r.lifecycle.delete_after, r.copy_action[0].lifecycle.delete_after]).toEqual([retentionDays, retentionDays]);
    });
    test.each([6, 3651, 7.5, 0])("%p is refused, naming the field, the value and what is allowed", (retentionDays) => {
      expect(errorOf({ retentionDays }).message).toBe(`backup.retentionDays: ${retentionDays} is not allowed; expected an integer from 7 to 3650`);
    });
  });

  describe("selectionTagKey: a tag key of 1–128 characters, not starting with aws: in any case (AWS reserves the prefix)", () => {
    test.each(["a", "k".repeat(128), "team:backup/plan=1+x@y-z_ .", "my-aws:tag"])("%p is accepted", (selectionTagKey) => {
      expect(build({ selectionTagKey }).backup.selectionTag.key).toBe(selectionTagKey);
    });
    test.each(["", "k".repeat(129), "aws:backup", "AWS:backup", "Aws:backup", "Back#up", "Backup!", "Back\tup"])("%p is refused, naming the field, the value and what is allowed", (selectionTagKey) => {
      expect(errorOf({ selectionTagKey }).message).toBe(`backup.selectionTagKey: ${JSON.stringify(selectionTagKey)} is not allowed; expected a tag key (1–128 characters, not starting with aws: in any case)`);
    });
  });
});
