/** cloud-config of a private Nginx web server. Pure: no cdktf import. */
import { CloudConfig } from "../../core/cloud-config";
import { renderNginxConfig, renderStaticIndex } from "../nginx";
import { withNodeExporter } from "../node-exporter";
import { withInstanceConnect } from "../instance-connect";
import { NGINX_CONF_PATH, NGINX_INDEX_PATH, NGINX_UPSTREAM_TRUST_PATH, TLS_CERT_PATH, TLS_KEY_PATH } from "../paths";
import { check } from "../../core/validation";
import { TlsIdentitySettings, withTlsIdentity, withTrustSync } from "./tier-tls";
import { TlsTrustParams } from "../tier-tls";
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
  /**
   * Serve HTTPS on 443 with a key made on the host, its certificate published
   * for the load balancers to pin (stage 3). @default undefined (plain HTTP on 80)
   */
  readonly tlsIdentity?: TlsIdentitySettings;
  /** TLS to the `upstreams`, verified against the certificates they publish. @default undefined (plain HTTP) */
  readonly upstreamTrust?: TlsTrustParams;
}

export function nginxNode(params: NginxNodeParams = {}): CloudConfig {
  check(params.upstreamTrust === undefined || params.upstreams !== undefined, "nginxNode.upstreamTrust", params.upstreamTrust?.serverName, "set only together with upstreams");
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
          tls: params.tlsIdentity && { certPath: TLS_CERT_PATH, keyPath: TLS_KEY_PATH },
          upstreamTls: params.upstreamTrust && { trustedCertificate: NGINX_UPSTREAM_TRUST_PATH, serverName: params.upstreamTrust.serverName },
        }),
      },
      ...(proxied ? [] : [{ path: NGINX_INDEX_PATH, content: renderStaticIndex(params.indexTitle ?? "Web platform") }]),
    ],
    runcmd: [["systemctl", "restart", "nginx"]],
  };
  let role = params.localApp ? withReferenceApp(nginx, platformApplication({ database: params.localApp, release: params.release })) : nginx;
  if (params.upstreamTrust) {
    role = withTrustSync(role, {
      ...params.upstreamTrust,
      bundlePath: NGINX_UPSTREAM_TRUST_PATH,
      serverIps: params.upstreams!.map((u) => u.slice(0, u.lastIndexOf(":"))),
      checkCommand: ["nginx", "-t", "-q"],
      reloadCommand: ["systemctl", "try-reload-or-restart", "nginx"],
    });
  }
  // Outermost: the key and certificate exist before the bundle's nginx -t and before nginx starts.
  if (params.tlsIdentity) role = withTlsIdentity(role, params.tlsIdentity, ["systemctl", "reload", "nginx"]);
  return withInstanceConnect(withNodeExporter(role));
}
