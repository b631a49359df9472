/**
 * What each host role's cloud-config installs, writes and runs at first boot, in order (modules/server-config/roles).
 * cloud-init installs the packages, then writes the files, then runs the commands one after another; the order of the
 * commands is the boot sequence the README describes: a certificate or key exists before the daemon that loads it
 * starts, the backends are synced before HAProxy restarts, keepalived starts last. Modes: scripts root-only (0750)
 * except the Instance Connect keys script sshd runs as `nobody` (0755); everything else cloud-init's default 0644.
 */
import { CloudConfig } from "../../modules/core/cloud-config";
import { haproxyNode, haproxySingleNode } from "../../modules/server-config/roles/haproxy-node";
import { nginxNode } from "../../modules/server-config/roles/nginx-node";
import { appServer, nodeExporterOnly } from "../../modules/server-config/roles/app-server";
import { singleServer } from "../../modules/server-config/roles/single-server";
import { monitoringNode } from "../../modules/server-config/roles/monitoring-node";

type FileRow = [path: string, mode: string, compressed: boolean];
/** Packages, [path, mode, compressed] of each file in writing order, and the boot commands. */
function inventory(config: CloudConfig): { packages: string[]; files: FileRow[]; runcmd: string[] } {
  return {
    packages: [...(config.packages ?? [])],
    files: (config.writeFiles ?? []).map((f): FileRow => [f.path, f.permissions ?? "0644", f.compress === true]),
    runcmd: (config.runcmd ?? []).map((c) => c.join(" ")),
  };
}

const INSTANCE_CONNECT: FileRow[] = [
  ["/usr/local/sbin/ec2-instance-connect-keys", "0755", true],
  ["/etc/ssh/sshd_config.d/60-ec2-instance-connect.conf", "0644", false],
];
const lb = { privateIp: "10.13.1.10", region: "us-east-1", backendsParameterName: "/p/backends", exporterAllowedCidrs: ["10.13.0.0/16"] };
const webTier = { serverName: "web.p.internal", parameterPrefix: "/p/tls/web", region: "us-east-1" };
const appTier = { serverName: "app.p.internal", parameterPrefix: "/p/tls/app", region: "us-east-1" };
const rds = { kind: "rds" as const, region: "us-east-1" };
const HAPROXY_BASE: FileRow[] = [
  ["/etc/haproxy/haproxy.cfg", "0644", true],
  ["/etc/haproxy/backends.cfg", "0644", false],
  ["/etc/default/haproxy", "0644", false],
  ["/usr/local/sbin/haproxy-backend-sync", "0750", true],
];
const BACKEND_SYNC_TIMER: FileRow[] = [
  ["/etc/systemd/system/haproxy-backend-sync.service", "0644", false],
  ["/etc/systemd/system/haproxy-backend-sync.timer", "0644", false],
];
const CERTIFICATE: FileRow[] = [
  ["/usr/local/sbin/haproxy-cert-placeholder", "0750", true],
  ["/usr/local/sbin/haproxy-cert-deploy", "0750", true],
  ["/usr/local/sbin/haproxy-cert-renew", "0750", true],
  ["/etc/systemd/system/haproxy-cert-renew.service", "0644", false],
  ["/etc/systemd/system/haproxy-cert-renew.timer", "0644", false],
];
const APP: FileRow[] = [
  ["/opt/platform-app/app.py", "0755", true],
  ["/etc/systemd/system/platform-app.service", "0644", false],
];
const APP_START = ["useradd --system --no-create-home --shell /usr/sbin/nologin platform-app", "systemctl daemon-reload", "systemctl enable --now platform-app.service"];
const TLS_IDENTITY: FileRow[] = [
  ["/usr/local/sbin/tls-identity", "0750", true],
  ["/etc/systemd/system/tls-identity.service", "0644", false],
  ["/etc/systemd/system/tls-identity.timer", "0644", false],
];
const TRUST_SYNC_TIMER: FileRow[] = [
  ["/etc/systemd/system/tls-trust-sync.service", "0644", false],
  ["/etc/systemd/system/tls-trust-sync.timer", "0644", false],
];

describe("what each role installs, writes and runs at first boot", () => {
  it("a node of the HAProxy pair (stage 3): placeholder certificate and pinned bundle first, backends synced before HAProxy restarts, keepalived last", () => {
    const node = haproxyNode({
      ...lb, backendTls: webTier, nodeName: "lb-a", peerPrivateIp: "10.13.2.10", priority: 150, eipAllocationId: "eipalloc-0123456789abcdef0",
      certificateParameterName: "/p/cert", domain: "www.example.com", letsEncryptEmail: "ops@example.com",
    });
    expect(inventory(node)).toEqual({
      packages: ["haproxy", "keepalived", "awscli", "certbot", "openssl", "curl", "prometheus-node-exporter"],
      files: [
        ...HAPROXY_BASE,
        ["/usr/local/sbin/tls-trust-sync", "0750", true],
        ...BACKEND_SYNC_TIMER,
        ["/etc/keepalived/keepalived.conf", "0644", true],
        ["/usr/local/sbin/eip-failover", "0750", false],
        ["/usr/local/sbin/haproxy-cert-pull", "0750", true],
        ["/usr/local/sbin/keepalived-state-metric", "0750", true],
        ...CERTIFICATE,
        ...INSTANCE_CONNECT,
      ],
      runcmd: [
        "/usr/local/sbin/haproxy-cert-placeholder",
        "/usr/local/sbin/tls-trust-sync",
        "systemctl daemon-reload",
        "systemctl disable --now certbot.timer",
        "/usr/local/sbin/haproxy-backend-sync",
        "systemctl enable --now haproxy-backend-sync.timer haproxy-cert-renew.timer",
        "systemctl restart haproxy",
        "systemctl restart keepalived",
      ],
    });
  });

  it("a single load balancer over plain HTTP (stage 1): no certificate, no openssl or certbot", () => {
    expect(inventory(haproxySingleNode(lb))).toEqual({
      packages: ["haproxy", "awscli", "curl", "prometheus-node-exporter"],
      files: [...HAPROXY_BASE, ...BACKEND_SYNC_TIMER, ...INSTANCE_CONNECT],
      runcmd: ["systemctl daemon-reload", "/usr/local/sbin/haproxy-backend-sync", "systemctl enable --now haproxy-backend-sync.timer", "systemctl restart haproxy"],
    });
  });

  it("a single load balancer with TLS (stage 2): its own certificate, certbot's own timer replaced by ours", () => {
    expect(inventory(haproxySingleNode({ ...lb, tls: { domain: "www.example.com", letsEncryptEmail: "ops@example.com" } }))).toEqual({
      packages: ["haproxy", "awscli", "certbot", "openssl", "curl", "prometheus-node-exporter"],
      files: [...HAPROXY_BASE, ...BACKEND_SYNC_TIMER, ...CERTIFICATE, ...INSTANCE_CONNECT],
      runcmd: [
        "/usr/local/sbin/haproxy-cert-placeholder",
        "systemctl daemon-reload",
        "systemctl disable --now certbot.timer",
        "/usr/local/sbin/haproxy-backend-sync",
        "systemctl enable --now haproxy-backend-sync.timer haproxy-cert-renew.timer",
        "systemctl restart haproxy",
      ],
    });
  });

  it("a load balancer without TLS to its web servers runs no trust sync", () => {
    expect(inventory(haproxySingleNode(lb)).files.map(([path]) => path)).not.toContain("/usr/local/sbin/tls-trust-sync");
  });

  it("a static web server: Nginx-light and the index page", () => {
    expect(inventory(nginxNode())).toEqual({
      packages: ["nginx-light", "prometheus-node-exporter", "curl"],
      files: [["/etc/nginx/nginx.conf", "0644", false], ["/var/www/site/index.html", "0644", false], ...INSTANCE_CONNECT],
      runcmd: ["systemctl restart nginx"],
    });
  });

  it("a web server with its own application (stages 1–2): the app started before Nginx proxies to it, no index page", () => {
    expect(inventory(nginxNode({ localApp: rds }))).toEqual({
      packages: ["nginx-light", "python3", "python3-pymysql", "python3-boto3", "prometheus-node-exporter", "curl"],
      files: [...APP, ["/etc/platform/rds-ca.pem", "0644", false], ["/etc/nginx/nginx.conf", "0644", false], ...INSTANCE_CONNECT],
      runcmd: [...APP_START, "systemctl restart nginx"],
    });
  });

  it("a stage 3 web server: its TLS identity made, then the app tier's certificates pinned, then Nginx started", () => {
    expect(inventory(nginxNode({ upstreams: ["10.13.64.120:8443"], tlsIdentity: webTier, upstreamTrust: appTier }))).toEqual({
      packages: ["nginx-light", "openssl", "awscli", "prometheus-node-exporter", "curl"],
      files: [["/etc/nginx/nginx.conf", "0644", false], ["/usr/local/sbin/tls-trust-sync", "0750", true], ...TRUST_SYNC_TIMER, ...TLS_IDENTITY, ...INSTANCE_CONNECT],
      runcmd: [
        "/usr/local/sbin/tls-identity",
        "systemctl daemon-reload",
        "systemctl enable --now tls-identity.timer",
        "/usr/local/sbin/tls-trust-sync",
        "systemctl daemon-reload",
        "systemctl enable --now tls-trust-sync.timer",
        "systemctl restart nginx",
      ],
    });
  });

  it("a stage 3 application server: its TLS identity made before the app that loads the key starts", () => {
    expect(inventory(appServer({ listen: "0.0.0.0:8080", database: rds, tls: { ...appTier, listen: "0.0.0.0:8443" } }))).toEqual({
      packages: ["python3", "python3-pymysql", "python3-boto3", "openssl", "awscli", "prometheus-node-exporter", "curl"],
      files: [...APP, ["/etc/platform/rds-ca.pem", "0644", false], ...TLS_IDENTITY, ...INSTANCE_CONNECT],
      runcmd: ["/usr/local/sbin/tls-identity", "systemctl daemon-reload", "systemctl enable --now tls-identity.timer", ...APP_START],
    });
  });

  it("an application server without TLS, with extra packages: no identity, no openssl or awscli", () => {
    expect(inventory(appServer({ listen: "0.0.0.0:8080", database: rds, packages: ["libpq5"] }))).toEqual({
      packages: ["libpq5", "python3", "python3-pymysql", "python3-boto3", "prometheus-node-exporter", "curl"],
      files: [...APP, ["/etc/platform/rds-ca.pem", "0644", false], ...INSTANCE_CONNECT],
      runcmd: APP_START,
    });
  });

  it("the stage 0 server: MariaDB started and set up before the app, the app before Nginx", () => {
    expect(inventory(singleServer())).toEqual({
      packages: ["nginx-light", "python3", "python3-pymysql", "mariadb-server", "openssl", "prometheus-node-exporter", "curl"],
      files: [...APP, ["/usr/local/sbin/platform-app-db-setup", "0750", false], ["/etc/nginx/nginx.conf", "0644", false], ...INSTANCE_CONNECT],
      runcmd: [
        "useradd --system --no-create-home --shell /usr/sbin/nologin platform-app",
        "systemctl enable --now mariadb.service",
        "/usr/local/sbin/platform-app-db-setup",
        "systemctl daemon-reload",
        "systemctl enable --now platform-app.service",
        "systemctl restart nginx",
      ],
    });
  });

  const monitoring = { regions: ["us-east-1"], projectTagKey: "Project", projectTagValue: "p" };
  it("the monitoring host without alerting: Prometheus and Grafana only", () => {
    expect(inventory(monitoringNode(monitoring))).toEqual({
      packages: ["prometheus", "curl", "openssl", "prometheus-node-exporter"],
      files: [
        ["/etc/prometheus/prometheus.yml", "0644", true],
        ["/etc/grafana/provisioning/datasources/prometheus.yaml", "0644", false],
        ["/etc/grafana/provisioning/dashboards/platform.yaml", "0644", false],
        ["/var/lib/grafana/dashboards/platform-overview.json", "0644", true],
        ["/usr/local/sbin/grafana-apt-install", "0750", true],
        ...INSTANCE_CONNECT,
      ],
      runcmd: ["systemctl restart prometheus", "/usr/local/sbin/grafana-apt-install"],
    });
  });

  it("the monitoring host with alerting and the Grafana password in SSM: Alertmanager and blackbox started before Prometheus, which sends to and scrapes through them", () => {
    const node = monitoringNode({
      ...monitoring,
      grafanaPasswordParameter: { name: "/p/grafana", region: "us-east-1", keyAlias: "alias/p" },
      alerting: { alertmanager: { snsTopicArn: "arn:aws:sns:us-east-1:123456789012:p-alerts", snsRegion: "us-east-1" } },
    });
    expect(inventory(node)).toEqual({
      packages: ["prometheus", "prometheus-alertmanager", "prometheus-blackbox-exporter", "curl", "openssl", "awscli", "prometheus-node-exporter"],
      files: [
        ["/etc/prometheus/prometheus.yml", "0644", true],
        ["/etc/prometheus/rules/platform.rules.yml", "0644", true],
        ["/etc/prometheus/alertmanager.yml", "0644", false],
        ["/etc/default/prometheus-alertmanager", "0644", false],
        ["/etc/prometheus/blackbox.yml", "0644", true],
        ["/etc/default/prometheus-blackbox-exporter", "0644", false],
        ["/etc/grafana/provisioning/datasources/prometheus.yaml", "0644", false],
        ["/etc/grafana/provisioning/dashboards/platform.yaml", "0644", false],
        ["/var/lib/grafana/dashboards/platform-overview.json", "0644", true],
        ["/usr/local/sbin/grafana-apt-install", "0750", true],
        ...INSTANCE_CONNECT,
      ],
      runcmd: ["systemctl restart prometheus-blackbox-exporter", "systemctl restart prometheus-alertmanager", "systemctl restart prometheus", "/usr/local/sbin/grafana-apt-install"],
    });
  });

  it("a host that only exports metrics (`nodeExporterOnly`, for a consumer's own hosts): node_exporter and Instance Connect", () => {
    expect(inventory(nodeExporterOnly())).toEqual({ packages: ["prometheus-node-exporter", "curl"], files: INSTANCE_CONNECT, runcmd: [] });
  });
});
