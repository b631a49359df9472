/**
 * Deterministic subnet carving: each tier owns a fixed band of the VPC CIDR with
 * room for `MAX_AZS` subnets, so adding an AZ or a tier never renumbers (and
 * thus never replaces) an existing subnet. Pure: no cdktf import.
 */
import { cidrSubnet, parseCidr } from "../core/cidr";
import { check } from "../core/validation";

/** How a tier reaches the internet. */
export enum SubnetKind {
  /** Routes 0.0.0.0/0 to the internet gateway. */
  PUBLIC = "public",
  /** Routes 0.0.0.0/0 to a NAT gateway (egress only). */
  PRIVATE = "private",
  /** No route to the internet at all (databases, caches). */
  ISOLATED = "isolated",
}

export interface SubnetTier {
  /** Tier name used to look subnets up, e.g. "private-app". Lowercase letters, digits and dashes. */
  readonly name: string;
  readonly kind: SubnetKind;
}

export interface PlannedSubnet {
  readonly tier: string;
  readonly kind: SubnetKind;
  readonly azIndex: number;
  readonly availabilityZone: string;
  readonly cidr: string;
}

/** Slots reserved per tier; the VPC is split into MAX_TIERS × MAX_AZS equal blocks. */
export const MAX_AZS = 4;
export const MAX_TIERS = 4;
const NEW_BITS = 4; // log2(MAX_TIERS * MAX_AZS)

/** The smallest subnet AWS allows is a /28. */
const SMALLEST_SUBNET_PREFIX = 28;

export function planSubnets(vpcCidr: string, tiers: readonly SubnetTier[], availabilityZones: readonly string[], field = "network"): PlannedSubnet[] {
  const vpc = parseCidr(vpcCidr, `${field}.cidr`);
  check(vpc.prefix >= 16 && vpc.prefix + NEW_BITS <= SMALLEST_SUBNET_PREFIX, `${field}.cidr`, vpcCidr, `a prefix between /16 and /${SMALLEST_SUBNET_PREFIX - NEW_BITS} (AWS allows /16–/28 and each VPC is split into ${MAX_TIERS * MAX_AZS} subnets)`);
  check(tiers.length >= 1 && tiers.length <= MAX_TIERS, `${field}.tiers`, tiers.map((t) => t.name), `1 to ${MAX_TIERS} tiers`);
  check(availabilityZones.length >= 1 && availabilityZones.length <= MAX_AZS, `${field}.availabilityZones`, availabilityZones, `1 to ${MAX_AZS} availability zones`);
  check(new Set(availabilityZones).size === availabilityZones.length, `${field}.availabilityZones`, availabilityZones, "distinct zone names");
  const names = tiers.map((t) => t.name);
  check(new Set(names).size === names.length, `${field}.tiers`, names, "distinct tier names");
  for (const tier of tiers) {
    check(/^[a-z][a-z0-9-]{0,30}$/.test(tier.name), `${field}.tiers[].name`, tier.name, "lowercase letters, digits and dashes, starting with a letter");
  }
  return tiers.flatMap((tier, tierIndex) =>
    availabilityZones.map((availabilityZone, azIndex) => ({
      tier: tier.name,
      kind: tier.kind,
      azIndex,
      availabilityZone,
      cidr: cidrSubnet(vpcCidr, NEW_BITS, tierIndex * MAX_AZS + azIndex),
    })),
  );
}
