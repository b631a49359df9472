/**
 * alertmanager.yml and blackbox.yml read as their daemons read them (parsed
 * YAML): who is paged, how often, which alert holds back which, and what each
 * probe module checks. The daemons' own checks (amtool, blackbox_exporter)
 * run in rendered-files-pass-their-tools.
 */
import { INHIBIT_RULES, renderAlertmanagerConfig, AlertmanagerParams } from "../../modules/server-config/alertmanager";
import { BLACKBOX_PORT, renderBlackboxConfig, renderBlackboxDefaults } from "../../modules/server-config/blackbox";
import { alertGroups } from "../../modules/server-config/alert-rules";
import { InvalidInputError } from "../../modules/core/validation";
import { checkAlertmanager, parseYaml } from "../support/validators";

interface Alertmanager {
  route: { receiver: string; group_by: string[]; group_wait: string; group_interval: string; repeat_interval: string };
  receivers: {
    name: string;
    sns_configs: { topic_arn: string; sigv4: { region: string }; subject: string; message: string; send_resolved: boolean }[];
    webhook_configs?: { url: string; send_resolved: boolean }[];
  }[];
  inhibit_rules: { source_matchers: string[]; target_matchers: string[]; equal: string[] }[];
}

const ARN = "arn:aws:sns:eu-west-1:123456789012:platform-alerts";
const base: AlertmanagerParams = { snsTopicArn: ARN, snsRegion: "eu-west-1" };
const parse = (params: AlertmanagerParams) => parseYaml(renderAlertmanagerConfig(params)) as Alertmanager;
const allAlerts = alertGroups({ keepalived: true, application: true }).flatMap((g) => g.rules.map((r) => r.alert));

describe("alertmanager.yml: who is paged, and how often", () => {
  it("one route to the operators, grouped per alert and host, at the defaults (30 s wait, 5 min interval, 4 h repeat)", () => {
    expect(parse(base).route).toEqual({ receiver: "operators", group_by: ["alertname", "host"], group_wait: "30s", group_interval: "5m", repeat_interval: "4h" });
  });

  it("writes the configured timings", () => {
    expect(parse({ ...base, groupWaitSeconds: 0, groupIntervalMinutes: 60, repeatIntervalHours: 168 }).route).toMatchObject({ group_wait: "0s", group_interval: "60m", repeat_interval: "168h" });
  });

  it("the only receiver publishes to the SNS topic, signed for its region, with the alert's summary and first response, resolved included", () => {
    const { receivers } = parse(base);
    expect(receivers).toHaveLength(1);
    const [receiver] = receivers;
    expect(receiver.name).toBe("operators");
    expect(receiver).not.toHaveProperty("webhook_configs");
    expect(receiver.sns_configs).toHaveLength(1);
    const [sns] = receiver.sns_configs;
    expect(sns).toMatchObject({ topic_arn: ARN, sigv4: { region: "eu-west-1" }, send_resolved: true });
    expect(sns.subject).toBe("[{{ .Status | toUpper }}] {{ .GroupLabels.alertname }} {{ .GroupLabels.host }}");
    expect(sns.message).toContain("{{ .Annotations.summary }}");
    expect(sns.message).toContain("First response: {{ .Annotations.runbook }}");
    expect(sns.message).toMatch(/^\{\{ range \.Alerts \}\}\{\{ \.Status \| toUpper \}\} \{\{ \.Labels\.alertname \}\} \(\{\{ \.Labels\.severity \}\}\)\n/);
    expect(sns.message).toMatch(/Since \{\{ \.StartsAt \}\}\n\{\{ end \}\}$/);
  });

  it("accepts a webhook URL without a path", () => {
    expect(parse({ ...base, webhookUrl: "https://hooks.example.com:8443" }).receivers[0].webhook_configs).toEqual([{ url: "https://hooks.example.com:8443", send_resolved: true }]);
  });

  it("also posts to the webhook when one is given, resolved included", () => {
    const [receiver] = parse({ ...base, webhookUrl: "https://hooks.example.com/alerts?team=platform" }).receivers;
    expect(receiver.webhook_configs).toEqual([{ url: "https://hooks.example.com/alerts?team=platform", send_resolved: true }]);
  });

  it("a Terraform reference to the topic is pasted as it is", () => {
    expect(parse({ ...base, snsTopicArn: "${aws_sns_topic.alerts.arn}" }).receivers[0].sns_configs[0].topic_arn).toBe("${aws_sns_topic.alerts.arn}");
  });
});

describe("alertmanager.yml: one page for one cause", () => {
  it("each inhibition holds back its targets (never its source) while the source fires, matched on its labels", () => {
    expect(parse(base).inhibit_rules).toEqual([
      { source_matchers: ['alertname = "HostDown"'], target_matchers: ['alertname =~ ".+"', 'alertname != "HostDown"'], equal: ["host"] },
      {
        source_matchers: ['alertname = "HaproxyDown"'],
        target_matchers: ['alertname =~ "BackendNoHealthyServer|BackendServerDown|HighErrorRatio"', 'alertname != "HaproxyDown"'],
        equal: ["host"],
      },
      { source_matchers: ['alertname = "DatabaseUnreachable"'], target_matchers: ['alertname =~ "AppNotReady"', 'alertname != "DatabaseUnreachable"'], equal: [] },
    ]);
  });

  it("every alert an inhibition names is an alert the rules define", () => {
    for (const rule of INHIBIT_RULES) {
      expect(allAlerts).toContain(rule.source);
      if (rule.targets !== ".+") for (const target of rule.targets.split("|")) expect(allAlerts).toContain(target);
    }
  });

  it("says why each inhibition exists, in the file", () => {
    const text = renderAlertmanagerConfig(base);
    for (const rule of INHIBIT_RULES) expect(text).toContain(`  # ${rule.why}\n  - source_matchers: ['alertname = "${rule.source}"']`);
    // Each reason on a line of its own, above its rule (not trailing the rule before it).
    for (const rule of INHIBIT_RULES) expect(text).toMatch(new RegExp(`\\n  # ${rule.why.replace(/[()]/g, "\\$&")}\\n`));
  });

  it("amtool accepts the file with every option set", () => {
    const result = checkAlertmanager(renderAlertmanagerConfig({ ...base, webhookUrl: "http://10.0.0.5:8080/hook", groupWaitSeconds: 600, groupIntervalMinutes: 1, repeatIntervalHours: 1 }));
    expect(result.output).toMatch(/SUCCESS/);
    expect(result.ok).toBe(true);
  });
});

describe("alertmanager.yml refuses what would page nobody", () => {
  it.each([
    ["an SQS ARN", { snsTopicArn: "arn:aws:sqs:eu-west-1:123456789012:q" }, "alertmanager.snsTopicArn", "an SNS topic ARN such as arn:aws:sns:us-east-1:123456789012:alerts (or a Terraform reference to one)"],
    ["an ARN with an 11-digit account", { snsTopicArn: "arn:aws:sns:eu-west-1:12345678901:alerts" }, "alertmanager.snsTopicArn", "an SNS topic ARN"],
    ["an ARN followed by junk", { snsTopicArn: `${ARN} x` }, "alertmanager.snsTopicArn", "an SNS topic ARN"],
    ["junk before an ARN", { snsTopicArn: `x ${ARN}` }, "alertmanager.snsTopicArn", "an SNS topic ARN"],
    ["a webhook without a scheme", { webhookUrl: "hooks.example.com/a" }, "alertmanager.webhookUrl", "an http(s) URL without spaces or quotes"],
    ["a webhook with a space", { webhookUrl: "https://hooks.example.com/a b" }, "alertmanager.webhookUrl", "an http(s) URL without spaces or quotes"],
    ["text before the webhook's scheme", { webhookUrl: "xhttps://hooks.example.com/a" }, "alertmanager.webhookUrl", "an http(s) URL without spaces or quotes"],
    ["a quote after the webhook's host", { webhookUrl: 'https://hooks.example.com"' }, "alertmanager.webhookUrl", "an http(s) URL without spaces or quotes"],
    ["junk after a Terraform reference", { snsTopicArn: "${aws_sns_topic.alerts.arn}x" }, "alertmanager.snsTopicArn", "an SNS topic ARN"],
    ["junk before a Terraform reference", { snsTopicArn: "x${aws_sns_topic.alerts.arn}" }, "alertmanager.snsTopicArn", "an SNS topic ARN"],
    ["a group interval of 0 minutes", { groupIntervalMinutes: 0 }, "alertmanager.groupIntervalMinutes", "0"],
    ["a group interval over an hour", { groupIntervalMinutes: 61 }, "alertmanager.groupIntervalMinutes", "61"],
    ["a repeat interval over a week", { repeatIntervalHours: 169 }, "alertmanager.repeatIntervalHours", "169"],
    ["a negative group wait", { groupWaitSeconds: -1 }, "alertmanager.groupWaitSeconds", "-1"],
  ])("refuses %s, naming the field", (_name, bad, field, allowed) => {
    const render = () => renderAlertmanagerConfig({ ...base, ...bad });
    expect(render).toThrow(InvalidInputError);
    expect(render).toThrow(field);
    expect(render).toThrow(allowed);
  });

  it("accepts the GovCloud and China partitions' topics", () => {
    for (const arn of ["arn:aws-us-gov:sns:us-gov-west-1:123456789012:alerts", "arn:aws-cn:sns:cn-north-1:123456789012:alerts"]) {
      expect(parse({ ...base, snsTopicArn: arn }).receivers[0].sns_configs[0].topic_arn).toBe(arn);
    }
  });
});

describe("blackbox.yml as blackbox_exporter reads it", () => {
  interface Blackbox { modules: Record<string, { prober: string; timeout: string; tcp?: Record<string, unknown>; http?: Record<string, unknown> }> }
  it("tls_expiry: a TCP connection with TLS over IPv4 within 5 s, the site's name as SNI, verification skipped to read any certificate", () => {
    const { modules } = parseYaml(renderBlackboxConfig({ serverName: "shop.example.com" })) as Blackbox;
    expect(Object.keys(modules)).toEqual(["tls_expiry", "http_200"]);
    expect(modules.tls_expiry).toEqual({
      prober: "tcp",
      timeout: "5s",
      tcp: { preferred_ip_protocol: "ip4", tls: true, tls_config: { server_name: "shop.example.com", insecure_skip_verify: true } },
    });
    const noSni = parseYaml(renderBlackboxConfig()) as Blackbox;
    expect(noSni.modules.tls_expiry.tcp).toEqual({ preferred_ip_protocol: "ip4", tls: true, tls_config: { insecure_skip_verify: true } });
  });

  it("http_200: an HTTP probe over IPv4 within 5 s that passes on 200 only and does not follow redirects", () => {
    const { modules } = parseYaml(renderBlackboxConfig()) as Blackbox;
    expect(modules.http_200).toEqual({ prober: "http", timeout: "5s", http: { preferred_ip_protocol: "ip4", valid_status_codes: [200], follow_redirects: false } });
  });

  it("listens on loopback only, with the given config file", () => {
    expect(renderBlackboxDefaults("/etc/prometheus/blackbox.yml")).toBe(
      `# Managed by the platform's server-config renderer.\nARGS="--config.file /etc/prometheus/blackbox.yml --web.listen-address=127.0.0.1:${BLACKBOX_PORT}"\n`,
    );
    expect(BLACKBOX_PORT).toBe(9115);
  });
});
