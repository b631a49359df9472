/**
 * Input checks shared by the server-config renderers. Each throws
 * InvalidInputError naming the field, the value and what is allowed, so a bad
 * value fails at synth instead of producing a config the daemon rejects at boot.
 */
import { cidrProblem, isIpv4 } from "../core/cidr";
import { isRegionName } from "../core/region";
import { check, requireConcrete } from "../core/validation";

export { isIpv4 };

export function checkIpv4(field: string, value: string): void {
  requireConcrete(field, value);
  check(isIpv4(value), field, value, "a dotted IPv4 address such as 10.0.1.10");
}

/** A CIDR such as 10.0.0.0/16; `allowAnywhere` false rejects 0.0.0.0/0 (admin surfaces). */
export function checkCidr(field: string, value: string, allowAnywhere = false): void {
  requireConcrete(field, value);
  const problem = cidrProblem(value);
  check(problem === undefined, field, value, `an IPv4 CIDR such as 10.0.0.0/16 (${problem})`);
  if (!allowAnywhere) {
    check(Number(value.split("/")[1]) > 0, field, value, "a private range, not the whole internet (0.0.0.0/0) for an admin or metrics surface");
  }
}

export function checkPort(field: string, value: number): void {
  check(Number.isInteger(value) && value >= 1 && value <= 65535, field, value, "an integer TCP port 1-65535");
}

export function checkIntegerRange(field: string, value: number, min: number, max: number): void {
  check(Number.isInteger(value) && value >= min && value <= max, field, value, `an integer from ${min} to ${max}`);
}

/** Absolute path without whitespace, quotes or shell metacharacters (it is pasted into configs and scripts). */
export function checkAbsolutePath(field: string, value: string): void {
  check(/^\/[A-Za-z0-9._\/-]*$/.test(value) && !value.includes(".."), field, value, "an absolute path of letters, digits, . _ - and /");
}

/** AWS region name such as eu-west-1. */
export function checkRegion(field: string, value: string): void {
  requireConcrete(field, value);
  check(isRegionName(value), field, value, "an AWS region name such as eu-west-1");
}

/** A DNS host name (lower case, at least one dot). */
export function checkDomainName(field: string, value: string): void {
  requireConcrete(field, value);
  // The lookahead bounds the whole name to DNS's 253 characters; the rest is one label at a time.
  check(/^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/.test(value), field, value, "a lower-case DNS name such as www.example.com");
}

/** SSM parameter name: absolute path of letters, digits and . _ - / (no spaces or quotes). */
export function checkSsmParameterName(field: string, value: string): void {
  requireConcrete(field, value);
  check(/^\/[A-Za-z0-9._\/-]{1,1010}$/.test(value), field, value, "an SSM parameter path such as /myproject/haproxy/backends");
}

/** A simple identifier safe inside configs (names, labels, tag values). */
export function checkSimpleName(field: string, value: string, max = 64): void {
  requireConcrete(field, value);
  check(new RegExp(`^[A-Za-z0-9][A-Za-z0-9._-]{0,${max - 1}}$`).test(value), field, value, `1-${max} characters of letters, digits, . _ - (starting with a letter or digit)`);
}

/** "ip:port" of an HTTP backend. */
export function checkHostPort(field: string, value: string): void {
  requireConcrete(field, value);
  const match = /^(.+):(\d{1,5})$/.exec(value);
  const ok = match !== null && isIpv4(match[1]) && Number(match[2]) >= 1 && Number(match[2]) <= 65535;
  check(ok, field, value, 'an "ip:port" such as 10.0.11.10:80 (IP address, not a host name: HAProxy resolves names only at start)');
}

/** Rejects duplicates in a list. */
export function checkUnique(field: string, values: readonly string[]): void {
  const seen = new Set<string>();
  for (const value of values) {
    check(!seen.has(value), field, value, "each entry at most once");
    seen.add(value);
  }
}
