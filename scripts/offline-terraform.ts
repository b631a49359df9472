/**
 * Runs the real Terraform CLI with no network: providers come from a local
 * filesystem mirror, through a CLI config file this project writes itself
 * (the environment's TF_CLI_CONFIG_FILE may point at a file that does not exist).
 */
import { execFile, execFileSync, spawnSync } from "child_process";
import { existsSync, mkdirSync, readdirSync, writeFileSync } from "fs";
import { join, resolve } from "path";

/** Mirror roots tried when TF_PROVIDER_MIRROR is not set. */
const KNOWN_MIRRORS = ["/opt/tf-plugins", "/usr/share/terraform/plugins", `${process.env.HOME ?? "/root"}/.terraform.d/plugins`];
const AWS_PROVIDER_DIR = "registry.terraform.io/hashicorp/aws";

export interface OfflineTerraform {
  readonly terraform: string;
  readonly mirror: string;
  readonly cliConfigFile: string;
}

/** What is missing for offline Terraform, or undefined when everything is there. */
export function missingOfflineTerraform(): string | undefined {
  if (!findTerraform()) return "the terraform CLI (not on PATH; set TERRAFORM_BIN)";
  if (!findMirror()) return `a provider mirror holding ${AWS_PROVIDER_DIR} (set TF_PROVIDER_MIRROR; tried ${KNOWN_MIRRORS.join(", ")})`;
  return undefined;
}

export function findTerraform(): string | undefined {
  if (process.env.TERRAFORM_BIN) return existsSync(process.env.TERRAFORM_BIN) ? process.env.TERRAFORM_BIN : undefined;
  const found = spawnSync("sh", ["-c", "command -v terraform"], { encoding: "utf8" });
  return found.status === 0 ? found.stdout.trim() : undefined;
}

export function findMirror(): string | undefined {
  const candidates = process.env.TF_PROVIDER_MIRROR ? [process.env.TF_PROVIDER_MIRROR] : KNOWN_MIRRORS;
  return candidates.find((dir) => existsSync(join(dir, AWS_PROVIDER_DIR)));
}

/** The AWS provider versions the mirror holds, e.g. ["5.100.0"]. */
export function mirroredAwsVersions(mirror: string): string[] {
  return readdirSync(join(mirror, AWS_PROVIDER_DIR));
}

/** Writes the CLI config into `dir` and returns the toolchain; throws naming what is missing. */
export function prepareOfflineTerraform(dir: string): OfflineTerraform {
  const missing = missingOfflineTerraform();
  if (missing) throw new Error(`offline terraform unavailable: missing ${missing}`);
  const mirror = resolve(findMirror()!);
  mkdirSync(dir, { recursive: true });
  const cliConfigFile = resolve(dir, "terraform-offline.tfrc");
  const cacheDir = resolve(dir, "plugin-cache");
  mkdirSync(cacheDir, { recursive: true });
  writeFileSync(
    cliConfigFile,
    [
      `plugin_cache_dir = ${JSON.stringify(cacheDir)}`,
      "disable_checkpoint = true",
      "provider_installation {",
      `  filesystem_mirror {`,
      `    path    = ${JSON.stringify(mirror)}`,
      `    include = ["registry.terraform.io/hashicorp/*"]`,
      "  }",
      "}",
      "",
    ].join("\n"),
  );
  return { terraform: findTerraform()!, mirror, cliConfigFile };
}

/** Environment for offline runs: mock credentials, no IMDS, no checkpoint calls. */
export function offlineEnv(tf: OfflineTerraform): NodeJS.ProcessEnv {
  return {
    ...process.env,
    TF_CLI_CONFIG_FILE: tf.cliConfigFile,
    TF_IN_AUTOMATION: "1",
    TF_INPUT: "0",
    CHECKPOINT_DISABLE: "1",
    AWS_ACCESS_KEY_ID: "AKIAMOCKOFFLINEPLAN0",
    AWS_SECRET_ACCESS_KEY: "mock-secret-for-offline-plans-only",
    AWS_EC2_METADATA_DISABLED: "true",
    AWS_PROFILE: "",
    AWS_CONFIG_FILE: "/dev/null",
    AWS_SHARED_CREDENTIALS_FILE: "/dev/null",
  };
}

/** Runs terraform in `cwd`; throws with its output on a non-zero exit. */
export function terraform(tf: OfflineTerraform, cwd: string, args: string[]): string {
  try {
    return execFileSync(tf.terraform, args, { cwd, env: offlineEnv(tf), encoding: "utf8", stdio: ["ignore", "pipe", "pipe"], maxBuffer: MAX_OUTPUT });
  } catch (error) {
    throw failure(args, cwd, error);
  }
}

/** Like `terraform`, without blocking: lets independent stacks plan in parallel. */
export function terraformAsync(tf: OfflineTerraform, cwd: string, args: string[]): Promise<string> {
  return new Promise((resolvePromise, reject) => {
    execFile(tf.terraform, args, { cwd, env: offlineEnv(tf), encoding: "utf8", maxBuffer: MAX_OUTPUT }, (error, stdout, stderr) => {
      if (error) reject(failure(args, cwd, { stdout, stderr }));
      else resolvePromise(stdout);
    });
  });
}

const MAX_OUTPUT = 256 * 1024 * 1024;

function failure(args: string[], cwd: string, error: unknown): Error {
  const e = error as { stdout?: string; stderr?: string };
  return new Error(`terraform ${args[0]} failed in ${cwd}:\n${e.stderr || ""}${e.stdout || ""}`.trim());
}
