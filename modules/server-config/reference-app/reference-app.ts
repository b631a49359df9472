/**
 * The reference application every stage runs (app.py next to this file): a
 * small Python HTTP service installed from Debian packages only, under systemd
 * as an unprivileged user, logging to the journal. `/` answers with the serving
 * host and a database round trip (write on the writer, read on the reader),
 * `/healthz` while the process lives, `/readyz` while the database answers.
 *
 * Two database modes:
 * - RDS (stages 1–3): endpoints, secret ARN and region from the env file the
 *   fleet writes (FLEET_ENVIRONMENT_PATH); the password from Secrets Manager
 *   with the instance role; TLS verified against the RDS root CA of the region.
 * - Local (stage 0): MariaDB on the same host over its unix socket; the
 *   password is generated on the host at first boot and handed to the service
 *   as a systemd credential (never in user data, never readable by the app user
 *   outside the service).
 * Pure: no cdktf import.
 */
import { readFileSync } from "fs";
import { X509Certificate } from "crypto";
import { join } from "path";
import { CloudConfig, CloudConfigFile } from "../../core/cloud-config";
import { check } from "../../core/validation";
import { checkHostPort, checkRegion } from "../inputs";
import { SYSTEMD_DIR, TLS_CERT_PATH, TLS_KEY_PATH } from "../paths";

export const REFERENCE_APP_PATH = "/opt/platform-app/app.py";
export const REFERENCE_APP_UNIT_NAME = "platform-app.service";
export const REFERENCE_APP_UNIT_PATH = `${SYSTEMD_DIR}/${REFERENCE_APP_UNIT_NAME}`;
export const REFERENCE_APP_USER = "platform-app";
/** The env file the fleets write (DB_WRITER_HOST, DB_READER_HOST, DB_PORT, DB_SECRET_ARN, DB_REGION, DB_ENGINE). */
export const APP_ENV_PATH = "/etc/platform/app.env";
/** The RDS root CA the databases are created with (RdsDatabase sets caCertIdentifier rds-ca-rsa2048-g1). */
export const RDS_CA_PATH = "/etc/platform/rds-ca.pem";
/** Stage 0: the local MariaDB password, root-only, loaded into the service as a systemd credential. */
export const LOCAL_DB_PASSWORD_PATH = "/etc/platform/db-password";
export const LOCAL_DB_SETUP_PATH = "/usr/local/sbin/platform-app-db-setup";
export const LOCAL_DB_SOCKET = "/run/mysqld/mysqld.sock";
/** Port of the app behind a local Nginx (stages 0–2). */
export const LOCAL_APP_PORT = 8000;

/** Where the application's database is. */
export type ReferenceAppDatabase =
  | { readonly kind: "rds"; readonly region: string; readonly engine?: "mysql" | "postgres" }
  | { readonly kind: "local-mariadb" };

export interface ReferenceAppParams {
  /** "ip:port" the app listens on. @default "127.0.0.1:8000" (behind the host's own Nginx) */
  readonly listen?: string;
  readonly database: ReferenceAppDatabase;
  /**
   * "ip:port" of an HTTPS listener with the host's TLS identity (TLS_CERT_PATH,
   * the key handed over as a systemd credential); `listen` then answers only
   * /healthz and /readyz. @default undefined (no TLS listener)
   */
  readonly tlsListen?: string;
  /**
   * The app also counts each visit in Redis (REDIS_* in the env file: TLS and
   * IAM authentication, stage 4's cache); adds python3-redis. @default false
   */
  readonly cache?: boolean;
}

/** Paths the plain listener still answers when the app also serves TLS (health probes carry no user data). */
export const PROBE_PATHS = ["/healthz", "/readyz"] as const;

/** The Python source shipped with the module (read once). */
export function renderReferenceApp(): string {
  return readFileSync(join(__dirname, "app.py"), "utf8");
}

/** The vendored AWS bundle's certificates by subject common name, parsed once (every RDS host of every stack needs one). */
let rdsCasBySubject: Map<string, string> | undefined;

/** The RDS root CA (RSA2048 G1) of `region`, from the vendored AWS bundle. */
export function rdsRootCa(region: string): string {
  checkRegion("referenceApp.database.region", region);
  if (rdsCasBySubject === undefined) {
    const pems = readFileSync(join(__dirname, "rds-root-cas.pem"), "utf8").match(/-----BEGIN CERTIFICATE-----[^-]+-----END CERTIFICATE-----/g) ?? [];
    rdsCasBySubject = new Map(pems.flatMap((pem) => new X509Certificate(pem).subject.split("\n").filter((line) => line.startsWith("CN=")).map((cn): [string, string] => [cn, pem])));
  }
  const found = rdsCasBySubject.get(`CN=Amazon RDS ${region} Root CA RSA2048 G1`);
  check(found !== undefined, "referenceApp.database.region", region, "a region with an RDS RSA2048 G1 root CA in rds-root-cas.pem");
  return `${found}\n`;
}

export function renderReferenceAppUnit(params: ReferenceAppParams): string {
  return renderAppServiceUnit({ ...params, description: "Platform reference application", execStart: `/usr/bin/python3 ${REFERENCE_APP_PATH}` });
}

export interface AppServiceUnitParams extends ReferenceAppParams {
  readonly description: string;
  readonly execStart: string;
  /** Lines added to [Service] before ExecStart (e.g. the release install step). @default [] */
  readonly serviceLines?: readonly string[];
}

/**
 * The systemd unit every application of the platform runs under (the reference
 * app or the user's own): one name, an unprivileged user, the database settings
 * (env file and RDS CA, or the local MariaDB credential), restart on failure.
 */
export function renderAppServiceUnit(params: AppServiceUnitParams): string {
  const listen = params.listen ?? `127.0.0.1:${LOCAL_APP_PORT}`;
  checkHostPort("referenceApp.listen", listen);
  const local = params.database.kind === "local-mariadb";
  if (params.tlsListen !== undefined) {
    checkHostPort("referenceApp.tlsListen", params.tlsListen);
    check(params.tlsListen.split(":")[1] !== listen.split(":")[1], "referenceApp.tlsListen", params.tlsListen, `a port other than the plain listener's (${listen})`);
  }
  const tls = params.tlsListen === undefined
    ? ""
    : `Environment=APP_TLS_LISTEN=${params.tlsListen} APP_TLS_CERT=${TLS_CERT_PATH} APP_TLS_KEY_CREDENTIAL=tls-key APP_PLAIN_PATHS=${PROBE_PATHS.join(",")}
LoadCredential=tls-key:${TLS_KEY_PATH}
`;
  const database = local
    ? `Environment=DB_SOCKET=${LOCAL_DB_SOCKET} DB_USER=${REFERENCE_APP_USER} DB_PASSWORD_CREDENTIAL=db-password
LoadCredential=db-password:${LOCAL_DB_PASSWORD_PATH}`
    : `EnvironmentFile=${APP_ENV_PATH}
Environment=DB_TLS_CA=${RDS_CA_PATH}`;
  return `[Unit]
Description=${params.description}
Wants=network-online.target
After=network-online.target${local ? " mariadb.service" : ""}
${local ? "Requires=mariadb.service\n" : ""}
[Service]
User=${REFERENCE_APP_USER}
Group=${REFERENCE_APP_USER}
Environment=APP_LISTEN=${listen}
${tls}${database}
${(params.serviceLines ?? []).map((line) => `${line}\n`).join("")}ExecStart=${params.execStart}
Restart=on-failure
RestartSec=2
NoNewPrivileges=true
ProtectSystem=strict
ProtectHome=true
PrivateTmp=true
PrivateDevices=true
CapabilityBoundingSet=

[Install]
WantedBy=multi-user.target
`;
}

/** Stage 0: the app's database and user in the local MariaDB, password generated here and kept root-only. */
export function renderLocalDbSetup(): string {
  return `#!/bin/bash
# Creates the app's database and user in the local MariaDB. The password is made
# on this host (never in user data) and reaches the app as a systemd credential.
set -euo pipefail
if [ ! -s ${LOCAL_DB_PASSWORD_PATH} ]; then
  install -d -m 0755 "$(dirname ${LOCAL_DB_PASSWORD_PATH})"
  (umask 077 && openssl rand -hex 24 >${LOCAL_DB_PASSWORD_PATH})
fi
password="$(cat ${LOCAL_DB_PASSWORD_PATH})"
mysql <<SQL
CREATE DATABASE IF NOT EXISTS platform;
CREATE USER IF NOT EXISTS '${REFERENCE_APP_USER}'@'localhost' IDENTIFIED BY '\${password}';
ALTER USER '${REFERENCE_APP_USER}'@'localhost' IDENTIFIED BY '\${password}';
GRANT SELECT, INSERT, CREATE ON platform.* TO '${REFERENCE_APP_USER}'@'localhost';
SQL
`;
}

/** Debian packages the app needs for a database kind (and a cache). */
export function referenceAppPackages(database: ReferenceAppDatabase, cache = false): string[] {
  if (database.kind === "local-mariadb") return ["python3", "python3-pymysql", "mariadb-server", "openssl"];
  return ["python3", database.engine === "postgres" ? "python3-psycopg2" : "python3-pymysql", "python3-boto3", ...(cache ? ["python3-redis"] : [])];
}

/**
 * The app's cloud-config part: packages, files, and the commands that create
 * its user and start it. Merge it into a role with `withReferenceApp`.
 */
export function referenceApp(params: ReferenceAppParams): Required<CloudConfig> {
  return appServiceCloudConfig(params.database, {
    packages: referenceAppPackages(params.database, params.cache),
    files: [
      // The largest file travels compressed (user data is limited to 16 KB).
      { path: REFERENCE_APP_PATH, content: renderReferenceApp(), permissions: "0755", compress: true },
      { path: REFERENCE_APP_UNIT_PATH, content: renderReferenceAppUnit(params) },
    ],
  });
}

/**
 * What every application service needs around its own files: the unprivileged
 * user, the database side (local MariaDB set up, or the RDS CA), and the unit
 * enabled last.
 */
export function appServiceCloudConfig(database: ReferenceAppDatabase, app: { packages: readonly string[]; files: readonly CloudConfigFile[] }): Required<CloudConfig> {
  const local = database.kind === "local-mariadb";
  const files = [...app.files, local ? { path: LOCAL_DB_SETUP_PATH, content: renderLocalDbSetup(), permissions: "0750" } : { path: RDS_CA_PATH, content: rdsRootCa(database.region) }];
  return {
    packages: [...app.packages],
    writeFiles: files,
    runcmd: [
      ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", REFERENCE_APP_USER],
      ...(local ? [["systemctl", "enable", "--now", "mariadb.service"], [LOCAL_DB_SETUP_PATH]] : []),
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", REFERENCE_APP_UNIT_NAME],
    ],
  };
}

/** A role's cloud-config with the reference app added (its packages and files first, its commands before the role's). */
export function withReferenceApp(role: CloudConfig, app: Required<CloudConfig>): CloudConfig {
  const packages = [...(role.packages ?? [])];
  for (const p of app.packages) if (!packages.includes(p)) packages.push(p);
  return { packages, writeFiles: [...app.writeFiles, ...(role.writeFiles ?? [])], runcmd: [...app.runcmd, ...(role.runcmd ?? [])] };
}
