import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { Lb } from "@cdktf/provider-aws/lib/lb";
import { LbListener } from "@cdktf/provider-aws/lib/lb-listener";
import { LbListenerRule } from "@cdktf/provider-aws/lib/lb-listener-rule";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { HEALTH_CHECK_PATH } from "../core/health-check-path";
import { check } from "../core/validation";
import { AccessLogBucket } from "./access-log-bucket";

/** TLS 1.3 and 1.2 only, forward-secret ciphers. */
export const ALB_TLS_POLICY = "ELBSecurityPolicy-TLS13-1-2-2021-06";

/**
 * The target group's `name_prefix` (AWS allows 6 characters; Terraform appends 26): the name's first five characters
 * without trailing hyphens, then "-". The full name stays in the `Name` tag.
 */
function targetGroupNamePrefix(name: string): string {
  return `${name.slice(0, 5).replace(/-+$/, "")}-`;
}

/** ALB and target group names: 1–32 letters, digits or hyphens, no leading/trailing hyphen. */
const ELB_NAME = /^[a-zA-Z0-9]([a-zA-Z0-9-]{0,30}[a-zA-Z0-9])?$/;

export interface HttpsLoadBalancerProps {
  /** AWS provider of the region. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Load balancer name (also the target group's `Name` tag and the start of its generated name), at most 32 characters. */
  readonly name: string;
  readonly vpcId: string;
  /** Public subnets in at least two AZs. */
  readonly subnetIds: readonly string[];
  /** Security group of the load balancer. */
  readonly securityGroupId: string;
  /** Validated ACM certificate of the HTTPS listener (same region). */
  readonly certificateArn: string;
  /** Bucket receiving the access logs (same region). */
  readonly accessLogs: AccessLogBucket;
  /** Path the target group probes on the targets, at most 255 characters (Route 53's limit: stage 4 probes the same paths through Route 53). @default "/" */
  readonly healthCheckPath?: string;
  /** Port the targets serve plain HTTP on (inside the VPC). @default 80 */
  readonly targetPort?: number;
  /** Refuse deletion of the load balancer. @default true */
  readonly deletionProtection?: boolean;
  /** Idle connection timeout in seconds (1–4000). @default 60 */
  readonly idleTimeoutSeconds?: number;
  /**
   * Forward only HTTPS requests carrying this header (CloudFront's origin
   * secret); every other request gets 403 from the load balancer itself.
   * @default none (every HTTPS request is forwarded)
   */
  readonly requiredHeader?: { readonly name: string; readonly value: string };
}

/**
 * An internet-facing Application Load Balancer: HTTPS with a TLS 1.2+ policy,
 * HTTP redirected to HTTPS, invalid header fields dropped, access logs on,
 * deletion protection, and one target group with a health check (generated name, replaced create-before-destroy).
 * The health check is fixed: HTTP on the target port every 15 s, 5 s timeout, 200–399 is healthy, 2 passes make a
 * target healthy and 3 failures unhealthy; a deregistered target drains for 30 s.
 */
export class HttpsLoadBalancer extends Construct {
  readonly arn: string;
  readonly dnsName: string;
  /** Hosted zone of the load balancer's DNS name, for Route 53 alias records. */
  readonly zoneId: string;
  readonly targetGroupArn: string;
  readonly healthCheckPath: string;
  /** `app/<lb>/<id>`: the LoadBalancer dimension of its CloudWatch metrics. */
  readonly arnSuffix: string;
  /** `targetgroup/<tg>/<id>`: the TargetGroup dimension of its CloudWatch metrics. */
  readonly targetGroupArnSuffix: string;
  /** `app/<lb>/<id>/targetgroup/<tg>/<id>`: the resource label of the ALBRequestCountPerTarget scaling metric. */
  readonly requestCountLabel: string;

  constructor(scope: Construct, id: string, props: HttpsLoadBalancerProps) {
    super(scope, id);
    check(ELB_NAME.test(props.name), `${id}.name`, props.name, "1–32 letters, digits or hyphens, not starting or ending with a hyphen");
    // The name is part of the access-log prefix, and S3 log delivery refuses a prefix holding "AWSLogs" (at apply).
    check(!props.name.includes("AWSLogs"), `${id}.name`, props.name, "a name without \"AWSLogs\" (it is part of the access-log prefix)");
    const healthCheckPath = props.healthCheckPath ?? "/";
    check(HEALTH_CHECK_PATH.test(healthCheckPath), `${id}.healthCheckPath`, healthCheckPath, "an absolute URL path of at most 255 characters such as /health");
    const targetPort = props.targetPort ?? 80;
    check(Number.isInteger(targetPort) && targetPort >= 1 && targetPort <= 65535, `${id}.targetPort`, targetPort, "a port 1–65535");
    const idle = props.idleTimeoutSeconds ?? 60;
    check(Number.isInteger(idle) && idle >= 1 && idle <= 4000, `${id}.idleTimeoutSeconds`, idle, "an integer from 1 to 4000");
    const provider = props.provider;

    const lb = new Lb(this, "alb", {
      provider,
      name: props.name,
      loadBalancerType: "application",
      internal: false,
      subnets: [...props.subnetIds],
      securityGroups: [props.securityGroupId],
      dropInvalidHeaderFields: true,
      desyncMitigationMode: "strictest",
      enableDeletionProtection: props.deletionProtection ?? true,
      enableHttp2: true,
      idleTimeout: idle,
      accessLogs: { bucket: props.accessLogs.bucketName, prefix: `${props.accessLogs.logPrefix}/${props.name}`, enabled: true },
      tags: { Name: props.name },
    });
    // A changed port or VPC replaces the target group while the listener still forwards to it: only a generated
    // name lets Terraform create the new one first (a fixed name would collide, deleting first fails ResourceInUse).
    const targets = new LbTargetGroup(this, "targets", {
      provider,
      namePrefix: targetGroupNamePrefix(props.name),
      lifecycle: { createBeforeDestroy: true },
      vpcId: props.vpcId,
      port: targetPort,
      protocol: "HTTP",
      targetType: "instance",
      deregistrationDelay: "30",
      healthCheck: { enabled: true, path: healthCheckPath, protocol: "HTTP", matcher: "200-399", interval: 15, timeout: 5, healthyThreshold: 2, unhealthyThreshold: 3 },
      tags: { Name: props.name },
    });
    const forward = { type: "forward", targetGroupArn: targets.arn };
    const required = props.requiredHeader;
    const https = new LbListener(this, "https", {
      provider,
      loadBalancerArn: lb.arn,
      port: 443,
      protocol: "HTTPS",
      sslPolicy: ALB_TLS_POLICY,
      certificateArn: props.certificateArn,
      defaultAction: [required ? { type: "fixed-response", fixedResponse: { contentType: "text/plain", statusCode: "403", messageBody: "Forbidden" } } : forward],
    });
    if (required) {
      new LbListenerRule(this, "https-with-origin-header", {
        provider,
        listenerArn: https.arn,
        priority: 1,
        condition: [{ httpHeader: { httpHeaderName: required.name, values: [required.value] } }],
        action: [forward],
      });
    }
    new LbListener(this, "http-redirect", {
      provider,
      loadBalancerArn: lb.arn,
      port: 80,
      protocol: "HTTP",
      defaultAction: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", statusCode: "HTTP_301" } }],
    });
    this.arn = lb.arn;
    this.dnsName = lb.dnsName;
    this.zoneId = lb.zoneId;
    this.targetGroupArn = targets.arn;
    this.healthCheckPath = healthCheckPath;
    this.arnSuffix = lb.arnSuffix;
    this.targetGroupArnSuffix = targets.arnSuffix;
    this.requestCountLabel = `${lb.arnSuffix}/${targets.arnSuffix}`;
  }
}
