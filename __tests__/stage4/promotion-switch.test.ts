/**
 * warmStandby.activeRegion: "dr" — the configuration after the DR replica has
 * been promoted. Proven from the two synthesized documents (every stateful
 * resource keeps its address and changes only the attributes the promotion
 * intends) and by the real offline plan of the "dr" document.
 */
import { mkdtempSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { initStack, validateAndPlan } from "../../scripts/plan-offline";
import { missingOfflineTerraform, prepareOfflineTerraform } from "../../scripts/offline-terraform";
import { DEFAULT_CONFIG, loadConfig } from "../../stacks/config";
import { synthesize } from "../../stacks/synthesize";
import { TfJson, referenced, resourcesOf, synthStack, testConfig } from "../support/synth";

const STACK = "stage4-warm-standby";
const before = synthStack(STACK);
const after = synthStack(STACK, testConfig({ warmStandby: { activeRegion: "dr" } }));
type Res = Record<string, any>;

/** Resources whose destruction loses data or identity: databases, vaults, keys, buckets, caches, secrets, zones, addresses. */
const STATEFUL = ["aws_db_instance", "aws_backup_vault", "aws_kms_key", "aws_s3_bucket", "aws_elasticache_replication_group", "aws_secretsmanager_secret", "aws_route53_zone", "aws_eip"];
/** What the promotion is meant to change on the DR database, and nothing else. */
const PROMOTION_CHANGES = ["replicate_source_db", "skip_final_snapshot", "final_snapshot_identifier", "multi_az", "backup_retention_period", "tags"];

const dbNamed = (doc: TfJson, part: string) => resourcesOf(doc, "aws_db_instance").find(([n]) => n.includes(part))!;

describe("promotion switch: stateful resources survive", () => {
  it.each(STATEFUL)("%s: the same addresses in both documents", (type) => {
    expect(resourcesOf(after, type).map(([n]) => n).sort()).toEqual(resourcesOf(before, type).map(([n]) => n).sort());
  });
  it("every stateful resource keeps every attribute but the promotion's own changes on the DR database", () => {
    const changed: string[] = [];
    for (const type of STATEFUL) {
      for (const [name, was] of resourcesOf(before, type)) {
        const now = after.resource![type][name] as Res;
        for (const key of new Set([...Object.keys(was), ...Object.keys(now)])) {
          if (JSON.stringify(was[key]) !== JSON.stringify(now[key])) changed.push(`${type}.${name}.${key}`);
        }
      }
    }
    const [replica] = dbNamed(before, "dr-replica");
    const allowed = PROMOTION_CHANGES.map((key) => `aws_db_instance.${replica}.${key}`);
    expect(changed.filter((c) => !allowed.includes(c))).toEqual([]);
    expect(changed).toEqual(expect.arrayContaining([`aws_db_instance.${replica}.replicate_source_db`, `aws_db_instance.${replica}.skip_final_snapshot`]));
  });
  it("the DR database becomes a standalone writer with backups, Multi-AZ and a final snapshot; the old primary is untouched", () => {
    const [, replicaBefore] = dbNamed(before, "dr-replica");
    const [, writer] = dbNamed(after, "dr-replica");
    expect(replicaBefore.replicate_source_db).toBeDefined();
    expect(replicaBefore.skip_final_snapshot).toBe(true); // RDS refuses a final snapshot of a replica
    expect(writer.replicate_source_db).toBeUndefined();
    expect(writer).toMatchObject({ skip_final_snapshot: false, final_snapshot_identifier: "webplat-dev-stage4-db-dr-final", multi_az: true, deletion_protection: true });
    expect(writer.backup_retention_period).toBe(DEFAULT_CONFIG.database.backupRetentionDays);
    expect(writer.tags.Backup).toBe(dbNamed(before, "primary")[1].tags.Backup);
    expect(dbNamed(after, "primary")[1]).toEqual(dbNamed(before, "primary")[1]);
  });
});

describe("promotion switch: the DR region serves", () => {
  const group = (doc: TfJson, name: string) => resourcesOf(doc, "aws_autoscaling_group").find(([, g]) => g.name === name)![1];
  it("the DR fleets get the active capacity, the primary's the warm minimum", () => {
    for (const tier of ["frontend", "backend"] as const) {
      expect(group(after, `webplat-dev-stage4-dr-${tier}`).min_size).toBe(DEFAULT_CONFIG.warmStandby.primaryCapacity[tier].min);
      expect(group(after, `webplat-dev-stage4-dr-${tier}`).max_size).toBe(DEFAULT_CONFIG.warmStandby.primaryCapacity[tier].max);
      expect(group(after, `webplat-dev-stage4-primary-${tier}`).min_size).toBe(DEFAULT_CONFIG.warmStandby.drCapacity[tier].min);
    }
  });
  it("Route 53 answers with the DR backend first, health-checked", () => {
    const [, primaryRecord] = resourcesOf(after, "aws_route53_record").find(([, r]) => r.failover_routing_policy?.type === "PRIMARY")!;
    expect(primaryRecord.alias.name).toMatch(/aws_lb\.dr_backend-alb/);
    const [, health] = resourcesOf(after, "aws_route53_health_check")[0];
    expect(health.fqdn).toBe("backend-us-west-2.app.example.com");
    expect(referenced(after, primaryRecord.health_check_id).config).toBe(health);
  });
  it("the DR backend still reads the DR copy of the database secret and dials its own database (nothing of it changes)", () => {
    const backendOf = (doc: TfJson) => ({
      userData: resourcesOf(doc, "aws_launch_template").find(([, t]) => t.name === "webplat-dev-stage4-dr-backend")![1].user_data,
      policy: resourcesOf(doc, "aws_iam_role_policy").find(([n]) => n.startsWith("dr_backend_launch-template"))![1].policy,
    });
    expect(backendOf(after)).toEqual(backendOf(before));
    const policy = JSON.parse(backendOf(after).policy).Statement.find((st: Res) => st.Sid === "ReadDatabaseSecret");
    expect(policy.Resource).toEqual([expect.stringMatching(/^\$\{local\.database-secret_dr-arn_[0-9A-F]+\}$/)]);
    // The promoted database keeps the replicated password: no password argument appears on it.
    const [, writer] = dbNamed(after, "dr-replica");
    expect(writer.password_wo).toBeUndefined();
    expect(writer.manage_master_user_password).toBeUndefined();
  });
  it("CloudFront tries the DR frontend first", () => {
    const [, distribution] = resourcesOf(after, "aws_cloudfront_distribution")[0];
    const first = distribution.origin.find((o: Res) => o.origin_id === distribution.origin_group[0].member[0].origin_id);
    expect(first.domain_name).toBe("frontend-us-west-2.app.example.com");
  });
  it("backups run in the DR region into its vault and are copied to the primary's; both vaults stay", () => {
    const plans = resourcesOf(after, "aws_backup_plan");
    expect(plans).toHaveLength(1);
    const [, plan] = plans[0];
    expect(plan.provider).toBe("aws.secondary");
    const vaults = Object.fromEntries(resourcesOf(after, "aws_backup_vault").map(([n, v]) => [n, v]));
    expect(vaults[referenced(after, `\${aws_backup_vault.${plan.rule[0].target_vault_name.split(".")[1]}.name}`).name].provider).toBe("aws.secondary");
    expect(referenced(after, plan.rule[0].copy_action[0].destination_vault_arn).config.provider).toBeUndefined();
    const [, selection] = resourcesOf(after, "aws_backup_selection")[0];
    expect(selection.provider).toBe("aws.secondary");
  });
});

const missing = missingOfflineTerraform();
if (missing && process.env.CI) throw new Error(`CI must plan the promoted stack offline; missing ${missing}`);
(missing ? describe.skip : describe)("promotion switch: the real provider plans the promoted stack", () => {
  it("terraform validate and plan pass offline with activeRegion dr", async () => {
    const dir = mkdtempSync(join(tmpdir(), "promoted-"));
    const tf = prepareOfflineTerraform(join(dir, "terraform"));
    synthesize({ outdir: join(dir, "out"), config: loadConfig({ file: "", profile: "offline", overrides: { warmStandby: { activeRegion: "dr" } } }) });
    initStack(tf, join(dir, "out", "stacks", STACK, "cdk.tf.json"), join(dir, "work"));
    const resources = await validateAndPlan(tf, join(dir, "work"), join(dir, "plan.json"));
    expect(resources).toBeGreaterThan(250);
  }, 600_000);
});
