/**
 * The single source of the files the server-config tests and drills check.
 * Today it renders the roles with sample parameters and round-trips them
 * through the user-data format (renderCloudConfig → parseCloudConfig); later
 * it will read the user data of the synthesized stacks instead, and every
 * test keeps working unchanged.
 */
import { CloudConfig, parseCloudConfig, renderCloudConfig } from "../../modules/core/cloud-config";
import { haproxyNode } from "../../modules/server-config/roles/haproxy-node";
import { monitoringNode } from "../../modules/server-config/roles/monitoring-node";
import { nginxNode } from "../../modules/server-config/roles/nginx-node";
import { singleServer } from "../../modules/server-config/roles/single-server";
import { appServer } from "../../modules/server-config/roles/app-server";
import { SAMPLE_LB_A, SAMPLE_LB_B, SAMPLE_MONITORING } from "./sample-params";

export interface RenderedFile {
  /** Host role, e.g. "lb-a", "web", "monitoring". */
  readonly role: string;
  /** Absolute path on the host. */
  readonly path: string;
  /** Content exactly as the host receives it. */
  readonly content: string;
  /** Octal permissions as written. */
  readonly permissions: string;
}

/** User data (#cloud-config + JSON) per role, as the instances would receive it. */
export function userDataByRole(): Record<string, string> {
  const roles: Record<string, CloudConfig> = {
    "lb-a": haproxyNode(SAMPLE_LB_A),
    "lb-b": haproxyNode(SAMPLE_LB_B),
    web: nginxNode({ trustedProxies: ["10.0.1.10", "10.0.2.10"] }),
    monitoring: monitoringNode(SAMPLE_MONITORING),
    "single-server": singleServer(),
    app: appServer(),
  };
  return Object.fromEntries(Object.entries(roles).map(([role, config]) => [role, renderCloudConfig(config)]));
}

let cache: RenderedFile[] | undefined;

/** Every file written by every role's user data. */
export function renderedFiles(): RenderedFile[] {
  if (!cache) {
    cache = Object.entries(userDataByRole()).flatMap(([role, userData]) =>
      parseCloudConfig(userData).write_files.map((f) => ({ role, path: f.path, content: f.content, permissions: f.permissions })),
    );
  }
  return cache;
}

/** Content of one file of one role; throws when absent. */
export function renderedFile(role: string, path: string): string {
  const file = renderedFiles().find((f) => f.role === role && f.path === path);
  if (!file) throw new Error(`role ${role} writes no file ${path}`);
  return file.content;
}

/** Roles that write a file at `path`. */
export function rolesWriting(path: string): string[] {
  return renderedFiles().filter((f) => f.path === path).map((f) => f.role);
}
