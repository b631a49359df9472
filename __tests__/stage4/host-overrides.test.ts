/**
 * Props instead of placeholders (issue 13, item 4): a consumer's own AMI,
 * instance type, user data and extra IAM statements per tier land in the
 * launch template and the host role; left out, the hosts synthesize exactly
 * as the built-in defaults.
 */
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { renderCloudConfig, parseCloudConfig } from "../../modules/core/cloud-config";
import { ApplicationZone, RegionalTier, RegionalTierProps, RELEASE_SCRIPT_PATH, frontendUserData } from "../../modules/warm-standby";
import { TfJson, resourcesOf } from "../support/synth";
import { userDataOf } from "../support/rendered-files";

type Res = Record<string, any>;
const AMI = "ami-0123456789abcdef0";
const SECRET_ARN = "arn:aws:secretsmanager:us-east-1:123456789012:secret:acme-prod-db-master-AbCdEf";

function synthTier(props: Partial<RegionalTierProps> = {}): TfJson {
  const stack = new TerraformStack(Testing.app(), "t");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const zone = new ApplicationZone(stack, "zone", { domain: "example.com", subdomain: "app" });
  new RegionalTier(stack, "primary", {
    region: "us-east-1",
    name: "acme-prod-primary",
    cidr: "10.40.0.0/16",
    availabilityZones: ["us-east-1a", "us-east-1b"],
    ami: AMI,
    capacity: { frontend: { min: 1, desired: 1, max: 2 }, backend: { min: 1, desired: 1, max: 2 } },
    zone,
    cloudFrontOnly: { originHeader: { name: "X-Origin-Verify", value: "test-only" }, prefixListId: "pl-00000000" },
    databaseHostname: "sql.db.internal",
    databasePort: 5432,
    databaseTlsName: "acme-prod-db.abcdefghijkl.us-east-1.rds.amazonaws.com",
    databaseSecret: { arn: SECRET_ARN, readStatements: [{ Sid: "ReadDatabaseSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [SECRET_ARN] }] },
    ...props,
  });
  return JSON.parse(Testing.synth(stack)) as TfJson;
}
const template = (doc: TfJson, tier: string): Res => resourcesOf(doc, "aws_launch_template").find(([, t]) => t.name === `acme-prod-primary-${tier}`)![1];
const roleStatements = (doc: TfJson, tier: string): Res[] =>
  resourcesOf(doc, "aws_iam_role_policy")
    .filter(([, p]) => p.name === `acme-prod-primary-${tier}-host`)
    .flatMap(([, p]) => JSON.parse(p.policy).Statement);
const userData = (lt: Res) => userDataOf(lt, (ref) => (ref.includes("aws_elasticache_replication_group") ? "master.cache.example" : `<${ref}>`));

// Every tier is synthesized inside the test that reads it, never while the file loads: Stryker counts code run at load
// as reached by every test (a static mutant), and runs each such mutant against all of the target's tests.

describe("defaults stay as they were", () => {
  test("giving every tier its default values explicitly synthesizes the same JSON", () => {
    const defaults = synthTier();
    const explicit = synthTier({
      frontendHosts: { ami: AMI, instanceType: "t3.micro", userData: frontendUserData({ region: "us-east-1", healthCheckPath: "/healthz", backendName: "backend-us-east-1.app.example.com", dropRequestHeaders: ["X-Origin-Verify"] }), extraPolicyStatements: [] },
      backendHosts: { ami: AMI, instanceType: "t3.micro", extraPolicyStatements: [] },
    });
    expect(explicit).toEqual(defaults);
  });
  test("the built-in hosts: the tier's AMI, t3.micro, Nginx cloud-config; the frontend role may do nothing, the backend's Redis and the database secret only", () => {
    const defaults = synthTier();
    for (const tier of ["frontend", "backend"]) {
      expect(template(defaults, tier)).toMatchObject({ image_id: AMI, instance_type: "t3.micro" });
      expect(parseCloudConfig(userData(template(defaults, tier))).packages).toContain("nginx");
    }
    expect(roleStatements(defaults, "frontend")).toEqual([]);
    expect(roleStatements(defaults, "backend").map((s) => s.Sid)).toEqual(["RedisIamAuth", "ReadDatabaseSecret"]);
  });
});

describe("overrides land in the launch template and the role", () => {
  const custom = "#!/bin/bash\necho 'my own backend' > /etc/motd\n";
  const extra = { Sid: "ReadAppConfig", Effect: "Allow" as const, Action: ["ssm:GetParameter"], Resource: "arn:aws:ssm:us-east-1:123456789012:parameter/acme/*" };
  const overridden = () =>
    synthTier({
      backendHosts: { ami: "ami-0fedcba9876543210", instanceType: "m7i.large", userData: custom, extraPolicyStatements: [extra] },
      frontendHosts: { instanceType: "t3.small" },
    });
  test("backend: AMI, instance type and the user data exactly as given", () => {
    const lt = template(overridden(), "backend");
    expect(lt).toMatchObject({ image_id: "ami-0fedcba9876543210", instance_type: "m7i.large" });
    expect(userData(lt)).toBe(custom);
  });
  test("backend role: the built-in statements, then the consumer's", () => {
    const statements = roleStatements(overridden(), "backend");
    expect(statements.map((s) => s.Sid)).toEqual(["RedisIamAuth", "ReadDatabaseSecret", "ReadAppConfig"]);
    expect(statements.at(-1)).toEqual(extra);
  });
  test("frontend: only what was overridden changes", () => {
    expect(template(overridden(), "frontend")).toEqual({ ...template(synthTier(), "frontend"), instance_type: "t3.small" });
  });
  test("custom backend user data gets the cache endpoint where it asks for it", () => {
    const withCache = synthTier({ backendHosts: { userData: "#!/bin/bash\necho REDIS=__REDIS_PRIMARY_ENDPOINT__ > /etc/app.env\n" } });
    expect(userData(template(withCache, "backend"))).toBe("#!/bin/bash\necho REDIS=master.cache.example > /etc/app.env\n");
  });
  test("the consumer's own apply-time values are substituted too", () => {
    const own = synthTier({ frontendHosts: { userData: "#!/bin/bash\necho __BUCKET__\n", userDataValues: { __BUCKET__: "${aws_s3_bucket.assets.bucket}" } } });
    expect(template(own, "frontend").user_data).toContain("aws_s3_bucket.assets.bucket");
  });
});

describe("with a release", () => {
  const release = {
    pointerName: "/acme-prod/release",
    pointerArn: "arn:aws:ssm:us-east-1:123456789012:parameter/acme-prod/release",
    accountId: "123456789012",
    repositoryName: "acme-prod/app",
    repositoryArn: "arn:aws:ecr:us-east-1:123456789012:repository/acme-prod/app",
  };
  test("the runner joins custom cloud-config user data, and the extra statements still come last", () => {
    const own = renderCloudConfig({ packages: ["jq"], writeFiles: [{ path: "/etc/acme.conf", content: "x=1\n" }] });
    const doc = synthTier({ release, backendHosts: { userData: own, extraPolicyStatements: [{ Sid: "Mine", Effect: "Allow", Action: ["s3:GetObject"], Resource: "arn:aws:s3:::acme/*" }] } });
    const parsed = parseCloudConfig(userData(template(doc, "backend")));
    expect(parsed.packages).toEqual(["jq", "docker.io", "amazon-ecr-credential-helper", "awscli"]);
    expect(parsed.write_files.map((f) => f.path)).toEqual(["/etc/acme.conf", RELEASE_SCRIPT_PATH, "/etc/systemd/system/platform-release.service", "/etc/platform-release/docker/config.json"]);
    expect(roleStatements(doc, "backend").map((s) => s.Sid)).toEqual(["RedisIamAuth", "ReadDatabaseSecret", "RegistryLogin", "PullReleases", "ReadTheReleasePointer", "Mine"]);
  });
  test("custom user data that is not cloud-config cannot take the runner: a clear error", () => {
    expect(() => synthTier({ release, backendHosts: { userData: "#!/bin/bash\ntrue\n" } })).toThrow(/primary\.backendHosts\.userData: .*cloud-config/);
  });
});

describe("conflicting props", () => {
  test("an instance type in both places is refused, naming the field", () => {
    expect(() => synthTier({ backendInstanceType: "t3.small", backendHosts: { instanceType: "t3.medium" } })).toThrow(/primary\.backendHosts\.instanceType: "t3\.medium" .*not both/);
  });
  test("a bad override is refused by the launch template's own check", () => {
    expect(() => synthTier({ frontendHosts: { instanceType: "huge" } })).toThrow(/instanceType: "huge"/);
  });
});
