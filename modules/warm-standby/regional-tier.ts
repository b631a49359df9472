import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { DataAwsEc2ManagedPrefixList } from "@cdktf/provider-aws/lib/data-aws-ec2-managed-prefix-list";
import { NatGatewayMode, Network, SubnetKind, SubnetTier } from "../network";
import { HardenedInstance, PublicAddress } from "../compute";
import { check, requireConcrete } from "../core/validation";
import { AccessLogBucket, LogWriter } from "./access-log-bucket";
import { ApplicationZone } from "./application-zone";
import { AutoScaledFleet, FleetCapacity } from "./auto-scaled-fleet";
import { DnsValidatedCertificate } from "./dns-validated-certificate";
import { HttpsLoadBalancer } from "./https-load-balancer";
import { ManagedRulesWebAcl, WebAclScope } from "./managed-rules-web-acl";
import { fitName } from "../core/names";
import { RedisCache } from "./redis-cache";
import { TierFirewalls } from "./tier-firewalls";
import { backendUserData, frontendUserData } from "./user-data";
import { PolicyStatement } from "../core/iam";
import { BackendRelease, FleetHostOptions, fleetHostConfig } from "./fleet-hosts";

/** The subnet tiers of a regional tier: two subnets each, one per AZ. */
export const REGIONAL_TIERS: readonly SubnetTier[] = [
  { name: "public", kind: SubnetKind.PUBLIC },
  { name: "private-frontend", kind: SubnetKind.PRIVATE },
  { name: "private-backend", kind: SubnetKind.PRIVATE },
  { name: "private-data", kind: SubnetKind.ISOLATED },
];

/** AWS-managed prefix list of CloudFront's servers that fetch from origins. */
export const CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST = "com.amazonaws.global.cloudfront.origin-facing";

/** Scaling targets of the fleets when none are given. */
export const DEFAULT_FLEET_SCALING = { cpuTargetPercent: 50, requestsPerTargetPerMinute: 1000 } as const;

/** Capacity of both fleets of one region. */
export interface TierCapacity {
  readonly frontend: FleetCapacity;
  readonly backend: FleetCapacity;
}

export interface RegionalTierProps {
  /** AWS provider of the region. @default the stack's default AWS provider */
  readonly provider?: TerraformProvider;
  /** Region of `provider`, concrete. */
  readonly region: string;
  /** Name prefix of every resource of the region, e.g. "webplat-stage4-primary". */
  readonly name: string;
  /** VPC CIDR (/16–/24). */
  readonly cidr: string;
  /** Two (or more) AZ names of the region. */
  readonly availabilityZones: readonly string[];
  /** NAT gateways of the private tiers. @default NatGatewayMode.SINGLE */
  readonly natGateways?: NatGatewayMode;
  /** VPC flow log retention in days. @default 90 */
  readonly flowLogRetentionDays?: number;
  /** AMI of the hosts in this region. */
  readonly ami: string;
  /** Instance type of the frontend hosts. @default "t3.micro" */
  readonly frontendInstanceType?: string;
  /** Instance type of the backend hosts. @default "t3.micro" */
  readonly backendInstanceType?: string;
  /** Fleet sizes: full in the primary, a warm minimum in the DR region. */
  readonly capacity: TierCapacity;
  /** Public zone of the application: holds the regional names, certificate validation and (elsewhere) the failover records. */
  readonly zone: ApplicationZone;
  /** SSH bastion in a public subnet. @default false (no bastion; the stack admits an EC2 Instance Connect Endpoint to the host tiers) */
  readonly bastion?: boolean;
  /** Admin ranges allowed to SSH to the bastion. Only with `bastion` (refused without it). @default [] */
  readonly adminCidrs?: readonly string[];
  /** EC2 key pair on the hosts and bastion. @default none */
  readonly keyName?: string;
  /** Instance type of the bastion. @default "t3.micro" */
  readonly bastionInstanceType?: string;
  /** Refuse deletion of the load balancers. @default true */
  readonly albDeletionProtection?: boolean;
  /** Frontend target-group health path, answered by the frontend's Nginx itself (not "/", the site). @default "/healthz" */
  readonly frontendHealthCheckPath?: string;
  /** Backend target-group health path: the application's liveness, independent of the database. @default "/healthz" */
  readonly backendHealthCheckPath?: string;
  /** Target-tracking scaling of both fleets (CPU, and ALB requests per instance). @default { cpuTargetPercent: 50, requestsPerTargetPerMinute: 1000 } */
  readonly scaling?: { readonly cpuTargetPercent: number; readonly requestsPerTargetPerMinute: number };
  /**
   * CloudFront in front of the frontend load balancer: only its origin-facing
   * servers may connect (the prefix list, looked up by name unless given) and
   * only requests carrying its origin header are forwarded.
   * @default none: the frontend load balancer is reachable from the internet
   */
  readonly cloudFrontOnly?: { readonly originHeader: { readonly name: string; readonly value: string }; readonly prefixListId?: string };
  /** Add AWS Bot Control to the regional web ACL (priced per request). @default false */
  readonly botControl?: boolean;
  /** Redis node type. @default "cache.t3.micro" */
  readonly cacheNodeType?: string;
  /** Stable private database name the backend is configured with (same in every region). */
  readonly databaseHostname: string;
  /** Database engine port written into the backend configuration. */
  readonly databasePort: number;
  /** @default "mysql" */
  readonly databaseEngine?: "mysql" | "postgres";
  /** Name on this region's database certificate (its RDS endpoint; may be a lazy token): the backend dials `databaseHostname` and verifies this. */
  readonly databaseTlsName: string;
  /** This region's copy of the database secret, and the statements that let the backend read and decrypt exactly it. */
  readonly databaseSecret: { readonly arn: string; readonly readStatements: readonly PolicyStatement[] };
  /** Replace the frontend hosts' AMI, instance type, user data or add IAM statements. @default the built-in hosts */
  readonly frontendHosts?: FleetHostOptions;
  /** Replace the backend hosts' AMI, instance type, user data or add IAM statements. @default the built-in hosts */
  readonly backendHosts?: FleetHostOptions;
  /**
   * Backend hosts run the release named by this region's release pointer as a
   * container from ECR (else they keep the default application); adds the
   * release runner to their user data and pull/read rights to their role.
   * @default none (the hosts run their user data's application only)
   */
  readonly release?: BackendRelease;
}

/**
 * Everything one region runs: VPC (public, frontend, backend and data tiers in
 * two AZs, NAT, flow logs), the security-group chain, an HTTPS frontend and
 * backend ALB with access logs and a regional WAF, hardened Auto Scaling
 * fleets behind them, an optional bastion, and a Multi-AZ Redis. The primary
 * and the DR region are two instances of this construct with different
 * capacity. The database is wired in from outside (`WarmStandbyDatabase`).
 */
export class RegionalTier extends Construct {
  readonly region: string;
  readonly provider?: TerraformProvider;
  readonly network: Network;
  readonly firewalls: TierFirewalls;
  readonly frontendAlb: HttpsLoadBalancer;
  readonly backendAlb: HttpsLoadBalancer;
  /** Regional public names of the load balancers, e.g. frontend-us-east-1.app.example.com (CloudFront's origins use them). */
  readonly frontendName: string;
  readonly backendName: string;
  readonly frontend: AutoScaledFleet;
  readonly backend: AutoScaledFleet;
  readonly cache: RedisCache;
  /** Web ACL of the frontend load balancer (no per-IP limit behind CloudFront: viewers are limited there). */
  readonly frontendWebAcl: ManagedRulesWebAcl;
  /** Web ACL of the backend load balancer (per-IP limit, this region's NAT addresses not counted). */
  readonly backendWebAcl: ManagedRulesWebAcl;
  readonly bastion?: HardenedInstance;
  readonly capacity: TierCapacity;

  constructor(scope: Construct, id: string, props: RegionalTierProps) {
    super(scope, id);
    requireConcrete(`${id}.region`, props.region);
    const provider = props.provider;
    const name = props.name;
    this.region = props.region;
    this.provider = provider;
    this.capacity = props.capacity;

    this.network = new Network(this, "network", {
      provider,
      name,
      region: props.region,
      cidr: props.cidr,
      availabilityZones: props.availabilityZones,
      tiers: REGIONAL_TIERS,
      natGateways: props.natGateways ?? NatGatewayMode.SINGLE,
      flowLogRetentionDays: props.flowLogRetentionDays,
    });
    const withBastion = props.bastion ?? false;
    // Refused here, under the tier's own field, rather than dropped: admin ranges with nothing to admit them to are a
    // caller's mistake (the firewalls would refuse them too, under their own name).
    check(withBastion || (props.adminCidrs ?? []).length === 0, `${id}.adminCidrs`, props.adminCidrs, "nothing when bastion is false (set bastion: true to admit SSH from them)");
    const cloudFront = props.cloudFrontOnly;
    const prefixListId = cloudFront && (cloudFront.prefixListId ?? new DataAwsEc2ManagedPrefixList(this, "cloudfront-origin-facing", { provider, name: CLOUDFRONT_ORIGIN_FACING_PREFIX_LIST }).id);
    this.firewalls = new TierFirewalls(this, "firewalls", {
      provider,
      vpcId: this.network.vpcId,
      name,
      bastion: withBastion,
      adminCidrs: props.adminCidrs,
      frontendAlbPrefixListId: prefixListId,
    });

    // One wildcard certificate covers both regional names and the API name.
    const certificate = new DnsValidatedCertificate(this, "certificate", { provider, domainName: `*.${props.zone.zoneName}`, zoneId: props.zone.zoneId });
    const logs = new AccessLogBucket(this, "alb-logs", { provider, region: props.region, namePrefix: fitName(name, "alb-logs-", 37), writer: LogWriter.LOAD_BALANCER, logPrefix: "alb" });
    const publicSubnets = this.network.subnetIds("public");
    const alb = (tier: "frontend" | "backend", healthCheckPath: string, requiredHeader?: { name: string; value: string }) =>
      new HttpsLoadBalancer(this, `${tier}-alb`, {
        provider,
        name: fitName(name, tier === "frontend" ? "fe" : "be", 32),
        vpcId: this.network.vpcId,
        subnetIds: publicSubnets,
        securityGroupId: (tier === "frontend" ? this.firewalls.frontendAlb : this.firewalls.backendAlb).securityGroupId,
        certificateArn: certificate.certificateArn,
        accessLogs: logs,
        healthCheckPath,
        deletionProtection: props.albDeletionProtection ?? true,
        requiredHeader,
      });
    this.frontendAlb = alb("frontend", props.frontendHealthCheckPath ?? "/healthz", cloudFront?.originHeader);
    this.backendAlb = alb("backend", props.backendHealthCheckPath ?? "/healthz");
    this.frontendName = props.zone.nameOf(`frontend-${props.region}`);
    this.backendName = props.zone.nameOf(`backend-${props.region}`);
    props.zone.alias(`${id}-frontend`, this.frontendName, this.frontendAlb).alias(`${id}-backend`, this.backendName, this.backendAlb);

    // Frontend: every request comes from a CloudFront edge, so a per-IP limit here would count edges, not viewers;
    // viewers are rate-limited by CloudFront's own ACL. Backend: API clients are counted, but not this region's NAT
    // addresses, from which all frontend → backend traffic comes.
    this.frontendWebAcl = new ManagedRulesWebAcl(this, "waf", { provider, name: `${name}-regional`, scope: WebAclScope.REGIONAL, botControl: props.botControl, rateLimitPer5Minutes: cloudFront ? 0 : undefined })
      .associate("frontend-alb", this.frontendAlb.arn);
    this.backendWebAcl = new ManagedRulesWebAcl(this, "backend-waf", {
      provider,
      name: `${name}-backend`,
      scope: WebAclScope.REGIONAL,
      botControl: props.botControl,
      rateLimitExemptCidrs: this.network.natPublicIps.map((ip) => `${ip}/32`),
    }).associate("backend-alb", this.backendAlb.arn);

    this.cache = new RedisCache(this, "cache", {
      provider,
      name: fitName(name, "redis", 37),
      subnetIds: this.network.subnetIds("private-data"),
      securityGroupIds: [this.firewalls.cache.securityGroupId],
      nodeType: props.cacheNodeType,
    });

    const scaling = props.scaling ?? DEFAULT_FLEET_SCALING;
    const fleet = (tier: "frontend" | "backend") =>
      new AutoScaledFleet(this, tier, {
        provider,
        name: `${name}-${tier}`,
        role: tier,
        subnetIds: this.network.subnetIds(`private-${tier}`),
        securityGroupIds: [(tier === "frontend" ? this.firewalls.frontend : this.firewalls.backend).securityGroupId],
        targetGroupArn: (tier === "frontend" ? this.frontendAlb : this.backendAlb).targetGroupArn,
        capacity: props.capacity[tier],
        scaling: { ...scaling, requestCountLabel: (tier === "frontend" ? this.frontendAlb : this.backendAlb).requestCountLabel },
        keyName: props.keyName,
        // The built-in hosts, with the consumer's overrides and the release runner applied (fleet-hosts.ts).
        ...fleetHostConfig(id, tier, props, tier === "frontend"
          ? {
              userData: frontendUserData({
                region: props.region,
                healthCheckPath: this.frontendAlb.healthCheckPath,
                backendName: this.backendName,
                dropRequestHeaders: cloudFront ? [cloudFront.originHeader.name] : [],
              }),
            }
          : {
              userData: backendUserData({
                region: props.region,
                databaseHostname: props.databaseHostname,
                databasePort: props.databasePort,
                databaseEngine: props.databaseEngine,
                databaseTlsName: "__DB_TLS_NAME__",
                databaseSecretArn: "__DB_SECRET_ARN__",
                cacheHost: "__REDIS_PRIMARY_ENDPOINT__",
                cachePort: this.cache.port,
                cacheUser: this.cache.appUserName,
                cacheName: this.cache.replicationGroupName,
              }),
              userDataValues: { __REDIS_PRIMARY_ENDPOINT__: this.cache.primaryEndpointAddress, __DB_TLS_NAME__: props.databaseTlsName, __DB_SECRET_ARN__: props.databaseSecret.arn },
              policyStatements: [...this.cache.connectStatements, ...props.databaseSecret.readStatements],
            }),
      });
    this.frontend = fleet("frontend");
    this.backend = fleet("backend");

    if (withBastion) {
      this.bastion = new HardenedInstance(this, "bastion", {
        provider,
        name: `${name}-bastion`,
        role: "bastion",
        instanceType: props.bastionInstanceType ?? "t3.micro",
        ami: props.ami,
        subnetId: publicSubnets[0],
        securityGroupIds: [this.firewalls.bastion!.securityGroupId],
        publicAddress: PublicAddress.ELASTIC_IP,
        keyName: props.keyName,
      });
    }
  }

  /** Public address of the bastion, or undefined without one. */
  get bastionAddress(): string | undefined {
    return this.bastion?.publicIp;
  }
}
