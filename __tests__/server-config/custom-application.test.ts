/**
 * The user's own application slot (config `application`): the release is
 * fetched from S3 with the host role, refused unless its SHA-256 matches, and
 * run under the reference app's unit, user and sandbox. The installer is the
 * file from the synthesized user data, run against moto's S3 (in process).
 */
import { createHash } from "crypto";
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, readlinkSync, rmSync, statSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { execFileSync, spawn } from "child_process";
import { createServer } from "net";
import { request } from "http";
import { RELEASE_CONF_PATH, RELEASE_INSTALLER_PATH, REFERENCE_APP_UNIT_PATH, REFERENCE_APP_PATH, renderReferenceApp } from "../../modules/server-config";
import { renderedFileWith } from "../support/rendered-files";
import { resourcesOf, synthStack, testConfig } from "../support/synth";
import { run } from "../support/tools";

// The Python that has moto and boto3 (the rehearsal's), found on the caller's PATH before the test adds the system directories.
const PYTHON = process.env.REHEARSAL_PYTHON ?? execFileSync("sh", ["-c", "command -v python3"], { encoding: "utf8" }).trim();
const work = mkdtempSync(join(tmpdir(), "custom-app-"));
afterAll(() => rmSync(work, { recursive: true, force: true }));

/** A release archive: the reference app started by bin/server, so the test can run what it installed. */
function releaseArchive(extra: (dir: string) => void = () => undefined): { path: string; sha256: string } {
  const dir = mkdtempSync(join(work, "release-"));
  mkdirSync(join(dir, "bin"));
  writeFileSync(join(dir, "app.py"), renderReferenceApp());
  writeFileSync(join(dir, "bin/server"), '#!/bin/sh\nexec python3 "$(dirname "$0")/../app.py" "$@"\n');
  chmodSync(join(dir, "bin/server"), 0o755);
  extra(dir);
  const path = `${dir}.tar.gz`;
  const tar = run("tar", ["-czf", path, "-C", dir, "."]);
  if (tar.code !== 0) throw new Error(tar.stderr);
  return { path, sha256: createHash("sha256").update(readFileSync(path)).digest("hex") };
}

const good = releaseArchive();
const application = { artifact: "s3://acme-releases/shop/shop-1.4.2.tar.gz", sha256: good.sha256, command: "bin/server", environment: { LOG_LEVEL: "info" }, packages: ["libpq5"] };
const config = testConfig({ application });

/**
 * Runs the installer from the user data with moto's S3 holding `archive` under
 * the configured key (or nothing at all with `s3: "down"`).
 */
function install(root: string, archive: string | "down", sha256 = good.sha256) {
  const installer = join(work, "platform-app-install");
  writeFileSync(installer, renderedFileWith(config, "stage1-web", RELEASE_INSTALLER_PATH));
  const conf = renderedFileWith(config, "stage1-web", RELEASE_CONF_PATH).replace(/^RELEASE_ROOT=.*$/m, `RELEASE_ROOT=${root}`).replace(/^RELEASE_SHA256=.*$/m, `RELEASE_SHA256=${sha256}`);
  writeFileSync(join(work, "release.conf"), conf);
  const harness = `
import os, runpy, sys
installer, conf, archive = sys.argv[1:4]
os.environ.update(AWS_ACCESS_KEY_ID="testing", AWS_SECRET_ACCESS_KEY="testing", AWS_SESSION_TOKEN="testing")
if archive == "down":
    os.environ["AWS_ENDPOINT_URL_S3"] = "http://127.0.0.1:9"  # nothing listens: S3 unreachable
    os.environ["AWS_MAX_ATTEMPTS"] = "1"
    sys.argv = [installer, conf]
    runpy.run_path(installer, run_name="__main__")
from moto import mock_aws
import boto3
with mock_aws():
    s3 = boto3.client("s3", region_name="us-east-1")
    s3.create_bucket(Bucket="acme-releases")
    s3.put_object(Bucket="acme-releases", Key="shop/shop-1.4.2.tar.gz", Body=open(archive, "rb").read())
    sys.argv = [installer, conf]
    runpy.run_path(installer, run_name="__main__")
`;
  return run(PYTHON, ["-c", harness, installer, join(work, "release.conf"), archive], { timeoutMs: 60_000 });
}

describe("the user's application in place of the reference app (config application)", () => {
  it.each([
    ["an artifact without sha256 and command", { artifact: "s3://acme-releases/app.tar.gz" }, /application\.sha256: "" is not allowed; expected the archive's SHA-256[\s\S]*application\.command: ""/],
    ["a sha256 without an artifact", { sha256: good.sha256 }, /application\.sha256: .* is not allowed; expected empty unless application\.artifact names your release/],
    ["an environment name the platform sets", { ...application, environment: { DB_WRITER_HOST: "evil" } }, /application\.environment: "DB_WRITER_HOST" is not allowed; expected a name the platform does not set itself/],
    ["an absolute start command", { ...application, command: "/bin/sh -c reboot" }, /application\.command: "\/bin\/sh -c reboot" is not allowed; expected a path inside the release/],
    ["a start command leaving the release", { ...application, command: "../../bin/sh" }, /application\.command: .* is not allowed/],
    ["an artifact that is not in S3", { ...application, artifact: "https://example.com/app.tgz" }, /application\.artifact: .* is not allowed; expected an s3:\/\/bucket\/key URI/],
    ["an environment value with quotes", { ...application, environment: { LOG_LEVEL: "x\"; rm -rf /" } }, /application\.environment\.LOG_LEVEL: .* is not allowed/],
  ])("refuses %s at synth, naming the field", (_label, wrong, message) => {
    expect(() => testConfig({ application: wrong })).toThrow(message);
  });

  it("defaults keep the reference application: no release file, no S3 grant", () => {
    const json = synthStack("stage1-distributed", testConfig());
    expect(JSON.stringify(json)).not.toContain("ReadApplicationRelease");
    expect(renderedFileWith(testConfig(), "stage1-web", REFERENCE_APP_UNIT_PATH)).toContain(`ExecStart=/usr/bin/python3 ${REFERENCE_APP_PATH}`);
    expect(() => renderedFileWith(testConfig(), "stage1-web", RELEASE_CONF_PATH)).toThrow(/writes no file/);
  });

  it.each(["single-server", "stage1-web", "app"])("%s runs the release under the same unit, user and sandbox", (role) => {
    const unit = renderedFileWith(config, role, REFERENCE_APP_UNIT_PATH);
    expect(unit).toMatch(/^User=platform-app$/m);
    expect(unit).toMatch(/^ExecStartPre=\+\/usr\/local\/sbin\/platform-app-install \/etc\/platform\/release\.conf$/m);
    expect(unit).toMatch(/^ExecStart=\/opt\/platform-app\/current\/bin\/server$/m);
    expect(unit).toMatch(/^Environment="LOG_LEVEL=info"$/m);
    expect(unit).toMatch(/^ProtectSystem=strict$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(renderedFileWith(config, role, RELEASE_CONF_PATH)).toContain("RELEASE_KEY=shop/shop-1.4.2.tar.gz");
  });

  it("the application hosts may read exactly the release object, nothing else in S3", () => {
    for (const stack of ["stage0-single-server", "stage1-distributed", "stage2-secured-monitored", "stage3-scale-up"]) {
      const grants = resourcesOf(synthStack(stack, config), "aws_iam_role_policy")
        .flatMap(([, policy]) => JSON.parse(policy.policy).Statement as { Sid?: string; Action: string[]; Resource: string[] }[])
        .filter((statement) => statement.Action.some((action) => action.startsWith("s3:")));
      expect({ stack, grants }).toEqual({ stack, grants: [{ Sid: "ReadApplicationRelease", Effect: "Allow", Action: ["s3:GetObject"], Resource: ["arn:aws:s3:::acme-releases/shop/shop-1.4.2.tar.gz"] }] });
    }
  });

  it("installs the release whose SHA-256 matches, root-owned and read-only for the app, and serves it", async () => {
    const root = join(work, "root-good");
    const result = install(root, good.path);
    expect(result.stderr).toContain(`release ${good.sha256} is current`);
    expect(result.code).toBe(0);
    expect(readlinkSync(join(root, "current"))).toBe(join(root, "releases", good.sha256));
    const server = statSync(join(root, "current/bin/server"));
    expect(server.uid).toBe(0);
    expect(server.mode & 0o777).toBe(0o755);
    expect(statSync(join(root, "current/app.py")).mode & 0o777).toBe(0o644);

    // What the unit starts, with its environment (a database socket where none listens): alive, not ready.
    const port = await freePort();
    const app = spawn(join(root, "current/bin/server"), [], { env: { PATH: process.env.PATH, APP_LISTEN: `127.0.0.1:${port}`, LOG_LEVEL: "info", DB_SOCKET: join(root, "no-database.sock") }, stdio: "ignore" });
    try {
      expect(await getStatus(port, "/healthz")).toBe(200);
      expect(await getStatus(port, "/readyz")).toBe(503);
    } finally {
      app.kill("SIGTERM");
    }
  });

  it("a restart needs no S3: a verified release is not downloaded again", () => {
    const root = join(work, "root-restart");
    expect(install(root, good.path).code).toBe(0);
    const again = install(root, "down");
    expect(again.stderr).toContain(`release ${good.sha256} is current`);
    expect(again.code).toBe(0);
  });

  it("refuses an archive whose SHA-256 differs and leaves nothing half-installed", () => {
    const root = join(work, "root-tampered");
    const other = releaseArchive((dir) => writeFileSync(join(dir, "extra.txt"), "not the pinned release\n"));
    const result = install(root, other.path);
    expect(result.code).toBe(1);
    expect(result.stderr).toMatch(new RegExp(`refused s3://acme-releases/shop/shop-1.4.2.tar.gz: SHA-256 ${other.sha256}, expected ${good.sha256}`));
    expect(existsSync(join(root, "current"))).toBe(false);
    expect(readdirSync(join(root, "releases"))).toEqual([]);
  });

  it("refuses an archive with a member outside the release or a link, even with the right SHA-256", () => {
    const escaping = releaseArchive((dir) => run("ln", ["-s", "/etc/shadow", join(dir, "shadow")]));
    const root = join(work, "root-link");
    const result = install(root, escaping.path, escaping.sha256);
    expect(result.code).toBe(1);
    expect(result.stderr).toContain("refused archive member './shadow'");
    expect(existsSync(join(root, "current"))).toBe(false);
    expect(readdirSync(join(root, "releases"))).toEqual([]);
  });

  it("fails without S3 and without an installed release, with nothing left behind", () => {
    const root = join(work, "root-down");
    const result = install(root, "down");
    expect(result.code).not.toBe(0);
    expect(existsSync(join(root, "current"))).toBe(false);
    expect(readdirSync(join(root, "releases"))).toEqual([]);
  });
});

function freePort(): Promise<number> {
  return new Promise((resolve) => {
    const server = createServer().listen(0, "127.0.0.1", () => {
      const port = (server.address() as { port: number }).port;
      server.close(() => resolve(port));
    });
  });
}

async function getStatus(port: number, path: string): Promise<number> {
  for (let attempt = 0; attempt < 50; attempt++) {
    const status = await new Promise<number | undefined>((resolve) => {
      request({ host: "127.0.0.1", port, path, timeout: 500 }, (res) => { res.resume(); resolve(res.statusCode); }).on("error", () => resolve(undefined)).end();
    });
    if (status !== undefined) return status;
    await new Promise((r) => setTimeout(r, 100));
  }
  throw new Error(`nothing answered on 127.0.0.1:${port}`);
}
