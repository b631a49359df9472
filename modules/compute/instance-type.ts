/** Facts about EC2 instance types needed at synth time. Pure: no cdktf import. */
import { check } from "../core/validation";

/** family.size, e.g. t3.micro, m6i.large, c7gn.16xlarge, u-6tb1.metal. */
export const INSTANCE_TYPE_PATTERN = /^[a-z][a-z0-9-]*\.(nano|micro|small|medium|large|xlarge|[0-9]+xlarge|metal|metal-[0-9]+xl)$/;

/** Families that cannot be launched EBS-optimized (setting it fails at apply). */
const NO_EBS_OPTIMIZATION = ["t1", "t2", "m1", "m2", "c1", "cc2", "cr1", "hs1", "hi1"];

export function validateInstanceType(field: string, value: string): void {
  check(typeof value === "string" && INSTANCE_TYPE_PATTERN.test(value), field, value, "an EC2 instance type such as t3.micro or m6i.large");
}

export function supportsEbsOptimization(instanceType: string): boolean {
  return !NO_EBS_OPTIMIZATION.includes(instanceType.split(".")[0]);
}

/** Families on the Xen hypervisor; every newer family runs on Nitro. */
const XEN_FAMILIES = ["t1", "t2", "m1", "m2", "m3", "m4", "c1", "c3", "c4", "cc2", "cr1", "r3", "r4", "i2", "d2", "x1", "x1e", "p2", "g3", "f1", "h1", "hs1", "hi1"];

/**
 * Name Debian 12 gives the primary network interface: "ens5" on Nitro
 * (ENA as PCI device 5), "eth0" on Xen. keepalived must name it exactly.
 */
export function primaryInterfaceName(instanceType: string): string {
  return XEN_FAMILIES.includes(instanceType.split(".")[0]) ? "eth0" : "ens5";
}
