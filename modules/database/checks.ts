/** Synth-time checks shared by the primary and its replicas. Pure: no cdktf import. */
import { check, isToken } from "../core/validation";
import { DB_IDENTIFIER_PATTERN, DB_INSTANCE_CLASS_PATTERN } from "./engine";

/** Enhanced Monitoring intervals RDS accepts (0 turns it off). */
export const MONITORING_INTERVALS = [0, 1, 5, 10, 15, 30, 60];

export function checkIdentifier(field: string, name: string): void {
  check(DB_IDENTIFIER_PATTERN.test(name) && name.length <= 50, field, name, "1–50 lowercase letters, digits or single hyphens, starting with a letter (RDS identifier; room is left for suffixes)");
}

export function checkInstanceClass(field: string, value: string): void {
  check(typeof value === "string" && DB_INSTANCE_CLASS_PATTERN.test(value), field, value, "an RDS instance class such as db.t3.micro or db.r6g.large");
}

export function checkMonitoringInterval(field: string, value: number): void {
  check(MONITORING_INTERVALS.includes(value), field, value, `one of ${MONITORING_INTERVALS.join(", ")} seconds (0 turns Enhanced Monitoring off)`);
}

export function checkBackupRetention(field: string, value: number): void {
  check(Number.isInteger(value) && value >= 1 && value <= 35, field, value, "an integer from 1 to 35 days (automated backups must stay on)");
}

/** Subnets of a DB subnet group: at least two (RDS wants two AZs) when the list is concrete. */
export function checkSubnets(field: string, subnetIds: readonly string[]): void {
  if (isToken(String(subnetIds))) return;
  check(Array.isArray(subnetIds) && subnetIds.length >= 2, field, subnetIds, "at least two subnet ids in different availability zones");
}

/** RDS windows: ddd:hh24:mi-ddd:hh24:mi (maintenance) or hh24:mi-hh24:mi (backup). */
export function checkWindow(field: string, value: string, withDay: boolean): void {
  const time = "([01][0-9]|2[0-3]):[0-5][0-9]";
  const part = withDay ? `(mon|tue|wed|thu|fri|sat|sun):${time}` : time;
  check(new RegExp(`^${part}-${part}$`).test(value), field, value, withDay ? 'a UTC window such as "sun:04:30-sun:05:30"' : 'a UTC window such as "03:00-04:00"');
}
