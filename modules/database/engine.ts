/**
 * Facts about the RDS engines the platform supports, needed at synth time.
 * Pure: no cdktf import.
 */
import { check } from "../core/validation";

/** Database engines the platform supports. */
export enum DatabaseEngine {
  MYSQL = "mysql",
  POSTGRES = "postgres",
}

/** What differs between engines. */
export interface EngineFacts {
  /** Default major version written when none is given. */
  readonly defaultVersion: string;
  readonly port: number;
  /** Log types exported to CloudWatch (all the engine offers without an option group). */
  readonly logExports: readonly string[];
  /** Parameters that make the server refuse unencrypted client connections. */
  readonly tlsParameters: readonly { readonly name: string; readonly value: string; readonly applyMethod: "immediate" | "pending-reboot" }[];
  /** Version pattern accepted for `engineVersion`. */
  readonly versionPattern: RegExp;
  readonly versionExample: string;
}

export const ENGINE_FACTS: Readonly<Record<DatabaseEngine, EngineFacts>> = {
  [DatabaseEngine.MYSQL]: {
    defaultVersion: "8.0",
    port: 3306,
    logExports: ["error", "general", "slowquery"],
    tlsParameters: [{ name: "require_secure_transport", value: "1", applyMethod: "immediate" }],
    versionPattern: /^8\.[0-9](\.[0-9]+)?$/,
    versionExample: '"8.0" or "8.0.39"',
  },
  [DatabaseEngine.POSTGRES]: {
    defaultVersion: "16",
    port: 5432,
    logExports: ["postgresql", "upgrade"],
    tlsParameters: [{ name: "rds.force_ssl", value: "1", applyMethod: "immediate" }],
    versionPattern: /^1[2-7](\.[0-9]+)?$/,
    versionExample: '"16" or "16.4"',
  },
};

/** Validates the engine and version; returns the version to use. */
export function resolveEngineVersion(field: string, engine: DatabaseEngine, version: string | undefined): string {
  check(Object.values(DatabaseEngine).includes(engine), `${field}.engine`, engine, Object.values(DatabaseEngine).map((e) => `"${e}"`).join(" | "));
  const facts = ENGINE_FACTS[engine];
  const resolved = version ?? facts.defaultVersion;
  check(facts.versionPattern.test(resolved), `${field}.engineVersion`, resolved, `a ${engine} version such as ${facts.versionExample}`);
  return resolved;
}

/** Parameter group family of an engine version, e.g. mysql8.0, postgres16. */
export function parameterGroupFamily(engine: DatabaseEngine, version: string): string {
  const [major, minor] = version.split(".");
  return engine === DatabaseEngine.MYSQL ? `mysql${major}.${minor}` : `postgres${major}`;
}

/** RDS DB instance classes, e.g. db.t3.micro, db.r6g.large. */
export const DB_INSTANCE_CLASS_PATTERN = /^db\.[a-z][a-z0-9-]*\.(micro|small|medium|large|xlarge|[0-9]+xlarge)$/;

/** RDS identifiers: 1–63 letters, digits or hyphens, starting with a letter, no double or trailing hyphen. */
export const DB_IDENTIFIER_PATTERN = /^[a-z](?!.*--)[a-z0-9-]{0,62}(?<!-)$/;
