/**
 * node_exporter runs on every host the project creates: Debian's
 * prometheus-node-exporter package starts it on :9100 (reachable only from the
 * monitoring host through the security group). Pure: no cdktf import.
 */
import { CloudConfig } from "../core/cloud-config";

export const NODE_EXPORTER_PACKAGE = "prometheus-node-exporter";

/** Adds node_exporter to a role's cloud-config (idempotent). */
export function withNodeExporter(config: CloudConfig): CloudConfig {
  const packages = config.packages ?? [];
  return {
    ...config,
    packages: packages.includes(NODE_EXPORTER_PACKAGE) ? packages : [...packages, NODE_EXPORTER_PACKAGE],
  };
}
