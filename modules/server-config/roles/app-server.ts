/** cloud-config of a host that only needs node_exporter (generic app server). Pure: no cdktf import. */
import { CloudConfig } from "../../core/cloud-config";
import { withNodeExporter } from "../node-exporter";

export interface AppServerParams {
  /** Extra Debian packages. @default [] */
  readonly packages?: readonly string[];
}

export function appServer(params: AppServerParams = {}): CloudConfig {
  return withNodeExporter({ packages: [...(params.packages ?? [])] });
}

/** Alias for hosts whose only managed service is node_exporter. */
export const nodeExporterOnly = (): CloudConfig => appServer();
