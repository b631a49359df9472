/**
 * region-alarms.ts: the CloudWatch alarms and the dashboard of one region (README "Alarms"), and the Route 53
 * health-check alarm. The tier is a stand-in carrying the attributes RegionAlarms reads, so each test synthesizes
 * a few alarms only.
 */
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { AlarmThresholds, DEFAULT_ALARM_THRESHOLDS, HealthCheckAlarm, RegionAlarms, RegionAlarmsProps, WatchedDatabase } from "../../modules/warm-standby/region-alarms";
import type { RegionalTier } from "../../modules/warm-standby/regional-tier";
import { resourcesOf, onlyResourceOf } from "../support/synth";
import { expectInvalid, newStack, synth } from "./fleet-support";

const TOPIC = "arn:aws:sns:us-west-2:123456789012:acme-dr-alerts";
const FE_LB = "app/acme-dr-fe/0123456789abcdef";
const BE_LB = "app/acme-dr-be/fedcba9876543210";
const FE_TG = "targetgroup/acme-dr-fe/1111111111111111";
const BE_TG = "targetgroup/acme-dr-be/2222222222222222";
/** What RegionAlarms reads of a RegionalTier. */
const tier = {
  frontendAlb: { arnSuffix: FE_LB, targetGroupArnSuffix: FE_TG },
  backendAlb: { arnSuffix: BE_LB, targetGroupArnSuffix: BE_TG },
  frontend: { groupName: "acme-dr-frontend" },
  backend: { groupName: "acme-dr-backend" },
  cache: { nodeIds: ["acme-dr-redis-001", "acme-dr-redis-002"] },
} as unknown as RegionalTier;
const WRITER: WatchedDatabase = { identifier: "acme-db", label: "db" };
const REPLICA: WatchedDatabase = { identifier: "acme-db-dr", label: "db-dr", replica: true };

function build(props: Partial<RegionAlarmsProps> = {}, id = "alarms") {
  const stack = newStack();
  const alarms = new RegionAlarms(stack, id, { region: "us-west-2", name: "acme-dr", topicArn: TOPIC, tier, databases: [REPLICA], ...props });
  const { json, values } = synth(stack, { dashboardName: alarms.dashboardName });
  const byName = Object.fromEntries(resourcesOf(json, "aws_cloudwatch_metric_alarm").map(([rid, a]) => [a.alarm_name as string, { rid, alarm: a }]));
  const alarm = (name: string) => {
    const found = byName[name];
    if (!found) throw new Error(`no alarm ${name} among ${Object.keys(byName).join(", ")}`);
    return found.alarm;
  };
  return { alarms, json, values, byName, alarm };
}

/** A single-metric alarm exactly as metricAlarm writes it. */
const metricAlarm = (name: string, description: string, namespace: string, metricName: string, dimensions: Record<string, string>, statistic: string, operator: string, threshold: number, periods: number, missing = "notBreaching") => ({
  alarm_name: name,
  alarm_description: description,
  alarm_actions: [TOPIC],
  ok_actions: [TOPIC],
  namespace,
  metric_name: metricName,
  dimensions,
  statistic,
  period: 300,
  evaluation_periods: periods,
  threshold,
  comparison_operator: operator,
  treat_missing_data: missing,
});

describe("constants", () => {
  test("DEFAULT_ALARM_THRESHOLDS are the README's defaults", () => {
    expect(DEFAULT_ALARM_THRESHOLDS).toEqual({ http5xxPer5Minutes: 50, databaseCpuPercent: 80, databaseFreeStorageGb: 2, replicaLagSeconds: 300, cacheCpuPercent: 80, cacheMemoryPercent: 80 });
  });
});

describe("the alarms of a region", () => {
  test("every alarm, in creation order: load balancers, Auto Scaling groups, databases, Redis nodes", () => {
    const { alarms, byName } = build({ databases: [WRITER, REPLICA] });
    const names = [
      "acme-dr-frontend-alb-5xx",
      "acme-dr-frontend-targets-5xx",
      "acme-dr-frontend-unhealthy-targets",
      "acme-dr-backend-alb-5xx",
      "acme-dr-backend-targets-5xx",
      "acme-dr-backend-unhealthy-targets",
      "acme-dr-frontend-asg-below-desired",
      "acme-dr-backend-asg-below-desired",
      "acme-dr-db-cpu",
      "acme-dr-db-free-storage",
      "acme-dr-db-dr-cpu",
      "acme-dr-db-dr-free-storage",
      "acme-dr-db-dr-replica-lag",
      "acme-dr-001-cache-cpu",
      "acme-dr-001-cache-memory",
      "acme-dr-002-cache-cpu",
      "acme-dr-002-cache-memory",
    ];
    expect(alarms.alarmNames).toEqual(names);
    expect(Object.keys(byName).sort()).toEqual([...names].sort());
  });
  test("backendAlarmNames: the backend load balancer, targets and group (a rollout of the backend stops when one fires)", () => {
    expect(build({ databases: [WRITER, REPLICA] }).alarms.backendAlarmNames).toEqual(["acme-dr-backend-alb-5xx", "acme-dr-backend-targets-5xx", "acme-dr-backend-unhealthy-targets", "acme-dr-backend-asg-below-desired"]);
  });
  test("load balancers: more than 50 5xx of its own / of the hosts in 5 minutes; a host failing its health check for 10 minutes", () => {
    const { alarm } = build();
    for (const [label, lb, tg] of [["frontend", FE_LB, FE_TG], ["backend", BE_LB, BE_TG]]) {
      expect(alarm(`acme-dr-${label}-alb-5xx`)).toEqual(metricAlarm(`acme-dr-${label}-alb-5xx`, `${label} load balancer: more than 50 5xx answers of its own in 5 minutes`, "AWS/ApplicationELB", "HTTPCode_ELB_5XX_Count", { LoadBalancer: lb }, "Sum", "GreaterThanThreshold", 50, 1));
      expect(alarm(`acme-dr-${label}-targets-5xx`)).toEqual(metricAlarm(`acme-dr-${label}-targets-5xx`, `${label} hosts: more than 50 5xx answers in 5 minutes`, "AWS/ApplicationELB", "HTTPCode_Target_5XX_Count", { LoadBalancer: lb }, "Sum", "GreaterThanThreshold", 50, 1));
      expect(alarm(`acme-dr-${label}-unhealthy-targets`)).toEqual(metricAlarm(`acme-dr-${label}-unhealthy-targets`, `${label} target group: a registered host fails its health check for 10 minutes`, "AWS/ApplicationELB", "UnHealthyHostCount", { LoadBalancer: lb, TargetGroup: tg }, "Maximum", "GreaterThanThreshold", 0, 2));
    }
  });
  test("Auto Scaling groups: desired − in service (metric math, per minute) above 0 for 10 minutes", () => {
    const { alarm } = build();
    for (const [label, group] of [["frontend", "acme-dr-frontend"], ["backend", "acme-dr-backend"]]) {
      const metric = (id: string, metricName: string, stat: string) => ({ id, metric: { namespace: "AWS/AutoScaling", metric_name: metricName, dimensions: { AutoScalingGroupName: group }, stat, period: 60 } });
      expect(alarm(`acme-dr-${label}-asg-below-desired`)).toEqual({
        alarm_name: `acme-dr-${label}-asg-below-desired`,
        alarm_description: `${label} Auto Scaling group: fewer hosts in service than desired for 10 minutes (launches failing or hosts unhealthy)`,
        alarm_actions: [TOPIC],
        ok_actions: [TOPIC],
        metric_query: [
          metric("inservice", "GroupInServiceInstances", "Minimum"),
          metric("desired", "GroupDesiredCapacity", "Maximum"),
          { id: "missing", expression: "desired - inservice", label: "hosts missing", return_data: true },
        ],
        evaluation_periods: 10,
        threshold: 0,
        comparison_operator: "GreaterThanThreshold",
        treat_missing_data: "notBreaching",
      });
    }
  });
  test("databases: CPU above 80 % for 10 minutes, less than 2 GiB free; the replica also lags more than 300 s (missing data breaches)", () => {
    const { alarm, byName } = build({ databases: [WRITER, REPLICA] });
    for (const db of [WRITER, REPLICA]) {
      const dims = { DBInstanceIdentifier: db.identifier };
      expect(alarm(`acme-dr-${db.label}-cpu`)).toEqual(metricAlarm(`acme-dr-${db.label}-cpu`, `database ${db.identifier}: CPU above 80 % for 10 minutes`, "AWS/RDS", "CPUUtilization", dims, "Average", "GreaterThanThreshold", 80, 2));
      expect(alarm(`acme-dr-${db.label}-free-storage`)).toEqual(metricAlarm(`acme-dr-${db.label}-free-storage`, `database ${db.identifier}: less than 2 GiB free`, "AWS/RDS", "FreeStorageSpace", dims, "Minimum", "LessThanThreshold", 2 * 1024 ** 3, 1));
    }
    expect(alarm("acme-dr-db-dr-replica-lag")).toEqual(
      metricAlarm("acme-dr-db-dr-replica-lag", "database acme-db-dr: the cross-region replica lags more than 300 s (or reports nothing): a regional failover would lose that much", "AWS/RDS", "ReplicaLag", { DBInstanceIdentifier: "acme-db-dr" }, "Maximum", "GreaterThanThreshold", 300, 2, "breaching"),
    );
    expect(byName["acme-dr-db-replica-lag"]).toBeUndefined();
  });
  test("a writer (replica false or left out) gets no lag alarm", () => {
    const { alarms } = build({ databases: [WRITER, { identifier: "acme-db-2", label: "db2", replica: false }] });
    expect(alarms.alarmNames.filter((n) => n.includes("replica-lag"))).toEqual([]);
  });
  test("Redis nodes: engine CPU above 80 % and data above 80 % of memory, each for 10 minutes; named by the node's last three characters", () => {
    const { alarm } = build();
    for (const node of ["acme-dr-redis-001", "acme-dr-redis-002"]) {
      const n = node.slice(-3);
      expect(alarm(`acme-dr-${n}-cache-cpu`)).toEqual(metricAlarm(`acme-dr-${n}-cache-cpu`, `Redis node ${node}: engine CPU above 80 % for 10 minutes`, "AWS/ElastiCache", "EngineCPUUtilization", { CacheClusterId: node }, "Average", "GreaterThanThreshold", 80, 2));
      expect(alarm(`acme-dr-${n}-cache-memory`)).toEqual(metricAlarm(`acme-dr-${n}-cache-memory`, `Redis node ${node}: data uses more than 80 % of memory`, "AWS/ElastiCache", "DatabaseMemoryUsagePercentage", { CacheClusterId: node }, "Maximum", "GreaterThanThreshold", 80, 2));
    }
  });
  test("given thresholds land in every alarm and its description", () => {
    const thresholds: AlarmThresholds = { http5xxPer5Minutes: 7, databaseCpuPercent: 91, databaseFreeStorageGb: 5, replicaLagSeconds: 60, cacheCpuPercent: 65, cacheMemoryPercent: 75 };
    const { alarm } = build({ thresholds });
    expect([alarm("acme-dr-frontend-alb-5xx").threshold, alarm("acme-dr-backend-targets-5xx").threshold]).toEqual([7, 7]);
    expect(alarm("acme-dr-backend-alb-5xx").alarm_description).toBe("backend load balancer: more than 7 5xx answers of its own in 5 minutes");
    expect(alarm("acme-dr-frontend-targets-5xx").alarm_description).toBe("frontend hosts: more than 7 5xx answers in 5 minutes");
    expect([alarm("acme-dr-db-dr-cpu").threshold, alarm("acme-dr-db-dr-cpu").alarm_description]).toEqual([91, "database acme-db-dr: CPU above 91 % for 10 minutes"]);
    expect([alarm("acme-dr-db-dr-free-storage").threshold, alarm("acme-dr-db-dr-free-storage").alarm_description]).toEqual([5 * 1024 ** 3, "database acme-db-dr: less than 5 GiB free"]);
    expect(alarm("acme-dr-db-dr-replica-lag").threshold).toBe(60);
    expect(alarm("acme-dr-db-dr-replica-lag").alarm_description).toContain("lags more than 60 s");
    expect([alarm("acme-dr-001-cache-cpu").threshold, alarm("acme-dr-001-cache-cpu").alarm_description]).toEqual([65, "Redis node acme-dr-redis-001: engine CPU above 65 % for 10 minutes"]);
    expect([alarm("acme-dr-002-cache-memory").threshold, alarm("acme-dr-002-cache-memory").alarm_description]).toEqual([75, "Redis node acme-dr-redis-002: data uses more than 75 % of memory"]);
  });
  test("a given provider carries every alarm and the dashboard", () => {
    const stack = newStack();
    const west = new AwsProvider(stack, "west", { region: "us-west-2", alias: "west" });
    new RegionAlarms(stack, "alarms", { provider: west, region: "us-west-2", name: "acme-dr", topicArn: TOPIC, tier, databases: [REPLICA] });
    const { json } = synth(stack);
    const providers = [...resourcesOf(json, "aws_cloudwatch_metric_alarm"), ...resourcesOf(json, "aws_cloudwatch_dashboard")].map(([, r]) => r.provider);
    expect(providers).toEqual(new Array(16).fill("aws.west")); // 15 alarms and the dashboard
  });
});

describe("thresholds: positive numbers, percentages of at most 100", () => {
  const fields = Object.keys(DEFAULT_ALARM_THRESHOLDS) as (keyof AlarmThresholds)[];
  test.each(fields)("%s: 0, a negative value, NaN and Infinity are refused", (field) => {
    for (const bad of [0, -1, NaN, Infinity]) {
      expectInvalid(() => build({ thresholds: { ...DEFAULT_ALARM_THRESHOLDS, [field]: bad } }), `alarms.thresholds.${field}`, bad, "a positive number");
    }
  });
  test.each(fields)("%s: a small positive value is accepted", (field) => {
    expect(() => build({ thresholds: { ...DEFAULT_ALARM_THRESHOLDS, [field]: 0.5 } })).not.toThrow();
  });
  test.each(["databaseCpuPercent", "cacheCpuPercent", "cacheMemoryPercent"] as const)("%s: 100 is accepted, 101 is refused", (field) => {
    expect(build({ thresholds: { ...DEFAULT_ALARM_THRESHOLDS, [field]: 100 } }).alarms.alarmNames).toHaveLength(15);
    const t = { ...DEFAULT_ALARM_THRESHOLDS, [field]: 101 };
    expectInvalid(() => build({ thresholds: t }), "alarms.thresholds", t, "percentages of at most 100");
  });
  test("the other thresholds may exceed 100", () => {
    const { alarm } = build({ thresholds: { ...DEFAULT_ALARM_THRESHOLDS, http5xxPer5Minutes: 500, databaseFreeStorageGb: 200, replicaLagSeconds: 900 } });
    expect(alarm("acme-dr-frontend-alb-5xx").threshold).toBe(500);
  });
  test("the error names the construct id", () => {
    expectInvalid(() => build({ thresholds: { ...DEFAULT_ALARM_THRESHOLDS, replicaLagSeconds: 0 } }, "primary-alarms"), "primary-alarms.thresholds.replicaLagSeconds", 0, "a positive number");
  });
});

describe("the dashboard", () => {
  test("<name>-overview: requests, target 5xx, hosts in service, database CPU and every alarm of the region", () => {
    const { json, values, alarms, byName } = build({ databases: [WRITER, REPLICA] });
    const [, dashboard] = onlyResourceOf(json, "aws_cloudwatch_dashboard");
    expect(dashboard.dashboard_name).toBe("acme-dr-overview");
    expect(values.dashboardName).toBe("acme-dr-overview");
    expect(alarms.dashboardName).toBe("acme-dr-overview");
    const widget = (title: string, metrics: unknown[][], x: number, y: number) => ({ type: "metric", x, y, width: 12, height: 6, properties: { title, region: "us-west-2", stat: "Sum", period: 300, metrics } });
    const lb = (metric: string) => [["AWS/ApplicationELB", metric, "LoadBalancer", FE_LB], ["...", BE_LB]];
    expect(JSON.parse(dashboard.dashboard_body)).toEqual({
      widgets: [
        widget("Requests", lb("RequestCount"), 0, 0),
        widget("Target 5xx", lb("HTTPCode_Target_5XX_Count"), 12, 0),
        widget("Hosts in service", [["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", "acme-dr-frontend"], ["...", "acme-dr-backend"]], 0, 6),
        widget("Database CPU", [["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "acme-db"], ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", "acme-db-dr"]], 12, 6),
        { type: "alarm", x: 0, y: 12, width: 24, height: 4, properties: { title: "Alarms", alarms: alarms.alarmNames.map((n) => `\${aws_cloudwatch_metric_alarm.${byName[n].rid}.arn}`) } },
      ],
    });
  });
});

describe("HealthCheckAlarm: the runbook's 'confirm the primary is down' trigger", () => {
  test("Route 53 HealthCheckStatus below 1 for 2 minutes, missing data breaching, on the us-east-1 provider, ALARM and OK to the topic", () => {
    const stack = newStack();
    const east = new AwsProvider(stack, "east", { region: "us-east-1", alias: "east" });
    const alarm = new HealthCheckAlarm(stack, "hc", { usEast1Provider: east, name: "acme", healthCheckId: "abcdef01-2345-6789-abcd-ef0123456789", topicArn: "arn:aws:sns:us-east-1:123456789012:acme-alerts", meaning: "the active backend does not answer /readyz" });
    const { json } = synth(stack);
    expect(alarm.alarmName).toBe("acme-health-check-failing");
    expect(onlyResourceOf(json, "aws_cloudwatch_metric_alarm")[1]).toEqual({
      provider: "aws.east",
      alarm_name: "acme-health-check-failing",
      alarm_description: "Route 53 health check failing: the active backend does not answer /readyz",
      namespace: "AWS/Route53",
      metric_name: "HealthCheckStatus",
      dimensions: { HealthCheckId: "abcdef01-2345-6789-abcd-ef0123456789" },
      statistic: "Minimum",
      period: 60,
      evaluation_periods: 2,
      threshold: 1,
      comparison_operator: "LessThanThreshold",
      treat_missing_data: "breaching",
      alarm_actions: ["arn:aws:sns:us-east-1:123456789012:acme-alerts"],
      ok_actions: ["arn:aws:sns:us-east-1:123456789012:acme-alerts"],
    });
  });
});
