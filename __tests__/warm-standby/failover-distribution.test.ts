/**
 * FailoverDistribution (modules/warm-standby/failover-distribution.ts), construct level:
 * "The CloudFront distribution of the site: an origin group of the primary and DR frontend load
 * balancers (failover on 500/502/503/504 and connection failures), HTTPS-only viewers on TLS 1.2+
 * (2021 policy) with an ACM certificate in us-east-1, no caching (dynamic content), security
 * response headers, standard access logs, a CLOUDFRONT-scope WAF, and A/AAAA aliases for the site
 * name. Origin groups fail over only GET, HEAD and OPTIONS requests, so the distribution allows
 * just those; writes go to the API name."
 */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { ApplicationZone } from "../../modules/warm-standby/application-zone";
import {
  CLOUDFRONT_MANAGED_POLICIES,
  FAILOVER_STATUS_CODES,
  FailoverDistribution,
  FailoverDistributionProps,
} from "../../modules/warm-standby/failover-distribution";
import { TfJson, onlyResourceOf, ref, resourcesOf } from "../support/synth";

type Res = Record<string, any>;
type Built = { json: TfJson; cdn: FailoverDistribution };
type Over = Partial<Omit<FailoverDistributionProps, "usEast1Provider" | "zone">>;

const PRIMARY_ORIGIN = "frontend-eu-west-1.app.example.com";
const DR_ORIGIN = "frontend-eu-central-1.app.example.com";

/** Stack default provider in eu-west-1 (the primary region), the distribution on an aliased us-east-1 provider. */
function build(over: Over = {}): Built {
  const stack = new TerraformStack(Testing.app(), "t");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const usEast1Provider = new AwsProvider(stack, "use1", { region: "us-east-1", alias: "use1" });
  const zone = new ApplicationZone(stack, "zone", { domain: "example.com", subdomain: "app" });
  const cdn = new FailoverDistribution(stack, "cdn", { usEast1Provider, name: "acme-prod", zone, siteName: "app.example.com", primaryOrigin: PRIMARY_ORIGIN, secondaryOrigin: DR_ORIGIN, ...over });
  new TerraformOutput(stack, "distribution_id", { value: cdn.distributionId });
  new TerraformOutput(stack, "domain_name", { value: cdn.domainName });
  new TerraformOutput(stack, "hosted_zone_id", { value: cdn.hostedZoneId });
  new TerraformOutput(stack, "web_acl_arn", { value: cdn.webAcl.arn });
  const json = JSON.parse(Testing.synth(stack)) as TfJson;
  return { json, cdn };
}

function construct(over: Over): () => FailoverDistribution {
  const stack = new TerraformStack(Testing.app(), "t");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const usEast1Provider = new AwsProvider(stack, "use1", { region: "us-east-1", alias: "use1" });
  const zone = new ApplicationZone(stack, "zone", { domain: "example.com", subdomain: "app" });
  return () => new FailoverDistribution(stack, "cdn", { usEast1Provider, name: "acme-prod", zone, siteName: "app.example.com", primaryOrigin: PRIMARY_ORIGIN, secondaryOrigin: DR_ORIGIN, ...over });
}

const distributionOf = (json: TfJson) => onlyResourceOf(json, "aws_cloudfront_distribution");
const origin = (originId: string, domainName: string, timeout = 5): Res => ({
  origin_id: originId,
  domain_name: domainName,
  connection_attempts: 1,
  connection_timeout: timeout,
  custom_origin_config: { http_port: 80, https_port: 443, origin_protocol_policy: "https-only", origin_ssl_protocols: ["TLSv1.2"], origin_read_timeout: 30, origin_keepalive_timeout: 5 },
});

describe("the distribution", () => {
  test("defaults: the whole distribution as a plan reviewer sees it", () => {
    const { json } = build();
    const validation = onlyResourceOf(json, "aws_acm_certificate_validation")[0];
    const bucket = onlyResourceOf(json, "aws_s3_bucket")[0];
    const acl = onlyResourceOf(json, "aws_wafv2_web_acl")[0];
    expect(distributionOf(json)[1]).toEqual({
      provider: "aws.use1",
      enabled: true,
      comment: "app.example.com: primary frontend, DR frontend on failure",
      aliases: ["app.example.com"],
      is_ipv6_enabled: true,
      http_version: "http2and3",
      price_class: "PriceClass_100",
      web_acl_id: ref("aws_wafv2_web_acl", acl, "arn"),
      origin: [origin("primary-frontend", PRIMARY_ORIGIN), origin("dr-frontend", DR_ORIGIN)],
      origin_group: [
        {
          origin_id: "frontend-failover",
          failover_criteria: { status_codes: [500, 502, 503, 504] },
          member: [{ origin_id: "primary-frontend" }, { origin_id: "dr-frontend" }],
        },
      ],
      default_cache_behavior: {
        target_origin_id: "frontend-failover",
        viewer_protocol_policy: "redirect-to-https",
        allowed_methods: ["GET", "HEAD", "OPTIONS"],
        cached_methods: ["GET", "HEAD"],
        compress: true,
        cache_policy_id: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
        origin_request_policy_id: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
        response_headers_policy_id: "67f7725c-6f97-4210-82d7-5512b31e9d03",
      },
      viewer_certificate: { acm_certificate_arn: ref("aws_acm_certificate_validation", validation, "certificate_arn"), ssl_support_method: "sni-only", minimum_protocol_version: "TLSv1.2_2021" },
      restrictions: { geo_restriction: { restriction_type: "none", locations: [] } },
      logging_config: { bucket: ref("aws_s3_bucket", bucket, "bucket_domain_name"), prefix: "cloudfront/", include_cookies: false },
      tags: { Name: "app.example.com" },
    });
  });

  test("the AWS managed policies by their fixed ids, and the failover status codes", () => {
    expect(CLOUDFRONT_MANAGED_POLICIES).toEqual({
      cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
      allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
      securityHeaders: "67f7725c-6f97-4210-82d7-5512b31e9d03",
    });
    expect(FAILOVER_STATUS_CODES).toEqual([500, 502, 503, 504]);
  });

  test("priceClass lands in the distribution", () => {
    expect(distributionOf(build({ priceClass: "PriceClass_All" }).json)[1].price_class).toBe("PriceClass_All");
    expect(distributionOf(build({ priceClass: "PriceClass_200" }).json)[1].price_class).toBe("PriceClass_200");
  });

  test("originConnectionTimeoutSeconds lands in both origins", () => {
    const origins = distributionOf(build({ originConnectionTimeoutSeconds: 2 }).json)[1].origin;
    expect(origins).toEqual([origin("primary-frontend", PRIMARY_ORIGIN, 2), origin("dr-frontend", DR_ORIGIN, 2)]);
  });

  test("originHeader (@default none) is added to every origin request, on both origins", () => {
    const origins = distributionOf(build({ originHeader: { name: "X-Origin-Verify", value: "s3cr3t" } }).json)[1].origin;
    const header = [{ name: "X-Origin-Verify", value: "s3cr3t" }];
    expect(origins).toEqual([
      { ...origin("primary-frontend", PRIMARY_ORIGIN), custom_header: header },
      { ...origin("dr-frontend", DR_ORIGIN), custom_header: header },
    ]);
  });
});

describe("the certificate (us-east-1, DNS-validated in the zone)", () => {
  test("a certificate for the site name, on the us-east-1 provider, validated by records in the application zone", () => {
    const { json } = build();
    expect(onlyResourceOf(json, "aws_acm_certificate")[1]).toMatchObject({ provider: "aws.use1", domain_name: "app.example.com", validation_method: "DNS" });
    const [zoneName] = onlyResourceOf(json, "aws_route53_zone");
    const validation = resourcesOf(json, "aws_route53_record").filter(([, r]) => r.for_each);
    expect(validation).toHaveLength(1);
    expect(validation[0][1]).toMatchObject({ provider: "aws.use1", zone_id: ref("aws_route53_zone", zoneName, "zone_id") });
    expect(onlyResourceOf(json, "aws_acm_certificate_validation")[1].provider).toBe("aws.use1");
  });
});

describe("the access logs", () => {
  test("a CloudFront log bucket in us-east-1 named <name>-cdn-logs-…, written by ACL delivery (BucketOwnerPreferred)", () => {
    const { json } = build();
    expect(onlyResourceOf(json, "aws_s3_bucket")[1]).toEqual({
      provider: "aws.use1",
      bucket_prefix: "acme-prod-cdn-logs-",
      force_destroy: false,
      tags: { Name: "acme-prod-cdn-logs-", Purpose: "cloudfront access logs" },
    });
    expect(onlyResourceOf(json, "aws_s3_bucket_ownership_controls")[1].rule).toEqual({ object_ownership: "BucketOwnerPreferred" });
  });

  test("a long name is cut to fit S3's 37-character bucket_prefix", () => {
    const prefix = onlyResourceOf(build({ name: "acme-production-website-for-customers" }).json, "aws_s3_bucket")[1].bucket_prefix;
    expect(prefix).toHaveLength(37);
    expect(prefix).toMatch(/^acme-production-websit-[0-9a-f]{4}-cdn-logs-$/);
  });
});

describe("the web ACL (CLOUDFRONT scope, us-east-1)", () => {
  test("named <name>-cloudfront, CLOUDFRONT scope, on the us-east-1 provider, with its log group there too; no Bot Control by default", () => {
    const { json, cdn } = build();
    const acl = onlyResourceOf(json, "aws_wafv2_web_acl")[1];
    expect(acl).toMatchObject({ provider: "aws.use1", name: "acme-prod-cloudfront", scope: "CLOUDFRONT" });
    expect(acl.rule.map((r: Res) => r.name)).not.toContain("AWSManagedRulesBotControlRuleSet");
    expect(acl.rule).toHaveLength(6);
    expect(onlyResourceOf(json, "aws_cloudwatch_log_group")[1]).toMatchObject({ provider: "aws.use1", name: "aws-waf-logs-acme-prod-cloudfront" });
    expect(cdn.webAcl.scope).toBe("CLOUDFRONT");
  });

  test("botControl adds AWS Bot Control to the CloudFront web ACL", () => {
    const rules = onlyResourceOf(build({ botControl: true }).json, "aws_wafv2_web_acl")[1].rule;
    expect(rules.map((r: Res) => r.name).at(-1)).toBe("AWSManagedRulesBotControlRuleSet");
    expect(rules).toHaveLength(7);
  });
});

describe("the site name", () => {
  test("A and AAAA aliases from the site name to the distribution, in the application zone", () => {
    const { json } = build();
    const [distribution] = distributionOf(json);
    const [zoneName] = onlyResourceOf(json, "aws_route53_zone");
    const aliases = resourcesOf(json, "aws_route53_record").filter(([, r]) => r.alias);
    expect(Object.fromEntries(aliases.map(([key, r]) => [key.replace(/_[0-9A-F]{8}$/, ""), r]))).toEqual(
      Object.fromEntries(
        ["A", "AAAA"].map((type) => [
          `zone_cdn-site-${type.toLowerCase()}`,
          {
            zone_id: ref("aws_route53_zone", zoneName, "zone_id"),
            name: "app.example.com",
            type,
            alias: { name: ref("aws_cloudfront_distribution", distribution, "domain_name"), zone_id: ref("aws_cloudfront_distribution", distribution, "hosted_zone_id"), evaluate_target_health: true },
          },
        ]),
      ),
    );
  });

  test("a site name outside the zone is refused by the zone", () => {
    expect(construct({ siteName: "www.example.com" })).toThrow(/alias\(name\): "www\.example\.com" is not allowed/);
  });
});

describe("exposed attributes", () => {
  test("distributionId, domainName, hostedZoneId are the distribution's; webAcl.arn its web ACL's", () => {
    const { json } = build();
    const [distribution] = distributionOf(json);
    const [acl] = onlyResourceOf(json, "aws_wafv2_web_acl");
    expect(json.output?.distribution_id.value).toBe(ref("aws_cloudfront_distribution", distribution, "id"));
    expect(json.output?.domain_name.value).toBe(ref("aws_cloudfront_distribution", distribution, "domain_name"));
    expect(json.output?.hosted_zone_id.value).toBe(ref("aws_cloudfront_distribution", distribution, "hosted_zone_id"));
    expect(json.output?.web_acl_arn.value).toBe(ref("aws_wafv2_web_acl", acl, "arn"));
  });
});

describe("validation", () => {
  const TIMEOUT_ALLOWED = "an integer from 1 to 10";

  test("originConnectionTimeoutSeconds 1 and 10 (the ends of 1–10) are accepted", () => {
    expect(distributionOf(build({ originConnectionTimeoutSeconds: 1 }).json)[1].origin.map((o: Res) => o.connection_timeout)).toEqual([1, 1]);
    expect(distributionOf(build({ originConnectionTimeoutSeconds: 10 }).json)[1].origin.map((o: Res) => o.connection_timeout)).toEqual([10, 10]);
  });

  test("originConnectionTimeoutSeconds 0, 11 and 2.5 are rejected, naming the field, the value and 1–10", () => {
    for (const bad of [0, 11, 2.5]) {
      expect(construct({ originConnectionTimeoutSeconds: bad })).toThrow(`cdn.originConnectionTimeoutSeconds: ${bad} is not allowed; expected ${TIMEOUT_ALLOWED}`);
    }
  });

  test.each(["Acme", "acme_prod", "acme.prod", "-acme", "acme-", "acme--prod", "a".repeat(90)])("name %j is refused, naming cdn.name (not a name derived from it)", (name) => {
    expect(construct({ name })).toThrow(`cdn.name: ${JSON.stringify(name)} is not allowed; expected lowercase letters, digits and single hyphens, at most 89 characters`);
  });

  test.each(["a", "acme-prod-2", "a".repeat(89)])("name %j is accepted", (name) => {
    expect(construct({ name })).not.toThrow();
  });

  test("the secondary origin must differ from the primary", () => {
    expect(construct({ secondaryOrigin: PRIMARY_ORIGIN })).toThrow(`cdn.secondaryOrigin: "${PRIMARY_ORIGIN}" is not allowed; expected a name other than primaryOrigin`);
  });
});
