/** What a consumer may replace on one tier's hosts, and how a release reaches the backend hosts. */
import { PolicyStatement } from "../core/iam";
import { extendCloudConfig } from "../core/cloud-config-merge";
import { check, isToken } from "../core/validation";
import { releaseRunnerCloudConfig } from "./release-runner";

/** Placeholder of the Redis primary endpoint in backend user data (substituted at apply time). */
export const REDIS_ENDPOINT_PLACEHOLDER = "__REDIS_PRIMARY_ENDPOINT__";
/** Placeholder of the account id in the release runner's registry host (known at apply time only). */
export const ECR_ACCOUNT_PLACEHOLDER = "__ECR_ACCOUNT_ID__";
/** Environment files of the default backend application handed to a release container (those present on the host). */
export const RELEASE_ENV_FILES = ["/etc/app/backend.env", "/etc/platform/app.env"] as const;

/** One tier's hosts, each field replacing a built-in choice. */
export interface FleetHostOptions {
  /** AMI of this tier's hosts. @default the tier's `ami` */
  readonly ami?: string;
  /** EC2 instance type. @default the tier's `frontendInstanceType` / `backendInstanceType` ("t3.micro") */
  readonly instanceType?: string;
  /**
   * User data replacing the built-in one (Nginx serving the health path; on the
   * backend also /etc/app/backend.env). Any format cloud-init reads; with a
   * `release` on the backend it must be cloud-config as renderCloudConfig writes
   * it, so the release runner can be added. In backend user data,
   * `__REDIS_PRIMARY_ENDPOINT__` is replaced by the cache endpoint.
   * @default the built-in cloud-config (frontendUserData / backendUserData)
   */
  readonly userData?: string;
  /** More apply-time values substituted into `userData` (placeholder → token). @default {} */
  readonly userDataValues?: Record<string, string>;
  /** IAM statements added to the hosts' role after the built-in ones (least privilege: name resources). @default [] */
  readonly extraPolicyStatements?: readonly PolicyStatement[];
}

/** Where the backend hosts of a region find their release. */
export interface BackendRelease {
  /** Release pointer parameter name and ARN (ReleasePointer). */
  readonly pointerName: string;
  readonly pointerArn: string;
  /** Account of the registry (may be an apply-time token); the registry is this account's in the host's region. */
  readonly accountId: string;
  /** Repository name and this region's repository ARN. */
  readonly repositoryName: string;
  readonly repositoryArn: string;
  /** Port the image serves on. @default 8080 */
  readonly containerPort?: number;
}

/** Backend user data, values and statements with the release runner added. */
export function withReleaseRunner(
  field: string,
  region: string,
  release: BackendRelease,
  userData: string,
  userDataValues: Record<string, string>,
): { userData: string; userDataValues: Record<string, string>; statements: PolicyStatement[] } {
  const account = isToken(release.accountId) ? ECR_ACCOUNT_PLACEHOLDER : release.accountId;
  const runner = releaseRunnerCloudConfig({
    region,
    pointerName: release.pointerName,
    registry: `${account}.dkr.ecr.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`,
    repositoryName: release.repositoryName,
    containerPort: release.containerPort,
    envFiles: RELEASE_ENV_FILES,
  });
  return {
    userData: extendCloudConfig(userData, runner, field),
    userDataValues: account === release.accountId ? userDataValues : { ...userDataValues, [ECR_ACCOUNT_PLACEHOLDER]: release.accountId },
    statements: [
      // GetAuthorizationToken has no resource-level permissions; the pull itself is limited to the one repository.
      { Sid: "RegistryLogin", Effect: "Allow", Action: ["ecr:GetAuthorizationToken"], Resource: "*" },
      { Sid: "PullReleases", Effect: "Allow", Action: ["ecr:BatchGetImage", "ecr:GetDownloadUrlForLayer", "ecr:BatchCheckLayerAvailability"], Resource: release.repositoryArn },
      { Sid: "ReadTheReleasePointer", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: release.pointerArn },
    ],
  };
}

/** The built-in choice of one tier's hosts, as RegionalTier writes it. */
export interface BuiltInHosts {
  readonly userData: string;
  readonly userDataValues?: Record<string, string>;
  readonly policyStatements?: readonly PolicyStatement[];
}

/** What RegionalTier knows about a tier's hosts (a subset of its props). */
export interface TierHostProps {
  readonly region: string;
  readonly ami: string;
  readonly frontendInstanceType?: string;
  readonly backendInstanceType?: string;
  readonly frontendHosts?: FleetHostOptions;
  readonly backendHosts?: FleetHostOptions;
  readonly release?: BackendRelease;
}

/** AutoScaledFleet's host props for one tier: the built-in hosts, the consumer's overrides, and (backend) the release runner. */
export function fleetHostConfig(
  id: string,
  tier: "frontend" | "backend",
  props: TierHostProps,
  builtIn: BuiltInHosts,
): { ami: string; instanceType: string; userData: string; userDataValues?: Record<string, string>; policyStatements?: readonly PolicyStatement[] } {
  const hosts = (tier === "frontend" ? props.frontendHosts : props.backendHosts) ?? {};
  const typeProp = tier === "frontend" ? props.frontendInstanceType : props.backendInstanceType;
  check(!(hosts.instanceType && typeProp), `${id}.${tier}Hosts.instanceType`, hosts.instanceType, `either ${tier}Hosts.instanceType or ${tier}InstanceType, not both`);
  let userData = hosts.userData ?? builtIn.userData;
  // Custom user data gets the built-in apply-time values (the cache endpoint) only where it asks for them.
  const builtInValues = Object.fromEntries(Object.entries(builtIn.userDataValues ?? {}).filter(([placeholder]) => hosts.userData === undefined || hosts.userData.includes(placeholder)));
  let userDataValues: Record<string, string> = { ...builtInValues, ...(hosts.userDataValues ?? {}) };
  let releaseStatements: PolicyStatement[] = [];
  if (tier === "backend" && props.release) {
    const withRelease = withReleaseRunner(`${id}.backendHosts.userData`, props.region, props.release, userData, userDataValues);
    userData = withRelease.userData;
    userDataValues = withRelease.userDataValues;
    releaseStatements = withRelease.statements;
  }
  const policyStatements = [...(builtIn.policyStatements ?? []), ...releaseStatements, ...(hosts.extraPolicyStatements ?? [])];
  return {
    ami: hosts.ami ?? props.ami,
    instanceType: hosts.instanceType ?? typeProp ?? "t3.micro",
    userData,
    userDataValues: Object.keys(userDataValues).length > 0 ? userDataValues : undefined,
    policyStatements: policyStatements.length > 0 ? policyStatements : undefined,
  };
}
