/**
 * First-boot configuration of the frontend and backend hosts as cloud-config.
 * Pure: no cdktf import. The hosts run Nginx as a stand-in for the real
 * application (deployed by the application's own pipeline): it serves the
 * health-check paths the load balancers and Route 53 probe, and the backend
 * gets the stable database and cache names in an environment file.
 */
import { CloudConfig, renderCloudConfig } from "../core/cloud-config";
import { withInstanceConnect } from "../server-config/instance-connect";

export interface FrontendUserDataInput {
  /** Region the host runs in, shown on the placeholder page (lets a failover drill see which region answered). */
  readonly region: string;
  /** Path the frontend target group probes, e.g. "/". */
  readonly healthCheckPath: string;
}

export interface BackendUserDataInput {
  readonly region: string;
  /** Path the backend target group and Route 53 probe, e.g. "/health". */
  readonly healthCheckPath: string;
  /** Stable private database name (same in both regions), e.g. sql.db.internal. */
  readonly databaseHostname: string;
  readonly databasePort: number;
  /** Redis primary endpoint, or a placeholder substituted at apply time. */
  readonly cacheHost: string;
}

/** Nginx site: the health path answers 200 itself, everything else is static content. */
export function nginxSite(healthCheckPath: string, role: string): string {
  const health = healthCheckPath === "/" ? "" : `  location = ${healthCheckPath} {\n    default_type text/plain;\n    return 200 "ok\\n";\n  }\n`;
  return [
    "server {",
    "  listen 80 default_server;",
    "  server_name _;",
    "  server_tokens off;",
    "  root /var/www/html;",
    health + `  location / {\n    add_header X-Served-By-Role ${role} always;\n    try_files $uri $uri/ =404;\n  }`,
    "}",
    "",
  ].join("\n");
}

function nginxHost(role: string, region: string, healthCheckPath: string, extraFiles: CloudConfig["writeFiles"] = []): string {
  // No node_exporter: nothing in stage 4 would scrape it. The tier is watched by CloudWatch alarms (ALB, ASG, RDS, Redis).
  // EC2 Instance Connect: operators reach the hosts through the region's endpoint (no bastion, no key pair).
  return renderCloudConfig(withInstanceConnect({
    packages: ["nginx"],
    writeFiles: [
      { path: "/etc/nginx/sites-available/default", content: nginxSite(healthCheckPath, role) },
      { path: "/var/www/html/index.html", content: `<!doctype html><title>${role}</title><p>${role} in ${region}</p>\n` },
      ...(extraFiles ?? []),
    ],
    runcmd: [
      ["nginx", "-t"],
      ["systemctl", "enable", "--now", "nginx"],
      ["systemctl", "reload", "nginx"],
    ],
  }));
}

export function frontendUserData(input: FrontendUserDataInput): string {
  return nginxHost("frontend", input.region, input.healthCheckPath);
}

export function backendUserData(input: BackendUserDataInput): string {
  const env = [
    `APP_REGION=${input.region}`,
    // The name resolves to this region's database through the private zone, so failover changes no config.
    `DB_HOST=${input.databaseHostname}`,
    `DB_PORT=${input.databasePort}`,
    "DB_TLS=required",
    `REDIS_HOST=${input.cacheHost}`,
    "REDIS_PORT=6379",
    "REDIS_TLS=required",
    "",
  ].join("\n");
  return nginxHost("backend", input.region, input.healthCheckPath, [{ path: "/etc/app/backend.env", content: env, permissions: "0640" }]);
}
