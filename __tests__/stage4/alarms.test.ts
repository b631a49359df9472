/**
 * Stage 4 is watched by CloudWatch: every alarm exists with its metric,
 * threshold and the SNS action of its own region, and reaches the alerts.emails.
 */
import { DEFAULT_CONFIG } from "../../stacks/config";
import { TfJson, referenced, resourcesOf, synthStack, testConfig } from "../support/synth";

const STACK = "stage4-warm-standby";
const json = synthStack(STACK, testConfig({ alerts: { emails: ["ops@example.com"] } }));
type Res = Record<string, any>;
const alarms = (doc: TfJson) => resourcesOf(doc, "aws_cloudwatch_metric_alarm").map(([, a]) => a as Res);
const byName = (doc: TfJson, suffix: string) => alarms(doc).filter((a) => a.alarm_name.endsWith(suffix));
const topicOf = (doc: TfJson, alarm: Res) => referenced(doc, alarm.alarm_actions[0]).config;
const thresholds = DEFAULT_CONFIG.warmStandby.alarms;

describe("stage 4 alarms", () => {
  it("every alarm notifies on ALARM and OK, through a KMS-encrypted topic of its own region", () => {
    expect(alarms(json).length).toBeGreaterThan(25);
    for (const alarm of alarms(json)) {
      expect(alarm.alarm_actions).toHaveLength(1);
      expect(alarm.ok_actions).toEqual(alarm.alarm_actions);
      const topic = topicOf(json, alarm);
      expect(topic.provider).toBe(alarm.provider);
      expect(topic.kms_master_key_id).toMatch(/^\$\{aws_kms_key\./);
    }
  });

  it.each(["primary", "dr"])("%s: both ALBs alarm on 5xx and unhealthy targets; both ASGs when hosts are missing", (role) => {
    for (const tier of ["frontend", "backend"]) {
      const elb5xx = byName(json, `-${role}-${tier}-alb-5xx`)[0];
      expect(elb5xx).toMatchObject({ namespace: "AWS/ApplicationELB", metric_name: "HTTPCode_ELB_5XX_Count", statistic: "Sum", threshold: thresholds.http5xxPer5Minutes, comparison_operator: "GreaterThanThreshold" });
      expect(elb5xx.dimensions.LoadBalancer).toMatch(/^\$\{aws_lb\.[^.]+\.arn_suffix\}$/);
      expect(byName(json, `-${role}-${tier}-targets-5xx`)[0].metric_name).toBe("HTTPCode_Target_5XX_Count");
      const unhealthy = byName(json, `-${role}-${tier}-unhealthy-targets`)[0];
      expect(unhealthy.dimensions.TargetGroup).toMatch(/^\$\{aws_lb_target_group\.[^.]+\.arn_suffix\}$/);
      const missing = byName(json, `-${role}-${tier}-asg-below-desired`)[0];
      const group = resourcesOf(json, "aws_autoscaling_group").find(([, g]) => g.name === `webplat-dev-stage4-${role}-${tier}`)![0];
      expect(missing.metric_query.map((q: Res) => q.metric?.dimensions?.AutoScalingGroupName).filter(Boolean)).toEqual([`\${aws_autoscaling_group.${group}.name}`, `\${aws_autoscaling_group.${group}.name}`]);
      expect(missing.metric_query.find((q: Res) => q.return_data).expression).toBe("desired - inservice");
    }
  });

  it("databases: CPU and free storage on both, replication lag on the DR replica (missing data counts as lag)", () => {
    const identifiers = resourcesOf(json, "aws_db_instance").map(([name]) => `\${aws_db_instance.${name}.identifier}`);
    for (const id of identifiers) {
      const mine = alarms(json).filter((a) => a.dimensions?.DBInstanceIdentifier === id).map((a) => a.metric_name).sort();
      expect(mine).toEqual(expect.arrayContaining(["CPUUtilization", "FreeStorageSpace"]));
    }
    const [lag] = alarms(json).filter((a) => a.metric_name === "ReplicaLag");
    expect(lag).toMatchObject({ threshold: thresholds.replicaLagSeconds, treat_missing_data: "breaching", provider: "aws.secondary" });
    expect(byName(json, "-db-free-storage")[0].threshold).toBe(thresholds.databaseFreeStorageGb * 1024 ** 3);
  });

  it("Redis: engine CPU and memory on every node of both groups", () => {
    const nodes = alarms(json).filter((a) => a.namespace === "AWS/ElastiCache").map((a) => a.dimensions.CacheClusterId);
    expect(new Set(nodes)).toEqual(new Set(["webplat-dev-stage4-primary-redis-001", "webplat-dev-stage4-primary-redis-002", "webplat-dev-stage4-dr-redis-001", "webplat-dev-stage4-dr-redis-002"]));
  });

  it("the Route 53 health check of the active backend alarms in us-east-1: the runbook's first trigger", () => {
    const [alarm] = alarms(json).filter((a) => a.namespace === "AWS/Route53");
    const [healthName] = resourcesOf(json, "aws_route53_health_check")[0];
    expect(alarm).toMatchObject({ metric_name: "HealthCheckStatus", comparison_operator: "LessThanThreshold", threshold: 1, treat_missing_data: "breaching" });
    expect(alarm.dimensions.HealthCheckId).toBe(`\${aws_route53_health_check.${healthName}.id}`);
    expect(alarm.provider).toBe("aws"); // us-east-1 is the primary region by default
  });

  it("outside us-east-1 the health-check alarm gets a us-east-1 topic of its own", () => {
    const eu = synthStack(STACK, testConfig({ primaryRegion: "eu-west-1", secondaryRegion: "eu-central-1" }));
    const [alarm] = alarms(eu).filter((a) => a.namespace === "AWS/Route53");
    const topic = topicOf(eu, alarm);
    expect(topic.provider).toBe(alarm.provider);
    expect(eu.provider!.aws.find((p) => `aws.${p.alias}` === alarm.provider)!.region).toBe("us-east-1");
    expect(resourcesOf(eu, "aws_sns_topic")).toHaveLength(3);
  });

  it("the topics' keys let CloudWatch encrypt for this account only, and the e-mails are subscribed", () => {
    const topics = resourcesOf(json, "aws_sns_topic");
    expect(topics).toHaveLength(2);
    for (const [topicName, topic] of topics) {
      const key = referenced(json, topic.kms_master_key_id).config;
      const policy = JSON.parse(key.policy);
      const services = policy.Statement.find((s: Res) => s.Principal.Service);
      expect(services.Principal.Service).toEqual(["cloudwatch.amazonaws.com"]);
      expect(services.Action).toEqual(["kms:GenerateDataKey*", "kms:Decrypt"]);
      expect(services.Condition.StringEquals["aws:SourceAccount"]).toMatch(/^\$\{data\.aws_caller_identity\./);
      const subscriptions = resourcesOf(json, "aws_sns_topic_subscription").filter(([, s]) => s.topic_arn === `\${aws_sns_topic.${topicName}.arn}`);
      expect(subscriptions.map(([, s]) => [s.protocol, s.endpoint])).toEqual([["email", "ops@example.com"]]);
    }
  });

  it("a dashboard per region shows the alarms", () => {
    const dashboards = resourcesOf(json, "aws_cloudwatch_dashboard");
    expect(dashboards.map(([, d]) => d.provider ?? "aws").sort()).toEqual(["aws", "aws.secondary"]);
    for (const [, d] of dashboards) expect(JSON.parse(d.dashboard_body).widgets.find((w: Res) => w.type === "alarm").properties.alarms.length).toBeGreaterThan(10);
  });

  it("thresholds come from warmStandby.alarms", () => {
    const custom = synthStack(STACK, testConfig({ warmStandby: { alarms: { replicaLagSeconds: 60, databaseCpuPercent: 95 } } }));
    expect(alarms(custom).find((a) => a.metric_name === "ReplicaLag")!.threshold).toBe(60);
    expect(new Set(byName(custom, "-cpu").filter((a) => a.namespace === "AWS/RDS").map((a) => a.threshold))).toEqual(new Set([95]));
  });

  it("after a failover the promoted DR writer has no replication-lag alarm, and the health check watches the DR backend", () => {
    const promoted = synthStack(STACK, testConfig({ warmStandby: { activeRegion: "dr" } }));
    expect(alarms(promoted).filter((a) => a.metric_name === "ReplicaLag")).toEqual([]);
    expect(alarms(promoted).filter((a) => a.namespace === "AWS/Route53")).toHaveLength(1);
  });
});
