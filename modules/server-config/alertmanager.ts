/**
 * Alertmanager on the monitoring host (Debian's prometheus-alertmanager 0.25):
 * one receiver that reaches a person — the SNS topic (e-mail subscriptions;
 * Alertmanager signs with the instance role, no key on disk) and optionally a
 * webhook — with grouping per alert and host, inhibition of a dead host's
 * other alerts, and a repeat interval so an unresolved alert is not forgotten.
 * Pure: no cdktf import.
 */
import { check, isToken } from "../core/validation";
import { checkIntegerRange, checkRegion } from "./inputs";

export const ALERTMANAGER_PORT = 9093;
export const ALERTMANAGER_RECEIVER = "operators";

export interface AlertmanagerParams {
  /** ARN of the SNS topic alerts are published to (a Terraform reference is fine: it is only pasted). */
  readonly snsTopicArn: string;
  /** Region of the topic (Alertmanager signs its SigV4 requests for it). */
  readonly snsRegion: string;
  /** Also POST alerts to this URL (Alertmanager's webhook format). @default none */
  readonly webhookUrl?: string;
  /** Seconds Alertmanager waits to batch the first alerts of a group. @default 30 */
  readonly groupWaitSeconds?: number;
  /** Minutes between notifications about new alerts of a group already notified. @default 5 */
  readonly groupIntervalMinutes?: number;
  /** Hours after which a still-firing alert is sent again. @default 4 */
  readonly repeatIntervalHours?: number;
}

const SNS_ARN = /^arn:aws[a-z-]*:sns:[a-z0-9-]+:\d{12}:[A-Za-z0-9_-]{1,256}$/;
/** A webhook URL: http(s), no spaces or quotes (it is written into YAML as a quoted string). */
export const WEBHOOK_URL_PATTERN = /^https?:\/\/[A-Za-z0-9.-]+(:\d{1,5})?(\/[A-Za-z0-9._~!$&'()*+,;=:@%/?-]*)?$/;

/**
 * Inhibitions: while the source fires, targets with the same `equal` labels
 * are held back (one page for one cause).
 */
export const INHIBIT_RULES: readonly { source: string; targets: string; equal: readonly string[]; why: string }[] = [
  { source: "HostDown", targets: ".+", equal: ["host"], why: "a dead host's own alerts (its HAProxy, its probes) add nothing" },
  { source: "HaproxyDown", targets: "BackendNoHealthyServer|BackendServerDown|HighErrorRatio", equal: ["host"], why: "a dead HAProxy's backend metrics are stale" },
  { source: "DatabaseUnreachable", targets: "AppNotReady", equal: [], why: "every application server fails /readyz because of the database" },
];

export function renderAlertmanagerConfig(params: AlertmanagerParams): string {
  check(SNS_ARN.test(params.snsTopicArn) || isToken(params.snsTopicArn) || /^\$\{[a-z0-9_.-]+\}$/i.test(params.snsTopicArn), "alertmanager.snsTopicArn", params.snsTopicArn, "an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts (or a Terraform reference to one)");
  checkRegion("alertmanager.snsRegion", params.snsRegion);
  if (params.webhookUrl !== undefined) check(WEBHOOK_URL_PATTERN.test(params.webhookUrl), "alertmanager.webhookUrl", params.webhookUrl, "an http(s) URL without spaces or quotes");
  const groupWait = params.groupWaitSeconds ?? 30;
  const groupInterval = params.groupIntervalMinutes ?? 5;
  const repeat = params.repeatIntervalHours ?? 4;
  checkIntegerRange("alertmanager.groupWaitSeconds", groupWait, 0, 600);
  checkIntegerRange("alertmanager.groupIntervalMinutes", groupInterval, 1, 60);
  checkIntegerRange("alertmanager.repeatIntervalHours", repeat, 1, 168);

  const webhook = params.webhookUrl === undefined
    ? ""
    : `    webhook_configs:
      - url: "${params.webhookUrl}"
        send_resolved: true
`;
  const inhibitions = INHIBIT_RULES.map((rule) => `  # ${rule.why}
  - source_matchers: ['alertname = "${rule.source}"']
    target_matchers: ['alertname =~ "${rule.targets}"', 'alertname != "${rule.source}"']
    equal: [${rule.equal.join(", ")}]`).join("\n");
  return `# Managed by the platform's server-config renderer.
route:
  receiver: ${ALERTMANAGER_RECEIVER}
  # One notification per alert and host; a burst of the same alert is batched.
  group_by: [alertname, host]
  group_wait: ${groupWait}s
  group_interval: ${groupInterval}m
  repeat_interval: ${repeat}h

receivers:
  - name: ${ALERTMANAGER_RECEIVER}
    # SNS with the instance role's credentials (IMDSv2); the topic fans out to e-mail.
    sns_configs:
      - topic_arn: "${params.snsTopicArn}"
        sigv4:
          region: ${params.snsRegion}
        subject: '[{{ .Status | toUpper }}] {{ .GroupLabels.alertname }} {{ .GroupLabels.host }}'
        message: |-
          {{ range .Alerts }}{{ .Status | toUpper }} {{ .Labels.alertname }} ({{ .Labels.severity }})
          {{ .Annotations.summary }}
          First response: {{ .Annotations.runbook }}
          Since {{ .StartsAt }}
          {{ end }}
        send_resolved: true
${webhook}
inhibit_rules:
${inhibitions}
`;
}
