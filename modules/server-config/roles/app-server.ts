/** cloud-config of an application server of stage 3: the reference app on its port, plus node_exporter. Pure: no cdktf import. */
import { CloudConfig } from "../../core/cloud-config";
import { withNodeExporter } from "../node-exporter";
import { withInstanceConnect } from "../instance-connect";
import { ReferenceAppDatabase, referenceApp, withReferenceApp } from "../reference-app/reference-app";

export interface AppServerParams {
  /** "ip:port" the application listens on, e.g. "0.0.0.0:8080" (the security group limits who reaches it). */
  readonly listen: string;
  /** The database the application uses. */
  readonly database: ReferenceAppDatabase;
  /** Extra Debian packages. @default [] */
  readonly packages?: readonly string[];
}

export function appServer(params: AppServerParams): CloudConfig {
  return withInstanceConnect(withNodeExporter(withReferenceApp({ packages: [...(params.packages ?? [])] }, referenceApp({ listen: params.listen, database: params.database }))));
}

/** cloud-config of a host whose only managed service is node_exporter. */
export const nodeExporterOnly = (): CloudConfig => withInstanceConnect(withNodeExporter({}));
