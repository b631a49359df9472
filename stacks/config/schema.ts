/**
 * The configuration schema: the single source of InfraConfig's type, its
 * defaults, the per-field validation, `config.schema.json` (editor completion)
 * and the README's configuration table (`npm run docs:config` writes both).
 * Rules that relate several fields live in validate.ts.
 */
import { cidrProblem } from "../../modules/core/cidr";
import { REGION_SHAPE } from "../../modules/core/region";
import { HEALTH_CHECK_PATH, HEALTH_CHECK_SUBPATH } from "../../modules/core/health-check-path";
import { InvalidInputError } from "../../modules/core/validation";
import { INSTANCE_TYPE_PATTERN } from "../../modules/compute/instance-type";
import { validateApexDomain, validateHostname } from "../../modules/dns/record-validation";
import { LOG_RETENTION_DAYS } from "../../modules/network/flow-logs";
import { DEFAULT_FLEET_SCALING } from "../../modules/warm-standby/regional-tier";
import { DEFAULT_ALARM_THRESHOLDS } from "../../modules/warm-standby/region-alarms";
import { DEFAULT_KEEP_RELEASES, DEFAULT_UNTAGGED_EXPIRY_DAYS } from "../../modules/warm-standby/container-registry";
import { MIN_BACKUP_RETENTION_DAYS } from "../../modules/policy/rules/rds/RdsBackupRetention";
import { WEBHOOK_URL_PATTERN } from "../../modules/server-config/alertmanager";
import { APPLICATION_RULES, DEBIAN_PACKAGE, ENV_NAME, ENV_VALUE } from "../../modules/server-config/application/custom-application";
import { Rule, boolean, integer, integerOneOf, list, map, object, oneOf, string } from "./schema-kit";

/** A module validator as a schema rule: its "expected …" text when it refuses the value. */
function moduleRule(validate: (field: string, value: string) => void): Rule<string> {
  return (value) => {
    try {
      validate("", value);
      return undefined;
    } catch (error) {
      if (error instanceof InvalidInputError) return error.allowed;
      throw error;
    }
  };
}

/** Stages that can publish the site's A records (stage 4 delegates its own subdomain instead); "none" publishes nothing. */
export const DNS_STAGES = ["stage0-single-server", "stage1-distributed", "stage2-secured-monitored", "stage3-scale-up", "none"] as const;

/** Lowercase words joined by single dashes: no leading, trailing or double dash (every module derives names from it). */
const NAME_WORDS = "[a-z][a-z0-9]*(-[a-z0-9]+)*";
/** Longest `environment`: with a 20-character project, the longest derived name still fits its AWS limit (a test computes it). */
export const MAX_ENVIRONMENT_LENGTH = 11;
const REGION_ALLOWED = "an AWS region code such as us-east-1 (a region newer than this release: add it to extraRegions)";

const cidr = (doc: string, def: string, allowed: string, extra?: Rule<string>) =>
  string(doc, def, allowed, {
    rule: (value) => {
      const problem = cidrProblem(value);
      return problem ? `${allowed} (${problem})` : extra?.(value);
    },
  });

const capacity = (doc: string, min: number, desired: number, max: number) =>
  object(doc, {
    min: integer("Fewest instances (a warm standby always runs at least one).", min, 1, 100),
    desired: integer("Instances running now, from min to max.", desired, 1, 100),
    max: integer("Most instances the scaling policies may run; in the DR region at least the primary's max, so a promoted DR can take the full load.", max, 1, 100),
  });

const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/;

const instanceType = (doc: string) => string(doc, "t3.micro", "an EC2 instance type such as t3.micro", { pattern: INSTANCE_TYPE_PATTERN });

export const INFRA_CONFIG_SCHEMA = object("Configuration of every stack. Every field is optional in an override file; the defaults synthesize every stack with no file and no credentials.", {
  project: string("Project name: first part of every resource name and value of the Project tag (monitoring discovers hosts by it).", "webplat", "3–20 lowercase letters, digits and single dashes, starting with a letter and not ending with a dash", {
    pattern: new RegExp(`^(?=.{3,20}$)${NAME_WORDS}$`),
  }),
  environment: string(
    "Environment name: enters every name that must be unique per account and the state key, so environments of one project can share an account; also the Environment tag.",
    "dev",
    `1–${MAX_ENVIRONMENT_LENGTH} lowercase letters, digits and single dashes, starting with a letter and not ending with a dash`,
    { pattern: new RegExp(`^(?=.{1,${MAX_ENVIRONMENT_LENGTH}}$)${NAME_WORDS}$`) },
  ),
  domain: string("Apex domain registered at Namecheap.", "example.com", 'a lowercase apex domain such as "example.com" (subdomains go into dns.hostnames)', { rule: moduleRule(validateApexDomain) }),
  certificateEmail: string("Contact e-mail for Let's Encrypt.", "admin@example.com", "an e-mail address for Let's Encrypt notices", { pattern: EMAIL, maxLength: 254 }),
  primaryRegion: string("Primary region.", "us-east-1", REGION_ALLOWED, { pattern: REGION_SHAPE }),
  secondaryRegion: string("Secondary region (peering, DR); must differ from the primary.", "us-west-2", REGION_ALLOWED, { pattern: REGION_SHAPE }),
  extraRegions: list(
    "Region codes newer than this release's list of AWS regions, accepted as they are (their providers skip the provider's own region check).",
    [],
    string("A region code.", "", "a region code such as eu-west-9", { pattern: REGION_SHAPE }),
    { max: 10 },
  ),
  network: object("VPCs of the stacks.", {
    primaryCidr: cidr("VPC CIDR in the primary region; split into 16 equal subnets (4 tiers × 4 AZ slots), which must hold the fleets' fixed addresses.", "10.10.0.0/16", "an IPv4 CIDR from /16 to /21"),
    secondaryCidr: cidr("VPC CIDR in the secondary region; must not overlap the primary.", "10.20.0.0/16", "an IPv4 CIDR from /16 to /21"),
    azCount: integer("Availability zones used per region. Two at least: the load balancer pair, RDS subnet groups and ALBs need two (stage 0 always uses one).", 2, 2, 4),
    availabilityZones: map(
      "AZ names per region, for accounts or regions whose zone names are not a, b, c, d (us-west-1 always needs them).",
      { pattern: REGION_SHAPE, allowed: "region codes such as us-east-1" },
      list("Zone names of one region.", [], string("A zone name.", "", "a zone name such as us-east-1a", { pattern: new RegExp(`^${REGION_SHAPE.source.slice(1, -1)}[a-z]$`) }), { min: 1, max: 6 }),
    ),
    natGateways: oneOf("NAT gateways: one (cheapest) or one per AZ (survives an AZ loss).", "single", ["single", "per-az"] as const),
    flowLogRetentionDays: integerOneOf("VPC flow log retention in days (a CloudWatch Logs retention value).", 90, LOG_RETENTION_DAYS),
  }),
  instanceTypes: object("Instance sizes.", {
    singleServer: instanceType("The stage 0 all-in-one host."),
    loadBalancer: instanceType("Load balancers."),
    web: instanceType("Web (Nginx) servers; stage 4 frontend."),
    app: instanceType("Application servers; stage 4 backend."),
    monitoring: instanceType("Prometheus/Grafana host."),
    database: string("RDS instance class.", "db.t3.micro", "an RDS class such as db.t3.micro", { pattern: new RegExp(`^db\\.${INSTANCE_TYPE_PATTERN.source.slice(1)}`) }),
  }),
  application: object(
    "The application stages 0–3 run on their application hosts. With `artifact` empty: the reference application shipped in this repository. Contract for your own: listen on $APP_LISTEN (host:port), answer GET /healthz (process alive) and GET /readyz (database reachable, else 503), take the database settings from the environment (DB_WRITER_HOST, DB_READER_HOST, DB_PORT, DB_SECRET_ARN, DB_REGION, DB_TLS_CA; stage 0: DB_SOCKET and the systemd credential db-password). Stage 3 application servers also serve HTTPS on $APP_TLS_LISTEN with $APP_TLS_CERT and the key in the systemd credential tls-key, answering only /healthz and /readyz on $APP_LISTEN.",
    {
      artifact: string(
        "Your release as a .tar.gz in S3 (s3://bucket/key); empty for the reference application. The application hosts' role may read exactly this object; each host downloads it at first start, checks `sha256`, and runs it under the same systemd unit, unprivileged user and sandbox as the reference app.",
        "",
        "an s3://bucket/key URI of the release archive, or empty",
        { pattern: /^(s3:\/\/[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]\/[A-Za-z0-9!_.*'()/-]{1,1024})?$/ },
      ),
      sha256: string("SHA-256 of the archive (`sha256sum`); a host refuses any other content and keeps no half-installed release. Required with `artifact`; a new value rolls out as a user-data change (hosts are replaced).", "", `${APPLICATION_RULES.sha256}, or empty`, { pattern: /^([0-9a-f]{64})?$/ }),
      command: string("Start command, relative to the unpacked release, with plain arguments, e.g. `bin/server --workers 2`. Required with `artifact`.", "", `${APPLICATION_RULES.command}, or empty`, {
        pattern: /^((?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+( [A-Za-z0-9._/=:,@+-]+)*)?$/,
        maxLength: 512,
      }),
      environment: map(
        "Extra environment of your application. Not for secrets: it is written into user data, which anyone allowed to describe the instance can read (read secrets from Secrets Manager with the host role, as the reference app does).",
        { pattern: ENV_NAME, allowed: "names of capitals, digits and _ such as LOG_LEVEL" },
        string("A value.", "", "letters, digits, spaces and ._:/@,+=- (at most 512 characters)", { pattern: ENV_VALUE }),
      ),
      packages: list("Extra Debian packages your application needs, installed from the Debian archive at first boot.", [], string("A Debian package name.", "", APPLICATION_RULES.packages, { pattern: DEBIAN_PACKAGE, maxLength: 100 }), { max: 50 }),
    },
  ),
  fleet: object("Fleet sizes of stages 1–3.", {
    appServers: integer("Application servers in stages 1–3.", 2, 1, 20),
    webServers: integer("Nginx web servers in stage 3, split across both regions.", 4, 1, 40),
  }),
  ami: object("How AMIs are chosen.", {
    mode: oneOf('"lookup": newest Debian 12 amd64 image of `ami.owner` per region (an API call at plan time); "ids": the ids in `ami.ids` (no API call; pinned images).', "lookup", ["lookup", "ids"] as const),
    ids: map("AMI id per region, used when mode is \"ids\".", { pattern: REGION_SHAPE, allowed: "region codes such as us-east-1" }, string("An AMI id.", "", "an AMI id such as ami-0123456789abcdef0", { pattern: /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/ })),
    owner: string("Owner account of the images looked up (136693071363 is Debian).", "136693071363", "a 12-digit AWS account id", { pattern: /^\d{12}$/ }),
    namePattern: string("Image name pattern looked up.", "debian-12-amd64-*", "an image name pattern of 1–128 printable characters", { pattern: /^[\x20-\x7e]{1,128}$/ }),
  }),
  dns: object("Namecheap A records for the entry point.", {
    enabled: boolean("Manage Namecheap A records (needs NAMECHEAP_* credentials at plan and apply).", true),
    hostnames: list("Hostnames pointed at the entry point, relative to `domain` (\"@\" is the apex).", ["@", "www"], string("A hostname.", "", '"@" or a lowercase name relative to the domain such as "www"', { rule: moduleRule(validateHostname) }), { min: 1, max: 20 }),
    liveStage: oneOf(
      "The one stage whose entry point the hostnames point at; the others publish nothing, so stages deployed side by side never share the names (switch it to move the site during a migration). Stage 4 always publishes its own delegated subdomain.",
      "stage3-scale-up",
      DNS_STAGES,
    ),
    ttl: integer("Record TTL in seconds.", 300, 60, 60000),
    overwriteExistingRecords: boolean("Replace every record of the domain (OVERWRITE) instead of merging (MERGE): destroys records the project does not own.", false),
    useSandbox: boolean("Use Namecheap's sandbox API.", false),
  }),
  access: object("Operator access.", {
    adminCidrs: list(
      "Sources allowed to SSH, Grafana (3000) and Prometheus (9090). The default is a documentation range: replace it.",
      ["203.0.113.0/24"],
      cidr("An admin range.", "", "an IPv4 CIDR no wider than /8", (value) =>
        Number(value.split("/")[1]) < 8 ? "a range no wider than /8: SSH, Grafana and Prometheus must not be open to the internet" : undefined,
      ),
      { min: 1, max: 20 },
    ),
    ssh: boolean(
      "Also open SSH (22) from adminCidrs (needs a VPN or fixed addresses, and keyName or your own keys). Off by default: operators reach every host through the EC2 Instance Connect Endpoint of its VPC with the operator role (README, Operating it), which works without VPN or key pair; true requires nothing of warmStandby, false forbids warmStandby.bastionMode \"bastion\".",
      false,
    ),
    keyName: string("EC2 key pair installed on hosts; empty for none.", "", "an EC2 key pair name of printable ASCII, or empty", { pattern: /^[\x20-\x7e]{0,255}$/ }),
  }),
  database: object("RDS of stages 1–4.", {
    engine: oneOf("Engine for RDS in stages 1–3 (stage 4 uses it too).", "mysql", ["mysql", "postgres"] as const),
    allocatedStorageGb: integer("Allocated storage in GiB.", 20, 20, 1000),
    backupRetentionDays: integer("Automated backup retention in days (backups always stay on; the policy pack's RDS-BACKUP-RETENTION sets the minimum).", 7, MIN_BACKUP_RETENTION_DAYS, 35),
    deletionProtection: boolean(
      "Refuse `terraform destroy` of databases. false is allowed for short-lived environments: it writes an audited suppression of the policy rule RDS-DELETION-PROTECTION that names this field.",
      true,
    ),
  }),
  state: object("Where Terraform keeps state.", {
    bucket: string("S3 bucket for remote state (with Terraform's native lock file, Terraform ≥ 1.10); empty means local state under `localDir`. The bucket must exist before the first plan.", "", "an S3 bucket name (3–63 lowercase letters, digits, dots, dashes) or empty for local state", {
      pattern: /^([a-z0-9][a-z0-9.-]{1,61}[a-z0-9])?$/,
    }),
    bucketRegion: string("Region of the state bucket; empty means the primary region.", "", `${REGION_ALLOWED}, or empty`, { pattern: new RegExp(`^(${REGION_SHAPE.source.slice(1, -1)})?$`) }),
    keyPrefix: string("Key prefix: each stack's key is `<keyPrefix>/<project>/<environment>/<stack>.tfstate`.", "staged-web-platform", "a relative S3 key prefix of letters, digits and . _ / -", { pattern: /^(?!\/)[A-Za-z0-9._/-]{1,200}$/ }),
    localDir: string("Local state directory, relative to the project root; each stack's state is `<localDir>/<project>-<environment>/<stack>.tfstate`.", "state", "a directory relative to the project root, inside it", {
      pattern: /^(?!\/)(?!.*(^|\/)\.\.(\/|$))[A-Za-z0-9._/-]{1,200}$/,
    }),
  }),
  warmStandby: object("Stage 4 (two-region warm standby). Instance types come from instanceTypes.web (frontend), .app (backend) and .database; the database settings from `database`.", {
    subdomain: string("Subdomain of `domain` delegated from Namecheap to a Route 53 zone; the site answers on it.", "app", "one lowercase DNS label such as app", { pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/ }),
    apiHostname: string("Label of the API name inside the subdomain (api.app.example.com), with Route 53 failover.", "api", "one lowercase DNS label such as api", { pattern: /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/ }),
    activeRegion: oneOf(
      'Which region serves: "primary", or "dr" once the DR database has been promoted after losing the primary region. "dr" declares the DR database a standalone writer (updated in place, never re-created), gives the DR region primaryCapacity, puts it first in Route 53 and CloudFront, and runs the backups from it; nothing of the primary region is destroyed. See the warm-standby runbook.',
      "primary",
      ["primary", "dr"] as const,
    ),
    primaryCapacity: object("Capacity of the active region (full): the primary region, or the DR region when activeRegion is \"dr\".", {
      frontend: capacity("Frontend (web) servers behind the frontend ALB.", 2, 2, 6),
      backend: capacity("Backend (API) servers behind the backend ALB.", 2, 2, 6),
    }),
    drCapacity: object("Capacity of the standby region (warm minimum, below the active one): the DR region, or the primary region when activeRegion is \"dr\".", {
      frontend: capacity("Frontend (web) servers behind the frontend ALB.", 1, 1, 6),
      backend: capacity("Backend (API) servers behind the backend ALB.", 1, 1, 6),
    }),
    scaling: object("Target-tracking scaling of every Auto Scaling group, between its min and max.", {
      cpuTargetPercent: integer("Average CPU utilization the groups hold, in percent.", DEFAULT_FLEET_SCALING.cpuTargetPercent, 10, 90),
      requestsPerTargetPerMinute: integer("ALB requests per instance and minute the groups hold.", DEFAULT_FLEET_SCALING.requestsPerTargetPerMinute, 10, 100000),
    }),
    alarms: object("CloudWatch alarms of stage 4 (to the alert topic of each region; see alerts.emails).", {
      http5xxPer5Minutes: integer("5xx answers per load balancer (its own, or its hosts') in 5 minutes above which an alarm fires.", DEFAULT_ALARM_THRESHOLDS.http5xxPer5Minutes, 1, 1000000),
      databaseCpuPercent: integer("Average CPU of a database instance over 10 minutes above which an alarm fires.", DEFAULT_ALARM_THRESHOLDS.databaseCpuPercent, 1, 100),
      databaseFreeStorageGb: integer("Free storage of a database instance, GiB, below which an alarm fires.", DEFAULT_ALARM_THRESHOLDS.databaseFreeStorageGb, 1, 1000),
      replicaLagSeconds: integer("Seconds the cross-region replica may lag (the RPO of a regional failover) before an alarm fires.", DEFAULT_ALARM_THRESHOLDS.replicaLagSeconds, 1, 86400),
      cacheCpuPercent: integer("Engine CPU of a Redis node over 10 minutes above which an alarm fires.", DEFAULT_ALARM_THRESHOLDS.cacheCpuPercent, 1, 100),
      cacheMemoryPercent: integer("Memory used by Redis data, percent, above which an alarm fires.", DEFAULT_ALARM_THRESHOLDS.cacheMemoryPercent, 1, 100),
    }),
    databaseHostname: string("Stable database hostname in each region's private zone; its zone is the part after the first label.", "sql.db.internal", "a private name of at least three lowercase labels such as sql.db.internal", {
      pattern: /^([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.){2,}[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/,
      maxLength: 253,
    }),
    cacheNodeType: string("ElastiCache node type of the Redis replication groups.", "cache.t3.micro", "an ElastiCache node type such as cache.t3.micro", {
      pattern: /^cache\.[a-z][a-z0-9-]*\.(micro|small|medium|large|xlarge|[0-9]+xlarge)$/,
    }),
    bastionMode: oneOf(
      "Admin shell access to the stage 4 hosts: \"instance-connect\" — EC2 Instance Connect through each region's endpoint only (no bastion); \"bastion\" — also a bastion host with SSH from access.adminCidrs (needs access.ssh: true). Session Manager is not offered: Debian 12 has no SSM agent package.",
      "instance-connect",
      ["instance-connect", "bastion"] as const,
    ),
    albDeletionProtection: boolean("Refuse deletion of the load balancers.", true),
    botControl: boolean("Add AWS WAF Bot Control (common level) to every web ACL. Priced per request on top of WAF: about $10 per month per web ACL plus $1 per million requests (5 ACLs: CloudFront's, and a frontend and a backend one per region).", false),
    backupSchedule: string("AWS Backup schedule (cron, UTC).", "cron(0 5 * * ? *)", 'an AWS Backup cron expression such as "cron(0 5 * * ? *)"', { pattern: /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/ }),
    backupRetentionDays: integer("Days AWS Backup keeps recovery points, in the primary vault and in the DR copy.", 35, 7, 3650),
    frontendHealthCheckPath: string("Health-check path of the frontend target groups, answered by the frontend hosts' Nginx itself (the host is alive; not / which is the site, proxied to the backend).", "/healthz", "an absolute URL path other than /, such as /healthz (at most 255 characters)", {
      pattern: HEALTH_CHECK_SUBPATH,
    }),
    backendHealthCheckPath: string("Health-check path of the backend target groups: the application's liveness (the reference app's /healthz), independent of the database, because the Auto Scaling groups replace hosts that fail it.", "/healthz", "an absolute URL path such as /healthz (at most 255 characters)", {
      pattern: HEALTH_CHECK_PATH,
    }),
    apiHealthCheckPath: string("Path Route 53 probes on the active region's backend load balancer to fail the API name over: readiness, database included (the reference app's /readyz).", "/readyz", "an absolute URL path such as /readyz (at most 255 characters)", {
      pattern: HEALTH_CHECK_PATH,
    }),
    databasePasswordVersion: integer("Version of the database master password in the replicated secret: raise it by one to rotate (a new password is generated into the secret and set on the database in the same apply, never stored in plan or state).", 1, 1, 1000000),
    delivery: object("Delivery path of the backend application: an ECR repository (scan on push, immutable tags, KMS) replicated to the DR region, a release pointer per region that the backend hosts run as a container, and the role a CI pipeline assumes to ship a release. See the warm-standby README.", {
      enabled: boolean("Create the delivery path. When false the backend hosts run their default application only.", true),
      repositoryName: string("Repository name inside the stack's namespace (<project>-<environment>-stage4/<name>).", "app", "lowercase letters and digits separated by . _ or - (at most 100 characters)", {
        pattern: /^[a-z0-9]+(?:[._-][a-z0-9]+)*$/,
        maxLength: 100,
      }),
      keepReleases: integer("Tagged images the repository keeps (older ones expire): the running release, the ones to roll back to, the candidates.", DEFAULT_KEEP_RELEASES, 3, 1000),
      untaggedExpiryDays: integer("Days before an untagged image expires.", DEFAULT_UNTAGGED_EXPIRY_DAYS, 1, 365),
      containerPort: integer("Port the application image serves HTTP on, the backend health-check path included; the hosts publish it on port 80.", 8080, 1, 65535),
      ciOidcProviderArn: string(
        "IAM OIDC provider the delivery role trusts (e.g. GitHub Actions'); needs ciSubjects. Empty: principals of this account whose own IAM policy allows sts:AssumeRole on the role may assume it.",
        "",
        "an IAM OIDC provider ARN such as arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com, or empty",
        { pattern: /^(arn:aws(-[a-z]+)*:iam::[0-9]{12}:oidc-provider\/[A-Za-z0-9.-]+(\/[A-Za-z0-9._~-]+)*)?$/, maxLength: 2048 },
      ),
      ciSubjects: list(
        "OIDC token subjects allowed to assume the delivery role (StringLike), e.g. repo:acme/shop:ref:refs/heads/main; only with ciOidcProviderArn.",
        [],
        string("A token subject.", "", "a token subject starting with at least 3 literal characters, e.g. repo:acme/shop:environment:production", { pattern: /^[^*?\s]{3,}\S*$/, maxLength: 256 }),
        { max: 20 },
      ),
    }),
  }),
  alerts: object("Alerting of stages 2–3: Prometheus rules, Alertmanager on the monitoring host, an SNS topic that reaches a person.", {
    emails: list(
      "E-mail addresses subscribed to the alert topic (SNS). Each recipient must confirm the subscription from the e-mail AWS sends.",
      [],
      string("An e-mail address.", "", "an e-mail address such as ops@example.com", { pattern: EMAIL, maxLength: 254 }),
      { max: 20 },
    ),
    webhookUrl: string(
      "Also POST every alert to this URL (Alertmanager's webhook format); empty for none. It is written into the monitoring host's user data: use a URL that is not itself a credential.",
      "",
      "an http(s) URL without spaces or quotes, or empty",
      { rule: (value) => (value === "" || WEBHOOK_URL_PATTERN.test(value) ? undefined : "an http(s) URL without spaces or quotes, or empty"), maxLength: 2048 },
    ),
    hostDownAfterSeconds: integer("Seconds a host's node_exporter must be unreachable before HostDown fires.", 60, 5, 3600),
    errorRatioPercent: integer("Percent of 5xx responses (over 5 minutes) above which HighErrorRatio fires.", 5, 1, 99),
    requestsPerSecond: integer("Requests per second at the load balancers above which HighRequestRate fires (the seeds' QPS alert).", 500, 1, 1000000),
    diskFreePercent: integer("Free space of a filesystem, in percent, below which DiskSpaceLow fires.", 10, 1, 50),
    memoryAvailablePercent: integer("Available memory, in percent, below which MemoryPressure fires.", 10, 1, 50),
    certificateExpiryDays: integer("Days before the site's certificate expires at which CertificateExpiresSoon fires.", 14, 1, 60),
    groupWaitSeconds: integer("Seconds Alertmanager waits to batch the first alerts of a group before notifying.", 30, 0, 600),
    repeatIntervalHours: integer("Hours after which a still-firing alert is sent again.", 4, 1, 168),
  }),
  emulatorEndpoint: string(
    "Rehearsal profile only: every AWS API endpoint of every provider points at this local emulator URL (test credentials, path-style S3). Set by INFRA_PROFILE=rehearsal from REHEARSAL_ENDPOINT (npm run rehearse); empty for a real deploy.",
    "",
    "an http://127.0.0.1:PORT or http://localhost:PORT URL, or empty",
    { pattern: /^(http:\/\/(127\.0\.0\.1|localhost):[0-9]{1,5})?$/ },
  ),
  offline: boolean("Offline profile: the provider skips credential, account and metadata checks and the plan makes no API call. Set by INFRA_PROFILE=offline (npm run plan:offline); never for a real deploy.", false),
});
