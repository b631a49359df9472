/** Which address block each stage's VPC takes. Pure: no cdktf import. */
import { cidrContains, nthFollowingBlock } from "../modules/core/cidr";

/** RFC 1918 private ranges: a stage's block stays in the range the configured CIDR is in. */
const PRIVATE_RANGES = ["10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16"];

/** The highest stage number (stage4-warm-standby); a test keeps it equal to the stacks'. */
export const HIGHEST_STAGE = 4;

/**
 * Every block the stages take from a configured CIDR, stage 0 first; undefined
 * where it would leave the private range the CIDR is in (or pass 255.255.255.255).
 */
export function stageBlocks(configured: string): (string | undefined)[] {
  const base = configured.split("/")[0];
  const privateRange = PRIVATE_RANGES.find((range) => cidrContains(range, base));
  return Array.from({ length: HIGHEST_STAGE + 1 }, (_, stage) => {
    const block = nthFollowingBlock(configured, stage);
    return block && (!privateRange || cidrContains(privateRange, block.split("/")[0])) ? block : undefined;
  });
}

/** Stage number of a stack name, e.g. 3 for "stage3-scale-up". */
export function stageNumber(stackName: string): number {
  const m = /^stage(\d+)-/.exec(stackName);
  if (!m) throw new Error(`stack name ${JSON.stringify(stackName)} does not start with stage<N>-`);
  return Number(m[1]);
}

/** The configured CIDR moved by the stage number: stage N takes the N-th block of the same size after it. */
export function stageCidr(configured: string, stackName: string): string {
  const cidr = stageBlocks(configured)[stageNumber(stackName)];
  if (!cidr) throw new Error(`${configured} has no room for ${stackName}'s block`);
  return cidr;
}
