/**
 * The backend hosts' release runner: rendered facts, rejected inputs,
 * shellcheck, and real runs of the script against fake `aws`, `docker` and
 * `systemctl` (pointer unset → default kept; pointer set → exactly that image;
 * pull or start fails → non-zero with a clear log and the default serving).
 */
import { copyFileSync, existsSync, mkdirSync, readdirSync, readFileSync, writeFileSync } from "fs";
import { join } from "path";
import { InvalidInputError } from "../../modules/core/validation";
import { parseCloudConfig } from "../../modules/core/cloud-config";
import { extendCloudConfig } from "../../modules/core/cloud-config-merge";
import { backendUserData } from "../../modules/warm-standby/user-data";
import {
  RELEASE_PACKAGES,
  RELEASE_SCRIPT_PATH,
  RELEASE_UNIT_PATH,
  releaseRunnerCloudConfig,
  renderReleaseScript,
  renderReleaseUnit,
  ReleaseRunnerInput,
} from "../../modules/warm-standby/release-runner";
import { describeWithTools, run, SYSTEM_PATH, withTempDir } from "../support/tools";
import { checkShell } from "../support/validators";

const input: ReleaseRunnerInput = {
  region: "us-west-2",
  pointerName: "/webplat-dev-stage4/release",
  registry: "123456789012.dkr.ecr.us-west-2.amazonaws.com",
  repositoryName: "webplat-dev-stage4/app",
  envFiles: ["/etc/app/backend.env"],
};
const IMAGE = "123456789012.dkr.ecr.us-west-2.amazonaws.com/webplat-dev-stage4/app";

describe("release runner facts", () => {
  const doc = releaseRunnerCloudConfig(input);
  test("installs the engine, the ECR credential helper and the AWS CLI from Debian", () => {
    expect(doc.packages).toEqual([...RELEASE_PACKAGES]);
    expect(RELEASE_PACKAGES).toEqual(["docker.io", "amazon-ecr-credential-helper", "awscli"]);
  });
  test("the Docker client logs in to exactly this registry with the instance role", () => {
    const config = doc.writeFiles.find((f) => f.path.endsWith("/docker/config.json"))!;
    expect(JSON.parse(config.content)).toEqual({ credHelpers: { "123456789012.dkr.ecr.us-west-2.amazonaws.com": "ecr-login" } });
    expect(config.permissions).toBe("0600");
  });
  test("the unit runs the script at boot after Docker, retries on failure, and is started without blocking first boot", () => {
    const unit = renderReleaseUnit();
    expect(unit).toContain(`ExecStart=${RELEASE_SCRIPT_PATH}`);
    expect(unit).toMatch(/After=network-online.target docker.service/);
    expect(unit).toContain("Restart=on-failure");
    expect(unit).toContain("WantedBy=multi-user.target");
    expect(doc.writeFiles.map((f) => f.path)).toEqual([RELEASE_SCRIPT_PATH, RELEASE_UNIT_PATH, "/etc/platform-release/docker/config.json"]);
    expect(doc.runcmd).toContainEqual(["systemctl", "start", "--no-block", "platform-release.service"]);
  });
  test("merged into the default backend user data, it comes after the default application", () => {
    const base = backendUserData({ region: "us-west-2", databaseHostname: "sql.db.internal", databasePort: 3306, databaseTlsName: "db.abcdefghijkl.us-west-2.rds.amazonaws.com", databaseSecretArn: "arn:aws:secretsmanager:us-west-2:123456789012:secret:db-AbCdEf", cacheHost: "__REDIS__", cachePort: 6379, cacheUser: "app", cacheName: "redis" });
    const merged = parseCloudConfig(extendCloudConfig(base, doc));
    expect(merged.packages).toEqual([...parseCloudConfig(base).packages, ...RELEASE_PACKAGES.filter((p) => !parseCloudConfig(base).packages.includes(p))]);
    expect(merged.write_files.map((f) => f.path)).toEqual([...parseCloudConfig(base).write_files.map((f) => f.path), ...doc.writeFiles.map((f) => f.path)]);
    expect(merged.runcmd.slice(0, parseCloudConfig(base).runcmd.length)).toEqual(parseCloudConfig(base).runcmd);
    expect(merged.write_files.find((f) => f.path === RELEASE_SCRIPT_PATH)!.content).toBe(renderReleaseScript(input));
  });
  test("user data that is not cloud-config JSON cannot take the runner (clear error)", () => {
    expect(() => extendCloudConfig("#!/bin/bash\necho hi\n", doc, "primary.backendHosts.userData")).toThrow(/primary\.backendHosts\.userData: .* cloud-config/);
  });
});

describe("release runner rejected inputs", () => {
  it.each([
    ["region", { region: "us_west_2" }],
    ["pointerName", { pointerName: "release" }],
    ["registry", { registry: "docker.io" }],
    ["registry", { registry: "123456789012.dkr.ecr.us-west-2.amazonaws.com;rm" }],
    ["repositoryName", { repositoryName: "App/../x" }],
    ["containerPort", { containerPort: 0 }],
    ["hostPort", { hostPort: 70000 }],
    ["defaultUnits", { defaultUnits: ["nginx; reboot"] }],
    ["envFiles", { envFiles: ["relative.env"] }],
  ])("rejects a bad %s", (field, override) => {
    expect(() => renderReleaseScript({ ...input, ...override })).toThrow(InvalidInputError);
    expect(() => renderReleaseScript({ ...input, ...override })).toThrow(new RegExp(`releaseRunner\\.${field}`));
  });
  test("accepts an apply-time placeholder for the account", () => {
    expect(renderReleaseScript({ ...input, registry: "__ECR_ACCOUNT_ID__.dkr.ecr.us-west-2.amazonaws.com" })).toContain('IMAGE_REPOSITORY="__ECR_ACCOUNT_ID__.dkr.ecr.us-west-2.amazonaws.com/webplat-dev-stage4/app"');
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

/** `systemd-analyze verify` of a unit inside a throw-away root holding the stock targets, a docker.service stub and the script. */
function verifyUnit(unit: string): { code: number | null; output: string } {
  return withTempDir("release-unit", (root) => {
    const units = join(root, "etc/systemd/system");
    const stock = join(root, "usr/lib/systemd/system");
    mkdirSync(units, { recursive: true });
    mkdirSync(stock, { recursive: true });
    mkdirSync(join(root, "usr/local/sbin"), { recursive: true });
    for (const f of readdirSync("/usr/lib/systemd/system").filter((n) => /\.(target|slice)$/.test(n))) copyFileSync(join("/usr/lib/systemd/system", f), join(stock, f));
    writeFileSync(join(units, "docker.service"), "[Unit]\nDescription=stand-in for Debian's docker.io unit\n[Service]\nExecStart=/bin/true\n");
    writeFileSync(join(root, RELEASE_SCRIPT_PATH.slice(1)), "#!/bin/bash\n", { mode: 0o755 });
    writeFileSync(join(root, RELEASE_UNIT_PATH.slice(1)), unit);
    const result = run("systemd-analyze", ["verify", "--man=no", `--root=${root}`, RELEASE_UNIT_PATH]);
    return { code: result.code, output: result.stdout + result.stderr };
  });
}

describeWithTools("systemd accepts the unit", ["systemd-analyze"], false, () => {
  test("systemd-analyze verify", () => {
    expect(verifyUnit(renderReleaseUnit())).toEqual({ code: 0, output: "" });
  });
  test("and refuses a broken one (Restart=always is not allowed for oneshot)", () => {
    const result = verifyUnit(renderReleaseUnit().replace("Restart=on-failure", "Restart=always"));
    expect(result.code).not.toBe(0);
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
