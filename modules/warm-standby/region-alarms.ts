import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { CloudwatchDashboard } from "@cdktf/provider-aws/lib/cloudwatch-dashboard";
import { CloudwatchMetricAlarm, CloudwatchMetricAlarmConfig } from "@cdktf/provider-aws/lib/cloudwatch-metric-alarm";
import { check } from "../core/validation";
import { RegionalTier } from "./regional-tier";

/** When the alarms of a region fire. */
export interface AlarmThresholds {
  /** 5xx answers (load balancer's own and targets') per ALB in 5 minutes. */
  readonly http5xxPer5Minutes: number;
  /** Average CPU of a database instance, percent, over 10 minutes. */
  readonly databaseCpuPercent: number;
  /** Free storage of a database instance, GiB. */
  readonly databaseFreeStorageGb: number;
  /** Seconds the cross-region replica may lag behind the writer (the RPO of a regional failover). */
  readonly replicaLagSeconds: number;
  /** Engine CPU of a Redis node, percent, over 10 minutes. */
  readonly cacheCpuPercent: number;
  /** Memory used by Redis data, percent of the node's. */
  readonly cacheMemoryPercent: number;
}

export const DEFAULT_ALARM_THRESHOLDS: AlarmThresholds = {
  http5xxPer5Minutes: 50,
  databaseCpuPercent: 80,
  databaseFreeStorageGb: 2,
  replicaLagSeconds: 300,
  cacheCpuPercent: 80,
  cacheMemoryPercent: 80,
};

/** A database instance of the region, by identifier. */
export interface WatchedDatabase {
  readonly identifier: string;
  /** Short label for alarm names, e.g. "db" or "db-dr". */
  readonly label: string;
  /** A cross-region replica: also alarm on its lag. */
  readonly replica?: boolean;
}

export interface RegionAlarmsProps {
  /** AWS provider of the region (alarms and their SNS topic must share it). @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Region of the provider (dashboard widgets name it). */
  readonly region: string;
  /** Alarm and dashboard name prefix, e.g. "webplat-dev-stage4-primary". */
  readonly name: string;
  /** SNS topic in the same region that receives ALARM and OK transitions. */
  readonly topicArn: string;
  readonly tier: RegionalTier;
  readonly databases: readonly WatchedDatabase[];
  /** @default DEFAULT_ALARM_THRESHOLDS */
  readonly thresholds?: AlarmThresholds;
}

type Metric = { readonly namespace: string; readonly metricName: string; readonly dimensions: Record<string, string>; readonly statistic: string };

/**
 * CloudWatch alarms of one region of the warm standby, each notifying the
 * region's SNS topic on ALARM and OK: ALB 5xx and unhealthy targets per
 * target group, Auto Scaling groups below their desired count, database CPU,
 * free storage and (on the DR replica) replication lag, Redis CPU and memory;
 * and one dashboard of the same metrics.
 */
export class RegionAlarms extends Construct {
  /** Alarm names, in creation order. */
  readonly alarmNames: string[] = [];
  private readonly alarmArns: string[] = [];
  readonly dashboardName: string;
  private readonly props: RegionAlarmsProps;

  constructor(scope: Construct, id: string, props: RegionAlarmsProps) {
    super(scope, id);
    const t = props.thresholds ?? DEFAULT_ALARM_THRESHOLDS;
    for (const [field, value] of Object.entries(t)) check(Number.isFinite(value) && value > 0, `${id}.thresholds.${field}`, value, "a positive number");
    check(t.databaseCpuPercent <= 100 && t.cacheCpuPercent <= 100 && t.cacheMemoryPercent <= 100, `${id}.thresholds`, t, "percentages of at most 100");
    this.props = props;
    const { tier } = props;

    for (const [label, alb] of [["frontend", tier.frontendAlb], ["backend", tier.backendAlb]] as const) {
      const lb = { LoadBalancer: alb.arnSuffix };
      this.metricAlarm(`${label}-alb-5xx`, `${label} load balancer: more than ${t.http5xxPer5Minutes} 5xx answers of its own in 5 minutes`, { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_ELB_5XX_Count", dimensions: lb, statistic: "Sum" }, ">", t.http5xxPer5Minutes, 1);
      this.metricAlarm(`${label}-targets-5xx`, `${label} hosts: more than ${t.http5xxPer5Minutes} 5xx answers in 5 minutes`, { namespace: "AWS/ApplicationELB", metricName: "HTTPCode_Target_5XX_Count", dimensions: lb, statistic: "Sum" }, ">", t.http5xxPer5Minutes, 1);
      this.metricAlarm(`${label}-unhealthy-targets`, `${label} target group: a registered host fails its health check for 10 minutes`, { namespace: "AWS/ApplicationELB", metricName: "UnHealthyHostCount", dimensions: { ...lb, TargetGroup: alb.targetGroupArnSuffix }, statistic: "Maximum" }, ">", 0, 2);
    }
    for (const [label, fleet] of [["frontend", tier.frontend], ["backend", tier.backend]] as const) {
      this.belowDesired(`${label}-asg-below-desired`, `${label} Auto Scaling group: fewer hosts in service than desired for 10 minutes (launches failing or hosts unhealthy)`, fleet.groupName);
    }
    for (const db of props.databases) {
      const dimensions = { DBInstanceIdentifier: db.identifier };
      this.metricAlarm(`${db.label}-cpu`, `database ${db.identifier}: CPU above ${t.databaseCpuPercent} % for 10 minutes`, { namespace: "AWS/RDS", metricName: "CPUUtilization", dimensions, statistic: "Average" }, ">", t.databaseCpuPercent, 2);
      this.metricAlarm(`${db.label}-free-storage`, `database ${db.identifier}: less than ${t.databaseFreeStorageGb} GiB free`, { namespace: "AWS/RDS", metricName: "FreeStorageSpace", dimensions, statistic: "Minimum" }, "<", t.databaseFreeStorageGb * 1024 ** 3, 1);
      if (db.replica) {
        // A replica that stops replicating reports no lag at all: missing data counts as breaching.
        this.metricAlarm(`${db.label}-replica-lag`, `database ${db.identifier}: the cross-region replica lags more than ${t.replicaLagSeconds} s (or reports nothing): a regional failover would lose that much`, { namespace: "AWS/RDS", metricName: "ReplicaLag", dimensions, statistic: "Maximum" }, ">", t.replicaLagSeconds, 2, "breaching");
      }
    }
    for (const node of tier.cache.nodeIds) {
      const dimensions = { CacheClusterId: node };
      this.metricAlarm(`${node.slice(-3)}-cache-cpu`, `Redis node ${node}: engine CPU above ${t.cacheCpuPercent} % for 10 minutes`, { namespace: "AWS/ElastiCache", metricName: "EngineCPUUtilization", dimensions, statistic: "Average" }, ">", t.cacheCpuPercent, 2);
      this.metricAlarm(`${node.slice(-3)}-cache-memory`, `Redis node ${node}: data uses more than ${t.cacheMemoryPercent} % of memory`, { namespace: "AWS/ElastiCache", metricName: "DatabaseMemoryUsagePercentage", dimensions, statistic: "Maximum" }, ">", t.cacheMemoryPercent, 2);
    }

    this.dashboardName = `${props.name}-overview`;
    new CloudwatchDashboard(this, "dashboard", { provider: props.provider, dashboardName: this.dashboardName, dashboardBody: this.dashboardBody() });
  }

  /** Alarms of the backend tier (its load balancer, targets and group): a rollout of the backend stops when one fires. */
  get backendAlarmNames(): string[] {
    return this.alarmNames.filter((n) => n.startsWith(`${this.props.name}-backend-`));
  }

  private metricAlarm(key: string, description: string, metric: Metric, comparison: "<" | ">", threshold: number, periods: number, missing: "notBreaching" | "breaching" = "notBreaching"): void {
    this.alarm(key, description, {
      ...metric,
      period: 300,
      evaluationPeriods: periods,
      threshold,
      comparisonOperator: comparison === ">" ? "GreaterThanThreshold" : "LessThanThreshold",
      treatMissingData: missing,
    });
  }

  private belowDesired(key: string, description: string, groupName: string): void {
    const metric = (id: string, metricName: string, stat: string) => ({ id, metric: { namespace: "AWS/AutoScaling", metricName, dimensions: { AutoScalingGroupName: groupName }, stat, period: 60 } });
    this.alarm(key, description, {
      metricQuery: [
        metric("inservice", "GroupInServiceInstances", "Minimum"),
        metric("desired", "GroupDesiredCapacity", "Maximum"),
        { id: "missing", expression: "desired - inservice", label: "hosts missing", returnData: true },
      ],
      evaluationPeriods: 10,
      threshold: 0,
      comparisonOperator: "GreaterThanThreshold",
      treatMissingData: "notBreaching",
    });
  }

  private alarm(key: string, description: string, config: Omit<CloudwatchMetricAlarmConfig, "alarmName" | "alarmDescription" | "alarmActions" | "okActions">): void {
    const alarmName = `${this.props.name}-${key}`;
    const alarm = new CloudwatchMetricAlarm(this, key, { provider: this.props.provider, alarmName, alarmDescription: description, alarmActions: [this.props.topicArn], okActions: [this.props.topicArn], ...config });
    this.alarmNames.push(alarmName);
    this.alarmArns.push(alarm.arn);
  }

  private dashboardBody(): string {
    const { tier, region } = this.props;
    const widget = (title: string, metrics: unknown[][], x: number, y: number) => ({ type: "metric", x, y, width: 12, height: 6, properties: { title, region, stat: "Sum", period: 300, metrics } });
    const lbMetrics = (metricName: string) => [["AWS/ApplicationELB", metricName, "LoadBalancer", tier.frontendAlb.arnSuffix], ["...", tier.backendAlb.arnSuffix]];
    return JSON.stringify({
      widgets: [
        widget("Requests", lbMetrics("RequestCount"), 0, 0),
        widget("Target 5xx", lbMetrics("HTTPCode_Target_5XX_Count"), 12, 0),
        widget("Hosts in service", [["AWS/AutoScaling", "GroupInServiceInstances", "AutoScalingGroupName", tier.frontend.groupName], ["...", tier.backend.groupName]], 0, 6),
        widget("Database CPU", this.props.databases.map((db) => ["AWS/RDS", "CPUUtilization", "DBInstanceIdentifier", db.identifier]), 12, 6),
        { type: "alarm", x: 0, y: 12, width: 24, height: 4, properties: { title: "Alarms", alarms: this.alarmArns } },
      ],
    });
  }
}

export interface HealthCheckAlarmProps {
  /** A us-east-1 provider: Route 53 publishes health-check metrics there only. */
  readonly usEast1Provider: TerraformProvider;
  readonly name: string;
  readonly healthCheckId: string;
  /** SNS topic in us-east-1. */
  readonly topicArn: string;
  /** What the failing check means, for the alarm description. */
  readonly meaning: string;
}

/** The Route 53 health check of the active backend failing: the runbook's "confirm the primary is down" trigger. */
export class HealthCheckAlarm extends Construct {
  readonly alarmName: string;

  constructor(scope: Construct, id: string, props: HealthCheckAlarmProps) {
    super(scope, id);
    this.alarmName = `${props.name}-health-check-failing`;
    new CloudwatchMetricAlarm(this, "alarm", {
      provider: props.usEast1Provider,
      alarmName: this.alarmName,
      alarmDescription: `Route 53 health check failing: ${props.meaning}`,
      namespace: "AWS/Route53",
      metricName: "HealthCheckStatus",
      dimensions: { HealthCheckId: props.healthCheckId },
      statistic: "Minimum",
      period: 60,
      evaluationPeriods: 2,
      threshold: 1,
      comparisonOperator: "LessThanThreshold",
      // No data from the check is as bad as a failing one.
      treatMissingData: "breaching",
      alarmActions: [props.topicArn],
      okActions: [props.topicArn],
    });
  }
}
