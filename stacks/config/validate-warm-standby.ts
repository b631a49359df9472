/** Validation of the `warmStandby` section (stage 4). Each problem names the field, the value and what is allowed. */
import { CapacityConfig, InfraConfig } from "./infra-config";

type Bad = (field: string, value: unknown, allowed: string) => void;

const LABEL = /^[a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?$/;
const CACHE_NODE_TYPE = /^cache\.[a-z][a-z0-9-]*\.(micro|small|medium|large|xlarge|[0-9]+xlarge)$/;
const HEALTH_PATH = /^\/[A-Za-z0-9._~!$&'()*+,;=:@%/-]{0,254}$/;
/** AWS Backup: cron(minutes hours day-of-month month day-of-week year). */
const BACKUP_CRON = /^cron\(\S+ \S+ \S+ \S+ \S+ \S+\)$/;

export function warmStandbyProblems(config: InfraConfig, bad: Bad): void {
  const ws = config.warmStandby;
  if (!LABEL.test(ws.subdomain)) bad("warmStandby.subdomain", ws.subdomain, "one lowercase DNS label such as app (delegated to Route 53)");
  if (!LABEL.test(ws.apiHostname)) bad("warmStandby.apiHostname", ws.apiHostname, "one lowercase DNS label such as api");

  for (const region of ["primaryCapacity", "drCapacity"] as const) {
    for (const tier of ["frontend", "backend"] as const) capacityProblems(`warmStandby.${region}.${tier}`, ws[region]?.[tier], bad);
  }
  for (const tier of ["frontend", "backend"] as const) {
    const primary = ws.primaryCapacity?.[tier];
    const dr = ws.drCapacity?.[tier];
    if (!isCapacity(primary) || !isCapacity(dr)) continue;
    if (dr.desired >= primary.desired) bad(`warmStandby.drCapacity.${tier}.desired`, dr.desired, `fewer than warmStandby.primaryCapacity.${tier}.desired (${primary.desired}): the DR region runs a warm minimum`);
    if (dr.min > primary.min) bad(`warmStandby.drCapacity.${tier}.min`, dr.min, `at most warmStandby.primaryCapacity.${tier}.min (${primary.min})`);
    if (dr.max < primary.desired) bad(`warmStandby.drCapacity.${tier}.max`, dr.max, `at least warmStandby.primaryCapacity.${tier}.desired (${primary.desired}), so the DR region can be scaled to full on failover`);
  }

  const labels = typeof ws.databaseHostname === "string" ? ws.databaseHostname.split(".") : [];
  if (labels.length < 3 || !labels.every((l) => LABEL.test(l))) bad("warmStandby.databaseHostname", ws.databaseHostname, "a private name of at least three lowercase labels such as sql.db.internal");
  if (!CACHE_NODE_TYPE.test(ws.cacheNodeType)) bad("warmStandby.cacheNodeType", ws.cacheNodeType, "an ElastiCache node type such as cache.t3.micro");
  if (!["bastion", "session-manager"].includes(ws.bastionMode)) bad("warmStandby.bastionMode", ws.bastionMode, '"bastion" or "session-manager"');
  if (ws.bastionMode === "bastion" && !config.access.ssh) bad("warmStandby.bastionMode", ws.bastionMode, '"session-manager" when access.ssh is false (a bastion is reached by SSH)');
  if (typeof ws.albDeletionProtection !== "boolean") bad("warmStandby.albDeletionProtection", ws.albDeletionProtection, "true or false");
  if (!BACKUP_CRON.test(ws.backupSchedule)) bad("warmStandby.backupSchedule", ws.backupSchedule, 'an AWS Backup cron expression such as "cron(0 5 * * ? *)"');
  if (!Number.isInteger(ws.backupRetentionDays) || ws.backupRetentionDays < 7 || ws.backupRetentionDays > 3650) bad("warmStandby.backupRetentionDays", ws.backupRetentionDays, "an integer from 7 to 3650 days");
  for (const field of ["frontendHealthCheckPath", "backendHealthCheckPath"] as const) {
    if (typeof ws[field] !== "string" || !HEALTH_PATH.test(ws[field])) bad(`warmStandby.${field}`, ws[field], "an absolute URL path such as /health (at most 255 characters)");
  }
}

function isCapacity(value: unknown): value is CapacityConfig {
  const c = value as CapacityConfig | undefined;
  return c !== undefined && [c.min, c.desired, c.max].every((n) => Number.isInteger(n));
}

function capacityProblems(field: string, value: CapacityConfig | undefined, bad: Bad): void {
  if (!isCapacity(value)) {
    bad(field, value, "{ min, desired, max } with integers");
    return;
  }
  if (value.min < 1 || value.min > 100) bad(`${field}.min`, value.min, "an integer from 1 to 100 (a warm standby always runs at least one instance)");
  if (value.desired < value.min || value.desired > value.max) bad(`${field}.desired`, value.desired, `an integer from min (${value.min}) to max (${value.max})`);
  if (value.max < value.min || value.max > 100) bad(`${field}.max`, value.max, `an integer from min (${value.min}) to 100`);
}
