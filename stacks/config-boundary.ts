/**
 * The boundary between the configuration and the modules. Validation catches
 * nearly every bad input before a construct is built; what a module still
 * refuses (a subnet too small for a fleet, a derived name too long) is mapped
 * back here to the configuration field that fed it, so no construct property,
 * raw JavaScript or cdktf error reaches the user.
 */
import { AddressSpaceError, cidrContains } from "../modules/core/cidr";
import { InvalidInputError, describe } from "../modules/core/validation";
import { ConfigError, InfraConfig } from "./config";
import type { TooLongName } from "./name-limits";
import { stageBlocks } from "./stage-cidr";

/** A ConfigError for anything thrown while building stack `stackName` from a valid `config`. */
export function configErrorFrom(error: unknown, stackName: string, config: InfraConfig): ConfigError {
  if (error instanceof ConfigError) return error;
  if (error instanceof AddressSpaceError) return new ConfigError([addressSpaceProblem(error, stackName, config)]);
  if (error instanceof InvalidInputError) {
    if (typeof error.value === "string" && error.value.includes(namePrefixOf(config))) return new ConfigError([nameProblem(config, `${stackName} derives ${error.field} ${describe(error.value)}, but ${error.allowed}`)]);
    return new ConfigError([`${stackName}: the configuration leads to a value a module refuses (${error.message}); no configuration field is known to feed ${error.field}: please report this`]);
  }
  const message = error instanceof Error ? error.message : String(error);
  return new ConfigError([`${stackName}: internal error while building the stack from a valid configuration (${message.split("\n")[0]}): please report this`]);
}

/** Names too long for AWS, as one problem naming project and environment. */
export function tooLongNamesError(stackName: string, config: InfraConfig, names: readonly TooLongName[]): ConfigError {
  const worst = [...names].sort((a, b) => b.value.length - b.limit - (a.value.length - a.limit))[0];
  return new ConfigError([
    nameProblem(config, `${stackName} derives ${worst.address}.${worst.attribute} ${describe(worst.value)} (${worst.value.length} characters; AWS allows ${worst.limit})${names.length > 1 ? ` and ${names.length - 1} more too-long name(s)` : ""}`),
  ]);
}

function namePrefixOf(config: InfraConfig): string {
  return `${config.project}-${config.environment}-`;
}

function nameProblem(config: InfraConfig, detail: string): string {
  const total = config.project.length + config.environment.length;
  return `environment: ${describe(config.environment)} (with project ${describe(config.project)}, ${total} characters together) is not allowed; expected a shorter environment or project: ${detail}`;
}

function addressSpaceProblem(error: AddressSpaceError, stackName: string, config: InfraConfig): string {
  const subnetIp = error.subnetCidr.split("/")[0];
  const field = stageBlocks(config.network.secondaryCidr).some((block) => block && cidrContains(block, subnetIp)) ? "secondaryCidr" : "primaryCidr";
  // Each VPC is split into 16 subnets (4 more prefix bits); the host and the reserved last address must fit.
  const subnetBits = Math.ceil(Math.log2(error.hostNumber + 2));
  const widestNeeded = Math.max(16, Math.min(32 - subnetBits - 4, 28));
  return (
    `network.${field}: ${describe(config.network[field])} is not allowed; expected a /${widestNeeded} or wider range for this configuration: ` +
    `${stackName} places a fixed address at host number ${error.hostNumber} of subnet ${error.subnetCidr}, which holds host numbers ${error.allowed.split(" inside")[0]} ` +
    `(fleet.appServers ${config.fleet.appServers}, fleet.webServers ${config.fleet.webServers} over network.azCount ${config.network.azCount} zones); or make the fleets smaller`
  );
}
