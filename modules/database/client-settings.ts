import { PolicyStatement } from "../core/iam";
import type { RdsDatabase } from "./rds-database";
import type { ReadReplica } from "./read-replica";
import type { ReferenceAppDatabase } from "../server-config/reference-app/reference-app";
import { DatabaseEngine } from "./engine";

/** What an application host needs to use the database: where it is and the right to read its password. */
export interface DatabaseClientSettings {
  /** DB_ENGINE, DB_WRITER_HOST, DB_READER_HOST, DB_PORT, DB_SECRET_ARN, DB_REGION (values may be apply-time tokens). */
  readonly environment: Record<string, string>;
  /** Read the managed master secret and decrypt it with the database's key; nothing else. */
  readonly policyStatements: PolicyStatement[];
  /** What the reference application needs to know at synth time (engine, region for the RDS root CA). */
  readonly appDatabase: ReferenceAppDatabase;
}

/**
 * Writes go to the primary, reads to the first replica (or the primary when
 * there is none). The password never leaves Secrets Manager: hosts fetch it
 * at run time with their role.
 */
export function databaseClientSettings(primary: RdsDatabase, reader?: ReadReplica): DatabaseClientSettings {
  return {
    environment: {
      DB_ENGINE: primary.engine,
      DB_WRITER_HOST: primary.address,
      DB_READER_HOST: (reader ?? primary).address,
      DB_PORT: String(primary.port),
      DB_SECRET_ARN: primary.masterUserSecretArn,
      DB_REGION: primary.region,
    },
    appDatabase: { kind: "rds", region: primary.region, engine: primary.engine === DatabaseEngine.POSTGRES ? "postgres" : "mysql" },
    policyStatements: [
      { Sid: "ReadDatabaseSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [primary.masterUserSecretArn] },
      { Sid: "DecryptDatabaseSecret", Effect: "Allow", Action: ["kms:Decrypt"], Resource: [primary.kmsKeyArn] },
    ],
  };
}
