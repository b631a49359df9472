import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { check, checkAccountId } from "../core/validation";
import { ContainerRegistry, ContainerRegistryProps } from "./container-registry";
import { DeliveryRole, OidcTrust } from "./delivery-role";
import { BackendRelease } from "./fleet-hosts";
import { ReleasePointer } from "./release-pointer";

/** The registry's props (regions, account, namespace, retention) and the port the released image serves on. */
export interface DeliveryPathProps extends ContainerRegistryProps {
  /** Port the application image serves on. @default 8080 */
  readonly containerPort?: number;
}

/** One region's part of a rollout, in the order the pipeline goes. */
export interface RolloutStep {
  readonly region: string;
  /** Backend Auto Scaling group ARN and name. */
  readonly groupArn: string;
  readonly groupName: string;
  /** Alarms that stop the rollout in this region (AlarmSpecification of the instance refresh). */
  readonly alarmNames: readonly string[];
}

/**
 * The backend application's delivery path: the image registry (primary, with
 * its DR replica), one release pointer per region, and — once the groups
 * exist — the role the pipeline assumes. A release is an image tag: the
 * pipeline pushes it, sets the pointers, and refreshes the backend groups.
 */
export class DeliveryPath extends Construct {
  readonly registry: ContainerRegistry;
  private readonly pointers = new Map<string, ReleasePointer>();
  private readonly containerPort?: number;
  private readonly namespace: string;
  private readonly accountId: string;
  private readonly provider?: TerraformProvider;

  constructor(scope: Construct, id: string, props: DeliveryPathProps) {
    super(scope, id);
    checkAccountId(`${id}.accountId`, props.accountId);
    this.namespace = props.namespace;
    this.accountId = props.accountId;
    this.containerPort = props.containerPort;
    this.provider = props.provider;
    this.registry = new ContainerRegistry(this, "registry", {
      provider: props.provider,
      region: props.region,
      drProvider: props.drProvider,
      drRegion: props.drRegion,
      accountId: props.accountId,
      namespace: props.namespace,
      repositoryName: props.repositoryName,
      keepReleases: props.keepReleases,
      untaggedExpiryDays: props.untaggedExpiryDays,
    });
    for (const [role, provider, region] of [["primary", props.provider, props.region], ["dr", props.drProvider, props.drRegion]] as const) {
      this.pointers.set(region, new ReleasePointer(this, `${role}-pointer`, { provider, name: `/${props.namespace}/release`, repositoryName: this.registry.repositoryName }));
    }
  }

  /** Release pointer of a region. */
  pointerIn(region: string): ReleasePointer {
    const pointer = this.pointers.get(region);
    check(pointer !== undefined, "DeliveryPath.pointerIn", region, `${this.registry.region} or ${this.registry.drRegion}`);
    return pointer!;
  }

  /** What a region's backend hosts need to run releases (RegionalTier's `release`). */
  releaseFor(region: string): BackendRelease {
    const pointer = this.pointerIn(region);
    return {
      pointerName: pointer.parameterName,
      pointerArn: pointer.parameterArn,
      accountId: this.accountId,
      repositoryName: this.registry.repositoryName,
      repositoryArn: region === this.registry.region ? this.registry.repositoryArn : this.registry.drRepositoryArn,
      containerPort: this.containerPort,
    };
  }

  /** The role the pipeline assumes to push and roll out to `steps`: one per path, so every region's steps at once. */
  pipelineRole(steps: readonly RolloutStep[], oidc?: OidcTrust): DeliveryRole {
    // A second role would clash on its construct id and on its IAM name, <namespace>-delivery.
    check(this.node.tryFindChild("pipeline-role") === undefined, "DeliveryPath.pipelineRole", "a second call", "one call per DeliveryPath, with the rollout steps of every region");
    return new DeliveryRole(this, "pipeline-role", {
      provider: this.provider,
      name: `${this.namespace}-delivery`,
      accountId: this.accountId,
      oidc,
      repositoryArn: this.registry.repositoryArn,
      replicaRepositoryArn: this.registry.drRepositoryArn,
      targets: steps.map((s) => ({ region: s.region, pointerArn: this.pointerIn(s.region).parameterArn, autoScalingGroupArns: [s.groupArn] })),
    });
  }
}
