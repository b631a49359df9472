/**
 * ContainerRegistry: "A private ECR repository for the application's images: scan on push, immutable tags …, a
 * lifecycle policy, and encryption with a customer managed key. Registry replication copies every image to the DR
 * region, where a repository creation template gives the replica the same settings with a DR-region key."
 */
import { TerraformVariable } from "cdktf";
import {
  ContainerRegistry,
  ContainerRegistryProps,
  DEFAULT_KEEP_RELEASES,
  DEFAULT_UNTAGGED_EXPIRY_DAYS,
  releaseLifecyclePolicy,
} from "../../modules/warm-standby/container-registry";
import { invalidInputOf } from "../support/invalid-input";
import { TfJson } from "../support/synth";
import { ACCOUNT, Built, DR, PRIMARY, inventory, one, refOf, scopeWith, synthWith } from "./delivery-support";

const NS = "webplat-dev-stage4";
const NAME_ALLOWED = "lowercase letters and digits separated by . _ or - (at most 100 characters)";
const NAMESPACE_ALLOWED = "lowercase letters and digits separated by _ or - (at most 43 characters: it names the keys' KMS aliases and IAM roles)";

function props(b: Built, over: Partial<ContainerRegistryProps> = {}): ContainerRegistryProps {
  return { region: PRIMARY, drProvider: b.dr, drRegion: DR, accountId: ACCOUNT, namespace: NS, ...over };
}

/** The lifecycle rules as ECR reads them. */
function rules(untaggedDays: number, keep: number) {
  return {
    rules: [
      {
        rulePriority: 1,
        description: `untagged images expire after ${untaggedDays} days`,
        selection: { tagStatus: "untagged", countType: "sinceImagePushed", countUnit: "days", countNumber: untaggedDays },
        action: { type: "expire" },
      },
      {
        rulePriority: 2,
        description: `keep the newest ${keep} releases`,
        selection: { tagStatus: "any", countType: "imageCountMoreThan", countNumber: keep },
        action: { type: "expire" },
      },
    ],
  };
}

function synthRegistry(over: Partial<ContainerRegistryProps> = {}, primaryProvider = false): { json: TfJson; registry: ContainerRegistry } {
  let registry: ContainerRegistry | undefined;
  const json = synthWith((b) => {
    registry = new ContainerRegistry(b.stack, "registry", props(b, { ...(primaryProvider ? { provider: b.aws } : {}), ...over }));
    return { arn: registry.repositoryArn };
  });
  return { json, registry: registry! };
}

describe("ContainerRegistry resources", () => {
  test("exactly: two keys with aliases, the repository, its lifecycle, the replica creation role and policy, the DR template, the replication", () => {
    const { json } = synthRegistry();
    expect(inventory(json)).toEqual({
      aws_kms_key: 2,
      aws_kms_alias: 2,
      aws_ecr_repository: 1,
      aws_ecr_lifecycle_policy: 1,
      aws_iam_role: 1,
      aws_iam_role_policy: 1,
      aws_ecr_repository_creation_template: 1,
      aws_ecr_replication_configuration: 1,
    });
  });

  test("the repository: <namespace>/app, immutable tags, scan on push, KMS with the primary key, never force-deleted", () => {
    const { json } = synthRegistry();
    const [keyName] = one(json, "aws_kms_key", "registry_key_");
    expect(one(json, "aws_ecr_repository")[1]).toEqual({
      name: "webplat-dev-stage4/app",
      image_tag_mutability: "IMMUTABLE",
      image_scanning_configuration: { scan_on_push: true },
      encryption_configuration: [{ encryption_type: "KMS", kms_key: refOf("aws_kms_key", keyName, "arn") }],
      force_delete: false,
      tags: { Name: "webplat-dev-stage4/app" },
    });
  });

  test("the keys: one per region, alias <namespace>-ecr, descriptions naming repository and region, in the provider of their region", () => {
    const { json } = synthRegistry();
    const key = one(json, "aws_kms_key", "registry_key_")[1];
    const drKey = one(json, "aws_kms_key", "registry_dr-key_")[1];
    expect(key.description).toBe("Images of webplat-dev-stage4/app (ECR, us-east-1)");
    expect(key.provider).toBeUndefined();
    expect(key.tags).toEqual({ Name: "webplat-dev-stage4-ecr" });
    expect(drKey.description).toBe("Replicated images of webplat-dev-stage4/app (ECR, us-west-2)");
    expect(drKey.provider).toBe("aws.dr");
    expect(drKey.tags).toEqual({ Name: "webplat-dev-stage4-ecr" });
    expect(one(json, "aws_kms_alias", "registry_key_")[1].name).toBe("alias/webplat-dev-stage4-ecr");
    expect(one(json, "aws_kms_alias", "registry_dr-key_")[1]).toMatchObject({ name: "alias/webplat-dev-stage4-ecr", provider: "aws.dr" });
  });

  test(`lifecycle by default: untagged images expire after ${DEFAULT_UNTAGGED_EXPIRY_DAYS} days, the newest ${DEFAULT_KEEP_RELEASES} releases stay`, () => {
    expect([DEFAULT_KEEP_RELEASES, DEFAULT_UNTAGGED_EXPIRY_DAYS]).toEqual([30, 7]);
    const { json } = synthRegistry();
    const [repoName] = one(json, "aws_ecr_repository");
    const lifecycle = one(json, "aws_ecr_lifecycle_policy")[1];
    expect(lifecycle.repository).toBe(refOf("aws_ecr_repository", repoName, "name"));
    expect(lifecycle.provider).toBeUndefined();
    expect(JSON.parse(lifecycle.policy)).toEqual(rules(7, 30));
  });

  test("releaseLifecyclePolicy: untagged first (priority 1), tagStatus any last (priority 2)", () => {
    expect(JSON.parse(releaseLifecyclePolicy(10, 3))).toEqual(rules(3, 10));
  });

  test("the replica creation role: trusted by ECR, named <namespace>-ecr-replica-creation, may create replicas in the namespace only and use the DR key", () => {
    const { json } = synthRegistry();
    const [roleName, role] = one(json, "aws_iam_role");
    const [drKeyName] = one(json, "aws_kms_key", "registry_dr-key_");
    expect(role).toEqual({
      name: "webplat-dev-stage4-ecr-replica-creation",
      assume_role_policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Principal: { Service: "ecr.amazonaws.com" }, Action: "sts:AssumeRole" }] }),
      tags: { Name: "webplat-dev-stage4-ecr-replica-creation" },
    });
    const policy = one(json, "aws_iam_role_policy")[1];
    expect(policy.role).toBe(refOf("aws_iam_role", roleName, "id"));
    expect(policy.name).toBe("create-replica-with-key");
    expect(policy.provider).toBeUndefined();
    expect(JSON.parse(policy.policy)).toEqual({
      Version: "2012-10-17",
      Statement: [
        {
          Sid: "CreateTheReplicaOnly",
          Effect: "Allow",
          Action: ["ecr:CreateRepository", "ecr:ReplicateImage", "ecr:TagResource"],
          Resource: "arn:aws:ecr:us-west-2:123456789012:repository/webplat-dev-stage4/*",
        },
        { Sid: "EncryptWithTheDrKey", Effect: "Allow", Action: ["kms:CreateGrant", "kms:RetireGrant", "kms:DescribeKey"], Resource: refOf("aws_kms_key", drKeyName, "arn") },
      ],
    });
  });

  test("the DR creation template: for replication of the namespace, immutable, the DR key, the same lifecycle, the creation role, in the DR region", () => {
    const { json } = synthRegistry();
    const [roleName] = one(json, "aws_iam_role");
    const [drKeyName] = one(json, "aws_kms_key", "registry_dr-key_");
    const template = one(json, "aws_ecr_repository_creation_template")[1];
    expect({ ...template, lifecycle_policy: JSON.parse(template.lifecycle_policy) }).toEqual({
      provider: "aws.dr",
      prefix: NS,
      description: "Replicas of webplat-dev-stage4/* from us-east-1: immutable tags, KMS, lifecycle",
      applied_for: ["REPLICATION"],
      image_tag_mutability: "IMMUTABLE",
      encryption_configuration: [{ encryption_type: "KMS", kms_key: refOf("aws_kms_key", drKeyName, "arn") }],
      lifecycle_policy: rules(7, 30),
      custom_role_arn: refOf("aws_iam_role", roleName, "arn"),
      resource_tags: { Name: "webplat-dev-stage4/app" },
    });
  });

  test("registry replication: the repository (prefix match) to the DR region of the same account, created after the template", () => {
    const { json } = synthRegistry();
    const [templateName] = one(json, "aws_ecr_repository_creation_template");
    expect(one(json, "aws_ecr_replication_configuration")[1]).toEqual({
      replication_configuration: {
        rule: [
          {
            destination: [{ region: DR, registry_id: ACCOUNT }],
            repository_filter: [{ filter: "webplat-dev-stage4/app", filter_type: "PREFIX_MATCH" }],
          },
        ],
      },
      depends_on: [`aws_ecr_repository_creation_template.${templateName}`],
    });
  });

  test("overrides land: repository name, retention, and the primary provider on every primary-region resource", () => {
    const { json } = synthRegistry({ repositoryName: "shop.api_v2-x", keepReleases: 12, untaggedExpiryDays: 3 }, true);
    const repository = one(json, "aws_ecr_repository")[1];
    expect(repository.name).toBe("webplat-dev-stage4/shop.api_v2-x");
    expect(repository.provider).toBe("aws");
    expect(JSON.parse(one(json, "aws_ecr_lifecycle_policy")[1].policy)).toEqual(rules(3, 12));
    expect(JSON.parse(one(json, "aws_ecr_repository_creation_template")[1].lifecycle_policy)).toEqual(rules(3, 12));
    expect(one(json, "aws_ecr_replication_configuration")[1].replication_configuration.rule[0].repository_filter).toEqual([
      { filter: "webplat-dev-stage4/shop.api_v2-x", filter_type: "PREFIX_MATCH" },
    ]);
    for (const [type, part] of [
      ["aws_ecr_lifecycle_policy", ""],
      ["aws_ecr_replication_configuration", ""],
      ["aws_iam_role", ""],
      ["aws_iam_role_policy", ""],
      ["aws_kms_key", "registry_key_"],
    ]) {
      expect([type, one(json, type, part)[1].provider]).toEqual([type, "aws"]);
    }
    expect(one(json, "aws_kms_key", "registry_dr-key_")[1].provider).toBe("aws.dr");
  });
});

describe("ContainerRegistry attributes", () => {
  test("repositoryName, regions, the primary ARN (Terraform reference) and the DR replica's ARN", () => {
    const { json, registry } = synthRegistry();
    expect(registry.repositoryName).toBe("webplat-dev-stage4/app");
    expect(registry.region).toBe(PRIMARY);
    expect(registry.drRegion).toBe(DR);
    expect(registry.drRepositoryArn).toBe("arn:aws:ecr:us-west-2:123456789012:repository/webplat-dev-stage4/app");
    expect(json.output!.arn.value).toBe(refOf("aws_ecr_repository", one(json, "aws_ecr_repository")[0], "arn"));
  });

  test("registry hosts and repository URLs of both regions", () => {
    const { registry } = synthRegistry();
    expect(registry.registryIn(PRIMARY)).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com");
    expect(registry.registryIn(DR)).toBe("123456789012.dkr.ecr.us-west-2.amazonaws.com");
    expect(registry.repositoryUrlIn(PRIMARY)).toBe("123456789012.dkr.ecr.us-east-1.amazonaws.com/webplat-dev-stage4/app");
    expect(registry.repositoryUrlIn(DR)).toBe("123456789012.dkr.ecr.us-west-2.amazonaws.com/webplat-dev-stage4/app");
  });

  test("a third region has no registry of this construct", () => {
    const { registry } = synthRegistry();
    const error = invalidInputOf(() => registry.registryIn("eu-west-1"));
    expect([error.field, error.value, error.allowed]).toEqual(["ContainerRegistry.registryIn", "eu-west-1", "us-east-1 or us-west-2"]);
    expect(() => registry.repositoryUrlIn("eu-west-1")).toThrow("ContainerRegistry.registryIn");
  });

  test("China regions: amazonaws.com.cn hosts and the aws-cn partition; GovCloud: the aws-us-gov partition", () => {
    const cn = scopeWith();
    const china = new ContainerRegistry(cn.stack, "registry", props(cn, { region: "cn-north-1", drRegion: "cn-northwest-1" }));
    expect(china.registryIn("cn-north-1")).toBe("123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn");
    expect(china.registryIn("cn-northwest-1")).toBe("123456789012.dkr.ecr.cn-northwest-1.amazonaws.com.cn");
    expect(china.drRepositoryArn).toBe("arn:aws-cn:ecr:cn-northwest-1:123456789012:repository/webplat-dev-stage4/app");
    const gov = scopeWith();
    const govCloud = new ContainerRegistry(gov.stack, "registry", props(gov, { region: "us-gov-west-1", drRegion: "us-gov-east-1" }));
    expect(govCloud.registryIn("us-gov-east-1")).toBe("123456789012.dkr.ecr.us-gov-east-1.amazonaws.com");
    expect(govCloud.drRepositoryArn).toBe("arn:aws-us-gov:ecr:us-gov-east-1:123456789012:repository/webplat-dev-stage4/app");
  });

  test("the creation role's scope follows the partition (China)", () => {
    const json = synthWith((b) => {
      new ContainerRegistry(b.stack, "registry", props(b, { region: "cn-north-1", drRegion: "cn-northwest-1" }));
    });
    expect(JSON.parse(one(json, "aws_iam_role_policy")[1].policy).Statement[0].Resource).toBe("arn:aws-cn:ecr:cn-northwest-1:123456789012:repository/webplat-dev-stage4/*");
  });
});

describe("ContainerRegistry validation", () => {
  const attempt = (over: Partial<ContainerRegistryProps>) => {
    const b = scopeWith();
    return invalidInputOf(() => new ContainerRegistry(b.stack, "registry", props(b, over)));
  };
  const accepts = (over: Partial<ContainerRegistryProps>) => {
    const b = scopeWith();
    return new ContainerRegistry(b.stack, "registry", props(b, over));
  };

  test("regions must be concrete (not resource attributes)", () => {
    for (const field of ["region", "drRegion"] as const) {
      const b = scopeWith();
      const token = new TerraformVariable(b.stack, "r", { type: "string" }).stringValue;
      const error = invalidInputOf(() => new ContainerRegistry(b.stack, "registry", props(b, { [field]: token })));
      expect([error.field, error.value, error.allowed]).toEqual([`registry.${field}`, "<unresolved token>", "a concrete value known at synth time (not a resource attribute)"]);
    }
  });

  test("the DR region must differ from the primary", () => {
    const error = attempt({ drRegion: PRIMARY });
    expect([error.field, error.value, error.allowed]).toEqual(["registry.drRegion", PRIMARY, "a region other than the primary (us-east-1)"]);
  });

  test.each(["", "12345678901", "1234567890123", "12345678901a", "arn:aws:iam::123456789012:root"])("accountId %p is refused at synth: it names the replication destination and the repository ARNs", (accountId) => {
    const error = attempt({ accountId });
    expect([error.field, error.value, error.allowed]).toEqual(["registry.accountId", accountId, "a 12-digit AWS account id such as 123456789012"]);
  });

  test("an apply-time accountId (the caller identity) is left to AWS", () => {
    const b = scopeWith();
    const accountId = new TerraformVariable(b.stack, "account", { type: "string" }).stringValue;
    expect(new ContainerRegistry(b.stack, "registry", props(b, { accountId })).registryIn(PRIMARY)).toContain(".dkr.ecr.us-east-1.amazonaws.com");
  });

  test.each(["a", "a_b-c", "web9", "a-b", "web-9", "9-web", "a".repeat(43)])("namespace %s is accepted", (namespace) => {
    expect(accepts({ namespace }).repositoryName).toBe(`${namespace}/app`);
  });

  test("the longest namespace still gives IAM role names of at most 64 characters", () => {
    const { json } = synthRegistry({ namespace: "a".repeat(43) });
    const roles = Object.values(json.resource!.aws_iam_role) as { name: string }[];
    expect(roles.map((r) => r.name.length)).toEqual([64]);
  });

  // "." is refused: the namespace names the KMS aliases, which allow no "."; 44 characters make a 65-character role name.
  test.each(["", "A", "-a", "a-", "a..b", "a.b", "a/b", "a b", "xa!", "a".repeat(44)])("namespace %j is refused", (namespace) => {
    const error = attempt({ namespace });
    expect([error.field, error.value, error.allowed]).toEqual(["registry.namespace", namespace, NAMESPACE_ALLOWED]);
  });

  test.each(["a", "shop.api_v2-x", "app-9", "a".repeat(100)])("repositoryName %s is accepted", (repositoryName) => {
    expect(accepts({ repositoryName }).repositoryName).toBe(`${NS}/${repositoryName}`);
  });

  test.each(["", "App", "_a", "a_", "a--b", "a/b", "a b", "a".repeat(101)])("repositoryName %j is refused", (repositoryName) => {
    const error = attempt({ repositoryName });
    expect([error.field, error.value, error.allowed]).toEqual(["registry.repositoryName", repositoryName, NAME_ALLOWED]);
  });

  test("keepReleases: 3 to 1000 are accepted", () => {
    for (const keepReleases of [3, 1000]) {
      const json = synthWith((b) => {
        new ContainerRegistry(b.stack, "registry", props(b, { keepReleases }));
      });
      expect(JSON.parse(one(json, "aws_ecr_lifecycle_policy")[1].policy).rules[1].selection.countNumber).toBe(keepReleases);
    }
  });

  test.each([2, 1001, 0, 3.5])("keepReleases %p is refused: at least the running release, the one to roll back to and a candidate", (keepReleases) => {
    const error = attempt({ keepReleases });
    expect([error.field, error.value, error.allowed]).toEqual(["registry.keepReleases", keepReleases, "an integer from 3 to 1000 (the running release, the one to roll back to and a candidate)"]);
  });

  test("untaggedExpiryDays: 1 to 365 are accepted", () => {
    for (const untaggedExpiryDays of [1, 365]) {
      const json = synthWith((b) => {
        new ContainerRegistry(b.stack, "registry", props(b, { untaggedExpiryDays }));
      });
      expect(JSON.parse(one(json, "aws_ecr_lifecycle_policy")[1].policy).rules[0].selection.countNumber).toBe(untaggedExpiryDays);
    }
  });

  test.each([0, 366, 1.5])("untaggedExpiryDays %p is refused", (untaggedExpiryDays) => {
    const error = attempt({ untaggedExpiryDays });
    expect([error.field, error.value, error.allowed]).toEqual(["registry.untaggedExpiryDays", untaggedExpiryDays, "an integer from 1 to 365"]);
  });
});
