/**
 * cloud-init user data as `#cloud-config` followed by JSON. JSON is a subset of
 * YAML, so cloud-init reads it natively, and tests can extract every file the
 * host will receive with JSON.parse instead of a YAML parser or heredoc scraping.
 * Pure: no cdktf import.
 */
import { gunzipSync, gzipSync } from "zlib";

export interface CloudConfigFile {
  /** Absolute path on the host. */
  readonly path: string;
  /** File content, written verbatim. */
  readonly content: string;
  /** Octal permission string. @default "0644" */
  readonly permissions?: string;
  /** Owner as user:group. @default "root:root" */
  readonly owner?: string;
  /**
   * Ship the content gzip-compressed and base64-encoded (cloud-init's `gz+b64`),
   * to stay under the 16 KB user data limit. Only for content known at synth:
   * a Terraform reference inside would never be resolved. @default false
   */
  readonly compress?: boolean;
}

export interface CloudConfig {
  /** Debian packages installed on first boot. @default [] */
  readonly packages?: readonly string[];
  /** Files written before runcmd. @default [] */
  readonly writeFiles?: readonly CloudConfigFile[];
  /** Commands run once at the end of first boot, each an argv array (no shell unless asked for). @default [] */
  readonly runcmd?: readonly (readonly string[])[];
}

export const CLOUD_CONFIG_HEADER = "#cloud-config\n";

/** Hard AWS limit for user data (before base64). */
export const USER_DATA_MAX_BYTES = 16 * 1024;

export function renderCloudConfig(config: CloudConfig): string {
  const doc: Record<string, unknown> = {
    package_update: (config.packages ?? []).length > 0,
    packages: [...(config.packages ?? [])],
    write_files: (config.writeFiles ?? []).map((f) => ({
      path: f.path,
      ...(f.compress ? { encoding: "gz+b64", content: compressed(f) } : { content: f.content }),
      permissions: f.permissions ?? "0644",
      owner: f.owner ?? "root:root",
    })),
    runcmd: (config.runcmd ?? []).map((c) => [...c]),
  };
  // Compact: EC2 caps user data at 16 KB, and the stage 3 load balancers carry every script of the pair.
  return CLOUD_CONFIG_HEADER + JSON.stringify(doc) + "\n";
}

function compressed(file: CloudConfigFile): string {
  if (file.content.includes("${TfToken[")) throw new Error(`${file.path}: content with a Terraform reference cannot be compressed (Terraform would never resolve it)`);
  // Level 9 and zlib's fixed header (mtime 0): the same content always gives the same user data.
  return gzipSync(Buffer.from(file.content, "utf8"), { level: 9 }).toString("base64");
}

export interface ParsedCloudConfig {
  packages: string[];
  write_files: { path: string; content: string; permissions: string; owner: string }[];
  runcmd: string[][];
}

/** Parses user data produced by renderCloudConfig (after Terraform unescaping). */
export function parseCloudConfig(userData: string): ParsedCloudConfig {
  if (!userData.startsWith(CLOUD_CONFIG_HEADER)) {
    throw new Error("user data does not start with #cloud-config");
  }
  type RawFile = ParsedCloudConfig["write_files"][number] & { encoding?: string };
  const doc = JSON.parse(userData.slice(CLOUD_CONFIG_HEADER.length)) as Omit<ParsedCloudConfig, "write_files"> & { write_files: RawFile[] };
  // Compressed files are returned as the host will write them.
  const files = doc.write_files.map(({ encoding, ...f }) => (encoding === "gz+b64" ? { ...f, content: gunzipSync(Buffer.from(f.content, "base64")).toString("utf8") } : f));
  return { ...doc, write_files: files };
}

/** Content of one file written by the user data; throws when absent. */
export function fileFromCloudConfig(userData: string, path: string): string {
  const file = parseCloudConfig(userData).write_files.find((f) => f.path === path);
  if (!file) throw new Error(`user data writes no file ${path}`);
  return file.content;
}
