import { Construct } from "constructs";
import { Lazy } from "cdktf";
import { ENGINE_FACTS, DatabaseEngine } from "../modules/database";
import { NatGatewayMode } from "../modules/network";
import { NamecheapRecords, namecheapProvider } from "../modules/dns";
import { AlertTopic } from "../modules/monitoring";
import {
  BACKUP_NAME_LIMIT,
  fitName,
  ApplicationZone,
  CrossRegionBackup,
  DeliveryPath,
  FailoverApiRecords,
  FailoverDistribution,
  HealthCheckAlarm,
  OriginVerification,
  RegionAlarms,
  RegionalTier,
  ReplicatedDatabaseSecret,
  TierCapacity,
  WarmStandbyDatabase,
} from "../modules/warm-standby";
import { InfraConfig } from "./config";
import { PlatformStack, REQUIRED_TERRAFORM_VERSION_WRITE_ONLY, RegionRole } from "./platform-stack";

/** Stands in for CloudFront's origin-facing prefix list in offline plans (which look nothing up). */
const OFFLINE_PREFIX_LIST_ID = "pl-00000000";

/**
 * Stage 4 — warm standby across two regions.
 *
 *   viewer → app.<domain> (Route 53, delegated from Namecheap) → CloudFront + WAF
 *            → origin group: primary frontend ALB, else DR frontend ALB
 *   client → api.app.<domain> → Route 53 failover: PRIMARY backend ALB (health-checked), else DR backend ALB
 *   each region: VPC, WAF'd ALBs → Auto Scaling fleets → Redis (Multi-AZ) and the database by a private name
 *   database: RDS Multi-AZ primary → cross-region read replica (DR key); AWS Backup copies to the DR vault
 *   site path: frontend ALB → Nginx → HTTPS → this region's backend ALB → reference app → sql.db.internal, Redis
 *   credentials: one secret, replicated to the DR region (a key per region); each backend reads its region's copy
 *
 * The DR region runs the same tier at a warm minimum; the runbook in
 * modules/warm-standby/README.md says what fails over by itself and what an operator does.
 */
export class WarmStandbyStack extends PlatformStack {
  constructor(scope: Construct, name: string, config: InfraConfig) {
    super(scope, name, config);
    const ws = config.warmStandby;
    // The database password travels in write-only arguments: an older Terraform would refuse them (or, worse, store them).
    this.addOverride("terraform.required_version", REQUIRED_TERRAFORM_VERSION_WRITE_ONLY);
    const engine = config.database.engine as DatabaseEngine;

    const zone = new ApplicationZone(this, "zone", { domain: config.domain, subdomain: ws.subdomain });

    // CloudFront proves itself to the frontend load balancers with this header; they admit nothing else.
    const originVerification = new OriginVerification(this, "origin-verification", { name: this.prefix, generate: !config.offline });
    const originHeader = { name: originVerification.headerName, value: originVerification.headerValue };

    // The master password lives in Secrets Manager only, with a copy in the DR region that survives the primary's loss.
    const dbSecret = new ReplicatedDatabaseSecret(this, "database-secret", {
      name: `${this.prefix}-db-master`,
      primary: { provider: this.providerFor("primary"), region: this.regionOf("primary") },
      dr: { provider: this.providerFor("secondary"), region: this.regionOf("secondary") },
      passwordVersion: ws.databasePasswordVersion,
    });
    // The database is built after the tiers (it lives in their networks); its endpoints reach the user data lazily.
    let database: WarmStandbyDatabase | undefined;
    const endpointIn = (region: string) => Lazy.stringValue({ produce: () => database!.endpointIn(region) });
    // The backend application's images and release pointers; the hosts run the pointer's tag as a container.
    const delivery = ws.delivery.enabled
      ? new DeliveryPath(this, "delivery-path", {
          provider: this.primary,
          region: this.regionOf("primary"),
          drProvider: this.secondary,
          drRegion: this.regionOf("secondary"),
          accountId: this.accountId,
          namespace: this.prefix,
          repositoryName: ws.delivery.repositoryName,
          keepReleases: ws.delivery.keepReleases,
          untaggedExpiryDays: ws.delivery.untaggedExpiryDays,
          containerPort: ws.delivery.containerPort,
        })
      : undefined;

    const regionalTier = (role: RegionRole, capacity: TierCapacity) =>
      new RegionalTier(this, role === "primary" ? "primary" : "dr", {
        provider: this.providerFor(role),
        region: this.regionOf(role),
        name: `${this.prefix}-${role === "primary" ? "primary" : "dr"}`,
        cidr: this.vpcCidr(role),
        availabilityZones: this.availabilityZones(role),
        natGateways: config.network.natGateways as NatGatewayMode,
        flowLogRetentionDays: config.network.flowLogRetentionDays,
        ami: this.ami(role),
        frontendInstanceType: config.instanceTypes.web,
        backendInstanceType: config.instanceTypes.app,
        capacity,
        zone,
        // "instance-connect": no bastion; the region's Instance Connect Endpoint (below) is the way in.
        bastion: ws.bastionMode === "bastion",
        adminCidrs: ws.bastionMode === "bastion" ? config.access.adminCidrs : [],
        keyName: config.access.keyName || undefined,
        albDeletionProtection: ws.albDeletionProtection,
        frontendHealthCheckPath: ws.frontendHealthCheckPath,
        backendHealthCheckPath: ws.backendHealthCheckPath,
        cacheNodeType: ws.cacheNodeType,
        scaling: ws.scaling,
        botControl: ws.botControl,
        // Offline plans make no API call: a stand-in id instead of the prefix list lookup.
        cloudFrontOnly: { originHeader, prefixListId: config.offline ? OFFLINE_PREFIX_LIST_ID : undefined },
        databaseHostname: ws.databaseHostname,
        databasePort: ENGINE_FACTS[engine].port,
        databaseEngine: engine === DatabaseEngine.POSTGRES ? "postgres" : "mysql",
        databaseTlsName: endpointIn(this.regionOf(role)),
        databaseSecret: { arn: dbSecret.arnIn(this.regionOf(role)), readStatements: dbSecret.readStatements(this.regionOf(role)) },
        release: delivery?.releaseFor(this.regionOf(role)),
      });
    // activeRegion "dr": the DR region has taken over — it runs the full capacity, the writer and the backups.
    const drActive = ws.activeRegion === "dr";
    const primary = regionalTier("primary", drActive ? ws.drCapacity : ws.primaryCapacity);
    const dr = regionalTier("secondary", drActive ? ws.primaryCapacity : ws.drCapacity);
    const [active, standby] = drActive ? [dr, primary] : [primary, dr];

    // Operators: EC2 Instance Connect through one endpoint per region's VPC; the hosts admit SSH from it only.
    const instanceConnect = [primary, dr].map((tier) =>
      this.instanceConnectEndpoint(`instance-connect-${tier === primary ? "primary" : "dr"}`, { provider: tier.provider, region: tier.region, vpcId: tier.network.vpcId, vpcCidr: tier.network.cidr, subnetId: tier.network.subnetIds("private-backend")[0] })
        .admitSsh(tier.firewalls.frontend, tier.firewalls.backend),
    );
    // Auto Scaling instances carry the launch template's Name tag (the group's name), not the providers' default tags.
    const operator = this.operatorAccess(instanceConnect, { instanceTags: { Name: [primary, dr].flatMap((tier) => [tier.frontend.groupName, tier.backend.groupName]) } });

    const backup = new CrossRegionBackup(this, "backup", {
      drProvider: this.secondary,
      name: fitName(this.prefix, "backup", BACKUP_NAME_LIMIT),
      schedule: ws.backupSchedule,
      retentionDays: ws.backupRetentionDays,
      runFrom: ws.activeRegion,
    });

    database = new WarmStandbyDatabase(this, "database", {
      name: this.prefix,
      primary,
      dr,
      hostname: ws.databaseHostname,
      engine,
      instanceClass: config.instanceTypes.database,
      allocatedStorageGb: config.database.allocatedStorageGb,
      backupRetentionDays: config.database.backupRetentionDays,
      deletionProtection: config.database.deletionProtection,
      tags: { [backup.selectionTag.key]: backup.selectionTag.value },
      activeRegion: ws.activeRegion,
      masterSecret: dbSecret,
    });
    this.allowDatabaseDeletionIfConfigured(database);

    const api = new FailoverApiRecords(this, "api", {
      zoneId: zone.zoneId,
      name: zone.nameOf(ws.apiHostname),
      primary: { target: active.backendAlb, healthCheckName: active.backendName },
      secondary: { target: standby.backendAlb, healthCheckName: standby.backendName },
      healthCheckPath: ws.apiHealthCheckPath,
    });

    const cdn = new FailoverDistribution(this, "cdn", {
      usEast1Provider: this.providerInRegion("us-east-1"),
      name: this.prefix,
      zone,
      siteName: zone.zoneName,
      primaryOrigin: active.frontendName,
      secondaryOrigin: standby.frontendName,
      originHeader,
      botControl: ws.botControl,
    });

    // Alarms reach the people in alerts.emails through an SNS topic in each alarm's own region.
    const topics = new Map<string, AlertTopic>();
    const topicIn = (region: string) => {
      let topic = topics.get(region);
      if (!topic) {
        topic = new AlertTopic(this, `alerts-${region}`, {
          provider: this.providerInRegion(region),
          name: `${this.prefix}-${region}-alerts`,
          emails: config.alerts.emails,
          servicePublishers: { accountId: this.accountId, services: ["cloudwatch.amazonaws.com"] },
        });
        topics.set(region, topic);
      }
      return topic;
    };
    const regionAlarms = new Map<RegionalTier, RegionAlarms>();
    for (const [role, tier] of [["primary", primary], ["dr", dr]] as const) {
      const writerHere = (role === "dr") === drActive;
      const alarms = new RegionAlarms(this, `${role}-alarms`, {
        provider: tier.provider,
        region: tier.region,
        name: `${this.prefix}-${role}`,
        topicArn: topicIn(tier.region).topicArn,
        tier,
        databases: [
          role === "primary"
            ? { identifier: database.primary.identifier, label: "db" }
            : { identifier: database.replica.identifier, label: "db-dr", replica: !writerHere },
        ],
        thresholds: ws.alarms,
      });
      regionAlarms.set(tier, alarms);
    }
    // Route 53 publishes health-check metrics in us-east-1 only.
    new HealthCheckAlarm(this, "api-health-alarm", {
      usEast1Provider: this.providerInRegion("us-east-1"),
      name: this.prefix,
      healthCheckId: api.healthCheckId,
      topicArn: topicIn("us-east-1").topicArn,
      meaning: `the active region's backend (${api.name}) fails its health check: Route 53 is answering with the standby; confirm the region is impaired and follow the failover runbook`,
    });

    if (config.dns.enabled) {
      new NamecheapRecords(this, "delegation", {
        provider: namecheapProvider(this, "namecheap", { useSandbox: config.dns.useSandbox }),
        domain: config.domain,
        records: zone.delegationRecords(config.dns.ttl),
        overwriteExistingRecords: config.dns.overwriteExistingRecords,
      });
    }

    this.output("cloudfront_domain", cdn.domainName, "CloudFront domain name of the site distribution (the site name is an alias of it)");
    this.output("site_name", zone.zoneName, "Name the site answers on (CloudFront, failing over between the regions' frontend ALBs)");
    this.output("api_name", api.name, "API name with Route 53 failover: primary backend ALB while healthy, else the DR backend ALB");
    this.output("name_servers", zone.nameServers, `Route 53 name servers the ${ws.subdomain} subdomain is delegated to (NS records at Namecheap)`);
    for (const [role, tier] of [["primary", primary], ["dr", dr]] as const) {
      this.output(`${role}_frontend_alb_dns`, tier.frontendAlb.dnsName, `DNS name of the ${role} region's (${tier.region}) frontend ALB`);
      this.output(`${role}_backend_alb_dns`, tier.backendAlb.dnsName, `DNS name of the ${role} region's (${tier.region}) backend ALB`);
      this.output(`${role}_redis_endpoint`, tier.cache.primaryEndpointAddress, `Redis primary endpoint in the ${role} region (TLS, IAM auth as ${tier.cache.appUserName})`);
      this.output(`${role}_bastion_address`, tier.bastionAddress ?? "none (EC2 Instance Connect)", `Bastion Elastic IP in the ${role} region (SSH from the admin ranges only)`);
    }
    this.output("operator_role_arn", operator.roleArn, "Role operators assume to SSH onto the hosts with EC2 Instance Connect (through each region's endpoint)");
    this.output("database_hostname", database.hostname, "Stable database hostname: resolves to the primary in the primary region and to the replica in the DR region");
    this.output("database_primary_endpoint", database.primary.address, "Endpoint of the RDS primary (master credentials are in Secrets Manager, not here)");
    this.output("database_replica_endpoint", database.replica.address, "Endpoint of the cross-region read replica (promote it on regional failover)");
    if (delivery) {
      // A release rolls out to the active region first; a backend alarm in a region stops it there.
      const steps = [active, standby].map((tier) => ({ region: tier.region, groupArn: tier.backend.groupArn, groupName: tier.backend.groupName, alarmNames: regionAlarms.get(tier)!.backendAlarmNames }));
      const oidc = ws.delivery.ciOidcProviderArn ? { providerArn: ws.delivery.ciOidcProviderArn, subjects: ws.delivery.ciSubjects } : undefined;
      const pipeline = delivery.pipelineRole(steps, oidc);
      this.output("delivery_role_arn", pipeline.roleArn, "Role the delivery pipeline assumes to push the application image and roll it out (see the warm-standby README)");
      this.output(
        "delivery",
        {
          role_arn: pipeline.roleArn,
          repository: delivery.registry.repositoryName,
          source_region: delivery.registry.region,
          rollout: steps.map((s) => ({
            region: s.region,
            image_repository: delivery.registry.repositoryUrlIn(s.region),
            release_pointer: delivery.pointerIn(s.region).parameterName,
            backend_group: s.groupName,
            alarms: s.alarmNames,
          })),
        },
        "What scripts/ship-release.sh needs: the role, the repository, and per region (active first) the image repository, release pointer, backend group and the alarms that stop a rollout",
      );
    }
    this.output("alert_topic_arns", [...topics.values()].map((t) => t.topicArn), "SNS topics the CloudWatch alarms publish to, one per region (subscribe people with alerts.emails)");
  }
}
