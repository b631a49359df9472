/**
 * haproxy.cfg for the load-balancer pair, split in two files:
 *  - the main file (global, defaults, frontends), rendered once at synth;
 *  - the backends file (the `web` backend with one `server` line per Nginx),
 *    loaded with a second `-f` and re-rendered on the host by the backend sync
 *    script whenever the SSM parameter listing the fleet changes, so growing or
 *    shrinking the fleet never needs a hand edit on the load balancers.
 * Pure: data in, text out; no cdktf import.
 */
import { check } from "../core/validation";
import {
  checkAbsolutePath,
  checkCidr,
  checkDomainName,
  checkHostPort,
  checkIntegerRange,
  checkIpv4,
  checkPort,
  checkUnique,
} from "./inputs";
import {
  HAPROXY_BACKENDS_PATH,
  HAPROXY_CERT_PATH,
  HAPROXY_CHROOT_PATH,
  HAPROXY_STATS_SOCKET_PATH,
} from "./paths";

/** Default port of HAProxy's built-in Prometheus exporter. */
export const HAPROXY_EXPORTER_PORT = 8405;
/** Local port where `certbot certonly --standalone --http-01-port` listens while it answers a challenge. */
export const ACME_LOCAL_PORT = 8888;
/** Name of the backend section holding the web servers. */
export const WEB_BACKEND_NAME = "web";

/** Active health checks of each web server. */
export interface HaproxyHealthCheck {
  /** HTTP path that must answer 200. @default "/healthz" (served by the Nginx role) */
  readonly path?: string;
  /** Milliseconds between checks. @default 1000 */
  readonly intervalMs?: number;
  /** Consecutive failures before a server is marked DOWN. @default 2 (DOWN ≈ 2 s after it dies) */
  readonly fall?: number;
  /** Consecutive successes before a server is UP again. @default 2 */
  readonly rise?: number;
}

/** Parameters of the main haproxy.cfg. */
export interface HaproxyConfigParams {
  /** This load balancer's private IPv4: the metrics exporter binds to it only. */
  readonly privateIp: string;
  /**
   * Sources allowed to scrape the exporter (the monitoring host or VPC CIDRs).
   * Enforced inside HAProxy in addition to the security group; 0.0.0.0/0 is rejected.
   */
  readonly exporterAllowedCidrs: readonly string[];
  /** Port of the built-in Prometheus exporter. @default 8405 */
  readonly exporterPort?: number;
  /** Local port of certbot's standalone HTTP-01 server. @default 8888 */
  readonly acmePort?: number;
  /** Combined PEM (certificate chain + key). @default "/etc/haproxy/certs/site.pem" */
  readonly certPath?: string;
  /** Admin socket (root and group haproxy only). @default "/run/haproxy/admin.sock" */
  readonly statsSocketPath?: string;
  /** chroot directory of the worker. @default "/var/lib/haproxy" */
  readonly chrootPath?: string;
  /** Strict-Transport-Security max-age in seconds; 0 leaves the header out. @default 31536000 (one year) */
  readonly hstsMaxAgeSeconds?: number;
  /** Backend connection attempts before giving up (with `option redispatch` the last goes to another server). @default 3 */
  readonly retries?: number;
  /** Global connection limit (HAProxy needs about 2 file descriptors per connection). @default 4096 */
  readonly maxConnections?: number;
  /**
   * Terminate TLS on 443 and redirect port 80 to it (except ACME challenges).
   * false serves plain HTTP on 80 only: stage 1 of the platform, never a default.
   * @default true
   */
  readonly tls?: boolean;
}

/** TLS to the web servers, verified against pinned certificates (stage 3). */
export interface HaproxyBackendTls {
  /** Bundle of the web servers' pinned certificates (kept by the trust sync). */
  readonly caFile: string;
  /** Name every web server's certificate must carry. */
  readonly verifyHost: string;
}

/** Parameters of the backends file. */
export interface HaproxyBackendsParams {
  /** Web servers as "ip:port" (IPs, not names: HAProxy resolves names only at start). At least one. */
  readonly backends: readonly string[];
  /** Health checks. @default { path: "/healthz", intervalMs: 1000, fall: 2, rise: 2 } */
  readonly healthCheck?: HaproxyHealthCheck;
  /** Encrypt and verify requests and checks to the web servers. @default undefined (plain HTTP inside the VPC: stages 1–2) */
  readonly tls?: HaproxyBackendTls;
}

/** Mozilla "intermediate" TLS 1.2 ciphers (forward secrecy, AEAD only). */
const TLS12_CIPHERS = [
  "ECDHE-ECDSA-AES128-GCM-SHA256",
  "ECDHE-RSA-AES128-GCM-SHA256",
  "ECDHE-ECDSA-AES256-GCM-SHA384",
  "ECDHE-RSA-AES256-GCM-SHA384",
  "ECDHE-ECDSA-CHACHA20-POLY1305",
  "ECDHE-RSA-CHACHA20-POLY1305",
].join(":");
const TLS13_CIPHERSUITES = "TLS_AES_128_GCM_SHA256:TLS_AES_256_GCM_SHA384:TLS_CHACHA20_POLY1305_SHA256";

/** Renders /etc/haproxy/haproxy.cfg (everything except the web backend). */
export function renderHaproxyConfig(params: HaproxyConfigParams): string {
  checkIpv4("haproxy.privateIp", params.privateIp);
  check(params.exporterAllowedCidrs.length > 0, "haproxy.exporterAllowedCidrs", params.exporterAllowedCidrs, "at least one CIDR (the monitoring host or the VPC)");
  params.exporterAllowedCidrs.forEach((cidr, i) => checkCidr(`haproxy.exporterAllowedCidrs[${i}]`, cidr));
  const exporterPort = params.exporterPort ?? HAPROXY_EXPORTER_PORT;
  const acmePort = params.acmePort ?? ACME_LOCAL_PORT;
  checkPort("haproxy.exporterPort", exporterPort);
  checkPort("haproxy.acmePort", acmePort);
  for (const [field, port] of [["haproxy.exporterPort", exporterPort], ["haproxy.acmePort", acmePort]] as const) {
    check(port !== 80 && port !== 443, field, port, "a port other than 80 and 443 (the public frontends)");
  }
  check(exporterPort !== acmePort, "haproxy.acmePort", acmePort, `a port different from exporterPort (${exporterPort})`);
  const certPath = params.certPath ?? HAPROXY_CERT_PATH;
  const statsSocketPath = params.statsSocketPath ?? HAPROXY_STATS_SOCKET_PATH;
  const chrootPath = params.chrootPath ?? HAPROXY_CHROOT_PATH;
  checkAbsolutePath("haproxy.certPath", certPath);
  checkAbsolutePath("haproxy.statsSocketPath", statsSocketPath);
  checkAbsolutePath("haproxy.chrootPath", chrootPath);
  const hsts = params.hstsMaxAgeSeconds ?? 31536000;
  checkIntegerRange("haproxy.hstsMaxAgeSeconds", hsts, 0, 63072000);
  const retries = params.retries ?? 3;
  checkIntegerRange("haproxy.retries", retries, 1, 10);
  const maxConnections = params.maxConnections ?? 4096;
  checkIntegerRange("haproxy.maxConnections", maxConnections, 100, 1000000);
  const tls = params.tls ?? true;

  return `# Managed by the platform's server-config renderer; the web backend lives in ${HAPROXY_BACKENDS_PATH}.
global
    log /dev/log local0
    log /dev/log local1 notice
    chroot ${chrootPath}
    user haproxy
    group haproxy
    maxconn ${maxConnections}
    # Admin socket for root and group haproxy only; never a TCP listener.
    stats socket ${statsSocketPath} mode 660 level admin expose-fd listeners
    stats timeout 30s
    # TLS 1.2 minimum, forward-secret AEAD ciphers only, no session tickets.
    ssl-default-bind-ciphers ${TLS12_CIPHERS}
    ssl-default-bind-ciphersuites ${TLS13_CIPHERSUITES}
    ssl-default-bind-options ssl-min-ver TLSv1.2 no-tls-tickets

defaults
    log global
    mode http
    option httplog
    option dontlognull
    option forwardfor
    option redispatch
    retries ${retries}
    timeout connect 5s
    timeout client 30s
    timeout server 30s
    timeout http-request 10s
    timeout http-keep-alive 10s
    timeout queue 30s
    timeout check 2s

${tls ? renderTlsFrontends(certPath, hsts, acmePort) : renderPlainHttpFrontend()}

# Built-in Prometheus exporter on the private address, for the monitoring host only.
frontend prometheus_exporter
    bind ${params.privateIp}:${exporterPort}
    tcp-request connection reject unless { src ${params.exporterAllowedCidrs.join(" ")} }
    http-request use-service prometheus-exporter if { path /metrics }
    http-request deny deny_status 404
    option dontlog-normal
`;
}

/** HTTPS on 443; port 80 only redirects, except Let's Encrypt HTTP-01 challenges. */
function renderTlsFrontends(certPath: string, hsts: number, acmePort: number): string {
  return `# Port 80 only redirects to HTTPS, except Let's Encrypt HTTP-01 challenges.
frontend http_in
    bind :80
    acl acme_challenge path_beg /.well-known/acme-challenge/
    http-request redirect scheme https code 301 unless acme_challenge
    use_backend acme_certbot if acme_challenge

frontend https_in
    bind :443 ssl crt ${certPath} alpn h2,http/1.1
    http-request set-header X-Forwarded-Proto https
${hsts > 0 ? `    http-response set-header Strict-Transport-Security "max-age=${hsts}"\n` : ""}    default_backend ${WEB_BACKEND_NAME}

# certbot --standalone answers challenges here only while it runs.
backend acme_certbot
    server certbot 127.0.0.1:${acmePort}`;
}

/** Plain HTTP on 80 straight to the web servers (no certificate, no redirect). */
function renderPlainHttpFrontend(): string {
  return `# Plain HTTP: no TLS on this load balancer.
frontend http_in
    bind :80
    http-request set-header X-Forwarded-Proto http
    default_backend ${WEB_BACKEND_NAME}`;
}

function healthCheckDefaults(healthCheck: HaproxyHealthCheck | undefined): Required<HaproxyHealthCheck> {
  const result = {
    path: healthCheck?.path ?? "/healthz",
    intervalMs: healthCheck?.intervalMs ?? 1000,
    fall: healthCheck?.fall ?? 2,
    rise: healthCheck?.rise ?? 2,
  };
  check(/^\/[A-Za-z0-9._~\/-]*$/.test(result.path), "haproxy.healthCheck.path", result.path, "an absolute URL path of letters, digits and . _ ~ - /");
  checkIntegerRange("haproxy.healthCheck.intervalMs", result.intervalMs, 100, 60000);
  checkIntegerRange("haproxy.healthCheck.fall", result.fall, 1, 10);
  checkIntegerRange("haproxy.healthCheck.rise", result.rise, 1, 10);
  return result;
}

/**
 * Everything in the backends file above the server lines. The backend sync
 * script embeds this text verbatim, so the host renders byte-identical files.
 */
export function renderHaproxyBackendsHeader(healthCheck?: HaproxyHealthCheck, tls?: HaproxyBackendTls): string {
  const hc = healthCheckDefaults(healthCheck);
  if (tls) {
    checkAbsolutePath("haproxy.backendTls.caFile", tls.caFile);
    checkDomainName("haproxy.backendTls.verifyHost", tls.verifyHost);
  }
  const verified = tls
    ? `
    # Requests and checks over TLS; a server must present a pinned certificate for ${tls.verifyHost}.
    default-server check inter ${hc.intervalMs}ms fall ${hc.fall} rise ${hc.rise} ssl verify required ca-file ${tls.caFile} verifyhost ${tls.verifyHost} ssl-min-ver TLSv1.2`
    : `
    default-server check inter ${hc.intervalMs}ms fall ${hc.fall} rise ${hc.rise}`;
  return `# Web servers. Re-rendered by the backend sync script from SSM; do not edit by hand.
backend ${WEB_BACKEND_NAME}
    balance roundrobin
    option httpchk
    http-check send meth GET uri ${hc.path} ver HTTP/1.1 hdr Host localhost
    http-check expect status 200${verified}
`;
}

/** One `server` line; the server is named after its address so names stay stable when the list changes. */
export function renderHaproxyServerLine(backend: string): string {
  return `    server ${backend} ${backend}\n`;
}

/** Sorted, validated backend list (the order the sync script produces with `LC_ALL=C sort -u`). */
export function normalizeBackends(backends: readonly string[]): string[] {
  check(backends.length > 0, "haproxy.backends", backends, 'at least one "ip:port" (an empty backend would answer 503 to everyone)');
  backends.forEach((b, i) => checkHostPort(`haproxy.backends[${i}]`, b));
  checkUnique("haproxy.backends", backends);
  return [...backends].sort();
}

/** Renders /etc/haproxy/backends.cfg. */
export function renderHaproxyBackends(params: HaproxyBackendsParams): string {
  const header = renderHaproxyBackendsHeader(params.healthCheck, params.tls);
  return header + normalizeBackends(params.backends).map(renderHaproxyServerLine).join("");
}

/**
 * Value of the SSM parameter the backend sync script reads: "ip:port" entries
 * separated by commas (the format of an SSM StringList).
 */
export function renderBackendListParameterValue(backends: readonly string[]): string {
  return normalizeBackends(backends).join(",");
}

/**
 * /etc/default/haproxy: Debian's unit runs `haproxy -Ws -f $CONFIG -p $PIDFILE $EXTRAOPTS`;
 * EXTRAOPTS adds the backends file (and keeps the master socket the unit sets by default).
 */
export function renderHaproxyDefaults(backendsPath: string = HAPROXY_BACKENDS_PATH): string {
  checkAbsolutePath("haproxy.backendsPath", backendsPath);
  return `# Loads the web backend from a second file that the backend sync script maintains.
EXTRAOPTS="-S /run/haproxy-master.sock -f ${backendsPath}"
`;
}
