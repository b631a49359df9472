/** cloud-config of a private Nginx web server. Pure: no cdktf import. */
import { CloudConfig } from "../../core/cloud-config";
import { renderNginxConfig, renderStaticIndex } from "../nginx";
import { withNodeExporter } from "../node-exporter";
import { NGINX_CONF_PATH, NGINX_INDEX_PATH } from "../paths";

export interface NginxNodeParams {
  /** Load balancer addresses whose X-Forwarded-For is trusted. @default [] */
  readonly trustedProxies?: readonly string[];
  /** Title of the placeholder index page. @default "Web platform" */
  readonly indexTitle?: string;
}

export function nginxNode(params: NginxNodeParams = {}): CloudConfig {
  return withNodeExporter({
    packages: ["nginx-light"],
    writeFiles: [
      { path: NGINX_CONF_PATH, content: renderNginxConfig({ trustedProxies: params.trustedProxies }) },
      { path: NGINX_INDEX_PATH, content: renderStaticIndex(params.indexTitle ?? "Web platform") },
    ],
    runcmd: [["systemctl", "restart", "nginx"]],
  });
}
