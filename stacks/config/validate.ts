/**
 * Validation of the whole configuration before any construct is built. Every
 * problem names the field, the value and what is allowed; all problems are
 * reported together in one error.
 */
import { cidrProblem, cidrsOverlap } from "../../modules/core/cidr";
import { isRegionName } from "../../modules/core/region";
import { InvalidInputError, describe } from "../../modules/core/validation";
import { validateApexDomain, validateHostname, validateTtl } from "../../modules/dns/record-validation";
import { INSTANCE_TYPE_PATTERN } from "../../modules/compute/instance-type";
import { LOG_RETENTION_DAYS } from "../../modules/network/flow-logs";
import { DEFAULT_CONFIG } from "./defaults";
import { InfraConfig } from "./infra-config";
import { warmStandbyProblems } from "./validate-warm-standby";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

const AMI_ID = /^ami-([0-9a-f]{8}|[0-9a-f]{17})$/;
const EMAIL = /^[^@\s]+@[^@\s]+\.[a-z]{2,}$/;
/** True when `domain` is a lowercase apex domain (the Namecheap module's rule). */
export function isApexDomain(domain: string): boolean {
  return problemOf(() => validateApexDomain("domain", domain)) === undefined;
}

/** Runs a module validator and returns its message instead of throwing. */
function problemOf(validate: () => void): string | undefined {
  try {
    validate();
    return undefined;
  } catch (error) {
    if (error instanceof InvalidInputError) return error.message;
    throw error;
  }
}

/** Returns the list of problems; empty when the configuration is valid. */
export function configProblems(config: InfraConfig): string[] {
  const problems: string[] = [];
  const bad = (field: string, value: unknown, allowed: string) => problems.push(`${field}: ${describe(value)} is not allowed; expected ${allowed}`);

  unknownFields(DEFAULT_CONFIG, config, "", problems);

  if (!/^[a-z][a-z0-9-]{2,19}$/.test(config.project)) bad("project", config.project, "3–20 lowercase letters, digits or dashes, starting with a letter");
  if (!/^[a-z][a-z0-9-]{0,15}$/.test(config.environment)) bad("environment", config.environment, "1–16 lowercase letters, digits or dashes");
  const add = (problem: string | undefined) => problem && problems.push(problem);
  add(problemOf(() => validateApexDomain("domain", config.domain)));
  if (!EMAIL.test(config.certificateEmail)) bad("certificateEmail", config.certificateEmail, "an e-mail address for Let's Encrypt notices");

  for (const field of ["primaryRegion", "secondaryRegion"] as const) {
    if (!isRegionName(config[field])) bad(field, config[field], "an AWS region name such as us-east-1");
  }
  if (config.primaryRegion === config.secondaryRegion) bad("secondaryRegion", config.secondaryRegion, `a region other than primaryRegion (${config.primaryRegion}): peering and DR need two regions`);

  const net = config.network;
  const cidrsValid = (["primaryCidr", "secondaryCidr"] as const).map((field) => {
    const problem = cidrProblem(net[field]);
    if (problem) bad(`network.${field}`, net[field], `an IPv4 CIDR such as 10.10.0.0/16 (${problem})`);
    else if (Number(net[field].split("/")[1]) < 16 || Number(net[field].split("/")[1]) > 24) bad(`network.${field}`, net[field], "a prefix from /16 to /24");
    return !problem;
  });
  if (cidrsValid.every(Boolean) && cidrsOverlap(net.primaryCidr, net.secondaryCidr)) {
    bad("network.secondaryCidr", net.secondaryCidr, `a range that does not overlap network.primaryCidr (${net.primaryCidr})`);
  }
  if (!Number.isInteger(net.azCount) || net.azCount < 1 || net.azCount > 4) bad("network.azCount", net.azCount, "an integer from 1 to 4");
  if (!["single", "per-az"].includes(net.natGateways)) bad("network.natGateways", net.natGateways, '"single" or "per-az"');
  if (!LOG_RETENTION_DAYS.includes(net.flowLogRetentionDays)) bad("network.flowLogRetentionDays", net.flowLogRetentionDays, `one of ${LOG_RETENTION_DAYS.join(", ")}`);
  for (const [region, zones] of Object.entries(net.availabilityZones)) {
    if (!Array.isArray(zones) || zones.length < net.azCount || !zones.every((z) => typeof z === "string" && z.startsWith(region) && /^[a-z]$/.test(z.slice(region.length)))) {
      bad(`network.availabilityZones.${region}`, zones, `at least network.azCount (${net.azCount}) zone names of ${region}, such as ${region}a`);
    }
  }

  for (const [field, value] of Object.entries(config.instanceTypes)) {
    const pattern = field === "database" ? new RegExp(`^db\\.${INSTANCE_TYPE_PATTERN.source.slice(1)}`) : INSTANCE_TYPE_PATTERN;
    if (typeof value !== "string" || !pattern.test(value)) bad(`instanceTypes.${field}`, value, field === "database" ? "an RDS class such as db.t3.micro" : "an EC2 instance type such as t3.micro");
  }
  for (const [field, max] of [["appServers", 20], ["webServers", 40]] as const) {
    const value = config.fleet[field];
    if (!Number.isInteger(value) || value < 1 || value > max) bad(`fleet.${field}`, value, `an integer from 1 to ${max}`);
  }

  const ami = config.ami;
  if (!["lookup", "ids"].includes(ami.mode)) bad("ami.mode", ami.mode, '"lookup" or "ids"');
  for (const [region, id] of Object.entries(ami.ids)) {
    if (!AMI_ID.test(id)) bad(`ami.ids.${region}`, id, "an AMI id such as ami-0123456789abcdef0");
  }
  if (ami.mode === "ids") {
    for (const region of [config.primaryRegion, config.secondaryRegion]) {
      if (!ami.ids[region]) bad(`ami.ids.${region}`, ami.ids[region], `an AMI id for ${region} (ami.mode is "ids")`);
    }
  }
  if (!/^\d{12}$/.test(ami.owner)) bad("ami.owner", ami.owner, "a 12-digit AWS account id");

  const dns = config.dns;
  add(problemOf(() => validateTtl("dns.ttl", dns.ttl)));
  if (!Array.isArray(dns.hostnames) || dns.hostnames.length === 0) bad("dns.hostnames", dns.hostnames, 'at least one hostname, e.g. ["@", "www"]');
  else for (const host of dns.hostnames) add(problemOf(() => validateHostname("dns.hostnames", host)));

  const access = config.access;
  if (!Array.isArray(access.adminCidrs) || access.adminCidrs.length === 0) bad("access.adminCidrs", access.adminCidrs, "at least one CIDR (your office or VPN range)");
  else
    for (const cidr of access.adminCidrs) {
      const problem = cidrProblem(cidr);
      if (problem) bad("access.adminCidrs", cidr, `an IPv4 CIDR (${problem})`);
      else if (Number(cidr.split("/")[1]) < 8) bad("access.adminCidrs", cidr, "a range no wider than /8: SSH, Grafana and Prometheus must not be open to the internet");
    }
  if (access.keyName !== "" && !/^[\x20-\x7e]{1,255}$/.test(access.keyName)) bad("access.keyName", access.keyName, "an EC2 key pair name (printable ASCII)");

  const db = config.database;
  if (!["mysql", "postgres"].includes(db.engine)) bad("database.engine", db.engine, '"mysql" or "postgres"');
  if (!Number.isInteger(db.allocatedStorageGb) || db.allocatedStorageGb < 20 || db.allocatedStorageGb > 1000) bad("database.allocatedStorageGb", db.allocatedStorageGb, "an integer from 20 to 1000");
  if (!Number.isInteger(db.backupRetentionDays) || db.backupRetentionDays < 1 || db.backupRetentionDays > 35) bad("database.backupRetentionDays", db.backupRetentionDays, "an integer from 1 to 35 (backups must stay on)");

  const state = config.state;
  if (state.bucket !== "" && !/^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/.test(state.bucket)) bad("state.bucket", state.bucket, "an S3 bucket name (3–63 lowercase letters, digits, dots, dashes) or empty for local state");
  if (state.bucketRegion !== "" && !isRegionName(state.bucketRegion)) bad("state.bucketRegion", state.bucketRegion, "an AWS region name or empty for the primary region");
  if (!/^[A-Za-z0-9._/-]{1,200}$/.test(state.keyPrefix) || state.keyPrefix.startsWith("/")) bad("state.keyPrefix", state.keyPrefix, "a relative S3 key prefix");
  if (state.localDir.startsWith("/") || state.localDir.split("/").includes("..") || state.localDir === "") bad("state.localDir", state.localDir, "a directory relative to the project root, inside it");
  warmStandbyProblems(config, bad);
  if (typeof config.offline !== "boolean") bad("offline", config.offline, "true or false");
  return problems;
}

export function validateConfig(config: InfraConfig): InfraConfig {
  const problems = configProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
  return config;
}

/** Flags fields an override file sets that the model does not have (typos would otherwise be ignored silently). */
function unknownFields(model: unknown, given: unknown, path: string, problems: string[]): void {
  if (!isPlainObject(model) || !isPlainObject(given)) {
    if (isPlainObject(model) !== isPlainObject(given) && given !== undefined) {
      problems.push(`${path || "config"}: ${describe(given)} is not allowed; expected ${isPlainObject(model) ? "an object" : "a scalar or list"}`);
    }
    return;
  }
  const openMaps = ["network.availabilityZones", "ami.ids"];
  if (openMaps.includes(path)) return;
  for (const key of Object.keys(given)) {
    const field = path ? `${path}.${key}` : key;
    if (!(key in model)) problems.push(`${field}: unknown field; expected one of ${Object.keys(model).join(", ")}`);
    else unknownFields((model as Record<string, unknown>)[key], (given as Record<string, unknown>)[key], field, problems);
  }
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === "object" && value !== null && !Array.isArray(value);
}
