/**
 * fleet-hosts.ts, construct-free: what a consumer may replace on one tier's hosts (FleetHostOptions), and how the
 * release runner joins the backend hosts (withReleaseRunner): exact user data, apply-time values and IAM statements.
 */
import { Token } from "cdktf";
import { renderCloudConfig } from "../../modules/core/cloud-config";
import { extendCloudConfig } from "../../modules/core/cloud-config-merge";
import { PolicyStatement } from "../../modules/core/iam";
import { InvalidInputError } from "../../modules/core/validation";
import { releaseRunnerCloudConfig } from "../../modules/warm-standby/release-runner";
import {
  BackendRelease,
  BuiltInHosts,
  ECR_ACCOUNT_PLACEHOLDER,
  REDIS_ENDPOINT_PLACEHOLDER,
  RELEASE_ENV_FILES,
  TierHostProps,
  fleetHostConfig,
  withReleaseRunner,
} from "../../modules/warm-standby/fleet-hosts";
import { invalidInputOf } from "../support/invalid-input";

const AMI = "ami-0123456789abcdef0";
const release: BackendRelease = {
  pointerName: "/acme-prod/release",
  pointerArn: "arn:aws:ssm:us-east-1:123456789012:parameter/acme-prod/release",
  accountId: "123456789012",
  repositoryName: "acme-prod/app",
  repositoryArn: "arn:aws:ecr:us-east-1:123456789012:repository/acme-prod/app",
};
const BASE_USER_DATA = renderCloudConfig({ packages: ["nginx"], writeFiles: [{ path: "/etc/acme.conf", content: "x=1\n" }], runcmd: [["true"]] });
const releaseStatements = (repositoryArn: string, pointerArn: string): PolicyStatement[] => [
  { Sid: "RegistryLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
  { Sid: "PullReleases", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], Resource: repositoryArn },
  { Sid: "ReadTheReleasePointer", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: pointerArn },
];
/** The user data the runner must produce, built from literals (registry host spelled out). */
const withRunner = (userData: string, region: string, registry: string, containerPort?: number) =>
  extendCloudConfig(userData, releaseRunnerCloudConfig({ region, pointerName: release.pointerName, registry, repositoryName: release.repositoryName, containerPort, envFiles: ["/etc/app/backend.env", "/etc/platform/app.env"] }));

function expectInvalid(call: () => unknown, field: string, value: unknown, allowed: string): void {
  const error = invalidInputOf(call);
  expect(error).toBeInstanceOf(InvalidInputError);
  expect({ field: error.field, value: error.value, allowed: error.allowed }).toEqual({ field, value, allowed });
}

describe("constants", () => {
  test("the placeholders substituted at apply time, and the env files handed to a release container", () => {
    expect(REDIS_ENDPOINT_PLACEHOLDER).toBe("__REDIS_PRIMARY_ENDPOINT__");
    expect(ECR_ACCOUNT_PLACEHOLDER).toBe("__ECR_ACCOUNT_ID__");
    expect(RELEASE_ENV_FILES).toEqual(["/etc/app/backend.env", "/etc/platform/app.env"]);
  });
});

describe("withReleaseRunner", () => {
  test("a concrete account: the registry is that account's in the host's region; values unchanged; login, pull from the one repository, read the one pointer", () => {
    const values = { __X__: "${aws_s3_bucket.b.bucket}" };
    const result = withReleaseRunner("primary.backendHosts.userData", "us-east-1", release, BASE_USER_DATA, values);
    expect(result).toEqual({
      userData: withRunner(BASE_USER_DATA, "us-east-1", "123456789012.dkr.ecr.us-east-1.amazonaws.com"),
      userDataValues: { __X__: "${aws_s3_bucket.b.bucket}" },
      statements: releaseStatements(release.repositoryArn, release.pointerArn),
    });
    expect(result.userData).toContain("123456789012.dkr.ecr.us-east-1.amazonaws.com");
  });
  test("an apply-time account: the registry names __ECR_ACCOUNT_ID__, which becomes an apply-time value", () => {
    const token = Token.asString({ resolve: () => "${data.aws_caller_identity.me.account_id}" });
    const result = withReleaseRunner("f", "us-west-2", { ...release, accountId: token }, BASE_USER_DATA, { __X__: "x" });
    expect(result.userData).toBe(withRunner(BASE_USER_DATA, "us-west-2", "__ECR_ACCOUNT_ID__.dkr.ecr.us-west-2.amazonaws.com"));
    expect(result.userDataValues).toEqual({ __X__: "x", __ECR_ACCOUNT_ID__: token });
  });
  test("a China region's registry ends in amazonaws.com.cn", () => {
    const result = withReleaseRunner("f", "cn-north-1", release, BASE_USER_DATA, {});
    expect(result.userData).toBe(withRunner(BASE_USER_DATA, "cn-north-1", "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn"));
    expect(result.userDataValues).toEqual({});
  });
  test("the release's container port reaches the runner", () => {
    const result = withReleaseRunner("f", "us-east-1", { ...release, containerPort: 9000 }, BASE_USER_DATA, {});
    expect(result.userData).toBe(withRunner(BASE_USER_DATA, "us-east-1", "123456789012.dkr.ecr.us-east-1.amazonaws.com", 9000));
    expect(result.userData).not.toBe(withRunner(BASE_USER_DATA, "us-east-1", "123456789012.dkr.ecr.us-east-1.amazonaws.com"));
  });
  test("user data that is not cloud-config is refused, naming the given field", () => {
    const error = invalidInputOf(() => withReleaseRunner("primary.backendHosts.userData", "us-east-1", release, "#!/bin/bash\ntrue\n", {}));
    expect(error.field).toBe("primary.backendHosts.userData");
  });
});

const builtInFrontend: BuiltInHosts = { userData: "#cloud-config\n{\"frontend\":true}\n" };
const builtInBackend: BuiltInHosts = {
  userData: renderCloudConfig({ packages: ["nginx"], writeFiles: [{ path: "/etc/app.env", content: "R=__REDIS_PRIMARY_ENDPOINT__\nS=__DB_SECRET_ARN__\n" }] }),
  userDataValues: { __REDIS_PRIMARY_ENDPOINT__: "${aws_elasticache_replication_group.c.primary_endpoint_address}", __DB_SECRET_ARN__: "${aws_secretsmanager_secret.s.arn}" },
  policyStatements: [{ Sid: "RedisIamAuth", Effect: "Allow", Action: ["elasticache:Connect"], Resource: "arn:aws:elasticache:us-east-1:123456789012:user:acme-app" }],
};
const tier: TierHostProps = { region: "us-east-1", ami: AMI };
const extra: PolicyStatement = { Sid: "ReadAppConfig", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: "arn:aws:ssm:us-east-1:123456789012:parameter/acme/*" };

describe("fleetHostConfig: the built-in hosts", () => {
  test("frontend: the tier's AMI, t3.micro, the built-in user data; no values, no statements (the role may do nothing)", () => {
    expect(fleetHostConfig("primary", "frontend", tier, builtInFrontend)).toStrictEqual({ ami: AMI, instanceType: "t3.micro", userData: builtInFrontend.userData, userDataValues: undefined, policyStatements: undefined });
  });
  test("backend: the built-in user data with all its apply-time values and its statements", () => {
    expect(fleetHostConfig("primary", "backend", tier, builtInBackend)).toStrictEqual({
      ami: AMI,
      instanceType: "t3.micro",
      userData: builtInBackend.userData,
      userDataValues: builtInBackend.userDataValues,
      policyStatements: builtInBackend.policyStatements,
    });
  });
  test("frontendInstanceType is the frontend's, backendInstanceType the backend's", () => {
    const props = { ...tier, frontendInstanceType: "t3.small", backendInstanceType: "m7i.large" };
    expect(fleetHostConfig("p", "frontend", props, builtInFrontend).instanceType).toBe("t3.small");
    expect(fleetHostConfig("p", "backend", props, builtInBackend).instanceType).toBe("m7i.large");
  });
});

describe("fleetHostConfig: overrides", () => {
  test("frontendHosts replaces the frontend's AMI, instance type and user data, adds its values and statements; the backend keeps the built-in ones", () => {
    const props = { ...tier, frontendHosts: { ami: "ami-0fedcba9876543210", instanceType: "t3.large", userData: "#!/bin/bash\necho __B__\n", userDataValues: { __B__: "${aws_s3_bucket.b.bucket}" }, extraPolicyStatements: [extra] } };
    expect(fleetHostConfig("p", "frontend", props, builtInFrontend)).toStrictEqual({
      ami: "ami-0fedcba9876543210",
      instanceType: "t3.large",
      userData: "#!/bin/bash\necho __B__\n",
      userDataValues: { __B__: "${aws_s3_bucket.b.bucket}" },
      policyStatements: [extra],
    });
    expect(fleetHostConfig("p", "backend", props, builtInBackend)).toStrictEqual(fleetHostConfig("p", "backend", tier, builtInBackend));
  });
  test("backendHosts: the built-in statements first, then the consumer's; the frontend keeps the built-in hosts", () => {
    const props = { ...tier, backendHosts: { instanceType: "t3.medium", ami: "ami-0aaaaaaaaaaaaaaaa", extraPolicyStatements: [extra] } };
    expect(fleetHostConfig("p", "backend", props, builtInBackend)).toStrictEqual({
      ami: "ami-0aaaaaaaaaaaaaaaa",
      instanceType: "t3.medium",
      userData: builtInBackend.userData,
      userDataValues: builtInBackend.userDataValues,
      policyStatements: [...builtInBackend.policyStatements!, extra],
    });
    expect(fleetHostConfig("p", "frontend", props, builtInFrontend)).toStrictEqual(fleetHostConfig("p", "frontend", tier, builtInFrontend));
  });
  test("custom user data gets the built-in apply-time values only where it asks for them", () => {
    const none = fleetHostConfig("p", "backend", { ...tier, backendHosts: { userData: "#!/bin/bash\ntrue\n" } }, builtInBackend);
    expect(none.userDataValues).toBeUndefined();
    const one = fleetHostConfig("p", "backend", { ...tier, backendHosts: { userData: "#!/bin/bash\necho __REDIS_PRIMARY_ENDPOINT__\n" } }, builtInBackend);
    expect(one.userDataValues).toEqual({ __REDIS_PRIMARY_ENDPOINT__: "${aws_elasticache_replication_group.c.primary_endpoint_address}" });
  });
  test("the consumer's values come after the built-in ones (same placeholder: the consumer's wins)", () => {
    const result = fleetHostConfig("p", "backend", { ...tier, backendHosts: { userDataValues: { __REDIS_PRIMARY_ENDPOINT__: "mine", __C__: "c" } } }, builtInBackend);
    expect(result.userDataValues).toEqual({ __REDIS_PRIMARY_ENDPOINT__: "mine", __DB_SECRET_ARN__: "${aws_secretsmanager_secret.s.arn}", __C__: "c" });
  });
  test("an instance type in both places is refused, naming the field, the value and the choice", () => {
    expectInvalid(
      () => fleetHostConfig("primary", "backend", { ...tier, backendInstanceType: "t3.small", backendHosts: { instanceType: "t3.medium" } }, builtInBackend),
      "primary.backendHosts.instanceType",
      "t3.medium",
      "either backendHosts.instanceType or backendInstanceType, not both",
    );
    expectInvalid(
      () => fleetHostConfig("dr", "frontend", { ...tier, frontendInstanceType: "t3.small", frontendHosts: { instanceType: "t3.medium" } }, builtInFrontend),
      "dr.frontendHosts.instanceType",
      "t3.medium",
      "either frontendHosts.instanceType or frontendInstanceType, not both",
    );
  });
  test("the other tier's instance type prop does not conflict", () => {
    expect(fleetHostConfig("p", "frontend", { ...tier, backendInstanceType: "t3.small", frontendHosts: { instanceType: "t3.medium" } }, builtInFrontend).instanceType).toBe("t3.medium");
    expect(fleetHostConfig("p", "backend", { ...tier, frontendInstanceType: "t3.small", backendHosts: { instanceType: "t3.medium" } }, builtInBackend).instanceType).toBe("t3.medium");
  });
});

describe("fleetHostConfig with a release", () => {
  test("backend: the runner joins the user data; statements: built-in, release, then the consumer's", () => {
    const props = { ...tier, release, backendHosts: { extraPolicyStatements: [extra] } };
    expect(fleetHostConfig("primary", "backend", props, builtInBackend)).toStrictEqual({
      ami: AMI,
      instanceType: "t3.micro",
      userData: withRunner(builtInBackend.userData, "us-east-1", "123456789012.dkr.ecr.us-east-1.amazonaws.com"),
      userDataValues: builtInBackend.userDataValues,
      policyStatements: [...builtInBackend.policyStatements!, ...releaseStatements(release.repositoryArn, release.pointerArn), extra],
    });
  });
  test("the release statements alone make the role's statements (nothing built in)", () => {
    const result = fleetHostConfig("p", "backend", { ...tier, release }, { userData: BASE_USER_DATA });
    expect(result.policyStatements).toEqual(releaseStatements(release.repositoryArn, release.pointerArn));
  });
  test("an apply-time account adds __ECR_ACCOUNT_ID__ to the values", () => {
    const token = Token.asString({ resolve: () => "123456789012" });
    const result = fleetHostConfig("p", "backend", { ...tier, release: { ...release, accountId: token } }, { userData: BASE_USER_DATA });
    expect(result.userDataValues).toEqual({ __ECR_ACCOUNT_ID__: token });
  });
  test("the frontend never gets the runner", () => {
    expect(fleetHostConfig("p", "frontend", { ...tier, release }, builtInFrontend)).toStrictEqual(fleetHostConfig("p", "frontend", tier, builtInFrontend));
  });
  test("custom backend user data that is not cloud-config cannot take the runner: the error names <id>.backendHosts.userData", () => {
    const error = invalidInputOf(() => fleetHostConfig("primary", "backend", { ...tier, release, backendHosts: { userData: "#!/bin/bash\ntrue\n" } }, builtInBackend));
    expect(error.field).toBe("primary.backendHosts.userData");
    expect(error.allowed).toMatch(/cloud-config/);
  });
});
