import { Construct } from "constructs";
import { InfraConfig } from "./config";
import { configErrorFrom } from "./config-boundary";
import { PlatformStack } from "./platform-stack";
import { SingleServerStack } from "./stage0-single-server";
import { DistributedStack } from "./stage1-distributed";
import { SecuredMonitoredStack } from "./stage2-secured-monitored";
import { ScaleUpStack } from "./stage3-scale-up";
import { WarmStandbyStack } from "./stage4-warm-standby";

/** Every stack of the project, in stage order, by its exact name. */
export const STACKS: Record<string, new (scope: Construct, name: string, config: InfraConfig) => PlatformStack> = {
  "stage0-single-server": SingleServerStack,
  "stage1-distributed": DistributedStack,
  "stage2-secured-monitored": SecuredMonitoredStack,
  "stage3-scale-up": ScaleUpStack,
  "stage4-warm-standby": WarmStandbyStack,
};

export const STACK_NAMES = Object.keys(STACKS);

/** Every stack built from `config`; a module's refusal comes back as a ConfigError naming the configuration field. */
export function buildStacks(scope: Construct, config: InfraConfig): PlatformStack[] {
  return Object.entries(STACKS).map(([name, Stack]) => {
    try {
      return new Stack(scope, name, config);
    } catch (error) {
      throw configErrorFrom(error, name, config);
    }
  });
}
