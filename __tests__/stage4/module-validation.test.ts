/** Every synth-time rejection of the warm-standby modules names the prop and the value. */
import { randomBytes } from "crypto";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { HardenedLaunchTemplate, HostRole } from "../../modules/compute";
import {
  AccessLogBucket,
  ApplicationZone,
  AutoScaledFleet,
  CrossRegionBackup,
  DnsValidatedCertificate,
  FailoverApiRecords,
  FailoverDistribution,
  HttpsLoadBalancer,
  LogWriter,
  ManagedRulesWebAcl,
  PrivateDatabaseName,
  RedisCache,
  TierFirewalls,
  WebAclScope,
  fitName,
} from "../../modules/warm-standby";

function stack(): TerraformStack {
  const s = new TerraformStack(Testing.app(), "t");
  new AwsProvider(s, "aws", { region: "us-east-1" });
  return s;
}
const dr = (s: TerraformStack) => new AwsProvider(s, "dr", { region: "us-west-2", alias: "dr" });
const logs = (s: TerraformStack) => new AccessLogBucket(s, "logs", { region: "us-east-1", namePrefix: "logs-", writer: LogWriter.LOAD_BALANCER });
const zone = (s: TerraformStack) => new ApplicationZone(s, "zone", { domain: "example.com", subdomain: "app" });

const alb = (over: object) => (s: TerraformStack) =>
  new HttpsLoadBalancer(s, "alb", { name: "web", vpcId: "vpc-1", subnetIds: ["a", "b"], securityGroupId: "sg-1", certificateArn: "arn", accessLogs: logs(s), ...over });
const fleet = (over: object) => (s: TerraformStack) =>
  new AutoScaledFleet(s, "fleet", { name: "web", role: "frontend", instanceType: "t3.micro", ami: "ami-1", subnetIds: ["a"], securityGroupIds: ["sg"], targetGroupArn: "tg", capacity: { min: 1, desired: 1, max: 2 }, ...over });
const template = (over: object) => (s: TerraformStack) =>
  new HardenedLaunchTemplate(s, "lt", { name: "web", role: "frontend", instanceType: "t3.micro", ami: "ami-1", securityGroupIds: ["sg"], ...over });
const redis = (over: object) => (s: TerraformStack) => new RedisCache(s, "redis", { name: "cache", subnetIds: ["a", "b"], securityGroupIds: ["sg"], ...over });
const firewalls = (over: object) => (s: TerraformStack) => new TierFirewalls(s, "fw", { vpcId: "vpc-1", name: "x", ...over });
const acl = (over: object) => (s: TerraformStack) => new ManagedRulesWebAcl(s, "acl", { name: "acl", scope: WebAclScope.REGIONAL, ...over });
const bucket = (over: object) => (s: TerraformStack) => new AccessLogBucket(s, "bucket", { region: "us-east-1", namePrefix: "logs-", writer: LogWriter.LOAD_BALANCER, ...over });
const dbName = (over: object) => (s: TerraformStack) => new PrivateDatabaseName(s, "name", { hostname: "sql.db.internal", vpcId: "vpc-1", vpcRegion: "us-east-1", target: "db.example", ...over });
const backup = (over: object) => (s: TerraformStack) => new CrossRegionBackup(s, "backup", { drProvider: dr(s), name: "plan", ...over });
const endpoint = { target: { dnsName: "lb", zoneId: "Z1" }, healthCheckName: "backend.app.example.com" };
const api = (over: object) => (s: TerraformStack) => new FailoverApiRecords(s, "api", { zoneId: "Z1", name: "api.app.example.com", primary: endpoint, secondary: endpoint, ...over });
const cdn = (over: object) => (s: TerraformStack) =>
  new FailoverDistribution(s, "cdn", { usEast1Provider: new AwsProvider(s, "use1", { region: "us-east-1", alias: "use1" }), name: "site", zone: zone(s), siteName: "app.example.com", primaryOrigin: "a.app.example.com", secondaryOrigin: "b.app.example.com", ...over });

const cases: [string, (s: TerraformStack) => unknown, RegExp][] = [
  ["HttpsLoadBalancer.name", alb({ name: "a-very-long-load-balancer-name-over-32" }), /alb\.name: "a-very-long/],
  ["HttpsLoadBalancer.healthCheckPath", alb({ healthCheckPath: "health" }), /alb\.healthCheckPath: "health"/],
  ["HttpsLoadBalancer.targetPort", alb({ targetPort: 70000 }), /alb\.targetPort: 70000/],
  ["HttpsLoadBalancer.idleTimeoutSeconds", alb({ idleTimeoutSeconds: 0 }), /alb\.idleTimeoutSeconds: 0/],
  ["AutoScaledFleet.capacity.min", fleet({ capacity: { min: 0, desired: 1, max: 2 } }), /fleet\.capacity\.min: 0/],
  ["AutoScaledFleet.capacity.max", fleet({ capacity: { min: 2, desired: 2, max: 1 } }), /fleet\.capacity\.max: 1/],
  ["AutoScaledFleet.capacity.desired", fleet({ capacity: { min: 1, desired: 5, max: 2 } }), /fleet\.capacity\.desired: 5/],
  ["AutoScaledFleet.healthCheckGracePeriodSeconds", fleet({ healthCheckGracePeriodSeconds: -1 }), /fleet\.healthCheckGracePeriodSeconds: -1/],
  ["HardenedLaunchTemplate.instanceType", template({ instanceType: "micro" }), /lt\.instanceType: "micro"/],
  ["HardenedLaunchTemplate.rootVolumeGb", template({ rootVolumeGb: 4 }), /lt\.rootVolumeGb: 4/],
  ["HardenedLaunchTemplate.securityGroupIds", template({ securityGroupIds: [] }), /lt\.securityGroupIds: \[\]/],
  ["HardenedLaunchTemplate.hostRole with policyStatements", (s) => template({ hostRole: new HostRole(s, "role", { name: "r" }), policyStatements: [] })(s), /lt\.hostRole/],
  ["HardenedLaunchTemplate.userDataValues", template({ userData: "#cloud-config\n{}", userDataValues: { __MISSING__: "x" } }), /lt\.userDataValues: "__MISSING__"/],
  // Terraform gzips launch-template user data: only text that does not compress can exceed the limit.
  ["HardenedLaunchTemplate.userData size", template({ userData: randomBytes(13000).toString("base64") }), /lt\.userData: "\d+ bytes gzip-compressed and base64-encoded" is not allowed; expected at most 16384 bytes/],
  ["RedisCache.name", redis({ name: "Cache_1" }), /redis\.name: "Cache_1"/],
  ["RedisCache.nodeType", redis({ nodeType: "t3.micro" }), /redis\.nodeType: "t3\.micro"/],
  ["RedisCache.engineVersion", redis({ engineVersion: "6.2" }), /redis\.engineVersion: "6\.2"/],
  ["RedisCache.nodes", redis({ nodes: 1 }), /redis\.nodes: 1/],
  ["RedisCache.snapshotRetentionDays", redis({ snapshotRetentionDays: 40 }), /redis\.snapshotRetentionDays: 40/],
  ["TierFirewalls.adminCidrs missing with bastion", firewalls({ bastion: true }), /fw\.adminCidrs: \[\]/],
  ["TierFirewalls.adminCidrs without bastion", firewalls({ adminCidrs: ["10.0.0.0/8"] }), /fw\.adminCidrs: \["10\.0\.0\.0\/8"\]/],
  ["TierFirewalls.adminCidrs too wide", firewalls({ bastion: true, adminCidrs: ["0.0.0.0/0"] }), /fw\.adminCidrs: "0\.0\.0\.0\/0"/],
  ["ManagedRulesWebAcl.name", acl({ name: "bad name" }), /acl\.name: "bad name"/],
  ["ManagedRulesWebAcl.scope", acl({ scope: "GLOBAL" }), /acl\.scope: "GLOBAL"/],
  ["ManagedRulesWebAcl.rateLimitPer5Minutes", acl({ rateLimitPer5Minutes: 50 }), /acl\.rateLimitPer5Minutes: 50/],
  ["ManagedRulesWebAcl.associate on CLOUDFRONT", (s) => acl({ scope: WebAclScope.CLOUDFRONT })(s).associate("lb", "arn"), /acl\.associate: "CLOUDFRONT"/],
  ["AccessLogBucket.namePrefix", bucket({ namePrefix: "Logs" }), /bucket\.namePrefix: "Logs"/],
  ["AccessLogBucket.writer", bucket({ writer: "lambda" }), /bucket\.writer: "lambda"/],
  ["AccessLogBucket.logPrefix", bucket({ logPrefix: "alb/" }), /bucket\.logPrefix: "alb\/"/],
  ["AccessLogBucket.expireAfterDays", bucket({ expireAfterDays: 0 }), /bucket\.expireAfterDays: 0/],
  ["AccessLogBucket.region token", bucket({ region: "${TfToken[TOKEN.1]}" }), /bucket\.region: "<unresolved token>"/],
  ["DnsValidatedCertificate.domainName", (s) => new DnsValidatedCertificate(s, "cert", { domainName: "App.Example.com", zoneId: "Z1" }), /cert\.domainName: "App\.Example\.com"/],
  ["PrivateDatabaseName.hostname", dbName({ hostname: "db.internal" }), /name\.hostname: "db\.internal"/],
  ["PrivateDatabaseName.ttl", dbName({ ttl: -5 }), /name\.ttl: -5/],
  ["CrossRegionBackup.name", backup({ name: "a plan" }), /backup\.name: "a plan"/],
  ["CrossRegionBackup.schedule", backup({ schedule: "rate(1 day)" }), /backup\.schedule: "rate\(1 day\)"/],
  ["CrossRegionBackup.retentionDays", backup({ retentionDays: 1 }), /backup\.retentionDays: 1/],
  ["CrossRegionBackup.selectionTagKey", backup({ selectionTagKey: "aws:backup" }), /backup\.selectionTagKey: "aws:backup"/],
  ["FailoverApiRecords.healthCheckPath", api({ healthCheckPath: "health" }), /api\.healthCheckPath: "health"/],
  ["FailoverApiRecords.failureThreshold", api({ failureThreshold: 11 }), /api\.failureThreshold: 11/],
  ["FailoverApiRecords.requestIntervalSeconds", api({ requestIntervalSeconds: 20 }), /api\.requestIntervalSeconds: 20/],
  ["FailoverDistribution.originConnectionTimeoutSeconds", cdn({ originConnectionTimeoutSeconds: 11 }), /cdn\.originConnectionTimeoutSeconds: 11/],
  ["FailoverDistribution.secondaryOrigin", cdn({ secondaryOrigin: "a.app.example.com" }), /cdn\.secondaryOrigin: "a\.app\.example\.com"/],
  ["ApplicationZone.subdomain", (s) => new ApplicationZone(s, "zone", { domain: "example.com", subdomain: "app.v2" }), /zone\.subdomain: "app\.v2"/],
  ["ApplicationZone.alias outside the zone", (s) => zone(s).alias("x", "www.example.com", { dnsName: "d", zoneId: "z" }), /zone\.alias\(name\): "www\.example\.com"/],
];

describe("warm-standby module validation", () => {
  test.each(cases)("rejects %s", (_, build, message) => {
    expect(() => build(stack())).toThrow(message);
  });
});

describe("fitName", () => {
  test("keeps short names and cuts long ones to the limit with a stable hash", () => {
    expect(fitName("webplat-stage4-primary", "fe", 32)).toBe("webplat-stage4-primary-fe");
    const long = fitName("a-twenty-char-projec-stage4-primary", "fe", 32);
    expect(long.length).toBeLessThanOrEqual(32);
    expect(long).toMatch(/^a-twenty-char-projec-.*-[0-9a-f]{4}-fe$/);
    expect(fitName("a-twenty-char-projec-stage4-primary", "fe", 32)).toBe(long);
    expect(fitName("a-twenty-char-projec-stage4-dr", "fe", 32)).not.toBe(long);
  });
});
