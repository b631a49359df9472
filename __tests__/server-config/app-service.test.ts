/**
 * The unit and cloud-config part every application of the platform runs under (reference-app.ts), and the user's
 * release in its place (custom-application.ts), called as a module consumer calls them: the unit read back whole
 * for each database mode, with and without the TLS listener; the boot commands in their order; the packages; the
 * release's own checks, which a consumer calling `customApplication` directly meets without the config layer.
 */
import {
  APP_ENV_PATH,
  LOCAL_DB_PASSWORD_PATH,
  LOCAL_DB_SETUP_PATH,
  RDS_CA_PATH,
  REFERENCE_APP_PATH,
  REFERENCE_APP_UNIT_PATH,
  appServiceCloudConfig,
  referenceApp,
  referenceAppPackages,
  renderAppServiceUnit,
  renderReferenceAppUnit,
  withReferenceApp,
} from "../../modules/server-config/reference-app/reference-app";
import {
  ApplicationRelease,
  RELEASE_CONF_PATH,
  RELEASE_INSTALLER_PATH,
  checkApplicationRelease,
  customApplication,
  platformApplication,
  releaseReadStatements,
  renderReleaseConf,
} from "../../modules/server-config/application/custom-application";
import { InvalidInputError } from "../../modules/core/validation";
import { readUnitSections } from "../support/systemd-unit";

const rds = { kind: "rds" as const, region: "eu-west-1" };
const local = { kind: "local-mariadb" as const };
const SANDBOX = {
  Restart: ["on-failure"],
  RestartSec: ["2"],
  NoNewPrivileges: ["true"],
  ProtectSystem: ["strict"],
  ProtectHome: ["true"],
  PrivateTmp: ["true"],
  PrivateDevices: ["true"],
  CapabilityBoundingSet: [""],
};

describe("the application unit", () => {
  it("with RDS: an unprivileged user, the fleet's env file, the region's RDS CA, the sandbox, restarted on failure", () => {
    expect(readUnitSections(renderReferenceAppUnit({ database: rds }))).toEqual({
      Unit: { Description: ["Platform reference application"], Wants: ["network-online.target"], After: ["network-online.target"] },
      Service: {
        User: ["platform-app"],
        Group: ["platform-app"],
        Environment: ["APP_LISTEN=127.0.0.1:8000", `DB_TLS_CA=${RDS_CA_PATH}`],
        EnvironmentFile: [APP_ENV_PATH],
        ExecStart: [`/usr/bin/python3 ${REFERENCE_APP_PATH}`],
        ...SANDBOX,
      },
      Install: { WantedBy: ["multi-user.target"] },
    });
  });
  it("with the local MariaDB (stage 0): started after and bound to mariadb.service, the socket, the password as a systemd credential", () => {
    expect(readUnitSections(renderReferenceAppUnit({ database: local, listen: "127.0.0.1:8001" }))).toEqual({
      Unit: {
        Description: ["Platform reference application"],
        Wants: ["network-online.target"],
        After: ["network-online.target mariadb.service"],
        Requires: ["mariadb.service"],
      },
      Service: {
        User: ["platform-app"],
        Group: ["platform-app"],
        Environment: ["APP_LISTEN=127.0.0.1:8001", "DB_SOCKET=/run/mysqld/mysqld.sock DB_USER=platform-app DB_PASSWORD_CREDENTIAL=db-password"],
        LoadCredential: [`db-password:${LOCAL_DB_PASSWORD_PATH}`],
        ExecStart: [`/usr/bin/python3 ${REFERENCE_APP_PATH}`],
        ...SANDBOX,
      },
      Install: { WantedBy: ["multi-user.target"] },
    });
  });
  it("with a TLS listener: the host's certificate, its key as a credential, and only the probes on the plain port", () => {
    const service = readUnitSections(renderReferenceAppUnit({ database: rds, listen: "10.0.3.10:8080", tlsListen: "10.0.3.10:8443" })).Service;
    expect(service.Environment).toEqual([
      "APP_LISTEN=10.0.3.10:8080",
      "APP_TLS_LISTEN=10.0.3.10:8443 APP_TLS_CERT=/etc/platform/tls/cert.pem APP_TLS_KEY_CREDENTIAL=tls-key APP_PLAIN_PATHS=/healthz,/readyz",
      `DB_TLS_CA=${RDS_CA_PATH}`,
    ]);
    expect(service.LoadCredential).toEqual(["tls-key:/etc/platform/tls/key.pem"]);
  });
  it("the lines a caller adds come before ExecStart, in their order", () => {
    const unit = renderAppServiceUnit({ database: rds, description: "Mine", execStart: "/opt/x/run", serviceLines: ["ExecStartPre=+/bin/true", "WorkingDirectory=-/opt/x"] });
    expect(unit).toContain("Environment=DB_TLS_CA=/etc/platform/rds-ca.pem\nExecStartPre=+/bin/true\nWorkingDirectory=-/opt/x\nExecStart=/opt/x/run\n");
    expect(readUnitSections(unit).Unit.Description).toEqual(["Mine"]);
  });
  it.each([
    ["a listen address that is not ip:port", { listen: "everywhere" }, 'referenceApp.listen: "everywhere" is not allowed; expected an "ip:port"'],
    ["a TLS listener that is not ip:port", { tlsListen: "10.0.3.10" }, 'referenceApp.tlsListen: "10.0.3.10" is not allowed; expected an "ip:port"'],
    ["a TLS listener on the plain listener's port", { listen: "10.0.3.10:8080", tlsListen: "10.0.3.11:8080" }, 'referenceApp.tlsListen: "10.0.3.11:8080" is not allowed; expected a port other than the plain listener\'s (10.0.3.10:8080)'],
    ["a TLS listener on the default listener's port", { tlsListen: "10.0.3.10:8000" }, 'referenceApp.tlsListen: "10.0.3.10:8000" is not allowed; expected a port other than the plain listener\'s (127.0.0.1:8000)'],
  ])("refuses %s", (_label, params, message) => {
    expect(() => renderReferenceAppUnit({ database: rds, ...params })).toThrow(InvalidInputError);
    expect(() => renderReferenceAppUnit({ database: rds, ...params })).toThrow(message);
  });
});

describe("the application's cloud-config part", () => {
  it("packages: only Debian's, the driver of the engine, Redis only with the cache", () => {
    expect(referenceAppPackages(local)).toEqual(["python3", "python3-pymysql", "mariadb-server", "openssl"]);
    expect(referenceAppPackages(local, true)).toEqual(["python3", "python3-pymysql", "mariadb-server", "openssl"]);
    expect(referenceAppPackages(rds)).toEqual(["python3", "python3-pymysql", "python3-boto3"]);
    expect(referenceAppPackages({ ...rds, engine: "mysql" })).toEqual(["python3", "python3-pymysql", "python3-boto3"]);
    expect(referenceAppPackages({ ...rds, engine: "postgres" })).toEqual(["python3", "python3-psycopg2", "python3-boto3"]);
    expect(referenceAppPackages(rds, true)).toEqual(["python3", "python3-pymysql", "python3-boto3", "python3-redis"]);
  });
  it("with RDS: the app user first, the unit enabled last, the region's CA written", () => {
    const part = referenceApp({ database: rds, cache: true });
    expect(part.packages).toEqual(["python3", "python3-pymysql", "python3-boto3", "python3-redis"]);
    expect(part.writeFiles.map((f) => [f.path, f.permissions, f.compress])).toEqual([
      [REFERENCE_APP_PATH, "0755", true],
      [REFERENCE_APP_UNIT_PATH, undefined, undefined],
      [RDS_CA_PATH, undefined, undefined],
    ]);
    expect(part.writeFiles[2].content).toMatch(/^-----BEGIN CERTIFICATE-----\n[\s\S]+\n-----END CERTIFICATE-----\n$/);
    expect(part.runcmd).toEqual([
      ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "platform-app"],
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "platform-app.service"],
    ]);
  });
  it("with the local MariaDB: the database started and set up (root-only script) before the app", () => {
    const part = appServiceCloudConfig(local, { packages: ["a"], files: [] });
    expect(part.packages).toEqual(["a"]);
    expect(part.writeFiles.map((f) => [f.path, f.permissions])).toEqual([[LOCAL_DB_SETUP_PATH, "0750"]]);
    expect(part.runcmd).toEqual([
      ["useradd", "--system", "--no-create-home", "--shell", "/usr/sbin/nologin", "platform-app"],
      ["systemctl", "enable", "--now", "mariadb.service"],
      [LOCAL_DB_SETUP_PATH],
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "--now", "platform-app.service"],
    ]);
  });
  it("merged into a role: the app's packages, files and commands first, the role's after, no package twice", () => {
    const app = { packages: ["python3", "openssl"], writeFiles: [{ path: "/a", content: "a" }], runcmd: [["app"]] };
    expect(withReferenceApp({ packages: ["nginx", "openssl"], writeFiles: [{ path: "/r", content: "r" }], runcmd: [["role"]] }, app)).toEqual({
      packages: ["nginx", "openssl", "python3"],
      writeFiles: [{ path: "/a", content: "a" }, { path: "/r", content: "r" }],
      runcmd: [["app"], ["role"]],
    });
    expect(withReferenceApp({}, app)).toEqual({ packages: ["python3", "openssl"], writeFiles: app.writeFiles, runcmd: app.runcmd });
  });
});

describe("the user's release, called as a module (customApplication)", () => {
  const release: ApplicationRelease = {
    bucket: "acme-releases",
    key: "shop/shop-1.4.2.tar.gz",
    sha256: "0123456789abcdef".repeat(4),
    region: "eu-west-1",
    command: "bin/server --workers 2",
    environment: { LOG_LEVEL: "info", FEATURE_X: "a b" },
    packages: ["libpq5", "python3"],
  };

  it("runs the release under the application unit, installed by the root-only step before it starts", () => {
    const part = customApplication(release, { database: rds });
    const unit = readUnitSections(part.writeFiles.find((f) => f.path === REFERENCE_APP_UNIT_PATH)!.content);
    expect(unit.Unit.Description).toEqual(["Platform application (release 0123456789ab)"]);
    expect(unit.Service.ExecStartPre).toEqual([`+${RELEASE_INSTALLER_PATH} ${RELEASE_CONF_PATH}`]);
    expect(unit.Service.WorkingDirectory).toEqual(["-/opt/platform-app/current"]);
    expect(unit.Service.Environment).toEqual(["APP_LISTEN=127.0.0.1:8000", `DB_TLS_CA=${RDS_CA_PATH}`, '"LOG_LEVEL=info"', '"FEATURE_X=a b"']);
    expect(unit.Service.ExecStart).toEqual(["/opt/platform-app/current/bin/server --workers 2"]);
    expect(unit.Service.User).toEqual(["platform-app"]);
    expect(part.writeFiles.map((f) => [f.path, f.permissions])).toEqual([
      [RELEASE_INSTALLER_PATH, "0755"],
      [RELEASE_CONF_PATH, undefined],
      [REFERENCE_APP_UNIT_PATH, undefined],
      [RDS_CA_PATH, undefined],
    ]);
    expect(part.packages).toEqual(["python3", "python3-pymysql", "python3-boto3", "libpq5"]);
  });
  it("a release without packages adds only boto3 (for the installer) to the reference app's packages", () => {
    const { packages: _packages, ...withoutPackages } = release;
    expect(customApplication(withoutPackages, { database: rds }).packages).toEqual(["python3", "python3-pymysql", "python3-boto3"]);
  });
  it("release.conf names exactly the archive, its digest, its region and the release root", () => {
    expect(renderReleaseConf(release)).toBe(
      "RELEASE_BUCKET=acme-releases\nRELEASE_KEY=shop/shop-1.4.2.tar.gz\nRELEASE_SHA256=" + release.sha256 + "\nRELEASE_REGION=eu-west-1\nRELEASE_ROOT=/opt/platform-app\n",
    );
  });
  it("platformApplication: the reference app without a release, the release with one", () => {
    expect(platformApplication({ database: rds })).toEqual(referenceApp({ database: rds }));
    expect(platformApplication({ database: rds, release })).toEqual(customApplication(release, { database: rds }));
  });
  it("the hosts may read exactly the release object, in the region's partition", () => {
    expect(releaseReadStatements(undefined)).toEqual([]);
    for (const [region, partition] of [["eu-west-1", "aws"], ["cn-north-1", "aws-cn"], ["us-gov-west-1", "aws-us-gov"]]) {
      expect(releaseReadStatements({ ...release, region })).toEqual([
        { Sid: "ReadApplicationRelease", Effect: "Allow", Action: ["s3:GetObject"], Resource: [`arn:${partition}:s3:::acme-releases/shop/shop-1.4.2.tar.gz`] },
      ]);
    }
  });

  it.each([
    ["a bucket name of 63 characters", { bucket: `a${"b".repeat(61)}c` }],
    ["a bucket name of 3 characters, dots and hyphens", { bucket: "a.b" }],
    ["a key of 1 024 characters", { key: "k".repeat(1024) }],
    ["a key with every allowed sign", { key: "A-z_0.9!*'()/x" }],
    ["a command with allowed argument signs", { command: "run.sh --a=b,c:d@e+f x/y" }],
    ["an environment name of 64 characters and an empty value", { environment: { [`A${"B".repeat(63)}`]: "" } }],
    ["an environment value of 512 characters", { environment: { X: "v".repeat(512) } }],
    ["a two-letter package", { packages: ["xz"] }],
    // Only the platform's own names are reserved, not names that contain one.
    ...["PYTHONPATH", "LD_LIBRARY_PATH", "MY_DB_HOST", "PATH_PREFIX", "APP_LISTEN_BACKLOG", "XAWS_REGION"].map((name): [string, Partial<ApplicationRelease>] => [
      `the environment name ${name}, which only contains a reserved one`,
      { environment: { [name]: "x" } },
    ]),
  ])("accepts %s", (_label, change) => {
    expect(() => checkApplicationRelease("application", { ...release, ...change })).not.toThrow();
  });

  const refusals: [string, Partial<ApplicationRelease>, string][] = [
    ["a bucket name of 2 characters", { bucket: "ab" }, 'application.artifact: "ab" is not allowed; expected an S3 bucket name (3–63 lowercase letters, digits, dots, hyphens)'],
    ["a bucket name of 64 characters", { bucket: "b".repeat(64) }, `application.artifact: "${"b".repeat(64)}" is not allowed; expected an S3 bucket name`],
    ["an upper-case bucket", { bucket: "Acme" }, 'application.artifact: "Acme" is not allowed; expected an S3 bucket name'],
    ["a bucket ending in a hyphen", { bucket: "acme-" }, 'application.artifact: "acme-" is not allowed; expected an S3 bucket name'],
    ["a bucket starting with a dot", { bucket: ".acme" }, 'application.artifact: ".acme" is not allowed; expected an S3 bucket name'],
    ["an empty key", { key: "" }, `application.artifact: "" is not allowed; expected an S3 object key of letters, digits and !_.*'()/-`],
    ["a key of 1 025 characters", { key: "k".repeat(1025) }, `application.artifact: "${"k".repeat(1025)}" is not allowed; expected an S3 object key`],
    ["a key with a space", { key: "a b.tgz" }, 'application.artifact: "a b.tgz" is not allowed; expected an S3 object key'],
    ["a key with a newline", { key: "a\nRELEASE_SHA256=x" }, 'application.artifact: "a\\nRELEASE_SHA256=x" is not allowed; expected an S3 object key'],
    ["a digest in upper case", { sha256: "0123456789ABCDEF".repeat(4) }, `application.sha256: "${"0123456789ABCDEF".repeat(4)}" is not allowed; expected 64 lowercase hexadecimal digits (sha256sum of the archive)`],
    ["a digest of 63 digits", { sha256: "a".repeat(63) }, `application.sha256: "${"a".repeat(63)}" is not allowed; expected 64 lowercase hexadecimal digits`],
    ["a digest of 65 digits", { sha256: "a".repeat(65) }, `application.sha256: "${"a".repeat(65)}" is not allowed; expected 64 lowercase hexadecimal digits`],
    ["an absolute command", { command: "/bin/sh" }, 'application.command: "/bin/sh" is not allowed; expected a path inside the release (no leading /, no ..) followed by plain arguments, e.g. bin/server --port-from-env'],
    ["a command leaving the release", { command: "bin/../../sh" }, 'application.command: "bin/../../sh" is not allowed; expected a path inside the release'],
    ["a command with shell signs", { command: "bin/server;reboot" }, 'application.command: "bin/server;reboot" is not allowed; expected a path inside the release'],
    ["a command with two blanks in a row", { command: "bin/server  -x" }, 'application.command: "bin/server  -x" is not allowed; expected a path inside the release'],
    ["a command ending in a blank", { command: "bin/server " }, 'application.command: "bin/server " is not allowed; expected a path inside the release'],
    ["a command with a quoted argument", { command: "bin/server 'x'" }, `application.command: "bin/server 'x'" is not allowed; expected a path inside the release`],
    ["a lower-case environment name", { environment: { log: "x" } }, 'application.environment: "log" is not allowed; expected names of capitals, digits and _ (not APP_LISTEN, DB_*, RELEASE_*, AWS_*, PATH, CREDENTIALS_DIRECTORY) with values of letters, digits and ._:/@,+=- or spaces'],
    ["an environment name starting with a digit", { environment: { "1X": "x" } }, 'application.environment: "1X" is not allowed; expected names of capitals'],
    ["an environment name of 65 characters", { environment: { [`A${"B".repeat(64)}`]: "x" } }, `application.environment: "A${"B".repeat(64)}" is not allowed; expected names of capitals`],
    ...["APP_LISTEN", "DB_SECRET_ARN", "DB_", "RELEASE_ROOT", "AWS_REGION", "CREDENTIALS_DIRECTORY", "PATH"].map(
      (name): [string, Partial<ApplicationRelease>, string] => [`${name}, which the platform sets`, { environment: { [name]: "x" } }, `application.environment: "${name}" is not allowed; expected names of capitals`],
    ),
    ["a quote in an environment value", { environment: { X: 'a"b' } }, 'application.environment.X: "a\\"b" is not allowed; expected names of capitals, digits and _ (not APP_LISTEN, DB_*, RELEASE_*, AWS_*, PATH, CREDENTIALS_DIRECTORY) with values of letters, digits and ._:/@,+=- or spaces'],
    ["a $ in an environment value", { environment: { X: "$HOME" } }, 'application.environment.X: "$HOME" is not allowed; expected names of capitals'],
    ["an environment value of 513 characters", { environment: { X: "v".repeat(513) } }, `application.environment.X: "${"v".repeat(513)}" is not allowed; expected names of capitals`],
    ["a one-letter package", { packages: ["x"] }, 'application.packages: "x" is not allowed; expected Debian package names such as libpq5'],
    ["an upper-case package", { packages: ["LibPq5"] }, 'application.packages: "LibPq5" is not allowed; expected Debian package names such as libpq5'],
    ["a package with an option", { packages: ["libpq5", "-y"] }, 'application.packages: "-y" is not allowed; expected Debian package names such as libpq5'],
    ["a package followed by another word", { packages: ["libpq5 -y"] }, 'application.packages: "libpq5 -y" is not allowed; expected Debian package names such as libpq5'],
  ];
  it.each(refusals)("refuses %s, naming the field", (_label, change, message) => {
    expect(() => customApplication({ ...release, ...change }, { database: rds })).toThrow(InvalidInputError);
    expect(() => customApplication({ ...release, ...change }, { database: rds })).toThrow(message);
  });
  it("names the field it is given", () => {
    expect(() => checkApplicationRelease("apps[0]", { ...release, sha256: "x" })).toThrow(/^apps\[0\]\.sha256: "x" is not allowed/);
  });
});
