import { BackupVaultKms } from "../../modules/policy/rules/backup/BackupVaultKms";
import { ElastiCacheAtRestEncryption } from "../../modules/policy/rules/elasticache/ElastiCacheAtRestEncryption";
import { ElastiCacheTransitEncryption } from "../../modules/policy/rules/elasticache/ElastiCacheTransitEncryption";
import { RdsBackupRetention } from "../../modules/policy/rules/rds/RdsBackupRetention";
import { RdsDeletionProtection } from "../../modules/policy/rules/rds/RdsDeletionProtection";
import { RdsIamAuthentication } from "../../modules/policy/rules/rds/RdsIamAuthentication";
import { RdsLogExports } from "../../modules/policy/rules/rds/RdsLogExports";
import { RdsMultiAz } from "../../modules/policy/rules/rds/RdsMultiAz";
import { RdsNotPublic } from "../../modules/policy/rules/rds/RdsNotPublic";
import { RdsStorageEncrypted } from "../../modules/policy/rules/rds/RdsStorageEncrypted";
import { S3Encryption } from "../../modules/policy/rules/s3/S3Encryption";
import { S3PublicAccessBlock } from "../../modules/policy/rules/s3/S3PublicAccessBlock";
import { S3StateBucketVersioning } from "../../modules/policy/rules/s3/S3StateBucketVersioning";
import { S3Versioning } from "../../modules/policy/rules/s3/S3Versioning";
import { describeRules, Entry, tf } from "./fixtures";

/** A primary database that satisfies every RDS rule; cases override one attribute. */
const goodDb = {
  engine: "mysql", storage_encrypted: true, publicly_accessible: false, multi_az: true, backup_retention_period: 7,
  deletion_protection: true, iam_database_authentication_enabled: true, enabled_cloudwatch_logs_exports: ["error", "slowquery"],
};
const db = (name: string, override: Record<string, unknown> = {}): Entry => ["aws_db_instance", name, { ...goodDb, ...override }];
const replica = (name: string, override: Record<string, unknown> = {}): Entry =>
  ["aws_db_instance", name, { ...goodDb, engine: undefined, replicate_source_db: "${aws_db_instance.primary.identifier}", multi_az: false, backup_retention_period: 0, ...override }];

const pab = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };
const sse = (bucketRef: string): Record<string, unknown> => ({ bucket: bucketRef, rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "aws:kms" } }] });
const versioning = (bucketRef: string, status = "Enabled"): Record<string, unknown> => ({ bucket: bucketRef, versioning_configuration: { status } });

describeRules([
  {
    rule: RdsStorageEncrypted,
    compliant: tf(db("primary"), replica("cross_region", { storage_encrypted: undefined, kms_key_id: "arn:aws:kms:us-west-2:1:key/x" })),
    nonCompliant: tf(db("plain", { storage_encrypted: false }), db("unset", { storage_encrypted: undefined }), db("ok")),
    failing: ["aws_db_instance.plain", "aws_db_instance.unset"],
    texts: ["aws_db_instance.plain: storage_encrypted is false", "aws_db_instance.unset: storage_encrypted is unset"],
  },
  {
    rule: RdsNotPublic,
    compliant: tf(db("primary"), db("unset", { publicly_accessible: undefined })),
    nonCompliant: tf(db("public", { publicly_accessible: true }), db("ok")),
    failing: ["aws_db_instance.public"],
    texts: ["aws_db_instance.public: publicly_accessible is true"],
  },
  {
    rule: RdsMultiAz,
    compliant: tf(db("primary"), replica("reader")),
    nonCompliant: tf(db("single", { multi_az: false }), db("unset", { multi_az: undefined }), replica("reader")),
    failing: ["aws_db_instance.single", "aws_db_instance.unset"],
    texts: ["aws_db_instance.single: multi_az is false", "aws_db_instance.unset: multi_az is unset"],
  },
  {
    rule: RdsBackupRetention,
    compliant: tf(db("primary", { backup_retention_period: "14" }), replica("reader")),
    nonCompliant: tf(db("none", { backup_retention_period: 0 }), db("short", { backup_retention_period: 3 }), db("unset", { backup_retention_period: undefined }), db("ok")),
    failing: ["aws_db_instance.none", "aws_db_instance.short", "aws_db_instance.unset"],
    texts: [
      "aws_db_instance.none: backup_retention_period is 0",
      "aws_db_instance.short: backup_retention_period is 3",
      "aws_db_instance.unset: backup_retention_period is unset",
    ],
  },
  {
    rule: RdsDeletionProtection,
    compliant: tf(db("primary"), replica("reader")),
    nonCompliant: tf(db("off", { deletion_protection: false }), replica("reader", { deletion_protection: undefined })),
    failing: ["aws_db_instance.off", "aws_db_instance.reader"],
    texts: ["aws_db_instance.off: deletion_protection is false", "aws_db_instance.reader: deletion_protection is unset"],
  },
  {
    rule: RdsIamAuthentication,
    compliant: tf(db("primary"), db("sqlserver", { engine: "sqlserver-ex", iam_database_authentication_enabled: false })),
    nonCompliant: tf(db("pg", { engine: "postgres", iam_database_authentication_enabled: false }), db("unset", { iam_database_authentication_enabled: undefined }), db("ok")),
    failing: ["aws_db_instance.pg", "aws_db_instance.unset"],
    texts: ["aws_db_instance.pg: iam_database_authentication_enabled is false", "aws_db_instance.unset: iam_database_authentication_enabled is unset"],
  },
  {
    rule: RdsLogExports,
    compliant: tf(db("primary"), db("pg", { engine: "postgres", enabled_cloudwatch_logs_exports: ["postgresql", "upgrade"] })),
    nonCompliant: tf(
      db("none", { enabled_cloudwatch_logs_exports: undefined }),
      db("wrong_log", { enabled_cloudwatch_logs_exports: ["slowquery"] }),
      db("pg_upgrade_only", { engine: "postgres", enabled_cloudwatch_logs_exports: ["upgrade"] }),
      db("ok"),
    ),
    failing: ["aws_db_instance.none", "aws_db_instance.pg_upgrade_only", "aws_db_instance.wrong_log"],
    texts: [
      "aws_db_instance.none: enabled_cloudwatch_logs_exports [] lacks \"error\"",
      "aws_db_instance.pg_upgrade_only: enabled_cloudwatch_logs_exports [\"upgrade\"] lacks \"postgresql\"",
      "aws_db_instance.wrong_log: enabled_cloudwatch_logs_exports [\"slowquery\"] lacks \"error\"",
    ],
  },
  {
    rule: ElastiCacheTransitEncryption,
    compliant: tf(["aws_elasticache_replication_group", "cache", { transit_encryption_enabled: true }]),
    nonCompliant: tf(
      ["aws_elasticache_replication_group", "off", { transit_encryption_enabled: false }],
      ["aws_elasticache_replication_group", "unset", {}],
      ["aws_elasticache_replication_group", "ok", { transit_encryption_enabled: "true" }],
    ),
    failing: ["aws_elasticache_replication_group.off", "aws_elasticache_replication_group.unset"],
    texts: [
      "aws_elasticache_replication_group.off: transit_encryption_enabled is false",
      "aws_elasticache_replication_group.unset: transit_encryption_enabled is unset",
    ],
  },
  {
    rule: ElastiCacheAtRestEncryption,
    compliant: tf(["aws_elasticache_replication_group", "cache", { at_rest_encryption_enabled: true }]),
    nonCompliant: tf(
      ["aws_elasticache_replication_group", "off", { at_rest_encryption_enabled: false }],
      ["aws_elasticache_replication_group", "ok", { at_rest_encryption_enabled: true }],
    ),
    failing: ["aws_elasticache_replication_group.off"],
    texts: ["aws_elasticache_replication_group.off: at_rest_encryption_enabled is false"],
  },
  {
    rule: S3PublicAccessBlock,
    compliant: tf(
      ["aws_s3_bucket", "logs", { bucket: "acme-logs" }],
      ["aws_s3_bucket_public_access_block", "logs", { bucket: "${aws_s3_bucket.logs.id}", ...pab }],
      ["aws_s3_bucket", "named", { bucket: "acme-named" }],
      ["aws_s3_bucket_public_access_block", "named", { bucket: "acme-named", ...pab }],
    ),
    nonCompliant: tf(
      ["aws_s3_bucket", "none", { bucket: "a" }],
      ["aws_s3_bucket", "partial", { bucket: "b" }],
      ["aws_s3_bucket_public_access_block", "partial", { bucket: "${aws_s3_bucket.partial.id}", ...pab, restrict_public_buckets: false }],
      ["aws_s3_bucket", "ok", { bucket: "c" }],
      ["aws_s3_bucket_public_access_block", "ok", { bucket: "${aws_s3_bucket.ok.bucket}", ...pab }],
    ),
    failing: ["aws_s3_bucket.none", "aws_s3_bucket.partial"],
    texts: [
      "aws_s3_bucket.none: no aws_s3_bucket_public_access_block references this bucket",
      "aws_s3_bucket.partial: public access block leaves restrict_public_buckets off",
    ],
  },
  {
    rule: S3Encryption,
    compliant: tf(
      ["aws_s3_bucket", "logs", {}],
      ["aws_s3_bucket_server_side_encryption_configuration", "logs", sse("${aws_s3_bucket.logs.id}")],
      ["aws_s3_bucket", "legacy", { server_side_encryption_configuration: { rule: { apply_server_side_encryption_by_default: { sse_algorithm: "AES256" } } } }],
    ),
    nonCompliant: tf(
      ["aws_s3_bucket", "none", {}],
      ["aws_s3_bucket", "bad_algo", {}],
      ["aws_s3_bucket_server_side_encryption_configuration", "bad_algo", { bucket: "${aws_s3_bucket.bad_algo.id}", rule: [{ apply_server_side_encryption_by_default: { sse_algorithm: "none" } }] }],
      ["aws_s3_bucket", "ok", {}],
      ["aws_s3_bucket_server_side_encryption_configuration", "ok", sse("${aws_s3_bucket.ok.id}")],
    ),
    failing: ["aws_s3_bucket.bad_algo", "aws_s3_bucket.none"],
    texts: [
      "aws_s3_bucket.bad_algo: no rule sets sse_algorithm to one of AES256, aws:kms, aws:kms:dsse",
      "aws_s3_bucket.none: no aws_s3_bucket_server_side_encryption_configuration references this bucket",
    ],
  },
  {
    rule: S3StateBucketVersioning,
    compliant: tf(
      ["aws_s3_bucket", "state", { bucket: "acme-tfstate" }],
      ["aws_s3_bucket_versioning", "state", versioning("${aws_s3_bucket.state.id}")],
      ["aws_s3_bucket", "logs", { bucket: "acme-logs" }],
    ),
    nonCompliant: tf(
      ["aws_s3_bucket", "tagged", { bucket: "acme-x", tags: { Purpose: "terraform-state" } }],
      ["aws_s3_bucket", "suspended", { bucket: "acme-terraform-state" }],
      ["aws_s3_bucket_versioning", "suspended", versioning("${aws_s3_bucket.suspended.id}", "Suspended")],
      ["aws_s3_bucket", "logs", { bucket: "acme-logs" }],
    ),
    failing: ["aws_s3_bucket.suspended", "aws_s3_bucket.tagged"],
    texts: [
      "aws_s3_bucket.suspended: state bucket has no enabled aws_s3_bucket_versioning",
      "aws_s3_bucket.tagged: state bucket has no enabled aws_s3_bucket_versioning",
    ],
  },
  {
    rule: S3Versioning,
    compliant: tf(
      ["aws_s3_bucket", "logs", { bucket: "acme-logs" }],
      ["aws_s3_bucket_versioning", "logs", versioning("${aws_s3_bucket.logs.id}")],
      ["aws_s3_bucket", "state", { bucket: "acme-tfstate" }],
    ),
    nonCompliant: tf(["aws_s3_bucket", "logs", { bucket: "acme-logs" }], ["aws_s3_bucket", "state", { bucket: "acme-tfstate" }]),
    failing: ["aws_s3_bucket.logs"],
    texts: ["aws_s3_bucket.logs: bucket has no enabled aws_s3_bucket_versioning"],
  },
  {
    rule: BackupVaultKms,
    compliant: tf(["aws_backup_vault", "main", { name: "main", kms_key_arn: "${aws_kms_key.backup.arn}" }]),
    nonCompliant: tf(["aws_backup_vault", "default_key", { name: "x" }], ["aws_backup_vault", "ok", { kms_key_arn: "arn" }]),
    failing: ["aws_backup_vault.default_key"],
    texts: ["aws_backup_vault.default_key: kms_key_arn is not set"],
  },
]);
