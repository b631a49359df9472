/**
 * The backend hosts' release runner (construct-free renderer): every rendered line a reviewer reads, defaults and
 * overrides, every rejected input with its boundaries, shellcheck, systemd-analyze, and real runs of the script
 * against fake `aws`, `docker` and `systemctl` (pointer unset → default kept; pointer set → exactly that image;
 * pull or start fails → non-zero with a clear log and the default serving). It replaces the stage 4 file it grew
 * from (every test of that file is here, most of them stated more exactly); each test computes what it asserts in its
 * own body.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { InvalidInputError } from "../../modules/core/validation";
import { parseCloudConfig } from "../../modules/core/cloud-config";
import { extendCloudConfig } from "../../modules/core/cloud-config-merge";
import { backendUserData } from "../../modules/warm-standby/user-data";
import {
  NO_RELEASE,
  RELEASE_DOCKER_CONFIG_DIR,
  RELEASE_PACKAGES,
  RELEASE_SCRIPT_PATH,
  RELEASE_TAG_PATTERN,
  RELEASE_UNIT_PATH,
  releaseRunnerCloudConfig,
  renderDockerConfig,
  renderReleaseScript,
  renderReleaseUnit,
  ReleaseRunnerInput,
} from "../../modules/warm-standby/release-runner";
import { invalidInputOf } from "../support/invalid-input";
import { describeWithTools, run, SYSTEM_PATH, withTempDir } from "../support/tools";
import { checkShell, checkSystemdUnits } from "../support/validators";

const input: ReleaseRunnerInput = {
  region: "us-west-2",
  pointerName: "/webplat-dev-stage4/release",
  registry: "123456789012.dkr.ecr.us-west-2.amazonaws.com",
  repositoryName: "webplat-dev-stage4/app",
  envFiles: ["/etc/app/backend.env"],
};
const IMAGE = "123456789012.dkr.ecr.us-west-2.amazonaws.com/webplat-dev-stage4/app";
/** The script's settings block: the lines between `set -uo pipefail` and `log() {`. */
const settingsOf = (script: string) => script.slice(script.indexOf("set -uo pipefail\n") + 17, script.indexOf("\nlog() {")).trim().split("\n");

describe("release runner constants", () => {
  test('the pointer value "none" means no release; tags are what Docker and ECR accept (1-128 characters, no leading . or -)', () => {
    expect(NO_RELEASE).toBe("none");
    expect(RELEASE_TAG_PATTERN.source).toBe("^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$");
    for (const ok of ["v1.4.2", "_", "A", "9", "a".repeat(128), "sha-0123_x.Y"]) expect([ok, RELEASE_TAG_PATTERN.test(ok)]).toEqual([ok, true]);
    for (const bad of ["", ".v1", "-v1", "a".repeat(129), "v1;x", "v 1", "v1/x"]) expect([bad, RELEASE_TAG_PATTERN.test(bad)]).toEqual([bad, false]);
  });
  test("paths and packages", () => {
    expect(RELEASE_SCRIPT_PATH).toBe("/usr/local/sbin/platform-release");
    expect(RELEASE_UNIT_PATH).toBe("/etc/systemd/system/platform-release.service");
    expect(RELEASE_DOCKER_CONFIG_DIR).toBe("/etc/platform-release/docker");
    expect(RELEASE_PACKAGES).toEqual(["docker.io", "amazon-ecr-credential-helper", "awscli"]);
  });
});

describe("release script settings", () => {
  test("defaults: container port 8080, host port 80, default units nginx and platform-app, container platform-release, no env files", () => {
    const { envFiles: _omitted, ...bare } = input;
    const script = renderReleaseScript(bare);
    expect(settingsOf(script)).toEqual([
      'REGION="us-west-2"',
      'POINTER="/webplat-dev-stage4/release"',
      `IMAGE_REPOSITORY="${IMAGE}"`,
      'CONTAINER="platform-release"',
      "HOST_PORT=80",
      "CONTAINER_PORT=8080",
      'DEFAULT_UNITS=("nginx" "platform-app")',
      "ENV_FILES=()",
      'export DOCKER_CONFIG="${DOCKER_CONFIG:-/etc/platform-release/docker}"',
    ]);
  });
  test("overrides land in the settings: ports, units, env files, container name", () => {
    const script = renderReleaseScript({ ...input, containerPort: 3000, hostPort: 8081, defaultUnits: ["apache2", "app@1.service"], envFiles: ["/etc/a.env", "/etc/b.env"], containerName: "shop_api.v2-x" });
    expect(settingsOf(script)).toEqual([
      'REGION="us-west-2"',
      'POINTER="/webplat-dev-stage4/release"',
      `IMAGE_REPOSITORY="${IMAGE}"`,
      'CONTAINER="shop_api.v2-x"',
      "HOST_PORT=8081",
      "CONTAINER_PORT=3000",
      'DEFAULT_UNITS=("apache2" "app@1.service")',
      'ENV_FILES=("/etc/a.env" "/etc/b.env")',
      'export DOCKER_CONFIG="${DOCKER_CONFIG:-/etc/platform-release/docker}"',
    ]);
    expect(renderReleaseScript({ ...input, defaultUnits: [] })).toContain("\nDEFAULT_UNITS=()\n");
  });
  test('the script names its pointer in the header, treats "none" as no release and checks the tag with the tag pattern', () => {
    const script = renderReleaseScript(input);
    expect(script.startsWith("#!/bin/bash\n# Runs the release named by the release pointer /webplat-dev-stage4/release as a container,\n")).toBe(true);
    expect(script).toContain('\n# in place of the default application. "none" (or no pointer value): the default stays.\n');
    expect(script).toContain('if [ -z "$tag" ] || [ "$tag" = "none" ]; then');
    expect(script).toContain('if ! [[ "$tag" =~ ^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$ ]]; then');
    expect(script.endsWith('log "running $image on port $HOST_PORT (container port $CONTAINER_PORT)"\n')).toBe(true);
  });
});

describe("release runner files", () => {
  test("the unit, exactly: after the network and Docker, once per boot, retried every 30 s, 20 times in 30 minutes", () => {
    expect(renderReleaseUnit()).toBe(`[Unit]
Description=Run the released application image named by the SSM release pointer (else keep the default application)
Wants=network-online.target
After=network-online.target docker.service
Requires=docker.service
StartLimitIntervalSec=1800
StartLimitBurst=20

[Service]
Type=oneshot
RemainAfterExit=yes
Environment=DOCKER_CONFIG=/etc/platform-release/docker
ExecStart=/usr/local/sbin/platform-release
Restart=on-failure
RestartSec=30

[Install]
WantedBy=multi-user.target
`);
  });
  test("the Docker client logs in to exactly this registry with the instance role (ecr-login)", () => {
    expect(renderDockerConfig("123456789012.dkr.ecr.us-west-2.amazonaws.com")).toBe('{\n  "credHelpers": {\n    "123456789012.dkr.ecr.us-west-2.amazonaws.com": "ecr-login"\n  }\n}\n');
  });
  test("the cloud-config part, exactly: packages, script (0755), unit, Docker config (0600), reload, enable, start without blocking first boot", () => {
    expect(releaseRunnerCloudConfig(input)).toEqual({
      packages: ["docker.io", "amazon-ecr-credential-helper", "awscli"],
      writeFiles: [
        { path: "/usr/local/sbin/platform-release", content: renderReleaseScript(input), permissions: "0755" },
        { path: "/etc/systemd/system/platform-release.service", content: renderReleaseUnit() },
        { path: "/etc/platform-release/docker/config.json", content: renderDockerConfig("123456789012.dkr.ecr.us-west-2.amazonaws.com"), permissions: "0600" },
      ],
      runcmd: [
        ["systemctl", "daemon-reload"],
        ["systemctl", "enable", "platform-release.service"],
        ["systemctl", "start", "--no-block", "platform-release.service"],
      ],
    });
  });
  test("the packages list is a copy (callers cannot change the constant through it)", () => {
    const doc = releaseRunnerCloudConfig(input);
    expect(doc.packages).not.toBe(RELEASE_PACKAGES);
  });
  test("the script in the cloud-config carries the input's overrides", () => {
    const doc = releaseRunnerCloudConfig({ ...input, hostPort: 8081 });
    expect(doc.writeFiles[0].content).toContain("\nHOST_PORT=8081\n");
  });
  test("merged into the default backend user data, it comes after the default application", () => {
    const doc = releaseRunnerCloudConfig(input);
    const base = backendUserData({ region: "us-west-2", databaseHostname: "sql.db.internal", databasePort: 3306, databaseTlsName: "db.abcdefghijkl.us-west-2.rds.amazonaws.com", databaseSecretArn: "arn:aws:secretsmanager:us-west-2:123456789012:secret:db-AbCdEf", cacheHost: "__REDIS__", cachePort: 6379, cacheUser: "app", cacheName: "redis" });
    const merged = parseCloudConfig(extendCloudConfig(base, doc));
    expect(merged.packages).toEqual([...parseCloudConfig(base).packages, ...RELEASE_PACKAGES.filter((p) => !parseCloudConfig(base).packages.includes(p))]);
    expect(merged.write_files.map((f) => f.path)).toEqual([...parseCloudConfig(base).write_files.map((f) => f.path), ...doc.writeFiles.map((f) => f.path)]);
    expect(merged.runcmd.slice(0, parseCloudConfig(base).runcmd.length)).toEqual(parseCloudConfig(base).runcmd);
    expect(merged.write_files.find((f) => f.path === RELEASE_SCRIPT_PATH)!.content).toBe(renderReleaseScript(input));
  });
  test("user data that is not cloud-config JSON cannot take the runner (clear error)", () => {
    expect(() => extendCloudConfig("#!/bin/bash\necho hi\n", releaseRunnerCloudConfig(input), "primary.backendHosts.userData")).toThrow(/primary\.backendHosts\.userData: .* cloud-config/);
  });
});

const ALLOWED: Record<string, string> = {
  region: "an AWS region code such as us-east-1",
  pointerName: "an absolute SSM parameter name such as /webplat-dev-stage4/release",
  registry: "an ECR registry host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com (the account may be a __PLACEHOLDER__)",
  repositoryName: "an ECR repository name such as webplat-dev-stage4/app",
  containerPort: "an integer port from 1 to 65535",
  hostPort: "an integer port from 1 to 65535",
  defaultUnits: "systemd unit names (letters, digits, @ _ . -)",
  envFiles: "absolute paths of letters, digits, _ . - /",
  containerName: "a container name of lowercase letters, digits, _ . -",
};

describe("release runner rejected inputs", () => {
  it.each([
    ["region", { region: "us_west_2" }, "us_west_2"],
    ["region", { region: "US-west-2" }, "US-west-2"],
    ["region", { region: "u-west-2" }, "u-west-2"],
    ["region", { region: "usa-west-2" }, "usa-west-2"],
    ["region", { region: "us-2" }, "us-2"],
    ["region", { region: "us-west-12" }, "us-west-12"],
    ["region", { region: "us-west-x" }, "us-west-x"],
    ["region", { region: "xus-west-2" }, "xus-west-2"],
    ["region", { region: "us-west-2x" }, "us-west-2x"],
    ["region", { region: "us-West-2" }, "us-West-2"],
    ["pointerName", { pointerName: "release" }, "release"],
    ["pointerName", { pointerName: "x/release" }, "x/release"],
    ["pointerName", { pointerName: "/" }, "/"],
    ["pointerName", { pointerName: "/a b" }, "/a b"],
    ["pointerName", { pointerName: "/a;b" }, "/a;b"],
    ["pointerName", { pointerName: "/release\n" }, "/release\n"],
    ["pointerName", { pointerName: `/${"a".repeat(1001)}` }, `/${"a".repeat(1001)}`],
    ["registry", { registry: "docker.io" }, "docker.io"],
    ["registry", { registry: "123456789012.dkr.ecr.us-west-2.amazonaws.com;rm" }, "123456789012.dkr.ecr.us-west-2.amazonaws.com;rm"],
    ["registry", { registry: "12345678901.dkr.ecr.us-west-2.amazonaws.com" }, "12345678901.dkr.ecr.us-west-2.amazonaws.com"],
    ["registry", { registry: "1234567890123.dkr.ecr.us-west-2.amazonaws.com" }, "1234567890123.dkr.ecr.us-west-2.amazonaws.com"],
    ["registry", { registry: "x123456789012.dkr.ecr.us-west-2.amazonaws.com" }, "x123456789012.dkr.ecr.us-west-2.amazonaws.com"],
    ["registry", { registry: "__lower__.dkr.ecr.us-west-2.amazonaws.com" }, "__lower__.dkr.ecr.us-west-2.amazonaws.com"],
    ["registry", { registry: "__X.dkr.ecr.us-west-2.amazonaws.com" }, "__X.dkr.ecr.us-west-2.amazonaws.com"],
    ["registry", { registry: "____.dkr.ecr.us-west-2.amazonaws.com" }, "____.dkr.ecr.us-west-2.amazonaws.com"],
    ["registry", { registry: "123456789012xdkr.ecr.us-west-2.amazonaws.com" }, "123456789012xdkr.ecr.us-west-2.amazonaws.com"],
    ["registry", { registry: "123456789012.dkrxecrxus-west-2xamazonawsxcom" }, "123456789012.dkrxecrxus-west-2xamazonawsxcom"],
    ["registry", { registry: "123456789012.dkr.ecr.us-west.amazonaws.com" }, "123456789012.dkr.ecr.us-west.amazonaws.com"],
    ["registry", { registry: "123456789012.dkr.ecr.u-west-2.amazonaws.com" }, "123456789012.dkr.ecr.u-west-2.amazonaws.com"],
    ["registry", { registry: "123456789012.dkr.ecr.us-2.amazonaws.com" }, "123456789012.dkr.ecr.us-2.amazonaws.com"],
    ["registry", { registry: "123456789012.dkr.ecr.us-west-2.amazonaws.com.cnx" }, "123456789012.dkr.ecr.us-west-2.amazonaws.com.cnx"],
    ["registry", { registry: "123456789012.dkr.ecr.us-west-2.amazonaws.comxcn" }, "123456789012.dkr.ecr.us-west-2.amazonaws.comxcn"],
    ["repositoryName", { repositoryName: "App/../x" }, "App/../x"],
    ["repositoryName", { repositoryName: "App" }, "App"],
    ["repositoryName", { repositoryName: "" }, ""],
    ["repositoryName", { repositoryName: "/app" }, "/app"],
    ["repositoryName", { repositoryName: "app/" }, "app/"],
    ["repositoryName", { repositoryName: "a//b" }, "a//b"],
    ["repositoryName", { repositoryName: "a b" }, "a b"],
    ["containerPort", { containerPort: 0 }, 0],
    ["containerPort", { containerPort: 65536 }, 65536],
    ["containerPort", { containerPort: 80.5 }, 80.5],
    ["hostPort", { hostPort: 0 }, 0],
    ["hostPort", { hostPort: 65536 }, 65536],
    ["hostPort", { hostPort: 70000 }, 70000],
    ["hostPort", { hostPort: 8.5 }, 8.5],
    ["defaultUnits", { defaultUnits: ["nginx; reboot"] }, "nginx; reboot"],
    ["defaultUnits", { defaultUnits: ["nginx", ""] }, ""],
    ["defaultUnits", { defaultUnits: ["a".repeat(201)] }, "a".repeat(201)],
    ["defaultUnits", { defaultUnits: ["x/nginx"] }, "x/nginx"],
    ["envFiles", { envFiles: ["relative.env"] }, "relative.env"],
    ["envFiles", { envFiles: ["/"] }, "/"],
    ["envFiles", { envFiles: ["/etc/a b.env"] }, "/etc/a b.env"],
    ["envFiles", { envFiles: ["/etc/$x.env"] }, "/etc/$x.env"],
    ["envFiles", { envFiles: ["x/etc/a.env"] }, "x/etc/a.env"],
    ["envFiles", { envFiles: ["/etc/a.env", `/${"a".repeat(256)}`] }, `/${"a".repeat(256)}`],
    ["containerName", { containerName: "" }, ""],
    ["containerName", { containerName: "_app" }, "_app"],
    ["containerName", { containerName: "-app" }, "-app"],
    ["containerName", { containerName: "App" }, "App"],
    ["containerName", { containerName: "app X" }, "app X"],
    ["containerName", { containerName: "a".repeat(64) }, "a".repeat(64)],
  ] as [string, Partial<ReleaseRunnerInput>, unknown][])("rejects a bad %s: %j", (field, override, value) => {
    const error = invalidInputOf(() => renderReleaseScript({ ...input, ...override }));
    expect(error).toBeInstanceOf(InvalidInputError);
    expect([error.field, error.value, error.allowed]).toEqual([`releaseRunner.${field}`, value, ALLOWED[field]]);
    expect(invalidInputOf(() => releaseRunnerCloudConfig({ ...input, ...override })).field).toBe(`releaseRunner.${field}`);
  });

  it.each([
    ["region", { region: "us-gov-west-1" }, 'REGION="us-gov-west-1"'],
    ["region", { region: "ap-southeast-2" }, 'REGION="ap-southeast-2"'],
    ["pointerName", { pointerName: "/a" }, 'POINTER="/a"'],
    ["pointerName", { pointerName: "/Az09_.-/x" }, 'POINTER="/Az09_.-/x"'],
    ["pointerName", { pointerName: `/${"a".repeat(1000)}` }, `POINTER="/${"a".repeat(1000)}"`],
    ["registry", { registry: "__ECR_ACCOUNT_ID__.dkr.ecr.us-west-2.amazonaws.com" }, 'IMAGE_REPOSITORY="__ECR_ACCOUNT_ID__.dkr.ecr.us-west-2.amazonaws.com/webplat-dev-stage4/app"'],
    ["registry", { registry: "__A__.dkr.ecr.us-west-2.amazonaws.com" }, 'IMAGE_REPOSITORY="__A__.dkr.ecr.us-west-2.amazonaws.com/webplat-dev-stage4/app"'],
    ["registry", { registry: "123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn" }, 'IMAGE_REPOSITORY="123456789012.dkr.ecr.cn-north-1.amazonaws.com.cn/webplat-dev-stage4/app"'],
    ["registry", { registry: "123456789012.dkr.ecr.us-gov-west-1.amazonaws.com" }, 'IMAGE_REPOSITORY="123456789012.dkr.ecr.us-gov-west-1.amazonaws.com/webplat-dev-stage4/app"'],
    ["repositoryName", { repositoryName: "a" }, `IMAGE_REPOSITORY="123456789012.dkr.ecr.us-west-2.amazonaws.com/a"`],
    ["repositoryName", { repositoryName: "a.b_c/d-e/f9" }, `IMAGE_REPOSITORY="123456789012.dkr.ecr.us-west-2.amazonaws.com/a.b_c/d-e/f9"`],
    ["containerPort", { containerPort: 1 }, "CONTAINER_PORT=1"],
    ["containerPort", { containerPort: 65535 }, "CONTAINER_PORT=65535"],
    ["hostPort", { hostPort: 1 }, "HOST_PORT=1"],
    ["hostPort", { hostPort: 65535 }, "HOST_PORT=65535"],
    ["defaultUnits", { defaultUnits: ["a"] }, 'DEFAULT_UNITS=("a")'],
    ["defaultUnits", { defaultUnits: ["Az09@_.-x"] }, 'DEFAULT_UNITS=("Az09@_.-x")'],
    ["defaultUnits", { defaultUnits: ["a".repeat(200)] }, `DEFAULT_UNITS=("${"a".repeat(200)}")`],
    ["envFiles", { envFiles: ["/a"] }, 'ENV_FILES=("/a")'],
    ["envFiles", { envFiles: ["/Az09_.-/x"] }, 'ENV_FILES=("/Az09_.-/x")'],
    ["envFiles", { envFiles: [`/${"a".repeat(255)}`] }, `ENV_FILES=("/${"a".repeat(255)}")`],
    ["containerName", { containerName: "a" }, 'CONTAINER="a"'],
    ["containerName", { containerName: "0a_.-z" }, 'CONTAINER="0a_.-z"'],
    ["containerName", { containerName: "a".repeat(63) }, `CONTAINER="${"a".repeat(63)}"`],
  ] as [string, Partial<ReleaseRunnerInput>, string][])("accepts a %s at the edge of what is allowed: %j", (_field, override, line) => {
    expect(settingsOf(renderReleaseScript({ ...input, ...override }))).toContain(line);
  });
});

describeWithTools("the release script passes shellcheck", ["shellcheck"], false, () => {
  test("shellcheck --severity=style", () => {
    expect(checkShell(renderReleaseScript(input))).toEqual({ ok: true, output: expect.any(String) });
  });
  test("and shellcheck can fail", () => {
    expect(checkShell(renderReleaseScript(input).replace('"$image"; then', "$image; then")).ok).toBe(false);
  });
});

describeWithTools("systemd accepts the unit", ["systemd-analyze"], false, () => {
  test("systemd-analyze verify", () => {
    expect(checkSystemdUnits({ [RELEASE_UNIT_PATH]: renderReleaseUnit() })).toEqual({ ok: true, output: "" });
  });
  test("and refuses a broken one (Restart=always is not allowed for oneshot)", () => {
    const result = checkSystemdUnits({ [RELEASE_UNIT_PATH]: renderReleaseUnit().replace("Restart=on-failure", "Restart=always") });
    expect(result.ok).toBe(false);
    expect(result.output).toContain("isn't allowed for Type=oneshot");
  });
});

interface Host {
  /** Pointer value `aws ssm get-parameter` prints; undefined: the call fails. */
  pointer?: string;
  pullFails?: boolean;
  runFails?: boolean;
  /** Installed default units (`systemctl cat` succeeds for them). */
  units?: string[];
  /** What `docker inspect` prints for the container, if it exists. */
  running?: string;
}

interface Outcome {
  code: number | null;
  stderr: string;
  aws: string[];
  docker: string[];
  systemctl: string[];
}

/** Runs the rendered script on a fake host: fake aws/docker/systemctl/logger first on PATH, each recording its arguments. */
function runOnFakeHost(host: Host, script = renderReleaseScript(input)): Outcome {
  return withTempDir("release-runner", (dir) => {
    const bin = join(dir, "bin");
    mkdirSync(bin);
    const fake = (name: string, body: string) => writeFileSync(join(bin, name), `#!/bin/bash\nprintf '%s\\n' "$*" >>"${dir}/${name}.log"\n${body}\n`, { mode: 0o755 });
    if (host.pointer !== undefined) writeFileSync(join(dir, "pointer"), host.pointer + "\n");
    fake("aws", `[ -f "${dir}/pointer" ] || { echo "An error occurred (AccessDeniedException)" >&2; exit 254; }\ncat "${dir}/pointer"`);
    writeFileSync(join(dir, "units"), (host.units ?? ["nginx"]).join("\n") + "\n");
    fake("systemctl", `if [ "$1" = cat ]; then grep -qx -- "$3" "${dir}/units"; exit $?; fi\nexit 0`);
    if (host.running) writeFileSync(join(dir, "running"), host.running + "\n");
    fake(
      "docker",
      [
        `case "$1" in`,
        `  inspect) [ -f "${dir}/running" ] && cat "${dir}/running" && exit 0; echo "Error: No such object" >&2; exit 1 ;;`,
        `  pull) ${host.pullFails ? `echo "pull access denied" >&2; exit 1` : "exit 0"} ;;`,
        `  run) ${host.runFails ? `echo "port is already allocated" >&2; exit 125` : "echo 0123abcd; exit 0"} ;;`,
        `esac`,
        `exit 0`,
      ].join("\n"),
    );
    fake("logger", "exit 0");
    const path = join(dir, "platform-release");
    writeFileSync(path, script, { mode: 0o755 });
    const result = run("bash", [path], { env: { PATH: `${bin}:${SYSTEM_PATH}`, DOCKER_CONFIG: join(dir, "docker-config") } });
    const log = (name: string) => (existsSync(join(dir, `${name}.log`)) ? readFileSync(join(dir, `${name}.log`), "utf8").trim().split("\n").filter(Boolean) : []);
    return { code: result.code, stderr: result.stderr, aws: log("aws"), docker: log("docker"), systemctl: log("systemctl") };
  });
}

describe("release script on a fake host", () => {
  test('pointer "none": the default application keeps serving, nothing is pulled or stopped', () => {
    const out = runOnFakeHost({ pointer: "none" });
    expect(out.code).toBe(0);
    expect(out.aws).toEqual(["ssm get-parameter --region us-west-2 --name /webplat-dev-stage4/release --query Parameter.Value --output text"]);
    expect(out.docker).toEqual([]);
    expect(out.systemctl).toEqual([]);
    expect(out.stderr).toContain("no release published");
  });

  test("pointer set: pulls exactly that tag, stops the installed default units, runs it on port 80", () => {
    const out = runOnFakeHost({ pointer: "v1.4.2", units: ["nginx"] });
    expect(out.code).toBe(0);
    expect(out.docker[0]).toBe("inspect --format {{.Config.Image}} {{.State.Running}} platform-release");
    expect(out.docker).toContain(`pull ${IMAGE}:v1.4.2`);
    // platform-app is not installed on this host: skipped, not an error.
    expect(out.systemctl).toEqual(["cat -- nginx", "disable --now nginx", "cat -- platform-app"]);
    const runLine = out.docker.find((l) => l.startsWith("run "))!;
    expect(runLine).toBe(`run --detach --name platform-release --restart unless-stopped --log-driver journald --publish 80:8080 ${IMAGE}:v1.4.2`);
    // Order: pull before anything is stopped.
    expect(out.docker.indexOf(`pull ${IMAGE}:v1.4.2`)).toBeLessThan(out.docker.indexOf(runLine));
  });

  test("the same release already running: nothing changes", () => {
    const out = runOnFakeHost({ pointer: "v1.4.2", running: `${IMAGE}:v1.4.2 true` });
    expect(out.code).toBe(0);
    expect(out.docker).toEqual(["inspect --format {{.Config.Image}} {{.State.Running}} platform-release"]);
    expect(out.systemctl).toEqual([]);
  });

  test("pull fails: non-zero, a clear log, and the default application untouched", () => {
    const out = runOnFakeHost({ pointer: "v1.4.3", pullFails: true });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`pull of ${IMAGE}:v1.4.3 failed`);
    expect(out.stderr).toContain("the default application keeps serving");
    expect(out.systemctl).toEqual([]);
    expect(out.docker.some((l) => l.startsWith("run "))).toBe(false);
  });

  test("start fails: the container is removed and the default units come back", () => {
    const out = runOnFakeHost({ pointer: "v1.4.3", runFails: true, units: ["nginx", "platform-app"] });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain(`start of ${IMAGE}:v1.4.3 failed: restoring the default application`);
    expect(out.systemctl.slice(-2)).toEqual(["enable --now nginx", "enable --now platform-app"]);
    expect(out.docker.slice(-1)).toEqual(["rm -f platform-release"]);
  });

  test("pointer unreadable: non-zero, nothing pulled or stopped", () => {
    const out = runOnFakeHost({});
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("cannot read the release pointer /webplat-dev-stage4/release in us-west-2");
    expect(out.docker).toEqual([]);
    expect(out.systemctl).toEqual([]);
  });

  test.each([["latest;reboot"], ["-v"], ["../x"]])("pointer %s is not an image tag: refused, nothing pulled", (value) => {
    const out = runOnFakeHost({ pointer: value });
    expect(out.code).toBe(1);
    expect(out.stderr).toContain("which is not an image tag");
    expect(out.docker).toEqual([]);
  });

  test("env files that exist are handed to the container", () => {
    withTempDir("release-env", (dir) => {
      const env = join(dir, "backend.env");
      writeFileSync(env, "DB_HOST=sql.db.internal\n");
      const out = runOnFakeHost({ pointer: "v2" }, renderReleaseScript({ ...input, envFiles: [env, join(dir, "missing.env")] }));
      expect(out.code).toBe(0);
      expect(out.docker.find((l) => l.startsWith("run "))).toContain(`--publish 80:8080 --env-file ${env} ${IMAGE}:v2`);
    });
  });
});
