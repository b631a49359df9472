/**
 * Fixed absolute paths on the hosts. Renderers, cloud-configs and tests share
 * these constants so a test can pull any file out of the user data by path.
 */

// HAProxy load balancers
export const HAPROXY_CFG_PATH = "/etc/haproxy/haproxy.cfg";
/** Backend section, re-rendered by the backend sync script; loaded with a second `-f`. */
export const HAPROXY_BACKENDS_PATH = "/etc/haproxy/backends.cfg";
/** Debian's unit runs `haproxy -Ws -f $CONFIG -p $PIDFILE $EXTRAOPTS` with this file as EnvironmentFile. */
export const HAPROXY_DEFAULTS_PATH = "/etc/default/haproxy";
/** Certificate + key in one PEM, the format HAProxy's `crt` expects. */
export const HAPROXY_CERT_PATH = "/etc/haproxy/certs/site.pem";
export const HAPROXY_STATS_SOCKET_PATH = "/run/haproxy/admin.sock";
export const HAPROXY_CHROOT_PATH = "/var/lib/haproxy";
export const BACKEND_SYNC_SCRIPT_PATH = "/usr/local/sbin/haproxy-backend-sync";

export const KEEPALIVED_CONF_PATH = "/etc/keepalived/keepalived.conf";
export const FAILOVER_SCRIPT_PATH = "/usr/local/sbin/eip-failover";
/** keepalived's notify hook writing the VRRP state for node_exporter. */
export const KEEPALIVED_STATE_SCRIPT_PATH = "/usr/local/sbin/keepalived-state-metric";
/** node_exporter's textfile collector directory (Debian's default --collector.textfile.directory). */
export const NODE_EXPORTER_TEXTFILE_DIR = "/var/lib/prometheus/node-exporter";

// Certificates
export const CERT_PLACEHOLDER_SCRIPT_PATH = "/usr/local/sbin/haproxy-cert-placeholder";
/** Passed to certbot as --deploy-hook (kept out of renewal-hooks/ so it never runs twice). */
export const CERT_DEPLOY_HOOK_PATH = "/usr/local/sbin/haproxy-cert-deploy";
export const CERT_RENEW_SCRIPT_PATH = "/usr/local/sbin/haproxy-cert-renew";
export const CERT_PULL_SCRIPT_PATH = "/usr/local/sbin/haproxy-cert-pull";

// Nginx web servers
export const NGINX_CONF_PATH = "/etc/nginx/nginx.conf";
export const NGINX_SITE_ROOT = "/var/www/site";
export const NGINX_INDEX_PATH = "/var/www/site/index.html";

// Monitoring host
export const PROMETHEUS_CONFIG_PATH = "/etc/prometheus/prometheus.yml";
export const ALERT_RULES_PATH = "/etc/prometheus/rules/platform.rules.yml";
/** Debian's prometheus-alertmanager reads this file. */
export const ALERTMANAGER_CONFIG_PATH = "/etc/prometheus/alertmanager.yml";
export const ALERTMANAGER_DEFAULTS_PATH = "/etc/default/prometheus-alertmanager";
export const BLACKBOX_CONFIG_PATH = "/etc/prometheus/blackbox.yml";
export const BLACKBOX_DEFAULTS_PATH = "/etc/default/prometheus-blackbox-exporter";
export const GRAFANA_DATASOURCES_PATH = "/etc/grafana/provisioning/datasources/prometheus.yaml";
export const GRAFANA_DASHBOARD_PROVIDER_PATH = "/etc/grafana/provisioning/dashboards/platform.yaml";
export const GRAFANA_DASHBOARDS_DIR = "/var/lib/grafana/dashboards";
export const GRAFANA_DASHBOARD_PATH = "/var/lib/grafana/dashboards/platform-overview.json";
/** Grafana's generated admin password, readable by root only (no secret in Terraform). */
export const GRAFANA_ADMIN_PASSWORD_PATH = "/etc/grafana-admin/password";
export const GRAFANA_APT_SETUP_SCRIPT_PATH = "/usr/local/sbin/grafana-apt-install";


/** systemd units written by the roles. */
export const SYSTEMD_DIR = "/etc/systemd/system";

// TLS between the tiers (stage 3): each host's own identity, and the pinned certificates of the tier it calls.
/** Directory of the host's TLS identity: key (root only, never leaves the host) and self-signed certificate. */
export const TLS_IDENTITY_DIR = "/etc/platform/tls";
export const TLS_KEY_PATH = "/etc/platform/tls/key.pem";
export const TLS_CERT_PATH = "/etc/platform/tls/cert.pem";
/** Creates, rotates and publishes the host's TLS identity. */
export const TLS_IDENTITY_SCRIPT_PATH = "/usr/local/sbin/tls-identity";
/** Rebuilds the bundle of pinned certificates of the called tier from SSM. */
export const TLS_TRUST_SYNC_SCRIPT_PATH = "/usr/local/sbin/tls-trust-sync";
/** HAProxy's pinned certificates of the web tier. */
export const HAPROXY_BACKEND_TRUST_PATH = "/etc/haproxy/certs/backend-trust.pem";
/** Nginx's pinned certificates of the application tier. */
export const NGINX_UPSTREAM_TRUST_PATH = "/etc/platform/tls/upstream-trust.pem";

// EC2 Instance Connect (every host)
export const INSTANCE_CONNECT_KEYS_SCRIPT_PATH = "/usr/local/sbin/ec2-instance-connect-keys";
/** Debian 12's sshd_config includes sshd_config.d/*.conf first, so this drop-in's settings win. */
export const INSTANCE_CONNECT_SSHD_CONFIG_PATH = "/etc/ssh/sshd_config.d/60-ec2-instance-connect.conf";
