/**
 * First-boot configuration of the frontend and backend hosts as cloud-config.
 * Pure: no cdktf import.
 *
 *   frontend ALB → frontend host: Nginx → HTTPS (verified) → this region's backend ALB
 *   backend ALB  → backend host:  Nginx → the reference application (127.0.0.1:8000)
 *                  → the database by its private name, password from this region's secret
 *
 * Which layer checks what: the frontend target group probes a path Nginx
 * answers itself (the host is alive); the backend target group probes the
 * application's `/healthz` (the process is alive). Neither depends on the
 * database, because the Auto Scaling groups replace hosts that fail them: a
 * database outage must not recycle every host. Whether a region can serve is
 * `/readyz` (database reachable), which Route 53 probes for the API failover.
 */
import { CloudConfig, renderCloudConfig } from "../core/cloud-config";
import { HEALTH_CHECK_SUBPATH } from "../core/health-check-path";
import { check } from "../core/validation";
import { APP_ENV_PATH, LOCAL_APP_PORT, RDS_CA_PATH, REFERENCE_APP_PATH, referenceApp, withReferenceApp } from "../server-config/reference-app/reference-app";

/** Amazon's DNS resolver at a fixed link-local address (Nitro instances): no VPC CIDR needed. */
export const AMAZON_DNS_RESOLVER = "169.254.169.253";
/** Debian's CA bundle (package ca-certificates): the ACM certificates of the load balancers chain to Amazon's roots in it. */
export const SYSTEM_CA_BUNDLE = "/etc/ssl/certs/ca-certificates.crt";
/** Seconds Nginx keeps a resolved load balancer address: ALB addresses change, so the name is re-resolved. */
const RESOLVER_VALID_SECONDS = 30;
import { withInstanceConnect } from "../server-config/instance-connect";

export interface FrontendUserDataInput {
  /** Region the host runs in. */
  readonly region: string;
  /** Path the frontend target group probes, answered by Nginx itself, e.g. "/healthz". Not "/" (the site). */
  readonly healthCheckPath: string;
  /** This region's backend load balancer name, covered by its certificate, e.g. backend-us-east-1.app.example.com. */
  readonly backendName: string;
  /** Request headers not passed on to the backend, e.g. CloudFront's origin secret. @default [] */
  readonly dropRequestHeaders?: readonly string[];
  /** DNS resolver Nginx re-resolves the backend name with. @default AMAZON_DNS_RESOLVER */
  readonly resolver?: string;
}

export interface BackendUserDataInput {
  /** Region the host runs in: its secret copy, its RDS CA. */
  readonly region: string;
  /** Stable private database name (same in both regions), e.g. sql.db.internal. */
  readonly databaseHostname: string;
  readonly databasePort: number;
  /** @default "mysql" */
  readonly databaseEngine?: "mysql" | "postgres";
  /** Name on this region's database certificate (its RDS endpoint), or a placeholder substituted at apply time. */
  readonly databaseTlsName: string;
  /** ARN of this region's copy of the database secret, or a placeholder substituted at apply time. */
  readonly databaseSecretArn: string;
  /** Redis primary endpoint, or a placeholder substituted at apply time. */
  readonly cacheHost: string;
  readonly cachePort: number;
  /** The IAM-authenticated Redis user the app connects as (RedisCache.appUserName). */
  readonly cacheUser: string;
  /** The replication group id: the host part of the IAM auth token (RedisCache.replicationGroupName). */
  readonly cacheName: string;
}

const HEADER = /^[A-Za-z0-9-]{1,100}$/;
const ELASTICACHE_ID = /^[a-z][a-z0-9-]{0,39}$/;
const DNS_NAME = /^(?=.{1,253}$)([a-z0-9]([a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/;

/** Frontend Nginx site: its own health answer, everything else to the regional backend ALB over verified HTTPS. */
export function frontendNginxSite(input: FrontendUserDataInput): string {
  check(HEALTH_CHECK_SUBPATH.test(input.healthCheckPath), "frontend.healthCheckPath", input.healthCheckPath, "an absolute path other than / (Nginx answers it itself; / is the site)");
  check(DNS_NAME.test(input.backendName), "frontend.backendName", input.backendName, "a lowercase DNS name such as backend-us-east-1.app.example.com");
  const drop = input.dropRequestHeaders ?? [];
  drop.forEach((h, i) => check(HEADER.test(h), `frontend.dropRequestHeaders[${i}]`, h, "a header name (letters, digits, -)"));
  const resolver = input.resolver ?? AMAZON_DNS_RESOLVER;
  check(/^(\d{1,3}\.){3}\d{1,3}$/.test(resolver), "frontend.resolver", resolver, "an IPv4 address");
  return `# The frontend tier: this region's backend load balancer over HTTPS, certificate verified.
server {
  listen 80 default_server;
  server_name _;
  server_tokens off;
  # A variable in proxy_pass makes Nginx re-resolve the name (ALB addresses change).
  resolver ${resolver} valid=${RESOLVER_VALID_SECONDS}s ipv6=off;
  resolver_timeout 5s;

  # The frontend target group's check: this host and Nginx are alive.
  location = ${input.healthCheckPath} {
    access_log off;
    default_type text/plain;
    return 200 "ok\\n";
  }

  location / {
    set $backend_alb ${input.backendName};
    proxy_pass https://$backend_alb;
    proxy_ssl_server_name on;
    proxy_ssl_name $backend_alb;
    proxy_ssl_verify on;
    proxy_ssl_verify_depth 4;
    proxy_ssl_trusted_certificate ${SYSTEM_CA_BUNDLE};
    proxy_ssl_protocols TLSv1.2 TLSv1.3;
    proxy_set_header Host $backend_alb;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto https;
${drop.map((h) => `    proxy_set_header ${h} "";\n`).join("")}    proxy_connect_timeout 3s;
    proxy_read_timeout 30s;
    add_header X-Served-By-Role frontend always;
  }
}
`;
}

/** Backend Nginx site: everything (health paths included) to the application on loopback. */
export function backendNginxSite(): string {
  return `# The backend tier: the application on loopback; its /healthz is the target group's check.
server {
  listen 80 default_server;
  server_name _;
  server_tokens off;

  location / {
    proxy_pass http://127.0.0.1:${LOCAL_APP_PORT};
    proxy_set_header Host $host;
    proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
    proxy_set_header X-Forwarded-Proto $http_x_forwarded_proto;
    proxy_connect_timeout 2s;
    add_header X-Served-By-Role backend always;
  }
}
`;
}

const NGINX_SITE = "/etc/nginx/sites-available/default";
const NGINX_START: string[][] = [
  ["nginx", "-t"],
  ["systemctl", "enable", "--now", "nginx"],
  ["systemctl", "reload", "nginx"],
];

export function frontendUserData(input: FrontendUserDataInput): string {
  // No node_exporter: nothing in stage 4 would scrape it. The tier is watched by CloudWatch alarms (ALB, ASG, RDS, Redis).
  // EC2 Instance Connect: operators reach the hosts through the region's endpoint (no bastion, no key pair).
  return renderCloudConfig(withInstanceConnect({
    packages: ["nginx", "ca-certificates"],
    writeFiles: [{ path: NGINX_SITE, content: frontendNginxSite(input) }],
    runcmd: NGINX_START,
  }));
}

/** The env file the reference application reads: the private name, this region's secret copy, Redis. */
export function backendEnvironment(input: BackendUserDataInput): string {
  for (const [field, port] of [["databasePort", input.databasePort], ["cachePort", input.cachePort]] as const) {
    check(Number.isInteger(port) && port >= 1 && port <= 65535, `backend.${field}`, port, "a port from 1 to 65535");
  }
  for (const [field, id] of [["cacheUser", input.cacheUser], ["cacheName", input.cacheName]] as const) {
    check(ELASTICACHE_ID.test(id), `backend.${field}`, id, "an ElastiCache id: 1–40 lowercase letters, digits or hyphens, starting with a letter");
  }
  return [
    `APP_REGION=${input.region}`,
    `DB_ENGINE=${input.databaseEngine ?? "mysql"}`,
    // The name resolves to this region's database through the private zone, so a promotion changes no config.
    `DB_WRITER_HOST=${input.databaseHostname}`,
    `DB_READER_HOST=${input.databaseHostname}`,
    `DB_PORT=${input.databasePort}`,
    // The certificate names the RDS endpoint, not the private alias: verify that name.
    `DB_TLS_SERVER_NAME=${input.databaseTlsName}`,
    // This region's copy: readable here even when the other region is down.
    `DB_SECRET_ARN=${input.databaseSecretArn}`,
    `DB_REGION=${input.region}`,
    // TLS always; IAM authentication: the app signs a token for this user and group with its role.
    `REDIS_HOST=${input.cacheHost}`,
    `REDIS_PORT=${input.cachePort}`,
    `REDIS_USER=${input.cacheUser}`,
    `REDIS_CACHE_NAME=${input.cacheName}`,
    "",
  ].join("\n");
}

export function backendUserData(input: BackendUserDataInput): string {
  const app = referenceApp({ database: { kind: "rds", region: input.region, engine: input.databaseEngine ?? "mysql" }, cache: true });
  // The application and the CA travel compressed: a launch template's user data is limited to 16 KB after base64.
  const shipped = { ...app, writeFiles: app.writeFiles.map((f) => ([REFERENCE_APP_PATH, RDS_CA_PATH].includes(f.path) ? { ...f, compress: true } : f)) };
  const role: CloudConfig = {
    packages: ["nginx"],
    writeFiles: [
      { path: APP_ENV_PATH, content: backendEnvironment(input), permissions: "0640" },
      { path: NGINX_SITE, content: backendNginxSite() },
    ],
    runcmd: NGINX_START,
  };
  return renderCloudConfig(withInstanceConnect(withReferenceApp(role, shipped)));
}
