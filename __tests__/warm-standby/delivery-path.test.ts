/**
 * DeliveryPath: "the image registry (primary, with its DR replica), one release pointer per region, and — once the
 * groups exist — the role the pipeline assumes."
 */
import { DeliveryPath, DeliveryPathProps, RolloutStep } from "../../modules/warm-standby/delivery-path";
import { ContainerRegistry } from "../../modules/warm-standby/container-registry";
import { invalidInputOf } from "../support/invalid-input";
import { ACCOUNT, Built, DR, PRIMARY, inventory, one, refOf, scopeWith, synthWith } from "./delivery-support";

const NS = "webplat-dev-stage4";
const GROUP_1 = "arn:aws:autoscaling:us-east-1:123456789012:autoScalingGroup:uuid-1:autoScalingGroupName/primary-backend";
const GROUP_2 = "arn:aws:autoscaling:us-west-2:123456789012:autoScalingGroup:uuid-2:autoScalingGroupName/dr-backend";
const REPLICA = "arn:aws:ecr:us-west-2:123456789012:repository/webplat-dev-stage4/app";

function props(b: Built, over: Partial<DeliveryPathProps> = {}): DeliveryPathProps {
  return { region: PRIMARY, drProvider: b.dr, drRegion: DR, accountId: ACCOUNT, namespace: NS, ...over };
}
const steps: RolloutStep[] = [
  { region: DR, groupArn: GROUP_2, groupName: "dr-backend", alarmNames: ["dr-backend-alb-5xx"] },
  { region: PRIMARY, groupArn: GROUP_1, groupName: "primary-backend", alarmNames: [] },
];

describe("DeliveryPath", () => {
  test("a malformed accountId is refused under the path's own field, before its registry reads it", () => {
    const b = scopeWith();
    const error = invalidInputOf(() => new DeliveryPath(b.stack, "delivery", props(b, { accountId: "12345" })));
    expect([error.field, error.value, error.allowed]).toEqual(["delivery.accountId", "12345", "a 12-digit AWS account id such as 123456789012"]);
  });

  test("the registry and one release pointer per region, /<namespace>/release, each in its region's provider", () => {
    let path: DeliveryPath | undefined;
    const json = synthWith((b) => {
      path = new DeliveryPath(b.stack, "delivery", props(b));
    });
    expect(path!.registry).toBeInstanceOf(ContainerRegistry);
    expect(path!.registry.repositoryName).toBe("webplat-dev-stage4/app");
    expect(inventory(json)).toEqual({
      aws_kms_key: 2,
      aws_kms_alias: 2,
      aws_ecr_repository: 1,
      aws_ecr_lifecycle_policy: 1,
      aws_iam_role: 1,
      aws_iam_role_policy: 1,
      aws_ecr_repository_creation_template: 1,
      aws_ecr_replication_configuration: 1,
      aws_ssm_parameter: 2,
    });
    const primary = one(json, "aws_ssm_parameter", "primary-pointer")[1];
    const dr = one(json, "aws_ssm_parameter", "dr-pointer")[1];
    expect([primary.name, primary.provider, primary.description]).toEqual([
      "/webplat-dev-stage4/release",
      undefined,
      'Image tag of webplat-dev-stage4/app the backend hosts run at boot ("none": the default application); set by the delivery pipeline',
    ]);
    expect([dr.name, dr.provider, dr.description]).toEqual([
      "/webplat-dev-stage4/release",
      "aws.dr",
      'Image tag of webplat-dev-stage4/app the backend hosts run at boot ("none": the default application); set by the delivery pipeline',
    ]);
  });

  test("the registry props pass through: provider, regions, account, namespace, repository name, retention", () => {
    const json = synthWith((b) => {
      new DeliveryPath(b.stack, "delivery", props(b, { provider: b.aws, namespace: "shop", repositoryName: "api", keepReleases: 5, untaggedExpiryDays: 2, containerPort: 9000 }));
    });
    const repository = one(json, "aws_ecr_repository")[1];
    expect([repository.name, repository.provider]).toEqual(["shop/api", "aws"]);
    expect(JSON.parse(one(json, "aws_ecr_lifecycle_policy")[1].policy).rules.map((r: { selection: { countNumber: number } }) => r.selection.countNumber)).toEqual([2, 5]);
    expect(one(json, "aws_ecr_replication_configuration")[1].replication_configuration.rule[0].destination).toEqual([{ region: DR, registry_id: ACCOUNT }]);
    expect(one(json, "aws_ecr_repository_creation_template")[1]).toMatchObject({ provider: "aws.dr", prefix: "shop" });
    expect(one(json, "aws_ssm_parameter", "primary-pointer")[1]).toMatchObject({ name: "/shop/release", provider: "aws" });
    expect(one(json, "aws_ssm_parameter", "dr-pointer")[1]).toMatchObject({ name: "/shop/release", provider: "aws.dr" });
  });

  test("pointerIn: each region's own pointer; another region is refused", () => {
    let path: DeliveryPath | undefined;
    const json = synthWith((b) => {
      path = new DeliveryPath(b.stack, "delivery", props(b));
      return { primary: path.pointerIn(PRIMARY).parameterArn, dr: path.pointerIn(DR).parameterArn };
    });
    expect(json.output!.primary.value).toBe(refOf("aws_ssm_parameter", one(json, "aws_ssm_parameter", "primary-pointer")[0], "arn"));
    expect(json.output!.dr.value).toBe(refOf("aws_ssm_parameter", one(json, "aws_ssm_parameter", "dr-pointer")[0], "arn"));
    const error = invalidInputOf(() => path!.pointerIn("eu-west-1"));
    expect([error.field, error.value, error.allowed]).toEqual(["DeliveryPath.pointerIn", "eu-west-1", "us-east-1 or us-west-2"]);
  });

  test("releaseFor: the region's pointer and repository (the DR hosts pull from the replica); containerPort unset unless given", () => {
    let primary: ReturnType<DeliveryPath["releaseFor"]> | undefined;
    let dr: ReturnType<DeliveryPath["releaseFor"]> | undefined;
    const json = synthWith((b) => {
      const path = new DeliveryPath(b.stack, "delivery", props(b));
      primary = path.releaseFor(PRIMARY);
      dr = path.releaseFor(DR);
      return { pointer: primary.pointerArn, drPointer: dr.pointerArn, repository: primary.repositoryArn };
    });
    expect({ ...primary!, pointerArn: undefined, repositoryArn: undefined }).toEqual({
      pointerName: "/webplat-dev-stage4/release",
      pointerArn: undefined,
      accountId: ACCOUNT,
      repositoryName: "webplat-dev-stage4/app",
      repositoryArn: undefined,
      containerPort: undefined,
    });
    expect(json.output!.pointer.value).toBe(refOf("aws_ssm_parameter", one(json, "aws_ssm_parameter", "primary-pointer")[0], "arn"));
    expect(json.output!.drPointer.value).toBe(refOf("aws_ssm_parameter", one(json, "aws_ssm_parameter", "dr-pointer")[0], "arn"));
    expect(json.output!.repository.value).toBe(refOf("aws_ecr_repository", one(json, "aws_ecr_repository")[0], "arn"));
    expect({ ...dr!, pointerArn: undefined }).toEqual({
      pointerName: "/webplat-dev-stage4/release",
      pointerArn: undefined,
      accountId: ACCOUNT,
      repositoryName: "webplat-dev-stage4/app",
      repositoryArn: REPLICA,
      containerPort: undefined,
    });
  });

  test("releaseFor carries a given containerPort; a third region is refused", () => {
    const b = scopeWith();
    const path = new DeliveryPath(b.stack, "delivery", props(b, { containerPort: 9000 }));
    expect(path.releaseFor(PRIMARY).containerPort).toBe(9000);
    expect(path.releaseFor(DR).containerPort).toBe(9000);
    expect(invalidInputOf(() => path.releaseFor("eu-west-1")).field).toBe("DeliveryPath.pointerIn");
  });

  test("pipelineRole: <namespace>-delivery, trusted by the account, with the repository, the replica, and the steps' pointers and groups in step order", () => {
    const json = synthWith((b) => {
      const path = new DeliveryPath(b.stack, "delivery", props(b));
      const role = path.pipelineRole(steps);
      return { arn: role.roleArn };
    });
    const [roleName, role] = one(json, "aws_iam_role", "pipeline-role");
    expect(json.output!.arn.value).toBe(refOf("aws_iam_role", roleName, "arn"));
    expect(role.name).toBe("webplat-dev-stage4-delivery");
    expect(role.provider).toBeUndefined();
    expect(JSON.parse(role.assume_role_policy).Statement).toEqual([{ Effect: "Allow", Principal: { AWS: "arn:aws:iam::123456789012:root" }, Action: "sts:AssumeRole" }]);
    const statements = JSON.parse(one(json, "aws_iam_role_policy", "pipeline-role")[1].policy).Statement;
    const bySid = Object.fromEntries(statements.map((s: { Sid: string; Resource: unknown }) => [s.Sid, s.Resource]));
    expect(bySid).toEqual({
      RegistryLogin: "*",
      PushToTheRepository: refOf("aws_ecr_repository", one(json, "aws_ecr_repository")[0], "arn"),
      WaitForTheReplica: REPLICA,
      SetTheReleasePointers: [
        refOf("aws_ssm_parameter", one(json, "aws_ssm_parameter", "dr-pointer")[0], "arn"),
        refOf("aws_ssm_parameter", one(json, "aws_ssm_parameter", "primary-pointer")[0], "arn"),
      ],
      RollTheBackendGroups: [GROUP_2, GROUP_1],
      WatchTheRollout: "*",
    });
  });

  test("pipelineRole: the path's provider and an OIDC trust pass through", () => {
    const github = "arn:aws:iam::123456789012:oidc-provider/token.actions.githubusercontent.com";
    const json = synthWith((b) => {
      new DeliveryPath(b.stack, "delivery", props(b, { provider: b.aws })).pipelineRole([steps[1]], { providerArn: github, subjects: ["repo:acme/shop:environment:production"] });
    });
    const role = one(json, "aws_iam_role", "pipeline-role")[1];
    expect(role.provider).toBe("aws");
    expect(one(json, "aws_iam_role_policy", "pipeline-role")[1].provider).toBe("aws");
    expect(JSON.parse(role.assume_role_policy).Statement[0].Principal).toEqual({ Federated: github });
    const statements = JSON.parse(one(json, "aws_iam_role_policy", "pipeline-role")[1].policy).Statement;
    expect(statements.find((s: { Sid: string }) => s.Sid === "RollTheBackendGroups").Resource).toEqual([GROUP_1]);
  });

  test("pipelineRole refuses a step in a region without a pointer", () => {
    const b = scopeWith();
    const path = new DeliveryPath(b.stack, "delivery", props(b));
    const error = invalidInputOf(() => path.pipelineRole([{ region: "eu-west-1", groupArn: GROUP_1, groupName: "x", alarmNames: [] }]));
    expect([error.field, error.value]).toEqual(["DeliveryPath.pointerIn", "eu-west-1"]);
  });

  test("pipelineRole is called once per path: a second call is refused by name, not by a construct id clash", () => {
    const b = scopeWith();
    const path = new DeliveryPath(b.stack, "delivery", props(b));
    path.pipelineRole([steps[1]]);
    const error = invalidInputOf(() => path.pipelineRole([steps[0]]));
    expect([error.field, error.value, error.allowed]).toEqual(["DeliveryPath.pipelineRole", "a second call", "one call per DeliveryPath, with the rollout steps of every region"]);
  });

  test("the registry's validation applies (e.g. the DR region must differ)", () => {
    const b = scopeWith();
    expect(invalidInputOf(() => new DeliveryPath(b.stack, "delivery", props(b, { drRegion: PRIMARY }))).field).toBe("registry.drRegion");
  });
});
