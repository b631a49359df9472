/** The alerting renderers' facts and rejected inputs (one test per rejected input); the real tools run in rendered-files-pass-their-tools and alert-rules. */
import { ALERT_JOBS, alertGroups, renderAlertRules } from "../../modules/server-config/alert-rules";
import { INHIBIT_RULES, renderAlertmanagerConfig } from "../../modules/server-config/alertmanager";
import { renderBlackboxConfig } from "../../modules/server-config/blackbox";
import { renderKeepalivedStateMetricScript } from "../../modules/server-config/keepalived-state-metric";
import { renderKeepalivedConfig } from "../../modules/server-config/keepalived";
import { KEEPALIVED_STATE_SCRIPT_PATH } from "../../modules/server-config/paths";
import { testConfig } from "../support/synth";
import { synthFromOverrides } from "../support/config-synth";

const ARN = "arn:aws:sns:us-east-1:123456789012:alerts";

describe("alert rules", () => {
  it("has the keepalived and application groups only when asked", () => {
    const names = (p: object) => alertGroups(p).flatMap((g) => g.rules.map((r) => r.alert));
    expect(names({})).not.toContain("LoadBalancerFailover");
    expect(names({})).not.toContain("DatabaseUnreachable");
    expect(names({ keepalived: true, application: true })).toEqual(expect.arrayContaining(["LoadBalancerFailover", "AppNotReady", "DatabaseUnreachable"]));
  });
  it("writes the thresholds into the expressions", () => {
    const text = renderAlertRules({ requestsPerSecond: 1234, diskFreePercent: 7, certificateExpiryDays: 21, hostDownAfterSeconds: 90 });
    expect(text).toContain("> 1234");
    expect(text).toContain("< 7");
    expect(text).toContain(`< ${21 * 86400}`);
    expect(text).toContain("for: 90s");
  });
  it("every alert has a severity, a summary and a first response", () => {
    for (const rule of alertGroups({ keepalived: true, application: true }).flatMap((g) => g.rules)) {
      expect(["critical", "warning"]).toContain(rule.severity);
      expect(rule.summary.length).toBeGreaterThan(10);
      expect(rule.runbook.length).toBeGreaterThan(20);
    }
  });
  it("reads only the jobs prometheus.yml defines", () => {
    const jobs = new Set(Object.values(ALERT_JOBS));
    for (const rule of alertGroups({ keepalived: true, application: true }).flatMap((g) => g.rules)) {
      for (const m of rule.expr.matchAll(/job="([^"]+)"/g)) expect(jobs.has(m[1] as never)).toBe(true);
    }
  });
  it.each([
    ["hostDownAfterSeconds", { hostDownAfterSeconds: 4 }],
    ["errorRatioPercent", { errorRatioPercent: 100 }],
    ["requestsPerSecond", { requestsPerSecond: 0 }],
    ["diskFreePercent", { diskFreePercent: 51 }],
    ["memoryAvailablePercent", { memoryAvailablePercent: 0 }],
    ["certificateExpiryDays", { certificateExpiryDays: 61 }],
  ])("rejects %s out of range", (field, params) => {
    expect(() => renderAlertRules(params)).toThrow(new RegExp(`alerts\\.${field}`));
  });
});

describe("alertmanager.yml", () => {
  const text = renderAlertmanagerConfig({ snsTopicArn: ARN, snsRegion: "us-east-1", webhookUrl: "https://hooks.example.com/alerts" });
  it("sends to SNS with SigV4 in the topic's region and to the webhook, resolved included", () => {
    expect(text).toContain(`topic_arn: "${ARN}"`);
    expect(text).toMatch(/sigv4:\n\s+region: us-east-1/);
    expect(text).toContain('url: "https://hooks.example.com/alerts"');
    expect(text.match(/send_resolved: true/g)).toHaveLength(2);
  });
  it("has no webhook unless asked", () => {
    expect(renderAlertmanagerConfig({ snsTopicArn: ARN, snsRegion: "us-east-1" })).not.toContain("webhook_configs");
  });
  it("\"grouping by `alertname, host`, inhibition rules in `INHIBIT_RULES`\": a dead host's other alerts are inhibited", () => {
    expect(text).toContain("group_by: [alertname, host]");
    expect(INHIBIT_RULES[0]).toMatchObject({ source: "HostDown", equal: ["host"] });
  });
  it.each([
    ["snsTopicArn", { snsTopicArn: "arn:aws:sqs:us-east-1:123456789012:q" }],
    ["snsRegion", { snsRegion: "mars-1" }],
    ["webhookUrl", { webhookUrl: "ftp://x" }],
    ["webhookUrl", { webhookUrl: 'https://x/"a' }],
    ["groupWaitSeconds", { groupWaitSeconds: 601 }],
    ["repeatIntervalHours", { repeatIntervalHours: 0 }],
  ])("rejects a bad %s", (field, bad) => {
    expect(() => renderAlertmanagerConfig({ snsTopicArn: ARN, snsRegion: "us-east-1", ...bad })).toThrow(new RegExp(`alertmanager\\.${field}`));
  });
});

describe("blackbox.yml and the keepalived state hook", () => {
  it("sends the site's name as SNI and skips verification only to read the expiry", () => {
    expect(renderBlackboxConfig({ serverName: "example.com" })).toMatch(/server_name: example\.com\n\s+insecure_skip_verify: true/);
    expect(() => renderBlackboxConfig({ serverName: "not a name" })).toThrow(/blackbox\.serverName/);
  });
  it("keepalived runs the state hook on every transition", () => {
    const conf = renderKeepalivedConfig({ nodeName: "lb-a", privateIp: "10.0.0.10", peerPrivateIp: "10.0.16.10", priority: 150 });
    expect(conf).toContain(`notify "${KEEPALIVED_STATE_SCRIPT_PATH}"`);
    expect(() => renderKeepalivedConfig({ nodeName: "lb-a", privateIp: "10.0.0.10", peerPrivateIp: "10.0.16.10", priority: 150, notifyScript: "relative" })).toThrow(/keepalived\.notifyScript/);
  });
  it("the hook writes atomically into the textfile directory and rejects a relative one", () => {
    const script = renderKeepalivedStateMetricScript({ textfileDir: "/var/lib/node-exporter/textfile" });
    expect(script).toContain('mv -f "$tmp" "$dir/keepalived.prom"');
    expect(() => renderKeepalivedStateMetricScript({ textfileDir: "tf" })).toThrow(/keepalivedStateMetric\.textfileDir/);
  });
  it("the metric's HELP says what each value means (1 BACKUP … 4 STOP), and each state has its own case line", () => {
    const script = renderKeepalivedStateMetricScript();
    expect(script).toContain('echo "# HELP keepalived_vrrp_state VRRP state of this node (1 BACKUP, 2 MASTER, 3 FAULT, 4 STOP)."');
    expect(script).toContain('case "$state" in\n  BACKUP) value=1 ;;\n  MASTER) value=2 ;;\n  FAULT) value=3 ;;\n  STOP) value=4 ;;\n  *) exit 0 ;;\nesac');
  });
});

describe("alerts configuration", () => {
  it("\"E-mail addresses in `alerts.emails` are subscribed to the topic\" (stages 2 and 3, one KMS-encrypted topic each)", () => {
    const outcome = synthFromOverrides({ alerts: { emails: ["ops@example.com", "oncall@example.org"] } }, { keep: true });
    if (!outcome.ok) throw new Error(outcome.message);
    for (const stack of ["stage2-secured-monitored", "stage3-scale-up"]) {
      const subs = Object.values(outcome.json(stack).resource.aws_sns_topic_subscription) as { protocol: string; endpoint: string }[];
      expect(subs.map((s) => `${s.protocol} ${s.endpoint}`).sort()).toEqual(["email oncall@example.org", "email ops@example.com"]);
      const topics = Object.values(outcome.json(stack).resource.aws_sns_topic) as { kms_master_key_id: string }[];
      expect(topics).toHaveLength(1);
      expect(topics[0].kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    }
  });
  it.each([
    ["alerts.emails[0]", { emails: ["not-an-address"] }],
    ["alerts.webhookUrl", { webhookUrl: "hooks.example.com" }],
    ["alerts.errorRatioPercent", { errorRatioPercent: 100 }],
    ["alerts.groupWaitSeconds", { groupWaitSeconds: -1 }],
  ])("names %s when it is wrong", (field, alerts) => {
    expect(() => testConfig({ alerts })).toThrow(field);
  });
});
