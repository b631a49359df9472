/**
 * IPv4 CIDR arithmetic for synth-time decisions (subnet carving, overlap checks,
 * fixed private addresses). Pure: no cdktf import.
 */
import { InvalidInputError, check } from "./validation";

export interface Ipv4Cidr {
  /** Network address as an unsigned 32-bit integer. */
  readonly network: number;
  readonly prefix: number;
}

const CIDR_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})\/(\d{1,2})$/;
const IP_PATTERN = /^(\d{1,3})\.(\d{1,3})\.(\d{1,3})\.(\d{1,3})$/;

export function isIpv4(text: string): boolean {
  const m = IP_PATTERN.exec(text);
  return m !== null && m.slice(1, 5).every((o) => Number(o) <= 255 && String(Number(o)) === o);
}

export function ipToInt(ip: string): number {
  const parts = ip.split(".").map(Number);
  return (((parts[0] << 24) >>> 0) + (parts[1] << 16) + (parts[2] << 8) + parts[3]) >>> 0;
}

export function intToIp(value: number): string {
  return [24, 16, 8, 0].map((shift) => (value >>> shift) & 255).join(".");
}

/** Why the text is not a canonical IPv4 CIDR, or undefined when it is one. */
export function cidrProblem(text: string): string | undefined {
  const m = CIDR_PATTERN.exec(text);
  if (!m) return "not in the form a.b.c.d/n";
  if (!m.slice(1, 5).every((o) => Number(o) <= 255 && String(Number(o)) === o)) return "an octet is above 255 or has leading zeros";
  const prefix = Number(m[5]);
  if (prefix > 32) return "prefix length is above 32";
  const network = ipToInt(m.slice(1, 5).join("."));
  if ((network & mask(prefix)) >>> 0 !== network) {
    return `host bits are set (the network address is ${intToIp((network & mask(prefix)) >>> 0)}/${prefix})`;
  }
  return undefined;
}

/** Parses a canonical CIDR; `field` names the input in the error. */
export function parseCidr(text: string, field = "cidr"): Ipv4Cidr {
  const problem = cidrProblem(text);
  check(problem === undefined, field, text, `an IPv4 CIDR block such as 10.0.0.0/16 (${problem})`);
  const [ip, prefix] = text.split("/");
  return { network: ipToInt(ip), prefix: Number(prefix) };
}

export function formatCidr(cidr: Ipv4Cidr): string {
  return `${intToIp(cidr.network)}/${cidr.prefix}`;
}

function mask(prefix: number): number {
  return prefix === 0 ? 0 : (0xffffffff << (32 - prefix)) >>> 0;
}

function size(cidr: Ipv4Cidr): number {
  return 2 ** (32 - cidr.prefix);
}

export function cidrsOverlap(a: string, b: string): boolean {
  const x = parseCidr(a);
  const y = parseCidr(b);
  const xEnd = x.network + size(x) - 1;
  const yEnd = y.network + size(y) - 1;
  return x.network <= yEnd && y.network <= xEnd;
}

/** The `index`-th block of `/prefix+newBits` inside `parent` (Terraform's cidrsubnet). */
export function cidrSubnet(parent: string, newBits: number, index: number): string {
  const p = parseCidr(parent);
  const prefix = p.prefix + newBits;
  check(prefix <= 32, "newBits", newBits, `at most ${32 - p.prefix} for ${parent}`);
  check(Number.isInteger(index) && index >= 0 && index < 2 ** newBits, "index", index, `0..${2 ** newBits - 1} for ${newBits} new bits`);
  return formatCidr({ network: (p.network + index * 2 ** (32 - prefix)) >>> 0, prefix });
}

/** The `n`-th address of a block (Terraform's cidrhost); AWS reserves .0–.3 and the last one. */
export function cidrHost(cidr: string, n: number): string {
  const c = parseCidr(cidr);
  check(n >= 0 && n < size(c), "host number", n, `0..${size(c) - 1} inside ${cidr}`);
  return intToIp((c.network + n) >>> 0);
}

/** True when `ip` lies inside `cidr`. */
export function cidrContains(cidr: string, ip: string): boolean {
  const c = parseCidr(cidr);
  const value = ipToInt(ip);
  return value >= c.network && value < c.network + size(c);
}

/**
 * A host address that EC2 can assign: not one of the four first addresses nor
 * the last, which AWS reserves in every subnet. The error carries the subnet and
 * host number, so a stack can name the configuration field that sized the subnet.
 */
export class AddressSpaceError extends InvalidInputError {
  constructor(readonly subnetCidr: string, readonly hostNumber: number) {
    super("host number", hostNumber, `4..${size(parseCidr(subnetCidr)) - 2} inside ${subnetCidr} (AWS reserves the first four addresses and the last)`);
    this.name = "AddressSpaceError";
  }
}

export function assignableHost(subnetCidr: string, hostNumber: number): string {
  if (!Number.isInteger(hostNumber) || hostNumber < 4 || hostNumber > size(parseCidr(subnetCidr)) - 2) throw new AddressSpaceError(subnetCidr, hostNumber);
  return cidrHost(subnetCidr, hostNumber);
}

/** The `n`-th block of the same size after `cidr` (n = 0 is `cidr` itself), or undefined past 255.255.255.255. */
export function nthFollowingBlock(cidr: string, n: number): string | undefined {
  const c = parseCidr(cidr);
  const network = c.network + n * size(c);
  return network + size(c) - 1 > 0xffffffff ? undefined : formatCidr({ network, prefix: c.prefix });
}
