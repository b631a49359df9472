/**
 * Every setting a role takes reaches the file that acts on it (modules/server-config/roles). The stacks pass mostly
 * defaults, so a role that dropped a setting on the way to its renderer would still synthesize and boot, with the
 * renderer's default in place of what the caller asked for.
 */
import { CloudConfig } from "../../modules/core/cloud-config";
import { haproxyNode, haproxySingleNode, HaproxyNodeParams } from "../../modules/server-config/roles/haproxy-node";
import { nginxNode } from "../../modules/server-config/roles/nginx-node";
import { appServer } from "../../modules/server-config/roles/app-server";
import { singleServer } from "../../modules/server-config/roles/single-server";
import { monitoringNode, renderAlertmanagerDefaults } from "../../modules/server-config/roles/monitoring-node";
import { withTlsIdentity, withTrustSync } from "../../modules/server-config/roles/tier-tls";
import * as paths from "../../modules/server-config/paths";
import { RELEASE_CONF_PATH } from "../../modules/server-config/application/custom-application";
import { REFERENCE_APP_UNIT_PATH } from "../../modules/server-config/reference-app/reference-app";
import { InvalidInputError } from "../../modules/core/validation";

/** The content of the file a role writes at `path` (throws when it writes none). */
function fileOf(config: CloudConfig, path: string): string {
  const file = (config.writeFiles ?? []).find((f) => f.path === path);
  if (file === undefined) throw new Error(`the role writes no ${path}`);
  return file.content;
}

const webTier = { serverName: "web.p.internal", parameterPrefix: "/p/tls/web", region: "eu-west-1" };
const appTier = { serverName: "app.p.internal", parameterPrefix: "/p/tls/app", region: "eu-west-1" };
const release = { bucket: "acme-releases", key: "shop.tar.gz", sha256: "ab".repeat(32), region: "eu-west-1", command: "bin/server" };
const pairNode: HaproxyNodeParams = {
  nodeName: "lb-b",
  privateIp: "10.13.2.10",
  peerPrivateIp: "10.13.1.10",
  priority: 100,
  region: "eu-west-1",
  eipAllocationId: "eipalloc-0fedcba9876543210",
  backendsParameterName: "/p/haproxy/backends",
  certificateParameterName: "/p/haproxy/certificate",
  exporterAllowedCidrs: ["10.13.0.0/16", "10.14.0.0/16"],
  domain: "www.example.com",
  letsEncryptEmail: "ops@example.com",
};

describe("haproxyNode: each setting reaches the file that acts on it", () => {
  it("keepalived: node name, own and peer address, priority, the default interface ens5 and router id 51", () => {
    const conf = fileOf(haproxyNode(pairNode), paths.KEEPALIVED_CONF_PATH);
    expect(conf).toMatch(/^ {4}router_id lb-b$/m);
    expect(conf).toMatch(/^ {4}unicast_src_ip 10\.13\.2\.10$/m);
    expect(conf).toMatch(/^ {4}unicast_peer \{\n {8}10\.13\.1\.10\n {4}\}$/m);
    expect(conf).toMatch(/^ {4}priority 100$/m);
    expect(conf).toMatch(/^ {4}interface ens5$/m);
    expect(conf).toMatch(/^ {4}virtual_router_id 51$/m);
    expect(conf).toMatch(/^ {8}192\.0\.2\.51\/32 dev lo$/m);
  });
  it("another interface and router id reach keepalived, and the certificate scripts look for that router id's marker address", () => {
    const node = haproxyNode({ ...pairNode, vrrpInterface: "eth1", virtualRouterId: 77 });
    expect(fileOf(node, paths.KEEPALIVED_CONF_PATH)).toMatch(/^ {4}interface eth1$/m);
    expect(fileOf(node, paths.KEEPALIVED_CONF_PATH)).toMatch(/^ {4}virtual_router_id 77$/m);
    expect(fileOf(node, paths.CERT_RENEW_SCRIPT_PATH)).toContain('MARKER_ADDRESS="192.0.2.77"');
    expect(fileOf(haproxyNode(pairNode), paths.CERT_RENEW_SCRIPT_PATH)).toContain('MARKER_ADDRESS="192.0.2.51"');
  });
  it("the failover script moves this Elastic IP in this region, then pulls the shared certificate", () => {
    const script = fileOf(haproxyNode(pairNode), paths.FAILOVER_SCRIPT_PATH);
    expect(script).toContain('ALLOCATION_ID="eipalloc-0fedcba9876543210"');
    expect(script).toContain('REGION="eu-west-1"');
    expect(script).toContain(paths.CERT_PULL_SCRIPT_PATH);
  });
  it("the certificate: its names, contact, staging CA and shared parameter", () => {
    const node = haproxyNode({ ...pairNode, additionalNames: ["example.com"], letsEncryptStaging: true });
    const renew = fileOf(node, paths.CERT_RENEW_SCRIPT_PATH);
    expect(renew).toContain('-d "$DOMAIN" -d example.com');
    expect(renew).toContain("--staging");
    expect(renew).toContain("ops@example.com");
    expect(fileOf(node, paths.CERT_DEPLOY_HOOK_PATH)).toContain('PARAMETER_NAME="/p/haproxy/certificate"');
    expect(fileOf(node, paths.CERT_PULL_SCRIPT_PATH)).toContain('PARAMETER_NAME="/p/haproxy/certificate"');
    expect(fileOf(haproxyNode(pairNode), paths.CERT_RENEW_SCRIPT_PATH)).not.toContain("--staging");
  });
  it("the backends: the parameter the sync reads, its interval (60 s by default), the health check", () => {
    const node = haproxyNode({ ...pairNode, backendSyncIntervalSeconds: 120, healthCheck: { path: "/ready", intervalMs: 3000, fall: 4, rise: 5 } });
    expect(fileOf(node, paths.BACKEND_SYNC_SCRIPT_PATH)).toContain("/p/haproxy/backends");
    expect(fileOf(node, `${paths.SYSTEMD_DIR}/haproxy-backend-sync.timer`)).toMatch(/^OnUnitActiveSec=120s$/m);
    expect(fileOf(haproxyNode(pairNode), `${paths.SYSTEMD_DIR}/haproxy-backend-sync.timer`)).toMatch(/^OnUnitActiveSec=60s$/m);
    expect(fileOf(node, paths.HAPROXY_BACKENDS_PATH)).toContain("default-server check inter 3000ms fall 4 rise 5");
    expect(fileOf(node, paths.HAPROXY_BACKENDS_PATH)).toContain("uri /ready ");
    expect(fileOf(node, paths.BACKEND_SYNC_SCRIPT_PATH)).toContain("check inter 3000ms fall 4 rise 5");
  });
  it("the exporter answers only the allowed sources, on this node's address", () => {
    const cfg = fileOf(haproxyNode(pairNode), paths.HAPROXY_CFG_PATH);
    expect(cfg).toContain("tcp-request connection reject unless { src 10.13.0.0/16 10.14.0.0/16 }");
    expect(cfg).toContain("bind 10.13.2.10:");
  });
  it("TLS to the web servers: verified against the pinned bundle and the tier name, the bundle checked with both HAProxy files and reloaded", () => {
    const node = haproxyNode({ ...pairNode, backendTls: webTier });
    expect(fileOf(node, paths.HAPROXY_BACKENDS_PATH)).toContain(`ssl verify required ca-file ${paths.HAPROXY_BACKEND_TRUST_PATH} verifyhost web.p.internal ssl-min-ver TLSv1.2`);
    const sync = fileOf(node, paths.TLS_TRUST_SYNC_SCRIPT_PATH);
    expect(sync).toContain(`BUNDLE="\${TRUST_BUNDLE:-${paths.HAPROXY_BACKEND_TRUST_PATH}}"`);
    expect(sync).toContain(`if ! haproxy -c -q -f ${paths.HAPROXY_CFG_PATH} -f ${paths.HAPROXY_BACKENDS_PATH}; then`);
    expect(sync).toMatch(/^systemctl try-reload-or-restart haproxy$/m);
    expect(sync).toContain('REGION="eu-west-1"');
    expect(fileOf(node, paths.BACKEND_SYNC_SCRIPT_PATH)).toContain("/p/tls/web");
  });
});

describe("haproxySingleNode", () => {
  const single = { privateIp: "10.13.1.10", region: "eu-west-1", backendsParameterName: "/p/haproxy/backends", exporterAllowedCidrs: ["10.13.0.0/16"] };
  it("terminates TLS only when asked, with its own certificate (no shared parameter, no marker address)", () => {
    expect(fileOf(haproxySingleNode(single), paths.HAPROXY_CFG_PATH)).not.toContain(":443");
    const tls = haproxySingleNode({ ...single, tls: { domain: "www.example.com", letsEncryptEmail: "ops@example.com", additionalNames: ["example.com"], letsEncryptStaging: true } });
    expect(fileOf(tls, paths.HAPROXY_CFG_PATH)).toContain(`:443 ssl crt ${paths.HAPROXY_CERT_PATH}`);
    const renew = fileOf(tls, paths.CERT_RENEW_SCRIPT_PATH);
    expect(renew).toContain('-d "$DOMAIN" -d example.com');
    expect(renew).toContain("--staging");
    expect(renew).not.toContain("MARKER_ADDRESS");
    expect(renew).not.toContain("ssm");
  });
});

describe("nginxNode, appServer, singleServer", () => {
  it("the trusted load balancers and the index title reach nginx", () => {
    const web = nginxNode({ trustedProxies: ["10.13.1.10", "10.13.2.10"], indexTitle: "Shop" });
    expect(fileOf(web, paths.NGINX_CONF_PATH)).toContain("    set_real_ip_from 10.13.1.10;\n    set_real_ip_from 10.13.2.10;\n");
    expect(fileOf(web, paths.NGINX_INDEX_PATH)).toContain("<title>Shop</title>");
    expect(fileOf(nginxNode(), paths.NGINX_INDEX_PATH)).toContain("<title>Web platform</title>");
  });
  it("with its own application, nginx proxies to it on 127.0.0.1:8000; with a release, the release runs", () => {
    const web = nginxNode({ localApp: { kind: "rds", region: "eu-west-1" }, release });
    expect(fileOf(web, paths.NGINX_CONF_PATH)).toContain("proxy_pass http://127.0.0.1:8000;");
    expect(fileOf(web, RELEASE_CONF_PATH)).toContain("RELEASE_KEY=shop.tar.gz");
    expect(fileOf(web, REFERENCE_APP_UNIT_PATH)).toContain("APP_LISTEN=127.0.0.1:8000");
  });
  it("stage 3: upstreams over TLS pinned by the app servers' addresses, the host's own listener on 443, each reloaded its own way", () => {
    const web = nginxNode({ upstreams: ["10.13.64.120:8443", "10.13.80.120:8443"], tlsIdentity: webTier, upstreamTrust: appTier });
    const conf = fileOf(web, paths.NGINX_CONF_PATH);
    expect(conf).toContain("proxy_pass https://app_servers;");
    expect(conf).toContain(`proxy_ssl_trusted_certificate ${paths.NGINX_UPSTREAM_TRUST_PATH};`);
    expect(conf).toContain("proxy_ssl_name app.p.internal;");
    expect(conf).toContain(`ssl_certificate ${paths.TLS_CERT_PATH};`);
    expect(conf).toContain(`ssl_certificate_key ${paths.TLS_KEY_PATH};`);
    const sync = fileOf(web, paths.TLS_TRUST_SYNC_SCRIPT_PATH);
    expect(sync).toContain("DEFAULT_SLOTS=(/p/tls/app/10.13.64.120 /p/tls/app/10.13.80.120)");
    expect(sync).toContain("if ! nginx -t -q; then");
    expect(sync).toMatch(/^systemctl try-reload-or-restart nginx$/m);
    const identity = fileOf(web, paths.TLS_IDENTITY_SCRIPT_PATH);
    expect(identity).toContain('NAME="web.p.internal"');
    expect(identity).toContain('PARAMETER_PREFIX="/p/tls/web"');
    expect(identity).toMatch(/^ {2}systemctl reload nginx$/m);
  });
  it("refuses pinned upstreams without upstreams, naming the field", () => {
    expect(() => nginxNode({ upstreamTrust: appTier })).toThrow(InvalidInputError);
    expect(() => nginxNode({ upstreamTrust: appTier })).toThrow('nginxNode.upstreamTrust: "app.p.internal" is not allowed; expected set only together with upstreams');
  });
  it("an application server with TLS: the listener and its identity, restarted (not reloaded) on a new key", () => {
    const app = appServer({ listen: "0.0.0.0:8080", database: { kind: "rds", region: "eu-west-1" }, tls: { ...appTier, listen: "0.0.0.0:8443" }, release });
    expect(fileOf(app, REFERENCE_APP_UNIT_PATH)).toContain("APP_TLS_LISTEN=0.0.0.0:8443");
    expect(fileOf(app, REFERENCE_APP_UNIT_PATH)).toContain("APP_LISTEN=0.0.0.0:8080");
    expect(fileOf(app, paths.TLS_IDENTITY_SCRIPT_PATH)).toMatch(/^ {2}systemctl restart platform-app\.service$/m);
    expect(fileOf(app, RELEASE_CONF_PATH)).toContain("RELEASE_KEY=shop.tar.gz");
  });
  it("the stage 0 server's Nginx proxies to the application on 127.0.0.1:8000 (no static site)", () => {
    const nginx = fileOf(singleServer(), paths.NGINX_CONF_PATH);
    expect(nginx).toContain("proxy_pass http://127.0.0.1:8000;");
    expect(nginx).toBe(fileOf(nginxNode({ localApp: { kind: "local-mariadb" } }), paths.NGINX_CONF_PATH));
  });
  it("the stage 0 server runs the release against its local MariaDB when given one", () => {
    const server = singleServer(release);
    expect(fileOf(server, RELEASE_CONF_PATH)).toContain("RELEASE_KEY=shop.tar.gz");
    expect(fileOf(server, REFERENCE_APP_UNIT_PATH)).toContain("DB_SOCKET=/run/mysqld/mysqld.sock");
    expect(() => fileOf(singleServer(), RELEASE_CONF_PATH)).toThrow(/writes no/);
  });
});

describe("monitoringNode", () => {
  const base = { regions: ["eu-west-1"], projectTagKey: "Project", projectTagValue: "p" };
  const alertmanager = { snsTopicArn: "arn:aws:sns:eu-west-1:123456789012:p-alerts", snsRegion: "eu-west-1", webhookUrl: "https://hooks.example.com/alerts" };
  it("alerting: thresholds, the keepalived and application alerts, the TLS probe's name and targets, the receivers", () => {
    const node = monitoringNode({
      ...base,
      alerting: { alertmanager, thresholds: { diskFreePercent: 7 }, keepalived: true, appTargets: ["10.13.64.120:8080"], tls: { serverName: "www.example.com", targets: ["10.13.1.10:443"] } },
    });
    const rules = fileOf(node, paths.ALERT_RULES_PATH);
    expect(rules).toContain("* 100 < 7");
    expect(rules).toContain("alert: LoadBalancerFailover");
    expect(rules).toContain("alert: AppNotReady");
    const prometheus = fileOf(node, paths.PROMETHEUS_CONFIG_PATH);
    expect(prometheus).toContain("10.13.1.10:443");
    expect(prometheus).toContain("10.13.64.120:8080");
    expect(prometheus).toContain("127.0.0.1:9115");
    expect(prometheus).toContain("localhost:9093");
    expect(fileOf(node, paths.BLACKBOX_CONFIG_PATH)).toContain("server_name: www.example.com");
    expect(fileOf(node, paths.ALERTMANAGER_CONFIG_PATH)).toContain("https://hooks.example.com/alerts");
    expect(fileOf(node, paths.ALERTMANAGER_CONFIG_PATH)).toContain("arn:aws:sns:eu-west-1:123456789012:p-alerts");
    expect(fileOf(node, paths.GRAFANA_DATASOURCES_PATH)).toContain("9093");
  });
  it("without the keepalived pair or application servers, their alerts are left out", () => {
    const rules = fileOf(monitoringNode({ ...base, alerting: { alertmanager } }), paths.ALERT_RULES_PATH);
    expect(rules).not.toContain("alert: LoadBalancerFailover");
    expect(rules).not.toContain("alert: AppNotReady");
  });
  it("Alertmanager listens on loopback only and runs no cluster listener", () => {
    expect(renderAlertmanagerDefaults()).toBe(
      '# Managed by the platform\'s server-config renderer.\n# Loopback only, and no cluster listener (one Alertmanager).\nARGS="--web.listen-address=127.0.0.1:9093 --cluster.listen-address="\n',
    );
    expect(fileOf(monitoringNode({ ...base, alerting: { alertmanager } }), paths.ALERTMANAGER_DEFAULTS_PATH)).toBe(renderAlertmanagerDefaults());
  });
  it("without alerting: no alert files, no Alertmanager data source, a dashboard without the firing-alerts table", () => {
    const node = monitoringNode(base);
    expect(() => fileOf(node, paths.ALERT_RULES_PATH)).toThrow(/writes no/);
    expect(fileOf(node, paths.GRAFANA_DATASOURCES_PATH)).not.toContain("9093");
    expect(fileOf(node, paths.GRAFANA_DASHBOARD_PATH)).not.toContain("Firing alerts");
    expect(fileOf(monitoringNode({ ...base, alerting: { alertmanager } }), paths.GRAFANA_DASHBOARD_PATH)).toContain("Firing alerts");
  });
  it("the Grafana password parameter reaches the install script", () => {
    const node = monitoringNode({ ...base, grafanaPasswordParameter: { name: "/p/grafana", region: "eu-west-1", keyAlias: "alias/p-grafana" } });
    expect(fileOf(node, paths.GRAFANA_APT_SETUP_SCRIPT_PATH)).toContain("--name /p/grafana --type SecureString --key-id alias/p-grafana");
  });
});

describe("the TLS parts on a consumer's own role (withTlsIdentity, withTrustSync)", () => {
  const trust = { ...appTier, bundlePath: "/etc/example/upstreams.pem", checkCommand: ["example", "-t"], reloadCommand: ["systemctl", "reload", "example"], serverIps: ["10.13.64.120"] };
  it("each brings the openssl and awscli its script runs, to a role that lists no packages at all", () => {
    expect(withTlsIdentity({}, webTier, ["systemctl", "reload", "example"]).packages).toEqual(["openssl", "awscli"]);
    expect(withTrustSync({}, trust).packages).toEqual(["openssl", "awscli"]);
  });
  it("keeps the role's own packages first and lists a package the role already has once", () => {
    expect(withTrustSync({ packages: ["nginx-light", "openssl"] }, trust).packages).toEqual(["nginx-light", "openssl", "awscli"]);
    expect(withTlsIdentity({ packages: ["awscli", "example"] }, webTier, ["true"]).packages).toEqual(["awscli", "example", "openssl"]);
  });
});
