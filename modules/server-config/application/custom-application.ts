/**
 * The user's own application in place of the reference app (stages 0–3): a
 * release archive in S3, pinned by its SHA-256, unpacked on the host by
 * `install-release.py` and run under the same unit, user, sandbox and
 * database settings as the reference app — so Nginx, HAProxy health checks,
 * alerts and the stack twins see no difference. Contract for the app: listen
 * on $APP_LISTEN (host:port), answer GET /healthz (process alive) and
 * GET /readyz (database reachable), read the database settings from the
 * environment (DB_* and DB_TLS_CA, or DB_SOCKET with the systemd credential
 * db-password in stage 0). Pure: no cdktf import.
 */
import { readFileSync } from "fs";
import { join } from "path";
import { CloudConfig } from "../../core/cloud-config";
import { PolicyStatement, partitionOf } from "../../core/iam";
import { check } from "../../core/validation";
import { REFERENCE_APP_UNIT_PATH, ReferenceAppParams, appServiceCloudConfig, referenceApp, referenceAppPackages, renderAppServiceUnit } from "../reference-app/reference-app";

export const RELEASE_ROOT = "/opt/platform-app";
export const RELEASE_CONF_PATH = "/etc/platform/release.conf";
export const RELEASE_INSTALLER_PATH = "/usr/local/sbin/platform-app-install";

/** The user's application release (config `application`). */
export interface ApplicationRelease {
  /** S3 bucket holding the release archive (.tar.gz). */
  readonly bucket: string;
  /** Object key of the archive. */
  readonly key: string;
  /** SHA-256 (64 hex digits) of the archive; the host refuses any other content. */
  readonly sha256: string;
  /** Region the hosts call S3 in (S3 redirects to the bucket's own region). */
  readonly region: string;
  /** Start command, relative to the unpacked release, e.g. "bin/server --workers 2". */
  readonly command: string;
  /** Extra environment of the app (no secrets: user data is readable by whoever may describe the instance). @default {} */
  readonly environment?: Readonly<Record<string, string>>;
  /** Extra Debian packages the app needs. @default [] */
  readonly packages?: readonly string[];
}

const BUCKET = /^[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]$/;
const KEY = /^[A-Za-z0-9!_.*'()/-]{1,1024}$/;
const SHA256 = /^[0-9a-f]{64}$/;
const COMMAND = /^(?!\/)(?!.*\.\.)[A-Za-z0-9._/-]+( [A-Za-z0-9._/=:,@+-]+)*$/;
export const ENV_NAME = /^[A-Z][A-Z0-9_]{0,63}$/;
export const ENV_VALUE = /^[A-Za-z0-9 ._:/@,+=-]{0,512}$/;
export const DEBIAN_PACKAGE = /^[a-z0-9][a-z0-9+.-]+$/;
/** One list for the check and its message; `*` is any further capitals, digits and _. */
const RESERVED_ENV_NAME_LIST = ["APP_LISTEN", "DB_*", "RELEASE_*", "AWS_*", "PATH", "CREDENTIALS_DIRECTORY"];
/** Names the platform sets itself; an app may not override them. */
export const RESERVED_ENV = new RegExp(`^(${RESERVED_ENV_NAME_LIST.map((name) => name.replace("*", "[A-Z0-9_]*")).join("|")})$`);
const RESERVED_ENV_NAMES = RESERVED_ENV_NAME_LIST.join(", ");

export const APPLICATION_RULES = {
  bucket: "an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)",
  key: "an S3 object key of letters, digits and !_.*'()/-",
  sha256: "64 lowercase hexadecimal digits (sha256sum of the archive)",
  command: "a path inside the release (no leading /, no ..) followed by plain arguments, e.g. bin/server --port-from-env",
  environment: `names of capitals, digits and _ (not ${RESERVED_ENV_NAMES}) with values of letters, digits and ._:/@,+=- or spaces`,
  reservedEnvironment: `a name the platform does not set itself (not ${RESERVED_ENV_NAMES})`,
  packages: "Debian package names such as libpq5",
};

export function checkApplicationRelease(field: string, release: ApplicationRelease): void {
  check(BUCKET.test(release.bucket), `${field}.artifact`, release.bucket, APPLICATION_RULES.bucket);
  check(KEY.test(release.key), `${field}.artifact`, release.key, APPLICATION_RULES.key);
  check(SHA256.test(release.sha256), `${field}.sha256`, release.sha256, APPLICATION_RULES.sha256);
  check(COMMAND.test(release.command), `${field}.command`, release.command, APPLICATION_RULES.command);
  for (const [name, value] of Object.entries(release.environment ?? {})) {
    check(ENV_NAME.test(name) && !RESERVED_ENV.test(name), `${field}.environment`, name, APPLICATION_RULES.environment);
    check(ENV_VALUE.test(value), `${field}.environment.${name}`, value, APPLICATION_RULES.environment);
  }
  for (const pkg of release.packages ?? []) check(DEBIAN_PACKAGE.test(pkg), `${field}.packages`, pkg, APPLICATION_RULES.packages);
}

export function renderReleaseInstaller(): string {
  return readFileSync(join(__dirname, "install-release.py"), "utf8");
}

export function renderReleaseConf(release: ApplicationRelease): string {
  return [
    `RELEASE_BUCKET=${release.bucket}`,
    `RELEASE_KEY=${release.key}`,
    `RELEASE_SHA256=${release.sha256}`,
    `RELEASE_REGION=${release.region}`,
    `RELEASE_ROOT=${RELEASE_ROOT}`,
    "",
  ].join("\n");
}

export function customApplication(release: ApplicationRelease, params: ReferenceAppParams): Required<CloudConfig> {
  checkApplicationRelease("application", release);
  const environment = Object.entries(release.environment ?? {}).map(([name, value]) => `Environment="${name}=${value}"`);
  const unit = renderAppServiceUnit({
    ...params,
    description: `Platform application (release ${release.sha256.slice(0, 12)})`,
    // "+": the install step runs as root outside the sandbox; the app itself stays unprivileged.
    serviceLines: [`ExecStartPre=+${RELEASE_INSTALLER_PATH} ${RELEASE_CONF_PATH}`, `WorkingDirectory=-${RELEASE_ROOT}/current`, ...environment],
    execStart: `${RELEASE_ROOT}/current/${release.command}`,
  });
  // The database drivers stay: the app may use them, and stage 0 needs MariaDB.
  const packages = [...new Set([...referenceAppPackages(params.database), "python3-boto3", ...(release.packages ?? [])])];
  return appServiceCloudConfig(params.database, {
    packages,
    files: [
      { path: RELEASE_INSTALLER_PATH, content: renderReleaseInstaller(), permissions: "0755" },
      { path: RELEASE_CONF_PATH, content: renderReleaseConf(release) },
      { path: REFERENCE_APP_UNIT_PATH, content: unit },
    ],
  });
}

/** The reference app, or the user's release when one is configured. */
export function platformApplication(params: ReferenceAppParams & { readonly release?: ApplicationRelease }): Required<CloudConfig> {
  const { release, ...app } = params;
  return release ? customApplication(release, app) : referenceApp(app);
}

/** The app hosts' right to fetch exactly the release archive. */
export function releaseReadStatements(release: ApplicationRelease | undefined): PolicyStatement[] {
  if (!release) return [];
  return [{ Sid: "ReadApplicationRelease", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`arn:${partitionOf(release.region)}:s3:::${release.bucket}/${release.key}`] }];
}
