/**
 * Prometheus alert rules of the monitoring host (stages 2–3): one file, one
 * group per concern, every threshold a parameter. Each alert carries
 * `severity`, a one-line `summary` and the operator's first response
 * (`runbook`), which Alertmanager forwards to the person paged.
 *
 * Where each signal comes from (all Debian 12 packages):
 * - host down, disk, memory: node_exporter on every host (`job="node"`);
 * - HAProxy backends, 5xx ratio, request rate: HAProxy's built-in exporter (`job="haproxy"`);
 * - TLS expiry: blackbox_exporter's TLS probe of each load balancer's :443
 *   (`probe_ssl_earliest_cert_expiry`, `job="tls"`); the pair shares one
 *   certificate and only the active node renews it, so the alert looks at the
 *   newest certificate of the pair (`max`), never at a standby's stale copy;
 * - keepalived: `keepalived_vrrp_state`, written by keepalived's notify script
 *   into node_exporter's textfile directory (Debian's keepalived 2.2.7 has no
 *   metrics endpoint of its own);
 * - application and database: blackbox HTTP probes of each application
 *   server's `/healthz` and `/readyz` (`job="app-healthz"`, `job="app-readyz"`).
 *   Assumption, to be wired with the reference application: `/healthz`
 *   answers 200 while the process runs, `/readyz` answers 200 only while the
 *   database answers. Every application process alive but none ready is read
 *   as "database unreachable".
 * Pure: no cdktf import.
 */
import { checkIntegerRange } from "./inputs";
import { WEB_BACKEND_NAME } from "./haproxy";
import { yamlText } from "./yaml-text";

/** keepalived states as the notify script writes them (keepalived_vrrp_state). */
export const KEEPALIVED_STATE_VALUES = { BACKUP: 1, MASTER: 2, FAULT: 3, STOP: 4 } as const;

/** Scrape jobs the rules read (prometheus.ts renders jobs with these names). */
export const ALERT_JOBS = { node: "node", haproxy: "haproxy", tls: "tls", appHealthz: "app-healthz", appReadyz: "app-readyz" } as const;

export interface AlertThresholds {
  /** Seconds a node_exporter target must be unreachable before HostDown fires. @default 60 */
  readonly hostDownAfterSeconds?: number;
  /** Share of responses with status 5xx, in percent, above which HighErrorRatio fires (over 5 minutes). @default 5 */
  readonly errorRatioPercent?: number;
  /** Requests per second across the site's frontends above which HighRequestRate fires (the seeds' QPS alert). @default 500 */
  readonly requestsPerSecond?: number;
  /** Free space of a filesystem, in percent, below which DiskSpaceLow fires. @default 10 */
  readonly diskFreePercent?: number;
  /** Available memory, in percent, below which MemoryPressure fires. @default 10 */
  readonly memoryAvailablePercent?: number;
  /** Days before the site's certificate expires at which CertificateExpiresSoon fires. @default 14 */
  readonly certificateExpiryDays?: number;
}

export interface AlertRulesParams extends AlertThresholds {
  /** Render the keepalived rules (a load balancer pair exists). @default false */
  readonly keepalived?: boolean;
  /** Render the application and database rules (application servers are probed). @default false */
  readonly application?: boolean;
}

/** The thresholds with their defaults filled in. */
export function alertThresholds(params: AlertThresholds): Required<AlertThresholds> {
  const t = {
    hostDownAfterSeconds: params.hostDownAfterSeconds ?? 60,
    errorRatioPercent: params.errorRatioPercent ?? 5,
    requestsPerSecond: params.requestsPerSecond ?? 500,
    diskFreePercent: params.diskFreePercent ?? 10,
    memoryAvailablePercent: params.memoryAvailablePercent ?? 10,
    certificateExpiryDays: params.certificateExpiryDays ?? 14,
  };
  checkIntegerRange("alerts.hostDownAfterSeconds", t.hostDownAfterSeconds, 5, 3600);
  checkIntegerRange("alerts.errorRatioPercent", t.errorRatioPercent, 1, 99);
  checkIntegerRange("alerts.requestsPerSecond", t.requestsPerSecond, 1, 1000000);
  checkIntegerRange("alerts.diskFreePercent", t.diskFreePercent, 1, 50);
  checkIntegerRange("alerts.memoryAvailablePercent", t.memoryAvailablePercent, 1, 50);
  checkIntegerRange("alerts.certificateExpiryDays", t.certificateExpiryDays, 1, 60);
  return t;
}

export interface AlertRule {
  readonly alert: string;
  readonly expr: string;
  /** Prometheus duration, e.g. "2m"; "0s" fires at the first evaluation. */
  readonly for: string;
  readonly severity: "critical" | "warning";
  readonly summary: string;
  /** The operator's first response. */
  readonly runbook: string;
}

export interface AlertGroup {
  readonly name: string;
  readonly rules: readonly AlertRule[];
}

/** Filesystems that never fill with data worth an alert (RAM-backed, read-only images, the EFI partition). */
const IGNORED_FILESYSTEMS = 'fstype!~"tmpfs|ramfs|devtmpfs|squashfs|overlay|vfat|iso9660"';
const SITE_FRONTENDS = 'proxy=~"https_in|http_in"';

/** The alert groups, as data (the tests and the README read the same list). */
export function alertGroups(params: AlertRulesParams = {}): AlertGroup[] {
  const t = alertThresholds(params);
  const { node, haproxy, tls, appHealthz, appReadyz } = ALERT_JOBS;
  const groups: AlertGroup[] = [
    {
      name: "hosts",
      rules: [
        {
          alert: "HostDown",
          expr: `up{job="${node}"} == 0`,
          for: `${t.hostDownAfterSeconds}s`,
          severity: "critical",
          summary: "{{ $labels.name }} ({{ $labels.host }}, {{ $labels.role }}) does not answer node_exporter scrapes",
          runbook: "Check the instance state and status checks in the EC2 console; reboot or replace it. Its other alerts are held back until it answers again.",
        },
        {
          alert: "DiskSpaceLow",
          expr: `node_filesystem_avail_bytes{${IGNORED_FILESYSTEMS}} / node_filesystem_size_bytes{${IGNORED_FILESYSTEMS}} * 100 < ${t.diskFreePercent}`,
          for: "5m",
          severity: "warning",
          summary: `{{ $labels.name }}: {{ $labels.mountpoint }} has {{ $value | printf "%.1f" }}% free (alert below ${t.diskFreePercent}%)`,
          runbook: "Find what grows (du -xh --max-depth=2 on the mount point; journalctl --vacuum-size for logs) and free space, or grow the EBS volume.",
        },
        {
          alert: "MemoryPressure",
          expr: `node_memory_MemAvailable_bytes / node_memory_MemTotal_bytes * 100 < ${t.memoryAvailablePercent}`,
          for: "5m",
          severity: "warning",
          summary: `{{ $labels.name }} has {{ $value | printf "%.1f" }}% memory available (alert below ${t.memoryAvailablePercent}%)`,
          runbook: "See which process grows (ps aux --sort=-rss | head); restart it or move the host to a larger instance type.",
        },
      ],
    },
    {
      name: "load-balancers",
      rules: [
        {
          alert: "HaproxyDown",
          expr: `up{job="${haproxy}"} == 0`,
          for: "1m",
          severity: "critical",
          summary: "HAProxy on {{ $labels.host }} does not answer on its exporter port",
          runbook: "systemctl status haproxy and journalctl -u haproxy on that node; on a pair, keepalived has already moved the Elastic IP to the other node.",
        },
        {
          alert: "BackendNoHealthyServer",
          expr: `haproxy_backend_active_servers{proxy="${WEB_BACKEND_NAME}"} == 0`,
          for: "30s",
          severity: "critical",
          summary: "HAProxy on {{ $labels.host }}: backend {{ $labels.proxy }} has no healthy server; the site answers 503",
          runbook: "The site is down. Check the web servers' /healthz and nginx (systemctl status nginx), their security groups, and the backend list (/etc/haproxy/backends.cfg).",
        },
        {
          alert: "BackendServerDown",
          expr: `haproxy_server_status{proxy="${WEB_BACKEND_NAME}",state="DOWN"} == 1`,
          for: "1m",
          severity: "warning",
          summary: "HAProxy on {{ $labels.host }}: server {{ $labels.server }} of backend {{ $labels.proxy }} is DOWN",
          runbook: "Traffic goes to the other servers. Check nginx and /healthz on that web server; replace the host if it does not recover.",
        },
        {
          alert: "HighErrorRatio",
          expr: `sum by (host) (rate(haproxy_frontend_http_responses_total{${SITE_FRONTENDS},code="5xx"}[5m])) / sum by (host) (rate(haproxy_frontend_http_responses_total{${SITE_FRONTENDS}}[5m])) * 100 > ${t.errorRatioPercent}`,
          for: "5m",
          severity: "critical",
          summary: `{{ $value | printf "%.1f" }}% of responses on {{ $labels.host }} are 5xx (alert above ${t.errorRatioPercent}%)`,
          runbook: "Look at the application logs and the last deploy; roll back if it started with a release. BackendServerDown and AppNotReady tell whether servers are failing.",
        },
        {
          alert: "HighRequestRate",
          expr: `sum(rate(haproxy_frontend_http_requests_total{${SITE_FRONTENDS}}[1m])) > ${t.requestsPerSecond}`,
          for: "2m",
          severity: "warning",
          summary: `The site receives {{ $value | printf "%.0f" }} requests per second (alert above ${t.requestsPerSecond})`,
          runbook: "Check whether the traffic is wanted (Grafana: requests per backend); scale the web fleet (fleet.webServers) or block the source.",
        },
        {
          alert: "CertificateExpiresSoon",
          expr: `max(probe_ssl_earliest_cert_expiry{job="${tls}"}) - time() < ${t.certificateExpiryDays * 86400}`,
          for: "10m",
          severity: "warning",
          summary: `The site's newest TLS certificate expires in {{ $value | humanizeDuration }} (alert below ${t.certificateExpiryDays} days)`,
          runbook: "Renewal has failed: on the active load balancer run /usr/local/sbin/haproxy-cert-renew and read journalctl -u haproxy-cert-renew (DNS must point at the Elastic IP, port 80 must be open).",
        },
      ],
    },
  ];
  if (params.keepalived) {
    groups.push({
      name: "keepalived",
      rules: [
        {
          alert: "LoadBalancerFailover",
          expr: `changes(keepalived_vrrp_state[10m]) > 0`,
          for: "0s",
          severity: "warning",
          summary: "keepalived on {{ $labels.name }} ({{ $labels.host }}) changed VRRP state in the last 10 minutes",
          runbook: "A failover happened: the Elastic IP moved. Find why the old MASTER gave up (HaproxyDown, HostDown; journalctl -u keepalived) and repair it; it stays BACKUP (nopreempt).",
        },
      ],
    });
  }
  if (params.application) {
    groups.push({
      name: "application",
      rules: [
        {
          alert: "AppNotReady",
          expr: `probe_success{job="${appReadyz}"} == 0`,
          for: "2m",
          severity: "warning",
          summary: "Application on {{ $labels.host }} fails /readyz",
          runbook: "Read the application's journal on that host; restart it. If every server fails, DatabaseUnreachable fires instead.",
        },
        {
          alert: "DatabaseUnreachable",
          expr: `count(probe_success{job="${appReadyz}"} == 0) == count(probe_success{job="${appReadyz}"}) and on() min(probe_success{job="${appHealthz}"}) == 1`,
          for: "1m",
          severity: "critical",
          summary: "Every application server is alive (/healthz) but none is ready (/readyz): the database is unreachable",
          runbook: "Check the RDS instance (status, events, failover in progress), its security group and the credentials secret; the application recovers by itself once the database answers.",
        },
      ],
    });
  }
  return groups;
}

/** /etc/prometheus/rules/platform.rules.yml */
export function renderAlertRules(params: AlertRulesParams = {}): string {
  const groups = alertGroups(params);
  return `# Managed by the platform's server-config renderer.
groups:
${groups
  .map(
    (group) => `  - name: ${group.name}
    rules:
${group.rules
  .map(
    (rule) => `      - alert: ${rule.alert}
${yamlText("        ", "expr", rule.expr)}
        for: ${rule.for}
        labels:
          severity: ${rule.severity}
        annotations:
${yamlText("          ", "summary", rule.summary)}
${yamlText("          ", "runbook", rule.runbook)}`,
  )
  .join("\n")}`,
  )
  .join("\n")}
`;
}
