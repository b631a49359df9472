/**
 * cloud-config of the stage-0 single server: Nginx on port 80 proxying to the
 * reference application on 127.0.0.1:8000, which uses a local MariaDB (its
 * password made on the host at first boot, never in user data), plus
 * node_exporter. Pure: no cdktf import.
 */
import { CloudConfig } from "../../core/cloud-config";
import { renderNginxConfig } from "../nginx";
import { withNodeExporter } from "../node-exporter";
import { NGINX_CONF_PATH } from "../paths";
import { LOCAL_APP_PORT, withReferenceApp } from "../reference-app/reference-app";
import { ApplicationRelease, platformApplication } from "../application/custom-application";

/** `release`: the user's application instead of the reference app (same unit, same database). */
export function singleServer(release?: ApplicationRelease): CloudConfig {
  const nginx: CloudConfig = {
    packages: ["nginx-light"],
    writeFiles: [{ path: NGINX_CONF_PATH, content: renderNginxConfig({ proxyTo: `127.0.0.1:${LOCAL_APP_PORT}` }) }],
    runcmd: [["systemctl", "restart", "nginx"]],
  };
  return withNodeExporter(withReferenceApp(nginx, platformApplication({ database: { kind: "local-mariadb" }, release })));
}
