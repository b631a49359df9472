import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { Route53HealthCheck } from "@cdktf/provider-aws/lib/route53-health-check";
import { Route53Record } from "@cdktf/provider-aws/lib/route53-record";
import { HEALTH_CHECK_PATH } from "../core/health-check-path";
import { check } from "../core/validation";
import { AliasTarget } from "./application-zone";

/** One side of the failover pair. */
export interface FailoverEndpoint {
  /** The load balancer the name resolves to. */
  readonly target: AliasTarget;
  /** A DNS name of that load balancer covered by its certificate (the health check uses it for SNI). */
  readonly healthCheckName: string;
}

export interface FailoverApiRecordsProps {
  /** AWS provider used for the Route 53 calls (Route 53 is global). @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  readonly zoneId: string;
  /** The API name, e.g. api.app.example.com. */
  readonly name: string;
  readonly primary: FailoverEndpoint;
  readonly secondary: FailoverEndpoint;
  /** Path probed over HTTPS on the primary: readiness, database included; at most 255 characters. @default "/readyz" */
  readonly healthCheckPath?: string;
  /** Consecutive failures before the primary counts as down (1–10). @default 3 */
  readonly failureThreshold?: number;
  /** Seconds between probes: 10 (fast, costs more) or 30. @default 30 */
  readonly requestIntervalSeconds?: 10 | 30;
}

/**
 * Route 53 failover for the API name: a PRIMARY alias to the primary backend
 * load balancer guarded by an HTTPS health check, and a SECONDARY alias to the
 * DR load balancer that Route 53 answers with while the check fails.
 */
export class FailoverApiRecords extends Construct {
  readonly healthCheckId: string;
  readonly name: string;

  constructor(scope: Construct, id: string, props: FailoverApiRecordsProps) {
    super(scope, id);
    const path = props.healthCheckPath ?? "/readyz";
    check(HEALTH_CHECK_PATH.test(path), `${id}.healthCheckPath`, path, "an absolute URL path of at most 255 characters such as /health");
    const threshold = props.failureThreshold ?? 3;
    check(Number.isInteger(threshold) && threshold >= 1 && threshold <= 10, `${id}.failureThreshold`, threshold, "an integer from 1 to 10");
    const interval = props.requestIntervalSeconds ?? 30;
    check(interval === 10 || interval === 30, `${id}.requestIntervalSeconds`, interval, "10 or 30");
    const provider = props.provider;

    const health = new Route53HealthCheck(this, "primary-health", {
      provider,
      type: "HTTPS",
      fqdn: props.primary.healthCheckName,
      port: 443,
      resourcePath: path,
      enableSni: true,
      failureThreshold: threshold,
      requestInterval: interval,
      tags: { Name: `${props.name} primary` },
    });
    const record = (role: "PRIMARY" | "SECONDARY", endpoint: FailoverEndpoint) =>
      new Route53Record(this, role.toLowerCase(), {
        provider,
        zoneId: props.zoneId,
        name: props.name,
        type: "A",
        setIdentifier: role.toLowerCase(),
        failoverRoutingPolicy: { type: role },
        healthCheckId: role === "PRIMARY" ? health.id : undefined,
        alias: { name: endpoint.target.dnsName, zoneId: endpoint.target.zoneId, evaluateTargetHealth: true },
      });
    record("PRIMARY", props.primary);
    record("SECONDARY", props.secondary);
    this.healthCheckId = health.id;
    this.name = props.name;
  }
}
