import { AsgElbHealthCheck } from "../../modules/policy/rules/autoscaling/AsgElbHealthCheck";
import { AsgScalingPolicy } from "../../modules/policy/rules/autoscaling/AsgScalingPolicy";
import { AsgLaunchTemplate } from "../../modules/policy/rules/autoscaling/AsgLaunchTemplate";
import { ElbAccessLogs } from "../../modules/policy/rules/elb/ElbAccessLogs";
import { ElbCloudFrontOriginClosed } from "../../modules/policy/rules/elb/ElbCloudFrontOriginClosed";
import { ElbAlbHttpsListener } from "../../modules/policy/rules/elb/ElbAlbHttpsListener";
import { ElbDropInvalidHeaders } from "../../modules/policy/rules/elb/ElbDropInvalidHeaders";
import { ElbHttpRedirectsToHttps } from "../../modules/policy/rules/elb/ElbHttpRedirectsToHttps";
import { ElbTargetGroupHealthCheck } from "../../modules/policy/rules/elb/ElbTargetGroupHealthCheck";
import { ElbTlsPolicy } from "../../modules/policy/rules/elb/ElbTlsPolicy";
import { ElbWafAssociated } from "../../modules/policy/rules/elb/ElbWafAssociated";
import { describeRules, Entry, messages, tf } from "./fixtures";

const redirect = { type: "redirect", redirect: { protocol: "HTTPS", port: "443", status_code: "HTTP_301" } };
const forward = { type: "forward", target_group_arn: "${aws_lb_target_group.web.arn}" };
const https = (name: string, lb: string, extra: Record<string, unknown> = {}): Entry =>
  ["aws_lb_listener", name, { load_balancer_arn: `\${aws_lb.${lb}.arn}`, protocol: "HTTPS", port: 443, ssl_policy: "ELBSecurityPolicy-TLS13-1-2-2021-06", default_action: [forward], ...extra }];

/** A CloudFront origin ALB as stage 4 builds it: prefix-list ingress, 403 by default, forward only with the origin header. */
const forbidden = { type: "fixed-response", fixed_response: { content_type: "text/plain", message_body: "Forbidden", status_code: "403" } };
const closedOrigin = (lb: string, opts: { header?: string; defaultAction?: unknown; cidr?: string; inlineCidr?: string } = {}): Entry[] => [
  ["aws_lb", lb, { security_groups: [`\${aws_security_group.${lb}.id}`] }],
  ["aws_security_group", lb, { ingress: opts.inlineCidr ? [{ protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: [opts.inlineCidr] }] : [] }],
  ["aws_vpc_security_group_ingress_rule", `${lb}_cloudfront`, { security_group_id: `\${aws_security_group.${lb}.id}`, ip_protocol: "tcp", from_port: 443, to_port: 443, prefix_list_id: "${data.aws_ec2_managed_prefix_list.cloudfront.id}" }],
  ...(opts.cidr ? [["aws_vpc_security_group_ingress_rule", `${lb}_extra`, { security_group_id: `\${aws_security_group.${lb}.id}`, ip_protocol: "tcp", from_port: 443, to_port: 443, cidr_ipv4: opts.cidr }] as Entry] : []),
  https(`${lb}_tls`, lb, { default_action: [opts.defaultAction ?? forbidden].flat() }),
  ["aws_lb_listener_rule", `${lb}_verified`, { listener_arn: `\${aws_lb_listener.${lb}_tls.arn}`, action: [forward], condition: [{ http_header: { http_header_name: opts.header ?? "X-Origin-Verify", values: ["${aws_secretsmanager_secret_version.origin.secret_string}"] } }] }],
];
const distribution = (...domains: string[]): Entry =>
  ["aws_cloudfront_distribution", "site", { origin: domains.map((domain, i) => ({ origin_id: `o${i}`, domain_name: domain, custom_header: [{ name: "X-Origin-Verify", value: "${aws_secretsmanager_secret_version.origin.secret_string}" }] })) }];
const aliasRecord = (name: string, lb: string): Entry =>
  ["aws_route53_record", name.split(".")[0], { name, type: "A", alias: [{ name: `\${aws_lb.${lb}.dns_name}`, zone_id: `\${aws_lb.${lb}.zone_id}`, evaluate_target_health: true }] }];

describeRules([
  {
    rule: ElbAlbHttpsListener,
    compliant: tf(["aws_lb", "web", {}], https("tls", "web"), ["aws_lb", "nlb", { load_balancer_type: "network" }]),
    nonCompliant: tf(
      ["aws_lb", "http_only", { load_balancer_type: "application" }],
      ["aws_lb_listener", "http", { load_balancer_arn: "${aws_lb.http_only.arn}", protocol: "HTTP", port: 80, default_action: [redirect] }],
      ["aws_lb", "no_listener", {}],
      ["aws_lb", "two_http", {}],
      ["aws_lb_listener", "two_http_80", { load_balancer_arn: "${aws_lb.two_http.arn}", protocol: "HTTP", port: 80, default_action: [redirect] }],
      ["aws_lb_listener", "two_http_8080", { load_balancer_arn: "${aws_lb.two_http.arn}", protocol: "HTTP", port: 8080, default_action: [redirect] }],
      ["aws_lb", "ok", {}], https("ok_tls", "ok"),
    ),
    failing: ["aws_lb.http_only", "aws_lb.no_listener", "aws_lb.two_http"],
    texts: ["aws_lb.http_only: no HTTPS listener (listeners: HTTP)", "aws_lb.no_listener: no HTTPS listener (listeners: none)", "aws_lb.two_http: no HTTPS listener (listeners: HTTP, HTTP)"],
  },
  {
    rule: ElbTlsPolicy,
    compliant: tf(
      ["aws_lb", "web", {}], https("tls13", "web"),
      https("fs", "web", { ssl_policy: "ELBSecurityPolicy-FS-1-2-Res-2020-10" }),
      ["aws_lb_listener", "http", { load_balancer_arn: "${aws_lb.web.arn}", protocol: "HTTP", port: 80, default_action: [redirect] }],
    ),
    nonCompliant: tf(
      ["aws_lb", "web", {}],
      https("old", "web", { ssl_policy: "ELBSecurityPolicy-2016-08" }),
      https("unset", "web", { ssl_policy: undefined }),
      ["aws_lb_listener", "tls_nlb", { load_balancer_arn: "${aws_lb.web.arn}", protocol: "TLS", port: 443, ssl_policy: "ELBSecurityPolicy-TLS-1-1-2017-01" }],
      https("good", "web"),
      https("prefixed", "web", { ssl_policy: "Legacy-ELBSecurityPolicy-TLS-1-2-2017-01" }),
    ),
    failing: ["aws_lb_listener.old", "aws_lb_listener.prefixed", "aws_lb_listener.tls_nlb", "aws_lb_listener.unset"],
    texts: [
      "aws_lb_listener.old: ssl_policy is \"ELBSecurityPolicy-2016-08\"",
      "aws_lb_listener.prefixed: ssl_policy is \"Legacy-ELBSecurityPolicy-TLS-1-2-2017-01\"",
      "aws_lb_listener.tls_nlb: ssl_policy is \"ELBSecurityPolicy-TLS-1-1-2017-01\"",
      "aws_lb_listener.unset: ssl_policy is unset (provider default ELBSecurityPolicy-2016-08 allows TLS 1.0)",
    ],
  },
  {
    rule: ElbHttpRedirectsToHttps,
    compliant: tf(
      ["aws_lb", "web", {}],
      ["aws_lb_listener", "http", { load_balancer_arn: "${aws_lb.web.arn}", protocol: "HTTP", port: 80, default_action: redirect }],
      https("tls", "web"),
      ["aws_lb_listener_rule", "on_https", { listener_arn: "${aws_lb_listener.tls.arn}", action: [forward] }],
    ),
    nonCompliant: tf(
      ["aws_lb", "web", {}],
      ["aws_lb_listener", "serves_http", { load_balancer_arn: "${aws_lb.web.arn}", protocol: "HTTP", port: 80, default_action: [forward] }],
      ["aws_lb_listener", "implicit_http", { load_balancer_arn: "${aws_lb.web.arn}", port: 8080, default_action: [forward] }],
      ["aws_lb_listener", "redirect_to_http", { load_balancer_arn: "${aws_lb.web.arn}", protocol: "HTTP", port: 81, default_action: [{ type: "redirect", redirect: { protocol: "HTTP", port: "8080" } }] }],
      ["aws_lb_listener", "good", { load_balancer_arn: "${aws_lb.web.arn}", protocol: "HTTP", port: 82, default_action: [redirect] }],
      ["aws_lb_listener_rule", "forward_on_http", { listener_arn: "${aws_lb_listener.good.arn}", action: [forward] }],
      ["aws_lb_listener", "no_action", { load_balancer_arn: "${aws_lb.web.arn}", protocol: "HTTP", port: 83, default_action: [] }],
      // A redirect without a protocol keeps the request's ("#{protocol}"): HTTP stays HTTP.
      ["aws_lb_listener", "redirect_same_protocol", { load_balancer_arn: "${aws_lb.web.arn}", protocol: "HTTP", port: 84, default_action: [{ type: "redirect", redirect: { port: "8443" } }] }],
      ["aws_lb_listener", "forward_with_redirect_block", { load_balancer_arn: "${aws_lb.web.arn}", protocol: "HTTP", port: 85, default_action: [{ ...forward, redirect: { protocol: "HTTPS" } }] }],
    ),
    failing: ["aws_lb_listener.forward_with_redirect_block", "aws_lb_listener.implicit_http", "aws_lb_listener.no_action", "aws_lb_listener.redirect_same_protocol", "aws_lb_listener.redirect_to_http", "aws_lb_listener.serves_http", "aws_lb_listener_rule.forward_on_http"],
    texts: [
      "aws_lb_listener.forward_with_redirect_block: default_action[0] is type \"forward\", not a redirect to HTTPS",
      "aws_lb_listener.implicit_http: default_action[0] is type \"forward\", not a redirect to HTTPS",
      "aws_lb_listener.no_action: default_action has no action",
      "aws_lb_listener.redirect_same_protocol: default_action[0] is type \"redirect\" to protocol unset, not a redirect to HTTPS",
      "aws_lb_listener.redirect_to_http: default_action[0] is type \"redirect\" to protocol \"HTTP\", not a redirect to HTTPS",
      "aws_lb_listener.serves_http: default_action[0] is type \"forward\", not a redirect to HTTPS",
      "aws_lb_listener_rule.forward_on_http: action[0] is type \"forward\", not a redirect to HTTPS",
    ],
  },
  {
    rule: ElbDropInvalidHeaders,
    compliant: tf(["aws_lb", "web", { drop_invalid_header_fields: true }], ["aws_lb", "nlb", { load_balancer_type: "network" }]),
    nonCompliant: tf(
      ["aws_lb", "unset", {}],
      ["aws_alb", "legacy_alias", { drop_invalid_header_fields: false }],
      ["aws_lb", "nlb", { load_balancer_type: "network" }],
    ),
    failing: ["aws_alb.legacy_alias", "aws_lb.unset"],
    texts: ["aws_alb.legacy_alias: drop_invalid_header_fields is false", "aws_lb.unset: drop_invalid_header_fields is unset"],
  },
  {
    rule: ElbAccessLogs,
    compliant: tf(["aws_lb", "web", { access_logs: { bucket: "${aws_s3_bucket.logs.id}", enabled: true, prefix: "alb" } }]),
    nonCompliant: tf(
      ["aws_lb", "none", {}],
      ["aws_lb", "bucket_only", { access_logs: { bucket: "logs" } }],
      ["aws_lb", "no_bucket", { access_logs: { bucket: "", enabled: true } }],
      ["aws_lb", "ok", { access_logs: [{ bucket: "logs", enabled: "true" }] }],
    ),
    failing: ["aws_lb.bucket_only", "aws_lb.no_bucket", "aws_lb.none"],
    texts: ["aws_lb.bucket_only: access_logs.enabled is unset", "aws_lb.no_bucket: access_logs.bucket is empty", "aws_lb.none: access_logs is not configured"],
  },
  {
    rule: ElbWafAssociated,
    compliant: tf(
      ["aws_lb", "public", {}],
      ["aws_wafv2_web_acl_association", "public", { resource_arn: "${aws_lb.public.arn}", web_acl_arn: "${aws_wafv2_web_acl.main.arn}" }],
      ["aws_lb", "internal", { internal: true }],
      ["aws_lb", "nlb", { load_balancer_type: "network" }],
    ),
    nonCompliant: tf(
      ["aws_lb", "naked", { internal: false }],
      ["aws_lb", "protected", {}],
      ["aws_wafv2_web_acl_association", "protected", { resource_arn: "${aws_lb.protected.arn}", web_acl_arn: "x" }],
    ),
    failing: ["aws_lb.naked"],
    texts: ["aws_lb.naked: internet-facing ALB has no aws_wafv2_web_acl_association"],
  },
  {
    rule: ElbCloudFrontOriginClosed,
    compliant: tf(
      ...closedOrigin("primary"), aliasRecord("frontend-us-east-1.app.example.com", "primary"),
      ...closedOrigin("direct"),
      distribution("frontend-us-east-1.app.example.com", "${aws_lb.direct.dns_name}"),
      // Not an origin: the API load balancer is public on purpose (its own WAF), not this rule's business.
      ["aws_lb", "api", { security_groups: ["${aws_security_group.api.id}"] }],
      ["aws_security_group", "api", { ingress: [{ protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["0.0.0.0/0"] }] }],
      https("api_tls", "api"),
    ),
    nonCompliant: tf(
      ...closedOrigin("open", { inlineCidr: "0.0.0.0/0" }), aliasRecord("open.app.example.com", "open"),
      ...closedOrigin("office", { cidr: "203.0.113.0/24" }),
      ...closedOrigin("forwarding", { defaultAction: forward }),
      ...closedOrigin("wrong_header", { header: "X-Forwarded-Host" }),
      ...closedOrigin("ok"),
      distribution("open.app.example.com.", "${aws_lb.office.dns_name}", "${aws_lb.forwarding.dns_name}", "${aws_lb.wrong_header.dns_name}", "${aws_lb.ok.dns_name}"),
    ),
    failing: ["aws_lb.forwarding", "aws_lb.office", "aws_lb.open", "aws_lb.wrong_header"],
    texts: [
      "aws_lb.forwarding: aws_lb_listener.forwarding_tls forwards by default: requests without the origin header reach the targets",
      "aws_lb.office: aws_vpc_security_group_ingress_rule.office_extra rule admits 203.0.113.0/24, which reaches the origin without CloudFront",
      "aws_lb.open: aws_security_group.open ingress[0] admits 0.0.0.0/0, which reaches the origin without CloudFront",
      "aws_lb.wrong_header: aws_lb_listener_rule.wrong_header_verified forwards without requiring a header the distribution sends (x-origin-verify)",
    ],
  },
  {
    rule: ElbTargetGroupHealthCheck,
    compliant: tf(
      ["aws_lb_target_group", "web", { protocol: "HTTP", port: 80, health_check: { enabled: true, path: "/healthz" } }],
      ["aws_lb_target_group", "tcp", { protocol: "TCP", port: 5432 }],
      ["aws_lb_target_group", "fn", { target_type: "lambda" }],
      // A Lambda target group's health check belongs to the function: a disabled one is not a finding.
      ["aws_lb_target_group", "fn_check_off", { target_type: "lambda", health_check: { enabled: false, protocol: "HTTP" } }],
    ),
    nonCompliant: tf(
      ["aws_lb_target_group", "no_check", { protocol: "HTTP", port: 80 }],
      ["aws_lb_target_group", "no_path", { protocol: "HTTPS", port: 443, health_check: { enabled: true } }],
      ["aws_lb_target_group", "disabled", { protocol: "HTTP", port: 80, health_check: [{ enabled: false, path: "/" }] }],
      ["aws_lb_target_group", "tcp_with_http_check", { protocol: "TCP", port: 80, health_check: { protocol: "HTTP" } }],
      ["aws_lb_target_group", "ok", { protocol: "HTTP", port: 80, health_check: { path: "/" } }],
      ["aws_lb_target_group", "disabled_text", { protocol: "HTTP", port: 80, health_check: { enabled: "false", path: "/" } }],
    ),
    failing: ["aws_lb_target_group.disabled", "aws_lb_target_group.disabled_text", "aws_lb_target_group.no_check", "aws_lb_target_group.no_path", "aws_lb_target_group.tcp_with_http_check"],
    texts: [
      "aws_lb_target_group.disabled: health_check.enabled is false",
      "aws_lb_target_group.disabled_text: health_check.enabled is false",
      "aws_lb_target_group.no_check: health_check is not configured",
      "aws_lb_target_group.no_path: health_check.path is unset",
      "aws_lb_target_group.tcp_with_http_check: health_check.path is unset",
    ],
  },
  {
    rule: AsgLaunchTemplate,
    compliant: tf(
      ["aws_autoscaling_group", "web", { launch_template: { id: "${aws_launch_template.web.id}", version: "$Latest" } }],
      ["aws_autoscaling_group", "mixed", { mixed_instances_policy: { launch_template: { launch_template_specification: { launch_template_id: "lt" } } } }],
    ),
    nonCompliant: tf(
      ["aws_autoscaling_group", "legacy", { launch_configuration: "${aws_launch_configuration.old.name}" }],
      ["aws_autoscaling_group", "nothing", {}],
      ["aws_autoscaling_group", "ok", { launch_template: [{ id: "lt" }] }],
    ),
    failing: ["aws_autoscaling_group.legacy", "aws_autoscaling_group.nothing"],
    texts: ["aws_autoscaling_group.legacy: uses launch_configuration", "aws_autoscaling_group.nothing: no launch_template is configured"],
  },
  {
    rule: AsgElbHealthCheck,
    compliant: tf(
      ["aws_autoscaling_group", "web", { target_group_arns: ["${aws_lb_target_group.web.arn}"], health_check_type: "ELB" }],
      ["aws_autoscaling_group", "workers", { health_check_type: "EC2" }],
    ),
    nonCompliant: tf(
      ["aws_autoscaling_group", "tg", { target_group_arns: ["${aws_lb_target_group.web.arn}"], health_check_type: "EC2" }],
      ["aws_autoscaling_group", "attached", {}],
      ["aws_autoscaling_attachment", "attached", { autoscaling_group_name: "${aws_autoscaling_group.attached.id}", lb_target_group_arn: "x" }],
      ["aws_autoscaling_group", "unattached", {}],
    ),
    failing: ["aws_autoscaling_group.attached", "aws_autoscaling_group.tg"],
    texts: [
      "aws_autoscaling_group.attached: health_check_type is unset although the group is behind a load balancer",
      "aws_autoscaling_group.tg: health_check_type is \"EC2\" although the group is behind a load balancer",
    ],
  },
  {
    rule: AsgScalingPolicy,
    compliant: tf(
      ["aws_autoscaling_group", "web", { name: "web", target_group_arns: ["${aws_lb_target_group.web.arn}"] }],
      ["aws_autoscaling_policy", "web_cpu", { autoscaling_group_name: "${aws_autoscaling_group.web.name}", policy_type: "TargetTrackingScaling" }],
      ["aws_autoscaling_group", "workers", { name: "workers" }],
    ),
    nonCompliant: tf(
      ["aws_autoscaling_group", "fixed", { name: "fixed", target_group_arns: ["${aws_lb_target_group.web.arn}"] }],
      ["aws_autoscaling_group", "other", { name: "other", target_group_arns: ["${aws_lb_target_group.api.arn}"] }],
      ["aws_autoscaling_policy", "for_other_group", { autoscaling_group_name: "${aws_autoscaling_group.web.name}" }],
    ),
    failing: ["aws_autoscaling_group.fixed", "aws_autoscaling_group.other"],
    texts: [
      "aws_autoscaling_group.fixed: the group runs a fixed count: no aws_autoscaling_policy refers to it",
      "aws_autoscaling_group.other: the group runs a fixed count: no aws_autoscaling_policy refers to it",
    ],
  },
]);

describe("ELB-CLOUDFRONT-ORIGIN-CLOSED says how the origin can be bypassed", () => {
  test("a CIDR in its security group, a default forward, a rule on a header CloudFront does not send", () => {
    const found = messages(ElbCloudFrontOriginClosed, tf(
      ...closedOrigin("office", { cidr: "203.0.113.0/24" }),
      ...closedOrigin("forwarding", { defaultAction: forward }),
      ...closedOrigin("wrong_header", { header: "X-Forwarded-Host" }),
      distribution("${aws_lb.office.dns_name}", "${aws_lb.forwarding.dns_name}", "${aws_lb.wrong_header.dns_name}"),
    )).join("\n");
    expect(found).toContain("aws_vpc_security_group_ingress_rule.office_extra rule admits 203.0.113.0/24");
    expect(found).toContain("aws_lb_listener.forwarding_tls forwards by default");
    expect(found).toContain("aws_lb_listener_rule.wrong_header_verified forwards without requiring a header the distribution sends (x-origin-verify)");
  });
});

describe("ELB-CLOUDFRONT-ORIGIN-CLOSED: which load balancers are origins, and which headers count", () => {
  const rule = ElbCloudFrontOriginClosed;
  const open = (lb: string, extra: Record<string, unknown> = {}): Entry[] => [
    ["aws_lb", lb, { security_groups: [`\${aws_security_group.${lb}.id}`], ...extra }],
    ["aws_security_group", lb, { ingress: [{ protocol: "tcp", from_port: 443, to_port: 443, cidr_blocks: ["0.0.0.0/0"] }] }],
    https(`${lb}_tls`, lb),
  ];

  test("an internal or a network load balancer behind CloudFront is not this rule's business", () => {
    const doc = tf(...open("inside", { internal: true }), ...open("nlb", { load_balancer_type: "network" }), distribution("${aws_lb.inside.dns_name}", "${aws_lb.nlb.dns_name}"));
    expect(messages(rule, doc)).toEqual([]);
  });

  test("the full message of every way in: inline CIDR, standalone rule's CIDR, default forward", () => {
    const doc = tf(
      ...open("web"),
      ["aws_security_group_rule", "web_v6", { type: "ingress", security_group_id: "${aws_security_group.web.id}", protocol: "tcp", from_port: 443, to_port: 443, ipv6_cidr_blocks: ["::/0"] }],
      distribution("${aws_lb.web.dns_name}"),
    );
    expect(messages(rule, doc)).toEqual([[
      "aws_security_group.web ingress[0] admits 0.0.0.0/0, which reaches the origin without CloudFront",
      "aws_security_group_rule.web_v6 rule admits ::/0, which reaches the origin without CloudFront",
      "aws_lb_listener.web_tls forwards by default: requests without the origin header reach the targets",
    ].join("; ")]);
  });

  test("an alias record is matched whatever its letter case and trailing dot", () => {
    const doc = tf(...open("web"), aliasRecord("Origin.App.example.com.", "web"), distribution("origin.app.EXAMPLE.com"));
    expect(messages(rule, doc)).toHaveLength(1);
    const unrelated = tf(...open("web"), aliasRecord("origin.app.example.com", "web"), distribution("other.app.example.com"));
    expect(messages(rule, unrelated)).toEqual([]);
  });

  test("header names compare case-insensitively; only headers every distribution sends count", () => {
    const lower = tf(...closedOrigin("web", { header: "x-origin-verify" }), distribution("${aws_lb.web.dns_name}"));
    expect(messages(rule, lower)).toEqual([]);
    const second: Entry = ["aws_cloudfront_distribution", "other", { origin: [{ origin_id: "o", domain_name: "${aws_lb.web.dns_name}", custom_header: [{ name: "X-Other", value: "v" }] }] }];
    expect(messages(rule, tf(...closedOrigin("web"), distribution("${aws_lb.web.dns_name}"), second))).toEqual([
      "aws_lb_listener_rule.web_verified forwards without requiring a header the distribution sends (it sends none)",
    ]);
  });

  test("a header every distribution sends counts; nameless headers are ignored; the sent headers are listed", () => {
    const both: Entry = ["aws_cloudfront_distribution", "other", { origin: [{ origin_id: "o", domain_name: "${aws_lb.web.dns_name}", custom_header: [{ name: "X-Origin-Verify", value: "v" }, { value: "nameless" }, { name: "X-Other", value: "w" }] }] }];
    expect(messages(rule, tf(...closedOrigin("web"), distribution("${aws_lb.web.dns_name}"), both))).toEqual([]);
    expect(messages(rule, tf(...closedOrigin("web", { header: "X-Forwarded-Host" }), both))).toEqual([
      "aws_lb_listener_rule.web_verified forwards without requiring a header the distribution sends (x-origin-verify, x-other)",
    ]);
  });

  test("a forward among several actions counts, and one header condition among several is enough", () => {
    const authenticate = { type: "authenticate-oidc", authenticate_oidc: { issuer: "https://idp.example.com" } };
    const doc = tf(
      ...closedOrigin("web", { defaultAction: [authenticate, forward] }),
      ["aws_lb_listener_rule", "web_both", { listener_arn: "${aws_lb_listener.web_tls.arn}", action: [authenticate, forward], condition: [{ path_pattern: { values: ["/app/*"] } }, { http_header: { http_header_name: "X-Origin-Verify", values: ["s"] } }] }],
      ["aws_lb_listener_rule", "web_unchecked", { listener_arn: "${aws_lb_listener.web_tls.arn}", action: [authenticate, forward], condition: [{ path_pattern: { values: ["/open/*"] } }] }],
      distribution("${aws_lb.web.dns_name}"),
    );
    expect(messages(rule, doc)).toEqual([[
      "aws_lb_listener.web_tls forwards by default: requests without the origin header reach the targets",
      "aws_lb_listener_rule.web_unchecked forwards without requiring a header the distribution sends (x-origin-verify)",
    ].join("; ")]);
  });

  test("a security group given by a literal id (not in this stack) is skipped, not a crash", () => {
    const [lb, ...rest] = closedOrigin("web");
    const doc = tf(["aws_lb", "web", { security_groups: ["sg-0123456789abcdef0", ...(lb[2].security_groups as string[])] }], ...rest, distribution("${aws_lb.web.dns_name}"));
    expect(messages(rule, doc)).toEqual([]);
  });

  test("a listener rule that does not forward needs no header; a forwarding rule without conditions does", () => {
    const doc = tf(
      ...closedOrigin("web"),
      ["aws_lb_listener_rule", "web_maintenance", { listener_arn: "${aws_lb_listener.web_tls.arn}", action: [forbidden], condition: [{ path_pattern: { values: ["/*"] } }] }],
      ["aws_lb_listener_rule", "web_open", { listener_arn: "${aws_lb_listener.web_tls.arn}", action: [forward], condition: [{ path_pattern: { values: ["/open/*"] } }] }],
      distribution("${aws_lb.web.dns_name}"),
    );
    expect(messages(rule, doc)).toEqual(["aws_lb_listener_rule.web_open forwards without requiring a header the distribution sends (x-origin-verify)"]);
  });
});
