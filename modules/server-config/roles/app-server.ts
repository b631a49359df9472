/** cloud-config of an application server of stage 3: the reference app on its port, plus node_exporter. Pure: no cdktf import. */
import { CloudConfig } from "../../core/cloud-config";
import { withNodeExporter } from "../node-exporter";
import { ReferenceAppDatabase, withReferenceApp } from "../reference-app/reference-app";
import { ApplicationRelease, platformApplication } from "../application/custom-application";

export interface AppServerParams {
  /** "ip:port" the application listens on, e.g. "0.0.0.0:8080" (the security group limits who reaches it). */
  readonly listen: string;
  /** The database the application uses. */
  readonly database: ReferenceAppDatabase;
  /** Extra Debian packages. @default [] */
  readonly packages?: readonly string[];
  /** The user's application release instead of the reference app. @default undefined (reference app) */
  readonly release?: ApplicationRelease;
}

export function appServer(params: AppServerParams): CloudConfig {
  return withNodeExporter(withReferenceApp({ packages: [...(params.packages ?? [])] }, platformApplication({ listen: params.listen, database: params.database, release: params.release })));
}

/** cloud-config of a host whose only managed service is node_exporter. */
export const nodeExporterOnly = (): CloudConfig => withNodeExporter({});
