/** AWS region names (commercial and GovCloud), e.g. us-east-1, ap-southeast-2, us-gov-west-1. Pure: no cdktf import. */
const REGION_PATTERN = /^(us|eu|ap|sa|ca|me|af|il|mx|cn)(-gov)?-(north|south|east|west|central|northeast|southeast|northwest|southwest)-[1-9]$/;

export function isRegionName(value: string): boolean {
  return typeof value === "string" && REGION_PATTERN.test(value);
}
