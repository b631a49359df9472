/**
 * Validation of the whole configuration before any construct is built: first
 * every field against the schema (types, ranges, patterns, unknown fields),
 * then — once the shape is right — the rules that relate fields to each other.
 * Every problem names the field, the value and what is allowed; all problems
 * of a level are reported together in one error.
 */
import { cidrsOverlap } from "../../modules/core/cidr";
import { AWS_REGIONS, defaultAvailabilityZones } from "../../modules/core/region";
import { InvalidInputError, describe } from "../../modules/core/validation";
import { validateApexDomain } from "../../modules/dns/record-validation";
import { APPLICATION_RULES, RESERVED_ENV } from "../../modules/server-config/application/custom-application";
import { InfraConfig } from "./infra-config";
import { HIGHEST_STAGE, stageBlocks } from "../stage-cidr";
import { INFRA_CONFIG_SCHEMA, MAX_ENVIRONMENT_LENGTH } from "./schema";
import { fieldProblems, withDefaults } from "./schema-kit";
import { warmStandbyProblems } from "./validate-warm-standby";

export { isPlainObject } from "./schema-kit";

export class ConfigError extends Error {
  constructor(readonly problems: string[]) {
    super(`invalid configuration (${problems.length} problem${problems.length === 1 ? "" : "s"}):\n${problems.map((p) => `  - ${p}`).join("\n")}`);
    this.name = "ConfigError";
  }
}

export type Bad = (field: string, value: unknown, allowed: string) => void;

/** True when `domain` is a lowercase apex domain (the Namecheap module's rule). */
export function isApexDomain(domain: string): boolean {
  try {
    validateApexDomain("domain", domain);
    return true;
  } catch (error) {
    if (error instanceof InvalidInputError) return false;
    throw error;
  }
}

/** The list of problems of a configuration (complete or partial: missing fields take their defaults); empty when valid. */
export function configProblems(config: unknown): string[] {
  const problems: string[] = [];
  fieldProblems(INFRA_CONFIG_SCHEMA, config, "", problems);
  if (problems.length > 0) return problems;
  crossFieldProblems(withDefaults(INFRA_CONFIG_SCHEMA, config), (field, value, allowed) => problems.push(`${field}: ${describe(value)} is not allowed; expected ${allowed}`));
  return problems;
}

/** The complete configuration (defaults filled in), or a ConfigError listing every problem. */
export function validateConfig(config: unknown): InfraConfig {
  const problems = configProblems(config);
  if (problems.length > 0) throw new ConfigError(problems);
  return withDefaults(INFRA_CONFIG_SCHEMA, config);
}

/** VPC prefixes that build: 16 subnets per VPC, and the fixed addresses need /25 subnets at least. */
const VPC_PREFIX = { widest: 16, narrowest: 21 };

/** The rules crossFieldProblems enforces, as the README lists them. */
export const CROSS_FIELD_RULES: readonly string[] = [
  "`primaryRegion`, `secondaryRegion` and `state.bucketRegion` are AWS regions this release knows, or listed in `extraRegions`; the two regions differ.",
  `\`network.primaryCidr\` and \`network.secondaryCidr\` are /${VPC_PREFIX.widest} to /${VPC_PREFIX.narrowest}; stage N's VPC is the N-th block of the same size after the configured one (10.10.0.0/16 → stage 3: 10.13.0.0/16), so the ${HIGHEST_STAGE + 1} blocks of each must fit below 255.255.255.255 and the primary's must not overlap the secondary's; they must also hold the fleets' fixed addresses (web servers from host 20, stage 3 application servers from host 120 of each subnet), which synth checks with the message naming the CIDR.`,
  "Each region has at least `network.azCount` zones: `network.availabilityZones.<region>` when given (names of that region), else the region's default zones (us-west-1 has none: list them).",
  "`ami.mode: \"ids\"` needs `ami.ids` for both regions.",
  "`dns.hostnames` are relative to `domain` (`www`, not `www.example.com`; `@` for the apex).",
  "`warmStandby`: for each tier, `min ≤ desired ≤ max`; the DR region runs fewer than the primary (`drCapacity.desired < primaryCapacity.desired`, `drCapacity.min ≤ primaryCapacity.min`) and can grow to it (`drCapacity.max ≥ primaryCapacity.max`).",
  "`warmStandby.bastionMode: \"bastion\"` requires `access.ssh: true` (a bastion is reached by SSH from `access.adminCidrs`); with the default `access.ssh: false` operators use EC2 Instance Connect (`bastionMode: \"instance-connect\"`).",
  `\`project\` and \`environment\` together must leave every derived name within its AWS limit (the longest: RDS identifiers of 50 characters); synth checks every name and names both fields. With a 20-character project, \`environment\` may have up to ${MAX_ENVIRONMENT_LENGTH} characters.`,
  "`application.artifact` needs `application.sha256` and `application.command`; without an artifact (the reference application) the other `application` fields stay empty. `application.environment` may not set names the platform sets (APP_LISTEN, DB_*, RELEASE_*, AWS_*, PATH, CREDENTIALS_DIRECTORY).",
  "`database.deletionProtection: false` is allowed: it writes an audited suppression of RDS-DELETION-PROTECTION on the databases, naming this field, for reviewers.",
];


function crossFieldProblems(config: InfraConfig, bad: Bad): void {
  const knownRegions = new Set([...AWS_REGIONS, ...config.extraRegions]);
  for (const field of ["primaryRegion", "secondaryRegion"] as const) {
    if (!knownRegions.has(config[field])) bad(field, config[field], `an AWS region (${AWS_REGIONS.slice(0, 4).join(", ")}, …); a region newer than this release: add it to extraRegions`);
  }
  if (config.state.bucketRegion !== "" && !knownRegions.has(config.state.bucketRegion)) bad("state.bucketRegion", config.state.bucketRegion, "an AWS region, or empty for the primary region");
  if (config.primaryRegion === config.secondaryRegion) bad("secondaryRegion", config.secondaryRegion, `a region other than primaryRegion (${config.primaryRegion}): peering and DR need two regions`);

  const net = config.network;
  for (const field of ["primaryCidr", "secondaryCidr"] as const) {
    const prefix = Number(net[field].split("/")[1]);
    if (prefix < VPC_PREFIX.widest || prefix > VPC_PREFIX.narrowest) {
      bad(`network.${field}`, net[field], `a prefix from /${VPC_PREFIX.widest} to /${VPC_PREFIX.narrowest}: each VPC is split into 16 subnets, and fixed addresses go up to host number 120 of a subnet`);
    }
  }
  // Stage N's VPC is the N-th block after the configured one, so the stages can run side by side.
  const blocks = { primaryCidr: stageBlocks(net.primaryCidr), secondaryCidr: stageBlocks(net.secondaryCidr) };
  for (const field of ["primaryCidr", "secondaryCidr"] as const) {
    if (blocks[field].includes(undefined)) bad(`network.${field}`, net[field], `a range with room for ${HIGHEST_STAGE} more blocks of its size after it, inside its private range (stage N's VPC is the N-th)`);
  }
  const overlapping = blocks.primaryCidr.flatMap((p) => blocks.secondaryCidr.filter((q) => p && q && cidrsOverlap(p, q)).map((q) => `${p} and ${q}`));
  if (overlapping.length > 0) {
    bad("network.secondaryCidr", net.secondaryCidr, `a range whose stage blocks (${blocks.secondaryCidr.filter(Boolean).join(", ")}) do not overlap network.primaryCidr's (${blocks.primaryCidr.filter(Boolean).join(", ")}); ${overlapping[0]} overlap`);
  }
  for (const region of [config.primaryRegion, config.secondaryRegion]) {
    const configured = net.availabilityZones[region];
    const zones = configured ?? defaultAvailabilityZones(region);
    const field = `network.availabilityZones.${region}`;
    if (configured?.some((zone) => !zone.startsWith(region) || !/^[a-z]$/.test(zone.slice(region.length)))) bad(field, configured, `zone names of ${region}, such as ${region}a`);
    else if (zones.length < net.azCount) {
      bad(configured ? field : "network.azCount", configured ?? net.azCount, configured
        ? `at least network.azCount (${net.azCount}) zone names of ${region}`
        : zones.length === 0
          ? `zone names for ${region} in ${field}: its zone letters differ per account`
          : `at most ${zones.length} in ${region} unless ${field} lists more zones`);
    }
  }
  for (const region of Object.keys(net.availabilityZones)) {
    if (!knownRegions.has(region)) bad(`network.availabilityZones`, region, "keys that are AWS regions");
  }

  if (config.ami.mode === "ids") {
    for (const region of [config.primaryRegion, config.secondaryRegion]) {
      if (!config.ami.ids[region]) bad(`ami.ids`, config.ami.ids, `an AMI id for ${region} (ami.mode is "ids")`);
    }
  }

  config.dns.hostnames.forEach((host, index) => {
    if (host === config.domain || host.endsWith(`.${config.domain}`)) {
      const relative = host === config.domain ? "@" : host.slice(0, -config.domain.length - 1);
      bad(`dns.hostnames[${index}]`, host, `a name relative to domain (${config.domain}): "${relative}" publishes ${host}`);
    }
  });
  warmStandbyProblems(config, bad);
  applicationProblems(config, bad);
}

function applicationProblems({ application: app }: InfraConfig, bad: Bad): void {
  if (app.artifact !== "") {
    if (app.sha256 === "") bad("application.sha256", app.sha256, "the archive's SHA-256 (sha256sum) when application.artifact is set");
    if (app.command === "") bad("application.command", app.command, "the start command inside the release when application.artifact is set");
  } else {
    for (const field of ["sha256", "command"] as const) if (app[field] !== "") bad(`application.${field}`, app[field], "empty unless application.artifact names your release");
    if (Object.keys(app.environment).length > 0) bad("application.environment", app.environment, "empty unless application.artifact names your release");
    if (app.packages.length > 0) bad("application.packages", app.packages, "empty unless application.artifact names your release");
  }
  for (const name of Object.keys(app.environment)) {
    if (RESERVED_ENV.test(name)) bad(`application.environment`, name, APPLICATION_RULES.reservedEnvironment);
  }
}
