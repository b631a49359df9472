import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { CloudfrontDistribution } from "@cdktf/provider-aws/lib/cloudfront-distribution";
import { check } from "../core/validation";
import { AccessLogBucket, LogWriter } from "./access-log-bucket";
import { ApplicationZone } from "./application-zone";
import { DnsValidatedCertificate } from "./dns-validated-certificate";
import { ManagedRulesWebAcl, WebAclScope } from "./managed-rules-web-acl";
import { fitName } from "../core/names";

/** AWS managed policies, by their fixed ids. */
export const CLOUDFRONT_MANAGED_POLICIES = {
  /** Cache policy "Managed-CachingDisabled": every request reaches the origin (dynamic site). */
  cachingDisabled: "4135ea2d-6df8-44a3-9df3-4b5a84be39ad",
  /** Origin request policy "Managed-AllViewerExceptHostHeader": headers, cookies and query strings, Host set to the origin's name. */
  allViewerExceptHostHeader: "b689b0a8-53d0-40ab-baf2-68738e2966ac",
  /** Response headers policy "Managed-SecurityHeadersPolicy": HSTS, X-Content-Type-Options, X-Frame-Options, Referrer-Policy, XSS protection. */
  securityHeaders: "67f7725c-6f97-4210-82d7-5512b31e9d03",
} as const;

/** Origin responses that make CloudFront retry the request on the next origin of the group. */
export const FAILOVER_STATUS_CODES = [500, 502, 503, 504];

export interface FailoverDistributionProps {
  /** A us-east-1 provider: CloudFront certificates and CLOUDFRONT-scope web ACLs live there. */
  readonly usEast1Provider: TerraformProvider;
  /** Name prefix of the log bucket and web ACL: lowercase letters, digits and single hyphens, at most 89 characters (the ACL is `<name>-cloudfront`, 100 at most). */
  readonly name: string;
  /** The zone holding the site name and certificate validation records. */
  readonly zone: ApplicationZone;
  /** Name viewers use, inside the zone, e.g. app.example.com. */
  readonly siteName: string;
  /** Frontend origin tried first: a DNS name covered by that load balancer's certificate. */
  readonly primaryOrigin: string;
  /** Frontend origin used when the primary answers 5xx, times out or refuses connections. */
  readonly secondaryOrigin: string;
  /** Header CloudFront adds to every origin request (the frontend load balancers require it). @default none */
  readonly originHeader?: { readonly name: string; readonly value: string };
  /** Add AWS Bot Control to the CloudFront web ACL (priced per request). @default false */
  readonly botControl?: boolean;
  /** CloudFront price class. @default "PriceClass_100" (North America and Europe edges) */
  readonly priceClass?: "PriceClass_100" | "PriceClass_200" | "PriceClass_All";
  /** Seconds CloudFront waits to connect to an origin before failing over (1–10). @default 5 */
  readonly originConnectionTimeoutSeconds?: number;
}

/**
 * The CloudFront distribution of the site: an origin group of the primary and
 * DR frontend load balancers (failover on 500/502/503/504 and connection
 * failures), HTTPS-only viewers on TLS 1.2+ (2021 policy) with an ACM
 * certificate in us-east-1, no caching (dynamic content), security response
 * headers, standard access logs, a CLOUDFRONT-scope WAF, and A/AAAA aliases
 * for the site name. Origin groups fail over only GET, HEAD and OPTIONS
 * requests, so the distribution allows just those; writes go to the API name.
 */
export class FailoverDistribution extends Construct {
  readonly distributionId: string;
  readonly domainName: string;
  readonly hostedZoneId: string;
  readonly webAcl: ManagedRulesWebAcl;

  constructor(scope: Construct, id: string, props: FailoverDistributionProps) {
    super(scope, id);
    // Checked here so the error names this prop, not the bucket prefix or ACL name derived from it.
    check(/^[a-z0-9]+(?:-[a-z0-9]+)*$/.test(props.name) && props.name.length <= 89, `${id}.name`, props.name,
      "lowercase letters, digits and single hyphens, at most 89 characters (it prefixes the log bucket and the web ACL <name>-cloudfront)");
    const timeout = props.originConnectionTimeoutSeconds ?? 5;
    check(Number.isInteger(timeout) && timeout >= 1 && timeout <= 10, `${id}.originConnectionTimeoutSeconds`, timeout, "an integer from 1 to 10");
    check(props.primaryOrigin !== props.secondaryOrigin, `${id}.secondaryOrigin`, props.secondaryOrigin, "a name other than primaryOrigin");
    const provider = props.usEast1Provider;

    const certificate = new DnsValidatedCertificate(this, "certificate", { provider, domainName: props.siteName, zoneId: props.zone.zoneId });
    const logs = new AccessLogBucket(this, "logs", { provider, region: "us-east-1", namePrefix: fitName(props.name, "cdn-logs-", 37), writer: LogWriter.CLOUDFRONT, logPrefix: "cloudfront" });
    this.webAcl = new ManagedRulesWebAcl(this, "waf", { provider, name: `${props.name}-cloudfront`, scope: WebAclScope.CLOUDFRONT, botControl: props.botControl });

    const origin = (originId: string, domainName: string) => ({
      originId,
      domainName,
      connectionAttempts: 1,
      connectionTimeout: timeout,
      customOriginConfig: { httpPort: 80, httpsPort: 443, originProtocolPolicy: "https-only", originSslProtocols: ["TLSv1.2"], originReadTimeout: 30, originKeepaliveTimeout: 5 },
      customHeader: props.originHeader ? [{ name: props.originHeader.name, value: props.originHeader.value }] : undefined,
    });
    const distribution = new CloudfrontDistribution(this, "distribution", {
      provider,
      enabled: true,
      comment: `${props.siteName}: primary frontend, DR frontend on failure`,
      aliases: [props.siteName],
      isIpv6Enabled: true,
      httpVersion: "http2and3",
      priceClass: props.priceClass ?? "PriceClass_100",
      webAclId: this.webAcl.arn,
      origin: [origin("primary-frontend", props.primaryOrigin), origin("dr-frontend", props.secondaryOrigin)],
      originGroup: [
        {
          originId: "frontend-failover",
          failoverCriteria: { statusCodes: FAILOVER_STATUS_CODES },
          member: [{ originId: "primary-frontend" }, { originId: "dr-frontend" }],
        },
      ],
      defaultCacheBehavior: {
        targetOriginId: "frontend-failover",
        viewerProtocolPolicy: "redirect-to-https",
        allowedMethods: ["GET", "HEAD", "OPTIONS"],
        cachedMethods: ["GET", "HEAD"],
        compress: true,
        cachePolicyId: CLOUDFRONT_MANAGED_POLICIES.cachingDisabled,
        originRequestPolicyId: CLOUDFRONT_MANAGED_POLICIES.allViewerExceptHostHeader,
        responseHeadersPolicyId: CLOUDFRONT_MANAGED_POLICIES.securityHeaders,
      },
      viewerCertificate: { acmCertificateArn: certificate.certificateArn, sslSupportMethod: "sni-only", minimumProtocolVersion: "TLSv1.2_2021" },
      restrictions: { geoRestriction: { restrictionType: "none", locations: [] } },
      loggingConfig: { bucket: logs.bucketDomainName, prefix: `${logs.logPrefix}/`, includeCookies: false },
      tags: { Name: props.siteName },
    });
    props.zone.alias(`${id}-site`, props.siteName, { dnsName: distribution.domainName, zoneId: distribution.hostedZoneId }, { ipv6: true });
    this.distributionId = distribution.id;
    this.domainName = distribution.domainName;
    this.hostedZoneId = distribution.hostedZoneId;
  }
}
