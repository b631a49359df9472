/**
 * nginx.conf for the web servers: a static site on port 80 (TLS ends at
 * HAProxy) or on 443 with the host's own certificate (stage 3), a /healthz answer for HAProxy's checks, and stub_status reachable
 * from localhost only. With `proxyTo` the site is proxied to the host's own
 * application (stages 0–2); with `upstreams` to the application tier (stage 3).
 * Pure: no cdktf import.
 */
import { check } from "../core/validation";
import { checkAbsolutePath, checkCidr, checkDomainName, checkHostPort, checkIntegerRange, checkIpv4, checkPort } from "./inputs";
import { NGINX_SITE_ROOT } from "./paths";

export interface NginxParams {
  /**
   * Addresses of the load balancers whose X-Forwarded-For is trusted for the
   * logged client address (IPs or CIDRs). @default [] (log the peer address)
   */
  readonly trustedProxies?: readonly string[];
  /** Directory served as the site. @default "/var/www/site" */
  readonly siteRoot?: string;
  /** Local port of stub_status (bound to 127.0.0.1). @default 8080 */
  readonly stubStatusPort?: number;
  /** Proxy everything but /healthz to this "ip:port" instead of serving files. @default undefined (static site) */
  readonly proxyTo?: string;
  /**
   * Proxy everything but /healthz to these "ip:port" application servers
   * (stage 3): round-robin, a server that fails is skipped for
   * `upstreamFailTimeoutSeconds` (passive health check) and the request is
   * retried on the next one. Excludes `proxyTo`. @default undefined
   */
  readonly upstreams?: readonly string[];
  /** Seconds a failed upstream stays out. @default 10 */
  readonly upstreamFailTimeoutSeconds?: number;
  /**
   * Serve the site over TLS on 443 (instead of plain HTTP on 80) with this
   * host's own key and certificate (stage 3: HAProxy → Nginx encrypted).
   * @default undefined (plain HTTP on 80; TLS ends at the load balancer)
   */
  readonly tls?: NginxTlsListener;
  /**
   * Talk TLS to the `upstreams`, verifying their certificate against pinned
   * ones and this name. @default undefined (plain HTTP to the upstreams)
   */
  readonly upstreamTls?: NginxUpstreamTls;
}

/** This server's TLS listener. */
export interface NginxTlsListener {
  readonly certPath: string;
  readonly keyPath: string;
}

/** TLS to the application servers. */
export interface NginxUpstreamTls {
  /** Bundle of the pinned certificates of the application servers. */
  readonly trustedCertificate: string;
  /** Name their certificates must carry. */
  readonly serverName: string;
}

/** Name of the upstream block of the application servers. */
export const NGINX_APP_UPSTREAM = "app_servers";

export function renderNginxConfig(params: NginxParams = {}): string {
  const trusted = params.trustedProxies ?? [];
  trusted.forEach((t, i) => {
    if (t.includes("/")) checkCidr(`nginx.trustedProxies[${i}]`, t);
    else checkIpv4(`nginx.trustedProxies[${i}]`, t);
  });
  const siteRoot = params.siteRoot ?? NGINX_SITE_ROOT;
  checkAbsolutePath("nginx.siteRoot", siteRoot);
  const stubStatusPort = params.stubStatusPort ?? 8080;
  checkPort("nginx.stubStatusPort", stubStatusPort);
  check(stubStatusPort !== 80, "nginx.stubStatusPort", stubStatusPort, "a port other than 80 (the site)");
  if (params.proxyTo !== undefined) checkHostPort("nginx.proxyTo", params.proxyTo);
  check(params.proxyTo === undefined || params.upstreams === undefined, "nginx.upstreams", params.upstreams, "unset when nginx.proxyTo is set (one or the other)");
  const upstreams = params.upstreams;
  if (upstreams !== undefined) {
    check(upstreams.length > 0, "nginx.upstreams", upstreams, "at least one \"ip:port\"");
    upstreams.forEach((u, i) => checkHostPort(`nginx.upstreams[${i}]`, u));
  }
  const failTimeout = params.upstreamFailTimeoutSeconds ?? 10;
  checkIntegerRange("nginx.upstreamFailTimeoutSeconds", failTimeout, 1, 600);
  const target = upstreams !== undefined ? NGINX_APP_UPSTREAM : params.proxyTo;
  const tls = params.tls;
  if (tls) {
    checkAbsolutePath("nginx.tls.certPath", tls.certPath);
    checkAbsolutePath("nginx.tls.keyPath", tls.keyPath);
  }
  const upstreamTls = params.upstreamTls;
  if (upstreamTls) {
    check(upstreams !== undefined, "nginx.upstreamTls", upstreamTls.serverName, "set only together with nginx.upstreams");
    checkAbsolutePath("nginx.upstreamTls.trustedCertificate", upstreamTls.trustedCertificate);
    checkDomainName("nginx.upstreamTls.serverName", upstreamTls.serverName);
  }

  const realIp = trusted.length === 0
    ? ""
    : `    # Client address from HAProxy's X-Forwarded-For, trusted only from the load balancers.
${trusted.map((t) => `    set_real_ip_from ${t};`).join("\n")}
    real_ip_header X-Forwarded-For;
`;
  const upstreamBlock = upstreams === undefined
    ? ""
    : `
    # Application servers; a failed one is skipped for ${failTimeout} s (passive health check).
    upstream ${NGINX_APP_UPSTREAM} {
${upstreams.map((u) => `        server ${u} max_fails=1 fail_timeout=${failTimeout}s;`).join("\n")}
        keepalive 16;
    }
`;
  const retry = upstreams === undefined
    ? ""
    : `
            # Retry a failed or unready server's request on the next one.
            proxy_next_upstream error timeout http_502 http_503 http_504;
            proxy_next_upstream_tries ${Math.min(upstreams.length, 4)};
            proxy_connect_timeout 2s;
            proxy_http_version 1.1;
            proxy_set_header Connection "";${upstreamTls ? `
            # TLS to the app tier: only a pinned certificate for ${upstreamTls.serverName} is accepted.
            proxy_ssl_verify on;
            proxy_ssl_trusted_certificate ${upstreamTls.trustedCertificate};
            proxy_ssl_name ${upstreamTls.serverName};
            proxy_ssl_verify_depth 1;
            proxy_ssl_protocols TLSv1.2 TLSv1.3;
            proxy_ssl_session_reuse on;` : ""}`;
  const site = target === undefined
    ? `        location / {
            try_files $uri $uri/ =404;
        }`
    : `        location / {
            proxy_pass ${upstreamTls ? "https" : "http"}://${target};
            proxy_set_header Host $host;
            proxy_set_header X-Forwarded-For $proxy_add_x_forwarded_for;
            proxy_set_header X-Forwarded-Proto $scheme;${retry}
        }`;
  return `# Managed by the platform's server-config renderer.
user www-data;
worker_processes auto;
pid /run/nginx.pid;
error_log /var/log/nginx/error.log warn;

events {
    worker_connections 1024;
}

http {
    include /etc/nginx/mime.types;
    default_type application/octet-stream;
    server_tokens off;
    sendfile on;
    keepalive_timeout 65;
${tls ? `    # Every request records the TLS protocol and cipher it arrived with.
    log_format tls '$remote_addr - $remote_user [$time_local] "$request" $status $body_bytes_sent "$http_user_agent" $ssl_protocol $ssl_cipher';
    access_log /var/log/nginx/access.log tls;` : "    access_log /var/log/nginx/access.log;"}
${realIp}${upstreamBlock}
    server {
${tls ? `        # TLS from the load balancers with this host's own key (made here at first boot).
        listen 443 ssl default_server;
        ssl_certificate ${tls.certPath};
        ssl_certificate_key ${tls.keyPath};
        ssl_protocols TLSv1.2 TLSv1.3;
        ssl_prefer_server_ciphers off;` : "        listen 80 default_server;"}
        server_name _;
        root ${siteRoot};
        index index.html;

        # HAProxy's health check.
        location = /healthz {
            access_log off;
            default_type text/plain;
            return 200 "ok\\n";
        }

${site}
    }

    # Connection counters for local tools only.
    server {
        listen 127.0.0.1:${stubStatusPort};
        server_name localhost;
        location = /stub_status {
            stub_status;
            allow 127.0.0.1;
            deny all;
        }
        location / {
            return 404;
        }
    }
}
`;
}

/** A minimal index page naming the host role, so a request shows which server answered. */
export function renderStaticIndex(title: string): string {
  check(/^[A-Za-z0-9 ._:-]{1,80}$/.test(title), "nginx.indexTitle", title, "1-80 characters of letters, digits, space and . _ : -");
  return `<!doctype html>
<html lang="en">
<head><meta charset="utf-8"><title>${title}</title></head>
<body><h1>${title}</h1></body>
</html>
`;
}
