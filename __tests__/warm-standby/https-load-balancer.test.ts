/**
 * HttpsLoadBalancer (modules/warm-standby/https-load-balancer.ts): "internet-facing ALB: HTTPS
 * (`ELBSecurityPolicy-TLS13-1-2-2021-06`), HTTP→HTTPS 301, invalid headers dropped, access logs, deletion
 * protection, target group with health check; with `requiredHeader`, 403 unless the request carries it"
 * (module README). Each test synthesizes its own tiny stack.
 */
import { TerraformOutput } from "cdktf";
import { AccessLogBucket } from "../../modules/warm-standby/access-log-bucket";
import { ALB_TLS_POLICY, HttpsLoadBalancer, HttpsLoadBalancerProps } from "../../modules/warm-standby/https-load-balancer";
import { Res, aliasedProvider, inputError, newStack, only, refOf, resourceCounts, synth } from "./edge-b-support";
import { TfJson, resourcesOf } from "../support/synth";

const CERT_ARN = "arn:aws:acm:us-east-1:123456789012:certificate/11111111-2222-3333-4444-555555555555";
/** What the load balancer reads from its log bucket: the name and the key prefix. */
const LOGS = { bucketName: "acme-alb-logs-20261202", logPrefix: "alb" } as AccessLogBucket;

function build(props: Partial<HttpsLoadBalancerProps> = {}) {
  const stack = newStack();
  const lb = new HttpsLoadBalancer(stack, "frontend", {
    name: "acme-prod-frontend",
    vpcId: "vpc-0123",
    subnetIds: ["subnet-a", "subnet-b"],
    securityGroupId: "sg-0alb",
    certificateArn: CERT_ARN,
    accessLogs: LOGS,
    ...props,
  });
  return { stack, lb };
}
const listener = (json: TfJson, port: number): Res => resourcesOf(json, "aws_lb_listener").find(([, l]) => l.port === port)![1];
const forwardTo = (json: TfJson) => ({ type: "forward", target_group_arn: refOf(json, "aws_lb_target_group", "arn") });
function rejection(props: Partial<HttpsLoadBalancerProps>): string {
  return inputError(() => build(props)).message;
}
function lbOf(props: Partial<HttpsLoadBalancerProps>): Res {
  return only(synth(build(props).stack), "aws_lb");
}
function targetGroupOf(props: Partial<HttpsLoadBalancerProps>): Res {
  return only(synth(build(props).stack), "aws_lb_target_group");
}

describe("defaults", () => {
  test("an internet-facing ALB in the given subnets and security group: invalid header fields dropped, strictest desync mitigation, deletion protection, HTTP/2, idle timeout 60 s, access logs under <logPrefix>/<name>", () => {
    const json = synth(build().stack);
    expect(only(json, "aws_lb")).toEqual({
      name: "acme-prod-frontend",
      load_balancer_type: "application",
      internal: false,
      subnets: ["subnet-a", "subnet-b"],
      security_groups: ["sg-0alb"],
      drop_invalid_header_fields: true,
      desync_mitigation_mode: "strictest",
      enable_deletion_protection: true,
      enable_http2: true,
      idle_timeout: 60,
      access_logs: { bucket: "acme-alb-logs-20261202", prefix: "alb/acme-prod-frontend", enabled: true },
      tags: { Name: "acme-prod-frontend" },
    });
    expect(resourceCounts(json)).toEqual({ aws_lb: 1, aws_lb_target_group: 1, aws_lb_listener: 2 });
  });

  test("one instance target group on port 80 (plain HTTP inside the VPC), 30 s deregistration delay, health check of \"/\" every 15 s (timeout 5 s, 2 healthy / 3 unhealthy, 200-399)", () => {
    expect(targetGroupOf({})).toEqual({
      name_prefix: "acme-",
      lifecycle: { create_before_destroy: true },
      vpc_id: "vpc-0123",
      port: 80,
      protocol: "HTTP",
      target_type: "instance",
      deregistration_delay: "30",
      health_check: { enabled: true, path: "/", protocol: "HTTP", matcher: "200-399", interval: 15, timeout: 5, healthy_threshold: 2, unhealthy_threshold: 3 },
      tags: { Name: "acme-prod-frontend" },
    });
  });

  test("HTTPS on 443 with the TLS 1.3/1.2 policy and the given certificate forwards every request to the target group", () => {
    const json = synth(build().stack);
    expect(listener(json, 443)).toEqual({
      load_balancer_arn: refOf(json, "aws_lb", "arn"),
      port: 443,
      protocol: "HTTPS",
      ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06",
      certificate_arn: CERT_ARN,
      default_action: [forwardTo(json)],
    });
    expect(json.resource).not.toHaveProperty("aws_lb_listener_rule");
  });

  test("HTTP on 80 is redirected to HTTPS 443 with a 301", () => {
    const json = synth(build().stack);
    expect(listener(json, 80)).toEqual({
      load_balancer_arn: refOf(json, "aws_lb", "arn"),
      port: 80,
      protocol: "HTTP",
      default_action: [{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }],
    });
  });

  test("ALB_TLS_POLICY is the TLS 1.3 + 1.2 forward-secret policy", () => {
    expect(ALB_TLS_POLICY).toBe("ELBSecurityPolicy-TLS13-1-2-2021-06");
  });
});

describe("target group replacement", () => {
  test("a generated name (the load balancer name's first five characters, trailing hyphens dropped, then \"-\") replaced create-before-destroy, so a changed port never collides with or deletes the group the listener uses", () => {
    for (const [name, prefix] of [["acme-prod-frontend", "acme-"], ["ab-cd-e", "ab-cd-"], ["ab-c--d", "ab-c-"], ["a", "a-"], ["Acme9X", "Acme9-"], ["a----b", "a-"]]) {
      const tg = targetGroupOf({ name });
      expect({ name, prefix: tg.name_prefix, fixed: tg.name, lifecycle: tg.lifecycle, tag: tg.tags.Name }).toEqual({ name, prefix, fixed: undefined, lifecycle: { create_before_destroy: true }, tag: name });
      expect(tg.name_prefix.length).toBeLessThanOrEqual(6);
      expect(tg.name_prefix).toMatch(/^[A-Za-z0-9][A-Za-z0-9-]*-$/);
    }
  });
});

describe("requiredHeader (CloudFront's origin secret)", () => {
  test("\"Forward only HTTPS requests carrying this header; every other request gets 403 from the load balancer itself\"", () => {
    const json = synth(build({ requiredHeader: { name: "X-Origin-Verify", value: "s3cr3t" } }).stack);
    expect(listener(json, 443).default_action).toEqual([{ type: "fixed-response", fixed_response: { content_type: "text/plain", status_code: "403", message_body: "Forbidden" } }]);
    expect(only(json, "aws_lb_listener_rule")).toEqual({
      listener_arn: `\${aws_lb_listener.${resourcesOf(json, "aws_lb_listener").find(([, l]) => l.port === 443)![0]}.arn}`,
      priority: 1,
      condition: [{ http_header: { http_header_name: "X-Origin-Verify", values: ["s3cr3t"] } }],
      action: [forwardTo(json)],
    });
    expect(listener(json, 80).default_action).toEqual([{ type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } }]);
  });
});

describe("overrides land where they should", () => {
  test("healthCheckPath is the target group's health-check path and is exposed", () => {
    const { stack, lb } = build({ healthCheckPath: "/healthz" });
    expect(only(synth(stack), "aws_lb_target_group").health_check.path).toBe("/healthz");
    expect(lb.healthCheckPath).toBe("/healthz");
  });
  test("healthCheckPath defaults to \"/\" (exposed too)", () => {
    expect(build().lb.healthCheckPath).toBe("/");
  });
  test("targetPort is the target group's port", () => {
    expect(targetGroupOf({ targetPort: 8080 }).port).toBe(8080);
  });
  test("deletionProtection: false turns deletion protection off", () => {
    expect(lbOf({ deletionProtection: false }).enable_deletion_protection).toBe(false);
  });
  test("idleTimeoutSeconds sets the idle timeout", () => {
    expect(lbOf({ idleTimeoutSeconds: 120 }).idle_timeout).toBe(120);
  });
  test("every resource uses the given provider", () => {
    const stack = newStack();
    new HttpsLoadBalancer(stack, "lb", {
      provider: aliasedProvider(stack, "west", "us-west-2"),
      name: "acme-dr-frontend",
      vpcId: "vpc-1",
      subnetIds: ["subnet-c", "subnet-d"],
      securityGroupId: "sg-1",
      certificateArn: CERT_ARN,
      accessLogs: LOGS,
      requiredHeader: { name: "X-Origin-Verify", value: "v" },
    });
    const json = synth(stack);
    const providers = Object.values(json.resource ?? {}).flatMap((byName) => Object.values(byName).map((r) => r.provider));
    expect(providers).toEqual(Array(5).fill("aws.west"));
  });
});

describe("exposed attributes", () => {
  test("arn, dnsName, zoneId, arnSuffix of the ALB; targetGroupArn, targetGroupArnSuffix of the target group; requestCountLabel = <lb suffix>/<tg suffix>", () => {
    const { stack, lb } = build();
    const exposed = { arn: lb.arn, dns: lb.dnsName, zone: lb.zoneId, tg: lb.targetGroupArn, suffix: lb.arnSuffix, tgSuffix: lb.targetGroupArnSuffix, label: lb.requestCountLabel };
    for (const [name, value] of Object.entries(exposed)) new TerraformOutput(stack, name, { value });
    const json = synth(stack);
    const outputs = Object.fromEntries(Object.entries(json.output ?? {}).map(([name, o]) => [name, o.value]));
    const alb = (attr: string) => refOf(json, "aws_lb", attr);
    const tg = (attr: string) => refOf(json, "aws_lb_target_group", attr);
    expect(outputs).toEqual({
      arn: alb("arn"),
      dns: alb("dns_name"),
      zone: alb("zone_id"),
      tg: tg("arn"),
      suffix: alb("arn_suffix"),
      tgSuffix: tg("arn_suffix"),
      label: `${alb("arn_suffix")}/${tg("arn_suffix")}`,
    });
  });
});

describe("validation", () => {
  const nameError = (v: string) => `frontend.name: ${JSON.stringify(v)} is not allowed; expected 1–32 letters, digits or hyphens, not starting or ending with a hyphen`;
  test("name: 1 and 32 characters are accepted, 0 and 33 are not", () => {
    expect(lbOf({ name: "a" }).name).toBe("a");
    expect(lbOf({ name: "a".repeat(32) }).name).toBe("a".repeat(32));
    expect(rejection({ name: "" })).toBe(nameError(""));
    expect(rejection({ name: "a".repeat(33) })).toBe(nameError("a".repeat(33)));
  });
  test("name: letters of both cases, digits and inner hyphens", () => {
    for (const ok of ["Z", "9", "ab", "aB", "a9", "Ab", "9b", "xaZ9-y", "Acme-Prod-1"]) expect(lbOf({ name: ok }).name).toBe(ok);
  });
  test("name: no \"AWSLogs\" (it is part of the access-log prefix, which S3 log delivery refuses with it)", () => {
    expect(rejection({ name: "acme-AWSLogs" })).toBe('frontend.name: "acme-AWSLogs" is not allowed; expected a name without "AWSLogs" (it is part of the access-log prefix)');
    expect(lbOf({ name: "acme-awslogs" }).name).toBe("acme-awslogs");
  });
  test("name: no leading or trailing hyphen, no other characters", () => {
    for (const bad of ["-acme", "acme-", "-", "acme_prod", "acme.prod", "acme prod", "acme/"]) expect(rejection({ name: bad })).toBe(nameError(bad));
  });

  const pathError = (v: string) => `frontend.healthCheckPath: ${JSON.stringify(v)} is not allowed; expected an absolute URL path of at most 255 characters such as /health`;
  test("healthCheckPath: an absolute path of 1 to 255 characters made of URL path characters", () => {
    for (const ok of ["/", "/health", "/AZaz09._~!$&'()*+,;=:@%/-", `/${"p".repeat(254)}`]) expect(targetGroupOf({ healthCheckPath: ok }).health_check.path).toBe(ok);
  });
  test("healthCheckPath: relative paths, queries, spaces and paths over 255 characters are refused", () => {
    for (const bad of ["", "health", "h/ealth", "/health?x=1", "/a b", "/health#top", `/${"p".repeat(255)}`]) expect(rejection({ healthCheckPath: bad })).toBe(pathError(bad));
  });

  const portError = (v: number) => `frontend.targetPort: ${v} is not allowed; expected a port 1–65535`;
  test("targetPort: 1 and 65535 are accepted, 0, 65536 and fractions are not", () => {
    for (const ok of [1, 65535]) expect(targetGroupOf({ targetPort: ok }).port).toBe(ok);
    for (const bad of [0, 65536, 80.5]) expect(rejection({ targetPort: bad })).toBe(portError(bad));
  });

  const idleError = (v: number) => `frontend.idleTimeoutSeconds: ${v} is not allowed; expected an integer from 1 to 4000`;
  test("idleTimeoutSeconds: 1 and 4000 are accepted, 0, 4001 and fractions are not", () => {
    for (const ok of [1, 4000]) expect(lbOf({ idleTimeoutSeconds: ok }).idle_timeout).toBe(ok);
    for (const bad of [0, 4001, 1.5]) expect(rejection({ idleTimeoutSeconds: bad })).toBe(idleError(bad));
  });
});
