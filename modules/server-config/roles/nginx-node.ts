/** cloud-config of a private Nginx web server. Pure: no cdktf import. */
import { CloudConfig } from "../../core/cloud-config";
import { renderNginxConfig, renderStaticIndex } from "../nginx";
import { withNodeExporter } from "../node-exporter";
import { NGINX_CONF_PATH, NGINX_INDEX_PATH } from "../paths";
import { LOCAL_APP_PORT, ReferenceAppDatabase, withReferenceApp } from "../reference-app/reference-app";
import { ApplicationRelease, platformApplication } from "../application/custom-application";

export interface NginxNodeParams {
  /** Load balancer addresses whose X-Forwarded-For is trusted. @default [] */
  readonly trustedProxies?: readonly string[];
  /** Title of the placeholder index page (static site only). @default "Web platform" */
  readonly indexTitle?: string;
  /**
   * Run the reference application on this host behind Nginx (stages 1–2: web
   * and app on one server), connected to this database. Excludes `upstreams`.
   * @default undefined
   */
  readonly localApp?: ReferenceAppDatabase;
  /** Proxy to these "ip:port" application servers (stage 3). Excludes `localApp`. @default undefined (static site) */
  readonly upstreams?: readonly string[];
  /** With `localApp`: the user's application release instead of the reference app. @default undefined (reference app) */
  readonly release?: ApplicationRelease;
}

export function nginxNode(params: NginxNodeParams = {}): CloudConfig {
  const proxied = params.localApp !== undefined || params.upstreams !== undefined;
  const nginx: CloudConfig = {
    packages: ["nginx-light"],
    writeFiles: [
      {
        path: NGINX_CONF_PATH,
        content: renderNginxConfig({
          trustedProxies: params.trustedProxies,
          proxyTo: params.localApp ? `127.0.0.1:${LOCAL_APP_PORT}` : undefined,
          upstreams: params.upstreams,
        }),
      },
      ...(proxied ? [] : [{ path: NGINX_INDEX_PATH, content: renderStaticIndex(params.indexTitle ?? "Web platform") }]),
    ],
    runcmd: [["systemctl", "restart", "nginx"]],
  };
  return withNodeExporter(params.localApp ? withReferenceApp(nginx, platformApplication({ database: params.localApp, release: params.release })) : nginx);
}
