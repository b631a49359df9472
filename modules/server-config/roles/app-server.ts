/** cloud-config of an application server of stage 3: the reference app on its port, plus node_exporter. Pure: no cdktf import. */
import { CloudConfig } from "../../core/cloud-config";
import { withNodeExporter } from "../node-exporter";
import { withInstanceConnect } from "../instance-connect";
import { ReferenceAppDatabase, withReferenceApp, REFERENCE_APP_UNIT_NAME } from "../reference-app/reference-app";
import { ApplicationRelease, platformApplication } from "../application/custom-application";
import { TlsIdentitySettings, withTlsIdentity } from "./tier-tls";

export interface AppServerParams {
  /** "ip:port" the application listens on, e.g. "0.0.0.0:8080" (the security group limits who reaches it). */
  readonly listen: string;
  /** The database the application uses. */
  readonly database: ReferenceAppDatabase;
  /** Extra Debian packages. @default [] */
  readonly packages?: readonly string[];
  /** The user's application release instead of the reference app (it must then serve the TLS listener too). @default undefined (reference app) */
  readonly release?: ApplicationRelease;
  /**
   * Serve the application over TLS on `tls.listen` with a key made on the host,
   * its certificate published for the web tier to pin; `listen` then answers
   * only /healthz and /readyz (the monitoring host's probes). @default undefined (plain HTTP on `listen`)
   */
  readonly tls?: TlsIdentitySettings & { readonly listen: string };
}

export function appServer(params: AppServerParams): CloudConfig {
  const app = withReferenceApp(
    { packages: [...(params.packages ?? [])] },
    platformApplication({ listen: params.listen, database: params.database, tlsListen: params.tls?.listen, release: params.release }),
  );
  // The app reads its key at start: a rotated key needs a restart.
  return withInstanceConnect(withNodeExporter(params.tls ? withTlsIdentity(app, params.tls, ["systemctl", "restart", REFERENCE_APP_UNIT_NAME]) : app));
}

/** cloud-config of a host whose only managed service is node_exporter. */
export const nodeExporterOnly = (): CloudConfig => withInstanceConnect(withNodeExporter({}));
