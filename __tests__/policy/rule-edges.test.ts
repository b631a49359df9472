/**
 * Edges of the secret, storage and edge rules that their fixtures did not state, found by the mutation
 * run of modules/policy's "other rules" part (issue #16): which SSM parameter names count as secrets,
 * which attributes and SQL hold passwords, one finding per secret, public access blocks split over two
 * resources, a primary database's KMS key, the newer CloudFront TLS policies, a WAF group both counted
 * and enforced, and where the pair's scrape targets are looked for. Then the gaps of that run's survivors:
 * every way an Auto Scaling group is put behind a load balancer, the log each database engine must export and
 * which engines IAM authentication concerns, a bucket versioned inline, an IPv6 route in a route table, and
 * looking a rule up by its id.
 */
import { renderCloudConfig } from "../../modules/core/cloud-config";
import { escapeTerraformTemplate } from "../../modules/core/terraform-text";
import { ALL_RULES, ruleById } from "../../modules/policy/rules";
import { AsgElbHealthCheck } from "../../modules/policy/rules/autoscaling/AsgElbHealthCheck";
import { AsgScalingPolicy } from "../../modules/policy/rules/autoscaling/AsgScalingPolicy";
import { CloudFrontTls12 } from "../../modules/policy/rules/cloudfront/CloudFrontTls12";
import { MonPairExportersScraped } from "../../modules/policy/rules/monitoring/MonPairExportersScraped";
import { RdsIamAuthentication } from "../../modules/policy/rules/rds/RdsIamAuthentication";
import { RdsLogExports } from "../../modules/policy/rules/rds/RdsLogExports";
import { RdsStorageEncrypted } from "../../modules/policy/rules/rds/RdsStorageEncrypted";
import { S3PublicAccessBlock } from "../../modules/policy/rules/s3/S3PublicAccessBlock";
import { S3StateBucketVersioning } from "../../modules/policy/rules/s3/S3StateBucketVersioning";
import { S3Versioning } from "../../modules/policy/rules/s3/S3Versioning";
import { SecretsAwsAccessKeyId } from "../../modules/policy/rules/secrets/SecretsAwsAccessKeyId";
import { SecretsAwsSecretAccessKey } from "../../modules/policy/rules/secrets/SecretsAwsSecretAccessKey";
import { SecretsNamecheapApiKey } from "../../modules/policy/rules/secrets/SecretsNamecheapApiKey";
import { SecretsPasswordLiteral } from "../../modules/policy/rules/secrets/SecretsPasswordLiteral";
import { looksSecret } from "../../modules/policy/rules/ssm/SsmSecretParameterEncrypted";
import { VpcPeeringRouteScoped } from "../../modules/policy/rules/vpc/VpcPeeringRouteScoped";
import { WafKnownBadInputs } from "../../modules/policy/rules/waf/WafKnownBadInputs";
import { Entry, failing, findingTexts, messages, tf, withSections } from "./fixtures";

describe("SSM-SECRET-PARAMETER-ENCRYPTED: which names and descriptions say a parameter holds a secret", () => {
  test.each([
    "/site/certificate", "cert-bundle", "/tls/cert", "/tls/certs", "/tls/cert-chain", "pem-bundle", "/tls/site.pem",
    "/ssh/private-key", "/ssh/private_key", "/ssh/privatekey", "/ssh/private-keyfile", "key-material", "/ssh/key", "/ssh/keys", "/app/api_key", "/app/apikey",
    "/db/PASSWORD", "/db/passwd", "/oauth/client-secret", "/ci/token", "/ci/credentials",
  ])("%s: a secret", (name) => {
    expect(looksSecret(name, "")).toBe(true);
  });

  test.each(["/web/backends", "/venue/concert", "/tls/ascertain", "/people/pemberton", "/zoo/monkeys", "/openstack/keystone", "/mail/turkey-trot", "/app/apixkey"])("%s: not a secret", (name) => {
    expect(looksSecret(name, "")).toBe(false);
  });

  test("the description counts as much as the name", () => {
    expect(looksSecret("/web/x", "the load balancers' TLS private key")).toBe(true);
    expect(looksSecret("/web/x", "the load balancers' backend list")).toBe(false);
  });
});

describe("SECRETS-PASSWORD-LITERAL: password attributes and SQL", () => {
  const user = (script: string) => tf(["aws_instance", "db", { user_data: `#!/bin/bash\n${script}\n` }]);

  test.each([
    "CREATE USER app IDENTIFIED  BY 'hunter2x';",
    "CREATE USER app IDENTIFIED WITH  caching_sha2 BY 'hunter2x';",
    "CREATE USER app IDENTIFIED WITH caching_sha2  BY 'hunter2x';",
    "CREATE USER app IDENTIFIED BY  'hunter2x';",
  ])("SQL with any run of blanks between its words: %s", (sql) => {
    expect(messages(SecretsPasswordLiteral, user(sql))).toEqual(["user_data contains a literal password hunt…(8 chars)"]);
  });

  test("a version counter named like a write-only secret is not a password", () => {
    expect(messages(SecretsPasswordLiteral, tf(["aws_secretsmanager_secret_version", "v", { secret_string_wo: "s3cret-value", secret_string_wo_version: "1" }])))
      .toEqual(["secret_string_wo contains a literal secret_string_wo s3cr…(12 chars)"]);
  });
});

describe("one finding per secret, also when a key attribute holds an assignment", () => {
  const KEY_ID = "AKIAABCDEFGHIJKLMNOP";
  const SECRET = "abcdefghijABCDEFGHIJ0123456789/+abcdefgh";
  const NAMECHEAP = "0123456789abcdef0123";

  test("an access key id in the aws provider's access_key", () => {
    const doc = withSections({ provider: { aws: [{ region: "us-east-1", access_key: KEY_ID }] } });
    expect(messages(SecretsAwsAccessKeyId, doc)).toEqual(["access_key contains an AWS access key id AKIA…(20 chars)"]);
  });

  test("an assignment of the secret key in a secret_key attribute", () => {
    const doc = withSections({ provider: { aws: [{ region: "us-east-1", secret_key: `aws_secret_access_key=${SECRET}` }] } });
    expect(messages(SecretsAwsSecretAccessKey, doc)).toEqual(["secret_key contains an AWS secret access key abcd…(40 chars)"]);
  });

  test("a Namecheap API URL in the provider's api_key", () => {
    const doc = withSections({ provider: { namecheap: [{ user_name: "ops", api_user: "ops", api_key: `https://api.namecheap.com/xml.response?ApiKey=${NAMECHEAP}` }] } });
    expect(messages(SecretsNamecheapApiKey, doc)).toEqual([`api_key contains a Namecheap API key 0123…(20 chars)`]);
  });

  test.each([`NAMECHEAP_API_KEY = "${NAMECHEAP}"`, `namecheapapikey: ${NAMECHEAP}`, `namecheap_api_key\t=\t'${NAMECHEAP}'`])("a Namecheap key assigned in a script: %s", (line) => {
    expect(messages(SecretsNamecheapApiKey, tf(["aws_instance", "i", { user_data: `#!/bin/bash\n${line}\n` }]))).toEqual(["user_data contains a Namecheap API key 0123…(20 chars)"]);
  });
});

describe("S3-PUBLIC-ACCESS-BLOCK over several access-block resources", () => {
  const bucket = (...flagSets: Record<string, boolean>[]) => tf(
    ["aws_s3_bucket", "site", { bucket: "site" }],
    ...flagSets.map((flags, i): [string, string, Record<string, unknown>] => ["aws_s3_bucket_public_access_block", `pab${i}`, { bucket: "${aws_s3_bucket.site.id}", ...flags }]),
  );
  const all = { block_public_acls: true, block_public_policy: true, ignore_public_acls: true, restrict_public_buckets: true };

  test("one complete block is enough, next to a partial one", () => {
    expect(failing(S3PublicAccessBlock, bucket({ block_public_acls: true }, all))).toEqual([]);
  });

  test("the finding names every setting no block turns on, in order", () => {
    expect(findingTexts(S3PublicAccessBlock, bucket({ block_public_acls: true }, { ignore_public_acls: true }))).toEqual([
      "aws_s3_bucket.site: public access block leaves block_public_policy, restrict_public_buckets off",
    ]);
  });

  test("the fix names all four settings", () => {
    expect(S3PublicAccessBlock.fix).toBe("Add aws_s3_bucket_public_access_block { bucket = <bucket>.id, block_public_acls = true, block_public_policy = true, ignore_public_acls = true, restrict_public_buckets = true }.");
  });
});

describe("RDS-STORAGE-ENCRYPTED: a KMS key alone encrypts only a replica", () => {
  test("a primary with kms_key_id but without storage_encrypted fails; a replica with it passes", () => {
    expect(failing(RdsStorageEncrypted, tf(
      ["aws_db_instance", "primary", { engine: "postgres", kms_key_id: "${aws_kms_key.db.arn}" }],
      ["aws_db_instance", "replica", { replicate_source_db: "${aws_db_instance.primary.arn}", kms_key_id: "${aws_kms_key.db.arn}" }],
      ["aws_db_instance", "replica_without_key", { replicate_source_db: "${aws_db_instance.primary.arn}" }],
    ))).toEqual(["aws_db_instance.primary", "aws_db_instance.replica_without_key"]);
  });
});

describe("CLOUDFRONT-TLS12: the newer policies and a distribution without a viewer certificate", () => {
  const distribution = (viewer_certificate?: Record<string, unknown>) => tf(["aws_cloudfront_distribution", "site", viewer_certificate ? { viewer_certificate } : {}]);
  test.each(["TLSv1.2_2021", "TLSv1.2_2025", "TLSv1.3_2025"])("%s is accepted", (version) => {
    expect(failing(CloudFrontTls12, distribution({ acm_certificate_arn: "arn:aws:acm:us-east-1:111122223333:certificate/x", minimum_protocol_version: version }))).toEqual([]);
  });
  test("no viewer_certificate at all is a finding", () => {
    expect(findingTexts(CloudFrontTls12, distribution())).toEqual(["aws_cloudfront_distribution.site: viewer_certificate is not configured"]);
  });
});

describe("a WAF managed group listed twice", () => {
  test("counted by one rule and enforced by another: enforced", () => {
    const group = (name: string, override: Record<string, unknown>) => ({
      name, priority: 1, override_action: override,
      statement: { managed_rule_group_statement: { vendor_name: "AWS", name: "AWSManagedRulesKnownBadInputsRuleSet" } },
    });
    const acl = (...rule: unknown[]) => tf(["aws_wafv2_web_acl", "acl", { rule }]);
    expect(failing(WafKnownBadInputs, acl(group("count", { count: {} }), group("block", { none: {} })))).toEqual([]);
    expect(failing(WafKnownBadInputs, acl(group("count", { count: {} }), group("count-too", { count: {} })))).toEqual(["aws_wafv2_web_acl.acl"]);
  });
});

describe("MON-PAIR-EXPORTERS-SCRAPED: where scrape targets are looked for", () => {
  const lb = (ip: unknown) => ["aws_instance", "lb_a", { private_ip: ip, tags: { LoadBalancerPair: "web" } }] as [string, string, Record<string, unknown>];
  const userData = (path: string, content: string) => escapeTerraformTemplate(renderCloudConfig({ writeFiles: [{ path, content }] }));
  const scraping = (target: string) => `scrape_configs:\n  - job_name: haproxy\n    static_configs:\n      - targets: ["${target}"]\n`;

  test("a Prometheus configuration in a launch template counts", () => {
    expect(failing(MonPairExportersScraped, tf(lb("10.0.0.10"), ["aws_launch_template", "monitoring", { user_data: userData("/etc/prometheus/prometheus.yml", scraping("10.0.0.10:8405")) }]))).toEqual([]);
  });

  test("the target in another file of the host does not count", () => {
    expect(failing(MonPairExportersScraped, tf(lb("10.0.0.10"),
      ["aws_instance", "monitoring", { user_data: escapeTerraformTemplate(renderCloudConfig({ writeFiles: [
        { path: "/etc/prometheus/prometheus.yml", content: scraping("10.0.0.99:8405") },
        { path: "/etc/prometheus/notes.yml", content: scraping("10.0.0.10:8405") },
      ] })) }],
    ))).toEqual(["aws_instance.lb_a"]);
  });

  test("one of two Prometheus configurations naming the node is enough", () => {
    expect(failing(MonPairExportersScraped, tf(lb("10.0.0.10"),
      ["aws_instance", "monitoring", { user_data: userData("/etc/prometheus/prometheus.yml", scraping("10.0.0.10:8405")) }],
      ["aws_instance", "monitoring_b", { user_data: userData("/etc/prometheus/prometheus.yml", scraping("10.0.0.99:8405")) }],
    ))).toEqual([]);
  });

  test.each(["x10.0.0.10", "10.0.0.10/32"])("a private_ip that is not one address (%s) is a finding", (ip) => {
    const doc = tf(lb(ip), ["aws_instance", "monitoring", { user_data: userData("/etc/prometheus/prometheus.yml", scraping(`${ip}:8405`)) }]);
    expect(messages(MonPairExportersScraped, doc)).toEqual([`node of pair "web" has no fixed private_ip (${JSON.stringify(ip)}), so no scrape target can name it`]);
  });
});

describe("Auto Scaling groups: every way a group is put behind a load balancer", () => {
  const TG = "${aws_lb_target_group.web.arn}";
  const group = (name: string, config: Record<string, unknown> = {}): Entry => ["aws_autoscaling_group", name, { health_check_type: "EC2", ...config }];

  test("ASG-ELB-HEALTH-CHECK: a target group, a classic load balancer, an aws_autoscaling_attachment or a traffic source attachment each put the group behind a load balancer", () => {
    expect(findingTexts(AsgElbHealthCheck, tf(
      group("by_target_group", { target_group_arns: [TG] }),
      group("by_classic_elb", { load_balancers: ["${aws_elb.web.name}"] }),
      group("by_attachment"),
      ["aws_autoscaling_attachment", "by_attachment", { autoscaling_group_name: "${aws_autoscaling_group.by_attachment.id}", lb_target_group_arn: TG }],
      group("by_traffic_source"),
      ["aws_autoscaling_traffic_source_attachment", "by_traffic_source", {
        autoscaling_group_name: "${aws_autoscaling_group.by_traffic_source.name}", traffic_source: { identifier: TG, type: "elbv2" },
      }],
      group("alone"),
    ))).toEqual([
      "aws_autoscaling_group.by_attachment: health_check_type is \"EC2\" although the group is behind a load balancer",
      "aws_autoscaling_group.by_classic_elb: health_check_type is \"EC2\" although the group is behind a load balancer",
      "aws_autoscaling_group.by_target_group: health_check_type is \"EC2\" although the group is behind a load balancer",
      "aws_autoscaling_group.by_traffic_source: health_check_type is \"EC2\" although the group is behind a load balancer",
    ]);
  });

  test("ASG-SCALING-POLICY: a group attached by an aws_autoscaling_attachment or a traffic source attachment needs a scaling policy too", () => {
    expect(failing(AsgScalingPolicy, tf(
      ["aws_autoscaling_group", "by_attachment", {}],
      ["aws_autoscaling_attachment", "by_attachment", { autoscaling_group_name: "${aws_autoscaling_group.by_attachment.id}", lb_target_group_arn: TG }],
      ["aws_autoscaling_group", "by_traffic_source", {}],
      ["aws_autoscaling_traffic_source_attachment", "by_traffic_source", {
        autoscaling_group_name: "${aws_autoscaling_group.by_traffic_source.name}", traffic_source: { identifier: TG, type: "elbv2" },
      }],
      ["aws_autoscaling_group", "attached_and_scaled", {}],
      ["aws_autoscaling_attachment", "attached_and_scaled", { autoscaling_group_name: "${aws_autoscaling_group.attached_and_scaled.id}", lb_target_group_arn: TG }],
      ["aws_autoscaling_policy", "attached_and_scaled_cpu", { autoscaling_group_name: "${aws_autoscaling_group.attached_and_scaled.name}", policy_type: "TargetTrackingScaling" }],
      ["aws_autoscaling_group", "alone", {}],
    ))).toEqual(["aws_autoscaling_group.by_attachment", "aws_autoscaling_group.by_traffic_source"]);
  });

  test("ASG-SCALING-POLICY: a group behind a classic load balancer needs a scaling policy too", () => {
    expect(failing(AsgScalingPolicy, tf(
      ["aws_autoscaling_group", "classic", { load_balancers: ["${aws_elb.web.name}"] }],
      ["aws_autoscaling_group", "classic_scaled", { load_balancers: ["${aws_elb.web.name}"] }],
      ["aws_autoscaling_policy", "classic_scaled_cpu", { autoscaling_group_name: "${aws_autoscaling_group.classic_scaled.name}", policy_type: "TargetTrackingScaling" }],
    ))).toEqual(["aws_autoscaling_group.classic"]);
  });
});

describe("RDS-IAM-AUTH and RDS-LOG-EXPORTS: what each database engine must do", () => {
  const db = (name: string, config: Record<string, unknown>): Entry => ["aws_db_instance", name, config];

  test("RDS-IAM-AUTH: a database without an engine attribute (a replica or a restored snapshot inherits it) is still held to IAM authentication", () => {
    expect(findingTexts(RdsIamAuthentication, tf(
      db("replica", { replicate_source_db: "${aws_db_instance.primary.identifier}" }),
      db("replica_with_iam", { replicate_source_db: "${aws_db_instance.primary.identifier}", iam_database_authentication_enabled: true }),
    ))).toEqual(["aws_db_instance.replica: iam_database_authentication_enabled is unset"]);
  });

  test.each([
    ["oracle-ee", ["audit", "trace"], "alert"],
    ["oracle-se2-cdb", [], "alert"],
    ["sqlserver-ee", ["agent"], "error"],
    ["sqlserver-ex", [], "error"],
    ["aurora-postgresql", ["instance"], "postgresql"],
  ])("RDS-LOG-EXPORTS: %s without its main log is a finding that names the log", (engine, exports, log) => {
    expect(findingTexts(RdsLogExports, tf(db("main", { engine, enabled_cloudwatch_logs_exports: exports }))))
      .toEqual([`aws_db_instance.main: enabled_cloudwatch_logs_exports ${JSON.stringify(exports)} lacks "${log}"`]);
  });

  test.each([
    ["oracle-ee", ["alert"]], ["oracle-se2", ["alert", "listener"]], ["sqlserver-ee", ["error", "agent"]], ["sqlserver-web", ["error"]],
    ["aurora-postgresql", ["postgresql"]], ["aurora", ["error"]], ["aurora-mysql", ["error"]], ["mariadb", ["error"]],
  ])("RDS-LOG-EXPORTS: %s exporting %j passes", (engine, exports) => {
    expect(failing(RdsLogExports, tf(db("main", { engine, enabled_cloudwatch_logs_exports: exports })))).toEqual([]);
  });

  test("RDS-LOG-EXPORTS: RDS Custom exports no logs (AWS: the setting \"doesn't apply to RDS Custom\"), so none is asked for and one set is a finding (it promises logs that never arrive)", () => {
    expect(findingTexts(RdsLogExports, tf(
      db("custom_oracle", { engine: "custom-oracle-ee", enabled_cloudwatch_logs_exports: [] }),
      db("custom_sqlserver", { engine: "custom-sqlserver-ee" }),
      db("custom_exporting", { engine: "custom-sqlserver-web", enabled_cloudwatch_logs_exports: ["error"] }),
    ))).toEqual([
      'aws_db_instance.custom_exporting: enabled_cloudwatch_logs_exports ["error"] is set on RDS Custom (custom-sqlserver-web), for which AWS exports no logs to CloudWatch Logs: the setting does not apply there',
    ]);
  });

  test("RDS-LOG-EXPORTS: Db2 must export its diagnostic log (diag.log); an engine the rule does not name needs at least one export", () => {
    expect(findingTexts(RdsLogExports, tf(
      db("db2", { engine: "db2-se", enabled_cloudwatch_logs_exports: [] }),
      db("db2_notify_only", { engine: "db2-ae", enabled_cloudwatch_logs_exports: ["notify.log"] }),
      db("db2_exporting", { engine: "db2-se", enabled_cloudwatch_logs_exports: ["diag.log"] }),
      db("replica", { replicate_source_db: "${aws_db_instance.primary.identifier}" }),
    ))).toEqual([
      'aws_db_instance.db2: enabled_cloudwatch_logs_exports [] lacks "diag.log"',
      'aws_db_instance.db2_notify_only: enabled_cloudwatch_logs_exports ["notify.log"] lacks "diag.log"',
      "aws_db_instance.replica: enabled_cloudwatch_logs_exports is empty",
    ]);
  });
});

describe("S3 versioning set inline on the bucket (the provider's legacy versioning block)", () => {
  test.each([
    ["an object", { enabled: true }], ["a one-element list", [{ enabled: true }]], ["text", { enabled: "true" }],
  ])("versioning { enabled = true } as %s counts for S3-VERSIONING and S3-STATE-BUCKET-VERSIONING", (_, versioning) => {
    const doc = tf(["aws_s3_bucket", "state", { bucket: "acme-tfstate", versioning }]);
    expect(failing(S3Versioning, doc)).toEqual([]);
    expect(failing(S3StateBucketVersioning, doc)).toEqual([]);
  });

  test("versioning { enabled = false } does not", () => {
    expect(failing(S3Versioning, tf(["aws_s3_bucket", "logs", { bucket: "acme-logs", versioning: { enabled: false } }]))).toEqual(["aws_s3_bucket.logs"]);
  });
});

describe("VPC-PEERING-ROUTE-SCOPED: an inline route of a route table", () => {
  test("::/0 through the peering in a route table's second route is named with its index", () => {
    const PCX = "${aws_vpc_peering_connection.east_west.id}";
    expect(findingTexts(VpcPeeringRouteScoped, tf(["aws_route_table", "rt", { route: [
      { cidr_block: "10.1.0.0/16", vpc_peering_connection_id: PCX },
      { ipv6_cidr_block: "::/0", vpc_peering_connection_id: PCX },
    ] }]))).toEqual([`aws_route_table.rt: route[1] sends ::/0 through VPC peering ${PCX}`]);
  });
});

describe("ruleById", () => {
  test("finds every rule of the pack by its id, and nothing for an unknown id", () => {
    for (const rule of ALL_RULES) expect(ruleById(rule.id)).toBe(rule);
    expect(ruleById("RDS-LOG-EXPORTS")).toBe(RdsLogExports);
    expect(ruleById("NOPE-NOPE")).toBeUndefined();
  });
});
