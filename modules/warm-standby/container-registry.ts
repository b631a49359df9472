import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { EcrRepository } from "@cdktf/provider-aws/lib/ecr-repository";
import { EcrLifecyclePolicy } from "@cdktf/provider-aws/lib/ecr-lifecycle-policy";
import { EcrReplicationConfiguration } from "@cdktf/provider-aws/lib/ecr-replication-configuration";
import { EcrRepositoryCreationTemplate } from "@cdktf/provider-aws/lib/ecr-repository-creation-template";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { CustomerManagedKey } from "../encryption";
import { partitionOf, policyDocument, serviceTrustPolicy } from "../core/iam";
import { check, checkAccountId, requireConcrete } from "../core/validation";

/** IAM role names are at most 64 characters; the longest one built from the namespace adds 21 (`-ecr-replica-creation`). */
const NAMESPACE_MAX_LENGTH = 64 - "-ecr-replica-creation".length;

/** Releases (tagged images) a repository keeps when none is given: the running one, its predecessors to roll back to, and the candidates. */
export const DEFAULT_KEEP_RELEASES = 30;
/** Days an untagged image (a layer set whose tag moved away, a failed push) survives. */
export const DEFAULT_UNTAGGED_EXPIRY_DAYS = 7;

export interface ContainerRegistryProps {
  /** AWS provider of the primary region, where the pipeline pushes. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Primary region (concrete). */
  readonly region: string;
  /** AWS provider of the DR region, which receives every image by registry replication. */
  readonly drProvider: TerraformProvider;
  /** DR region (concrete, not the primary). */
  readonly drRegion: string;
  /** The account that owns both registries (replication stays inside it). */
  readonly accountId: string;
  /**
   * Namespace of the repository and name prefix of its keys and role, e.g.
   * "webplat-dev-stage4": the repository is `<namespace>/<repositoryName>`, and the
   * DR creation template and the replication filter match that namespace only.
   * Lowercase letters and digits separated by `_` or `-`, at most 43 characters
   * (`<namespace>-ecr-replica-creation` is an IAM role name, 64 at most).
   */
  readonly namespace: string;
  /** Repository name inside the namespace. @default "app" */
  readonly repositoryName?: string;
  /** Tagged images kept (older ones expire, oldest first). At least 3: the running release, the one to roll back to, a candidate. @default 30 */
  readonly keepReleases?: number;
  /** Days before an untagged image expires. @default 7 */
  readonly untaggedExpiryDays?: number;
}

/**
 * A private ECR repository for the application's images: scan on push,
 * immutable tags (a release tag names one image forever, so a rollback really
 * returns to the same bits), a lifecycle policy, and encryption with a customer
 * managed key. Registry replication copies every image to the DR region, where
 * a repository creation template gives the replica the same settings with a
 * DR-region key (without a template ECR would create the replica mutable and
 * AES-256 encrypted).
 *
 * Registry replication is one configuration per account and region: this
 * construct owns the primary region's (rules for other repositories must be
 * added here, not beside it).
 */
export class ContainerRegistry extends Construct {
  /** Full repository name, the same in both regions, e.g. "webplat-dev-stage4/app". */
  readonly repositoryName: string;
  /** ARN of the primary repository (Terraform-managed). */
  readonly repositoryArn: string;
  /** ARN of the DR replica (created by ECR on the first replication, with the template's settings). */
  readonly drRepositoryArn: string;
  readonly region: string;
  readonly drRegion: string;
  private readonly accountId: string;

  constructor(scope: Construct, id: string, props: ContainerRegistryProps) {
    super(scope, id);
    requireConcrete(`${id}.region`, props.region);
    requireConcrete(`${id}.drRegion`, props.drRegion);
    check(props.drRegion !== props.region, `${id}.drRegion`, props.drRegion, `a region other than the primary (${props.region})`);
    // The namespace also names the KMS aliases (no ".") and the IAM role `<namespace>-ecr-replica-creation` (64 at most).
    check(/^[a-z0-9]+(?:[_-][a-z0-9]+)*$/.test(props.namespace) && props.namespace.length <= NAMESPACE_MAX_LENGTH, `${id}.namespace`, props.namespace,
      `lowercase letters and digits separated by _ or - (at most ${NAMESPACE_MAX_LENGTH} characters: it names the keys' KMS aliases and IAM roles)`);
    const repo = props.repositoryName ?? "app";
    check(/^[a-z0-9]+(?:[._-][a-z0-9]+)*$/.test(repo) && repo.length <= 100, `${id}.repositoryName`, repo, "lowercase letters and digits separated by . _ or - (at most 100 characters)");
    const keep = props.keepReleases ?? DEFAULT_KEEP_RELEASES;
    check(Number.isInteger(keep) && keep >= 3 && keep <= 1000, `${id}.keepReleases`, keep, "an integer from 3 to 1000 (the running release, the one to roll back to and a candidate)");
    const untaggedDays = props.untaggedExpiryDays ?? DEFAULT_UNTAGGED_EXPIRY_DAYS;
    check(Number.isInteger(untaggedDays) && untaggedDays >= 1 && untaggedDays <= 365, `${id}.untaggedExpiryDays`, untaggedDays, "an integer from 1 to 365");

    checkAccountId(`${id}.accountId`, props.accountId);
    this.region = props.region;
    this.drRegion = props.drRegion;
    this.accountId = props.accountId;
    this.repositoryName = `${props.namespace}/${repo}`;
    const lifecyclePolicy = releaseLifecyclePolicy(keep, untaggedDays);

    const key = new CustomerManagedKey(this, "key", { provider: props.provider, alias: `${props.namespace}-ecr`, description: `Images of ${this.repositoryName} (ECR, ${props.region})` });
    const repository = new EcrRepository(this, "repository", {
      provider: props.provider,
      name: this.repositoryName,
      imageTagMutability: "IMMUTABLE",
      imageScanningConfiguration: { scanOnPush: true },
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: key.keyArn }],
      // A destroy must not delete the images a running fleet pulls at boot.
      forceDelete: false,
      tags: { Name: this.repositoryName },
    });
    new EcrLifecyclePolicy(this, "lifecycle", { provider: props.provider, repository: repository.name, policy: lifecyclePolicy });

    // DR: ECR creates the replica itself; the template is what makes it immutable and KMS-encrypted.
    const drKey = new CustomerManagedKey(this, "dr-key", { provider: props.drProvider, alias: `${props.namespace}-ecr`, description: `Replicated images of ${this.repositoryName} (ECR, ${props.drRegion})` });
    const partition = partitionOf(props.region);
    this.drRepositoryArn = `arn:${partition}:ecr:${props.drRegion}:${props.accountId}:repository/${this.repositoryName}`;
    const creationRole = new IamRole(this, "creation-role", {
      provider: props.provider,
      name: `${props.namespace}-ecr-replica-creation`,
      assumeRolePolicy: serviceTrustPolicy("ecr.amazonaws.com"),
      tags: { Name: `${props.namespace}-ecr-replica-creation` },
    });
    new IamRolePolicy(this, "creation-policy", {
      provider: props.provider,
      role: creationRole.id,
      name: "create-replica-with-key",
      policy: policyDocument([
        {
          Sid: "CreateTheReplicaOnly",
          Effect: "Allow",
          Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"],
          Resource: `arn:${partition}:ecr:${props.drRegion}:${props.accountId}:repository/${props.namespace}/*`,
        },
        { Sid: "EncryptWithTheDrKey", Effect: "Allow", Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"], Resource: drKey.keyArn },
      ]),
    });
    const template = new EcrRepositoryCreationTemplate(this, "dr-template", {
      provider: props.drProvider,
      prefix: props.namespace,
      description: `Replicas of ${props.namespace}/* from ${props.region}: immutable tags, KMS, lifecycle`,
      appliedFor: ["REPLICATION"],
      imageTagMutability: "IMMUTABLE",
      encryptionConfiguration: [{ encryptionType: "KMS", kmsKey: drKey.keyArn }],
      lifecyclePolicy,
      customRoleArn: creationRole.arn,
      resourceTags: { Name: this.repositoryName },
    });
    new EcrReplicationConfiguration(this, "replication", {
      provider: props.provider,
      replicationConfiguration: {
        rule: [
          {
            destination: [{ region: props.drRegion, registryId: props.accountId }],
            repositoryFilter: [{ filter: this.repositoryName, filterType: "PREFIX_MATCH" }],
          },
        ],
      },
      // The first replica must find its template.
      dependsOn: [template],
    });
    this.repositoryArn = repository.arn;
  }

  /** Registry host of a region, e.g. 123456789012.dkr.ecr.us-east-1.amazonaws.com. */
  registryIn(region: string): string {
    check(region === this.region || region === this.drRegion, "ContainerRegistry.registryIn", region, `${this.region} or ${this.drRegion}`);
    return `${this.accountId}.dkr.ecr.${region}.${region.startsWith("cn-") ? "amazonaws.com.cn" : "amazonaws.com"}`;
  }

  /** Image repository URL of a region (registry host / repository name). */
  repositoryUrlIn(region: string): string {
    return `${this.registryIn(region)}/${this.repositoryName}`;
  }
}

/** ECR lifecycle rules: untagged images expire after some days; of the tagged ones the newest `keep` stay. */
export function releaseLifecyclePolicy(keep: number, untaggedDays: number): string {
  return JSON.stringify({
    rules: [
      {
        rulePriority: 1,
        description: `untagged images expire after ${untaggedDays} days`,
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedDays },
        action: { type: "expire" },
      },
      {
        // tagStatus "any" must be the last rule.
        rulePriority: 2,
        description: `keep the newest ${keep} releases`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
        action: { type: "expire" },
      },
    ],
  });
}
