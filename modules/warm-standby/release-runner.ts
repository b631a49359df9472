/**
 * The backend hosts' release runner: at boot it reads the region's release
 * pointer (an SSM parameter) and, when it names an image tag, pulls that image
 * from the region's ECR repository with the instance role and runs it in
 * place of the default application. Pure: no cdktf import.
 *
 * Why a container and not the CodeDeploy agent: Debian 12 has no CodeDeploy
 * agent package, and AWS's installer downloads a Ruby package from an S3
 * bucket at boot with nothing to verify it against offline; Debian's
 * `docker.io` and `amazon-ecr-credential-helper` are signed packages of the
 * distribution, and ECR images are addressed by immutable tags.
 */
import { CloudConfig, CloudConfigFile } from "../core/cloud-config";
import { check } from "../core/validation";

/** Pointer value meaning "no release yet: keep the default application". */
export const NO_RELEASE = "none";
/** An image tag as Docker and ECR accept it (and nothing a shell could misread). */
export const RELEASE_TAG_PATTERN = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,127}$/;

export const RELEASE_SCRIPT_PATH = "/usr/local/sbin/platform-release";
export const RELEASE_UNIT_PATH = "/etc/systemd/system/platform-release.service";
/** Docker client configuration of the runner: the ECR credential helper for the registry. */
export const RELEASE_DOCKER_CONFIG_DIR = "/etc/platform-release/docker";
/** Debian 12 packages the runner needs: the Docker engine, the ECR credential helper, the AWS CLI. */
export const RELEASE_PACKAGES = ["docker.io", "amazon-ecr-credential-helper", "awscli"] as const;

export interface ReleaseRunnerInput {
  /** Region of the host, its pointer and its repository. */
  readonly region: string;
  /** Name of the release pointer parameter, e.g. "/webplat-dev-stage4/release". */
  readonly pointerName: string;
  /** Registry host, `<account>.dkr.ecr.<region>.amazonaws.com`; the account may be a `__PLACEHOLDER__` substituted at apply time. */
  readonly registry: string;
  /** Repository name, e.g. "webplat-dev-stage4/app". */
  readonly repositoryName: string;
  /** Port the image serves HTTP on (the backend health path included). @default 8080 */
  readonly containerPort?: number;
  /** Host port the load balancer sends to. @default 80 */
  readonly hostPort?: number;
  /** systemd units of the default application, stopped and disabled while a release runs (those not installed are skipped). @default ["nginx", "platform-app"] */
  readonly defaultUnits?: readonly string[];
  /** Environment files handed to the container when they exist on the host. @default [] */
  readonly envFiles?: readonly string[];
  /** Container name. @default "platform-release" */
  readonly containerName?: string;
}

const REGISTRY = /^([0-9]{12}|__[A-Z0-9_]+__)\.dkr\.ecr\.[a-z]{2}(-[a-z]+)+-[0-9]\.amazonaws\.com(\.cn)?$/;

interface Checked {
  readonly region: string;
  readonly pointerName: string;
  readonly registry: string;
  readonly repositoryName: string;
  readonly containerPort: number;
  readonly hostPort: number;
  readonly defaultUnits: readonly string[];
  readonly envFiles: readonly string[];
  readonly containerName: string;
}

function checked(input: ReleaseRunnerInput): Checked {
  const f = (name: string) => `releaseRunner.${name}`;
  check(/^[a-z]{2}(-[a-z]+)+-[0-9]$/.test(input.region), f("region"), input.region, "an AWS region code such as us-east-1");
  check(/^\/[A-Za-z0-9_.\-/]{1,1000}$/.test(input.pointerName), f("pointerName"), input.pointerName, "an absolute SSM parameter name such as /webplat-dev-stage4/release");
  check(REGISTRY.test(input.registry), f("registry"), input.registry, "an ECR registry host such as 123456789012.dkr.ecr.us-east-1.amazonaws.com (the account may be a __PLACEHOLDER__)");
  check(/^[a-z0-9]+(?:[._/-][a-z0-9]+)*$/.test(input.repositoryName), f("repositoryName"), input.repositoryName, "an ECR repository name such as webplat-dev-stage4/app");
  const port = (name: string, value: number) => check(Number.isInteger(value) && value >= 1 && value <= 65535, f(name), value, "an integer port from 1 to 65535");
  const containerPort = input.containerPort ?? 8080;
  const hostPort = input.hostPort ?? 80;
  port("containerPort", containerPort);
  port("hostPort", hostPort);
  const defaultUnits = input.defaultUnits ?? ["nginx", "platform-app"];
  for (const unit of defaultUnits) check(/^[A-Za-z0-9@_.-]{1,200}$/.test(unit), f("defaultUnits"), unit, "systemd unit names (letters, digits, @ _ . -)");
  const envFiles = input.envFiles ?? [];
  for (const file of envFiles) check(/^\/[A-Za-z0-9_.\-/]{1,255}$/.test(file), f("envFiles"), file, "absolute paths of letters, digits, _ . - /");
  const containerName = input.containerName ?? "platform-release";
  check(/^[a-z0-9][a-z0-9_.-]{0,62}$/.test(containerName), f("containerName"), containerName, "a container name of lowercase letters, digits, _ . -");
  return { ...input, containerPort, hostPort, defaultUnits, envFiles, containerName };
}

/** The runner script: read the pointer, keep the default or pull and switch; never leave the host serving nothing. */
export function renderReleaseScript(input: ReleaseRunnerInput): string {
  const c = checked(input);
  const words = (list: readonly string[]) => list.map((w) => `"${w}"`).join(" ");
  return `#!/bin/bash
# Runs the release named by the release pointer ${c.pointerName} as a container,
# in place of the default application. "${NO_RELEASE}" (or no pointer value): the default stays.
# Rendered by modules/warm-standby/release-runner.ts; run at boot by platform-release.service.
set -uo pipefail

REGION="${c.region}"
POINTER="${c.pointerName}"
IMAGE_REPOSITORY="${c.registry}/${c.repositoryName}"
CONTAINER="${c.containerName}"
HOST_PORT=${c.hostPort}
CONTAINER_PORT=${c.containerPort}
DEFAULT_UNITS=(${words(c.defaultUnits)})
ENV_FILES=(${words(c.envFiles)})
export DOCKER_CONFIG="\${DOCKER_CONFIG:-${RELEASE_DOCKER_CONFIG_DIR}}"

log() {
  logger -t platform-release -- "$*" || true
  printf 'platform-release: %s\\n' "$*" >&2
}

if ! tag=$(aws ssm get-parameter --region "$REGION" --name "$POINTER" --query Parameter.Value --output text); then
  log "cannot read the release pointer $POINTER in $REGION: nothing changed (the default application keeps serving)"
  exit 1
fi
if [ -z "$tag" ] || [ "$tag" = "${NO_RELEASE}" ]; then
  log "no release published ($POINTER is '\${tag}'): the default application keeps serving"
  exit 0
fi
if ! [[ "$tag" =~ ${RELEASE_TAG_PATTERN.source} ]]; then
  log "the release pointer $POINTER holds '$tag', which is not an image tag: nothing changed"
  exit 1
fi
image="$IMAGE_REPOSITORY:$tag"

if [ "$(docker inspect --format '{{.Config.Image}} {{.State.Running}}' "$CONTAINER" 2>/dev/null)" = "$image true" ]; then
  log "$image is already running"
  exit 0
fi

# Pull first: until the image is on the host, nothing is stopped.
if ! docker pull "$image"; then
  log "pull of $image failed (missing tag, no replica yet in $REGION, or no registry access): nothing changed, the default application keeps serving"
  exit 1
fi

stopped=()
restore_default() {
  docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
  for unit in "\${stopped[@]}"; do systemctl enable --now "$unit" || log "could not restart $unit"; done
}

# The default application's units stay off (also across reboots) while a release runs; units not installed are skipped.
for unit in "\${DEFAULT_UNITS[@]}"; do
  systemctl cat -- "$unit" >/dev/null 2>&1 || continue
  stopped+=("$unit")
  if ! systemctl disable --now "$unit"; then
    log "could not stop $unit: restoring the default application"
    restore_default
    exit 1
  fi
done
docker rm -f "$CONTAINER" >/dev/null 2>&1 || true
env_args=()
for file in "\${ENV_FILES[@]}"; do
  if [ -r "$file" ]; then env_args+=(--env-file "$file"); fi
done
if ! docker run --detach --name "$CONTAINER" --restart unless-stopped --log-driver journald \\
  --publish "$HOST_PORT:$CONTAINER_PORT" "\${env_args[@]}" "$image"; then
  log "start of $image failed: restoring the default application"
  restore_default
  exit 1
fi
log "running $image on port $HOST_PORT (container port $CONTAINER_PORT)"
`;
}

/** The systemd unit that runs the script once per boot, retrying while the pull fails (e.g. before replication reached the region). */
export function renderReleaseUnit(): string {
  return `[Unit]
Description=Run the released application image named by the SSM release pointer (else keep the default application)
Wants=network-online.target
After=network-online.target docker.service
Requires=docker.service
StartLimitIntervalSec=1800
StartLimitBurst=20

[Service]
Type=oneshot
RemainAfterExit=yes
Environment=DOCKER_CONFIG=${RELEASE_DOCKER_CONFIG_DIR}
ExecStart=${RELEASE_SCRIPT_PATH}
Restart=on-failure
RestartSec=30

[Install]
WantedBy=multi-user.target
`;
}

/** Docker client configuration: pulls from the registry authenticate with the instance role through the ECR credential helper. */
export function renderDockerConfig(registry: string): string {
  return JSON.stringify({ credHelpers: { [registry]: "ecr-login" } }, null, 2) + "\n";
}

/** What the runner adds to a host's cloud-config: packages, the script, the unit, the Docker config, and its start. */
export function releaseRunnerCloudConfig(input: ReleaseRunnerInput): Required<CloudConfig> {
  const c = checked(input);
  const files: CloudConfigFile[] = [
    { path: RELEASE_SCRIPT_PATH, content: renderReleaseScript(input), permissions: "0755" },
    { path: RELEASE_UNIT_PATH, content: renderReleaseUnit() },
    { path: `${RELEASE_DOCKER_CONFIG_DIR}/config.json`, content: renderDockerConfig(c.registry), permissions: "0600" },
  ];
  return {
    packages: [...RELEASE_PACKAGES],
    writeFiles: files,
    // --no-block: first boot must not wait for a pull (the unit retries by itself).
    runcmd: [
      ["systemctl", "daemon-reload"],
      ["systemctl", "enable", "platform-release.service"],
      ["systemctl", "start", "--no-block", "platform-release.service"],
    ],
  };
}
