/**
 * The delivery path of stage 4, read from the synthesized stack: the ECR
 * repository and its DR replication, the release pointers, the hosts' pull
 * rights, and the pipeline role's scoped permissions (issue 12, item 4).
 */
import { fileFromCloudConfig, parseCloudConfig } from "../../modules/core/cloud-config";
import { RELEASE_SCRIPT_PATH } from "../../modules/warm-standby/release-runner";
import { TfJson, referenced, resourcesOf, synthStack, testConfig } from "../support/synth";
import { userDataOf } from "../support/rendered-files";

const STACK = "stage4-warm-standby";
const DR = "aws.secondary";
type Res = Record<string, any>;
const json = synthStack(STACK);
const isPrimary = (c: Res) => c.provider === undefined || c.provider === "aws";
const only = (doc: TfJson, type: string): [string, Res] => {
  const all = resourcesOf(doc, type);
  expect([type, all.length]).toEqual([type, 1]);
  return all[0];
};
const policyOf = (doc: TfJson, roleName: string) => {
  const [, role] = resourcesOf(doc, "aws_iam_role").find(([, r]) => r.name === roleName)!;
  expect(role).toBeDefined();
  const policies = resourcesOf(doc, "aws_iam_role_policy").filter(([, p]) => referenced(doc, p.role).config === role);
  return { role, statements: policies.flatMap(([, p]) => JSON.parse(p.policy).Statement as Res[]) };
};
const sample = (lt: Res) => userDataOf(lt, (reference) => {
  if (reference.endsWith("aws_caller_identity.account.account_id")) return "123456789012";
  if (reference.includes("aws_elasticache_replication_group")) return "master.cache.example";
  if (reference.startsWith("aws_db_instance.") && reference.endsWith(".address")) return "db.abcdefghijkl.us-east-1.rds.amazonaws.com";
  if (reference.includes("secretsmanager") || reference.startsWith("local.database-secret")) return "arn:aws:secretsmanager:us-east-1:123456789012:secret:db-AbCdEf";
  throw new Error(`unexpected reference ${reference}`);
});

describe("the image registry", () => {
  test("one repository in the primary region: immutable tags, scan on push, a rotating customer managed key, never force-deleted", () => {
    const [, repo] = only(json, "aws_ecr_repository");
    expect(isPrimary(repo)).toBe(true);
    expect(repo).toMatchObject({ name: "webplat-dev-stage4/app", image_tag_mutability: "IMMUTABLE", image_scanning_configuration: { scan_on_push: true }, force_delete: false });
    const key = referenced(json, repo.encryption_configuration[0].kms_key);
    expect(repo.encryption_configuration[0].encryption_type).toBe("KMS");
    expect(key.type).toBe("aws_kms_key");
    expect(key.config.enable_key_rotation).toBe(true);
  });
  test("lifecycle: untagged images expire after 7 days, the newest 30 releases stay", () => {
    const [, lifecycle] = only(json, "aws_ecr_lifecycle_policy");
    expect(referenced(json, lifecycle.repository).type).toBe("aws_ecr_repository");
    const rules = JSON.parse(lifecycle.policy).rules;
    expect(rules.map((r: Res) => r.selection)).toEqual([
      { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: 7 },
      { tagStatus: "any", countType: "imageCountMoreThan", countNumber: 30 },
    ]);
  });
  test("registry replication copies exactly this repository to the DR region of the same account, after the DR template exists", () => {
    const [, replication] = only(json, "aws_ecr_replication_configuration");
    expect(isPrimary(replication)).toBe(true);
    const [rule] = replication.replication_configuration.rule;
    expect(rule.destination).toEqual([{ region: "us-west-2", registry_id: "${data.aws_caller_identity.account.account_id}" }]);
    expect(rule.repository_filter).toEqual([{ filter: "webplat-dev-stage4/app", filter_type: "PREFIX_MATCH" }]);
    const [templateName] = only(json, "aws_ecr_repository_creation_template");
    expect(replication.depends_on).toEqual([`aws_ecr_repository_creation_template.${templateName}`]);
  });
  test("the DR replica is created by a template: immutable, lifecycle, and a DR-region key through a scoped role", () => {
    const [, template] = only(json, "aws_ecr_repository_creation_template");
    expect(template).toMatchObject({ provider: DR, prefix: "webplat-dev-stage4", applied_for: ["REPLICATION"], image_tag_mutability: "IMMUTABLE" });
    const [, lifecycle] = only(json, "aws_ecr_lifecycle_policy");
    expect(template.lifecycle_policy).toBe(lifecycle.policy);
    const drKey = referenced(json, template.encryption_configuration[0].kms_key);
    expect(drKey.config).toMatchObject({ provider: DR, enable_key_rotation: true });
    const role = referenced(json, template.custom_role_arn).config;
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { Service: "ecr.amazonaws.com" }, Action: "sts:AssumeRole" }]);
    const { statements } = policyOf(json, role.name);
    expect(statements).toEqual([
      { Sid: "CreateTheReplicaOnly", Effect: "Allow", Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"], Resource: "arn:aws:ecr:us-west-2:${data.aws_caller_identity.account.account_id}:repository/webplat-dev-stage4/*" },
      { Sid: "EncryptWithTheDrKey", Effect: "Allow", Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"], Resource: template.encryption_configuration[0].kms_key },
    ]);
  });
});

describe("release pointers", () => {
  const pointers = resourcesOf(json, "aws_ssm_parameter").filter(([, p]) => p.name === "/webplat-dev-stage4/release");
  test("one per region, created as \"none\" and then owned by the pipeline (Terraform ignores the value)", () => {
    expect(pointers.map(([, p]) => (isPrimary(p) ? "primary" : p.provider)).sort()).toEqual(["aws.secondary", "primary"]);
    for (const [, p] of pointers) {
      expect(p).toMatchObject({ type: "String", value: "none", lifecycle: { ignore_changes: ["value"] } });
      expect(new RegExp(p.allowed_pattern).test("v1.2.3")).toBe(true);
      expect(new RegExp(p.allowed_pattern).test("none")).toBe(true);
      expect(new RegExp(p.allowed_pattern).test("latest;reboot")).toBe(false);
    }
  });
});

describe("backend hosts run releases; frontend hosts do not", () => {
  const templates = resourcesOf(json, "aws_launch_template");
  test.each([["primary", "us-east-1"], ["dr", "us-west-2"]])("%s backend: the runner for its own region's pointer and registry", (role, region) => {
    const [, lt] = templates.find(([, t]) => t.name === `webplat-dev-stage4-${role}-backend`)!;
    const text = sample(lt);
    const script = fileFromCloudConfig(text, RELEASE_SCRIPT_PATH);
    expect(script).toContain(`REGION="${region}"`);
    expect(script).toContain('POINTER="/webplat-dev-stage4/release"');
    expect(script).toContain(`IMAGE_REPOSITORY="123456789012.dkr.ecr.${region}.amazonaws.com/webplat-dev-stage4/app"`);
    expect(script).toContain("CONTAINER_PORT=8080");
    // The default application's packages first (Nginx, the reference app, curl for Instance Connect), then the runner's.
    expect(parseCloudConfig(text).packages).toEqual(["nginx", "python3", "python3-pymysql", "python3-boto3", "python3-redis", "curl", "docker.io", "amazon-ecr-credential-helper", "awscli"]);
  });
  test.each(["primary", "dr"])("%s frontend user data has no runner", (role) => {
    const [, lt] = templates.find(([, t]) => t.name === `webplat-dev-stage4-${role}-frontend`)!;
    expect(parseCloudConfig(sample(lt)).write_files.map((f) => f.path)).not.toContain(RELEASE_SCRIPT_PATH);
  });
  test.each(["primary", "dr"])("%s backend role: pull from its region's repository and read its region's pointer, nothing else of the delivery path", (role) => {
    const { statements } = policyOf(json, `webplat-dev-stage4-${role}-backend-host`);
    const pull = statements.find((s) => s.Sid === "PullReleases")!;
    expect(pull.Action).toEqual(["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"]);
    if (role === "primary") expect(referenced(json, pull.Resource).type).toBe("aws_ecr_repository");
    else expect(pull.Resource).toBe("arn:aws:ecr:us-west-2:${data.aws_caller_identity.account.account_id}:repository/webplat-dev-stage4/app");
    const pointer = statements.find((s) => s.Sid === "ReadTheReleasePointer")!;
    expect(pointer.Action).toEqual(["ssm:GetParameter"]);
    const param = referenced(json, pointer.Resource).config;
    expect(param.name).toBe("/webplat-dev-stage4/release");
    expect(role === "primary" ? isPrimary(param) : param.provider === DR).toBe(true);
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a: string) => /^ecr:|^ssm:(Get|Put)Parameter/.test(a)).sort()).toEqual(
      ["ecr:BatchCheckLayerAvailability", "ecr:BatchGetImage", "ecr:GetAuthorizationToken", "ecr:GetDownloadUrlForLayer", "ssm:GetParameter"],
    );
  });
  test.each(["primary", "dr"])("%s frontend role gets no registry or pointer rights", (role) => {
    const { statements } = policyOf(json, `webplat-dev-stage4-${role}-frontend-host`);
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a: string) => /^ecr:|^ssm:(Get|Put)Parameter/.test(a))).toEqual([]);
  });
});

describe("the pipeline role", () => {
  const { role, statements } = policyOf(json, "webplat-dev-stage4-delivery");
  const bySid = (sid: string) => statements.find((s) => s.Sid === sid)!;
  const groupOf = (ref: string) => referenced(json, ref).config.name;
  test('"by default the account\'s principals whose own IAM policy allows sts:AssumeRole on it"; "Sessions last at most an hour"', () => {
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::${data.aws_caller_identity.account.account_id}:root" }, Action: "sts:AssumeRole" }]);
    expect(role.max_session_duration).toBe(3600);
  });
  test("pushes to the one repository and only reads the replica", () => {
    expect(referenced(json, bySid("PushToTheRepository").Resource).type).toBe("aws_ecr_repository");
    expect(bySid("PushToTheRepository").Action).toEqual(expect.arrayContaining(["ecr:PutImage", "ecr:InitiateLayerUpload", "ecr:UploadLayerPart", "ecr:CompleteLayerUpload"]));
    expect(bySid("WaitForTheReplica")).toEqual({ Sid: "WaitForTheReplica", Effect: "Allow", Action: ["ecr:DescribeImages"], Resource: "arn:aws:ecr:us-west-2:${data.aws_caller_identity.account.account_id}:repository/webplat-dev-stage4/app" });
  });
  test("sets the two release pointers and refreshes only the two backend groups", () => {
    const pointers = (bySid("SetTheReleasePointers").Resource as string[]).map((r) => referenced(json, r).config);
    expect(pointers.map((p) => p.name)).toEqual(["/webplat-dev-stage4/release", "/webplat-dev-stage4/release"]);
    expect(pointers.map((p) => p.provider ?? "aws").sort()).toEqual(["aws", "aws.secondary"]);
    expect(bySid("SetTheReleasePointers").Action).toEqual(["ssm:GetParameter", "ssm:PutParameter"]);
    const groups = (bySid("RollTheBackendGroups").Resource as string[]).map(groupOf);
    expect(groups).toEqual(["webplat-dev-stage4-primary-backend", "webplat-dev-stage4-dr-backend"]);
    expect(bySid("RollTheBackendGroups").Action).toEqual(["autoscaling:StartInstanceRefresh", "autoscaling:CancelInstanceRefresh"]);
  });
  test('"*" only where the action has no resource-level permissions (login token, Describe calls)', () => {
    const wildcard = statements.filter((s) => [s.Resource].flat().includes("*"));
    expect(wildcard.flatMap((s) => s.Action).sort()).toEqual(["autoscaling:DescribeAutoScalingGroups", "autoscaling:DescribeInstanceRefreshes", "ecr:GetAuthorizationToken"]);
    expect(statements.flatMap((s) => [s.Action].flat()).filter((a: string) => /^(iam|ec2|kms|sts|s3):|\*/.test(a))).toEqual([]);
  });
  test("the delivery output lists the rollout, active region first, with the alarms that stop it", () => {
    const delivery = json.output!.delivery.value as Res;
    expect(delivery.rollout.map((s: Res) => s.region)).toEqual(["us-east-1", "us-west-2"]);
    expect(delivery.rollout[0].alarms).toEqual([
      "webplat-dev-stage4-primary-backend-alb-5xx",
      "webplat-dev-stage4-primary-backend-targets-5xx",
      "webplat-dev-stage4-primary-backend-unhealthy-targets",
      "webplat-dev-stage4-primary-backend-asg-below-desired",
    ]);
    const alarmNames = resourcesOf(json, "aws_cloudwatch_metric_alarm").map(([, a]) => a.alarm_name);
    for (const step of delivery.rollout) for (const alarm of step.alarms) expect(alarmNames).toContain(alarm);
    expect(delivery.rollout[1].image_repository).toBe("${data.aws_caller_identity.account.account_id}.dkr.ecr.us-west-2.amazonaws.com/webplat-dev-stage4/app");
    const drActive = synthStack(STACK, testConfig({ warmStandby: { activeRegion: "dr" } })).output!.delivery.value as Res;
    expect(drActive.rollout.map((s: Res) => s.region)).toEqual(["us-west-2", "us-east-1"]);
  });
  test("with an OIDC provider the role trusts exactly the configured subjects and audience", () => {
    const provider = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    const doc = synthStack(STACK, testConfig({ warmStandby: { delivery: { ciOidcProviderArn: provider, ciSubjects: ["repo:acme/shop:environment:production"] } } }));
    expect(JSON.parse(policyOf(doc, "webplat-dev-stage4-delivery").role.assume_role_policy).Statement).toEqual([
      {
        Effect: "Allow",
        Principal: { Federated: provider },
        Action: "sts:AssumeRoleWithWebIdentity",
        Condition: { StringEquals: { "token.actions.githubusercontent.com:aud": "sts.amazonaws.com" }, StringLike: { "token.actions.githubusercontent.com:sub": ["repo:acme/shop:environment:production"] } },
      },
    ]);
  });
});

describe("warmStandby.delivery.enabled: false", () => {
  const off = synthStack(STACK, testConfig({ warmStandby: { delivery: { enabled: false } } }));
  test("no registry, pointer or pipeline role, and the backend user data is the default application only", () => {
    for (const type of ["aws_ecr_repository", "aws_ecr_replication_configuration", "aws_ecr_repository_creation_template", "aws_ecr_lifecycle_policy"]) expect(resourcesOf(off, type)).toEqual([]);
    expect(resourcesOf(off, "aws_ssm_parameter").filter(([, p]) => p.name.endsWith("/release"))).toEqual([]);
    expect(resourcesOf(off, "aws_iam_role").map(([, r]) => r.name)).not.toContain("webplat-dev-stage4-delivery");
    expect(off.output!.delivery).toBeUndefined();
    const [, lt] = resourcesOf(off, "aws_launch_template").find(([, t]) => t.name === "webplat-dev-stage4-primary-backend")!;
    expect(parseCloudConfig(sample(lt)).packages).toEqual(["nginx", "python3", "python3-pymysql", "python3-boto3", "python3-redis", "curl"]);
  });
});

describe("configuration errors name the field", () => {
  test.each([
    [{ ciOidcProviderArn: "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com" }, /warmStandby\.delivery\.ciSubjects/],
    [{ ciSubjects: ["repo:acme/shop:ref:refs/heads/main"] }, /warmStandby\.delivery\.ciOidcProviderArn/],
    [{ ciSubjects: ["*"] }, /warmStandby\.delivery\.ciSubjects/],
    [{ ciOidcProviderArn: "arn:aws:iam::123:oidc-provider/x" }, /warmStandby\.delivery\.ciOidcProviderArn/],
    [{ keepReleases: 2 }, /warmStandby\.delivery\.keepReleases/],
    [{ repositoryName: "App" }, /warmStandby\.delivery\.repositoryName/],
    [{ containerPort: 0 }, /warmStandby\.delivery\.containerPort/],
  ])("%j", (delivery, message) => {
    expect(() => testConfig({ warmStandby: { delivery } })).toThrow(message);
  });
});
