import { Construct } from "constructs";
import { SubnetKind } from "../modules/network";
import { CrossRegionPeering } from "../modules/peering";
import { MonitoringHost } from "../modules/monitoring";
import { NginxFleet, ServerFleet, fixedAddresses, plannedFleetAddresses } from "../modules/web-fleet";
import { HaproxyPair } from "../modules/load-balancer";
import { ReadReplica, databaseClientSettings } from "../modules/database";
import { appServer, releaseReadStatements } from "../modules/server-config";
import { applicationRelease } from "./application-release";
import { InfraConfig } from "./config";
import { PlatformStack } from "./platform-stack";

/** Port the application servers listen on (web servers may reach it). */
export const APP_PORT = 8080;
/** Host number of the first application server in each private subnet (web servers start at 20). */
const APP_FIRST_HOST = 120;

/**
 * Stage 3 — the seeds' production architecture, across two regions.
 *
 *   user → DNS → Elastic IP → HAProxy pair (keepalived moves the EIP on failure)
 *        → 4 private Nginx servers, split over two VPCs joined by peering
 *        → application servers (Nginx upstream: passive checks, retry on the next)
 *        → RDS Multi-AZ writer + read replica
 *   Prometheus/Grafana discovers and scrapes every host in both regions over the peering.
 */
export class ScaleUpStack extends PlatformStack {
  constructor(scope: Construct, name: string, config: InfraConfig) {
    super(scope, name, config);
    const ssh = config.access.ssh ? config.access.adminCidrs : [];
    const keyName = config.access.keyName || undefined;

    const primary = this.regionalNetwork("primary"); // public, private-app, private-data
    // The secondary region only hosts web servers: no data tier.
    const secondary = this.regionalNetwork("secondary", [
      { name: "public", kind: SubnetKind.PUBLIC },
      { name: "private-app", kind: SubnetKind.PRIVATE },
    ]);
    new CrossRegionPeering(this, "peering", { requester: primary.peeringSide, accepter: secondary.peeringSide, name: `${this.prefix}-peering` });

    const loadBalancerIps = fixedAddresses(primary.subnets("public"), 10);
    // The monitoring host's fixed address is known up front: every fleet admits its scrapes and probes.
    const monitoringSubnet = primary.subnets("private-app")[0];
    const [monitoringIp] = fixedAddresses([monitoringSubnet], 10);
    const monitoringCidrs = [`${monitoringIp}/32`];

    // The application tier's fixed addresses are known before it exists: the web tier proxies to them.
    const appPlacements = [this.placement("primary", primary)];
    const appIps = plannedFleetAddresses(appPlacements, config.fleet.appServers, APP_FIRST_HOST);
    const web = new NginxFleet(this, "web-fleet", {
      name: this.prefix,
      count: config.fleet.webServers,
      instanceType: config.instanceTypes.web,
      placements: [this.placement("primary", primary), this.placement("secondary", secondary)],
      allowHttpFrom: loadBalancerIps,
      appUpstreams: appIps.map((ip) => `${ip}:${APP_PORT}`),
      monitoringCidrs,
      sshCidrs: ssh,
      keyName,
    });

    // Writes to the Multi-AZ primary, reads from a replica (the read scaling stages 1–2 have).
    const database = this.database(primary, { multiAz: true });
    const replica = new ReadReplica(this, "database-replica", { source: database, name: `${this.prefix}-db-replica` });
    this.allowDatabaseDeletionIfConfigured(replica);
    const dbClient = databaseClientSettings(database, replica);
    const release = applicationRelease(config);
    const app = new ServerFleet(this, "app-tier", {
      name: this.prefix,
      role: "app",
      count: config.fleet.appServers,
      instanceType: config.instanceTypes.app,
      placements: appPlacements,
      cloudConfig: appServer({ listen: `0.0.0.0:${APP_PORT}`, database: dbClient.appDatabase, release }),
      ingress: [
        { port: APP_PORT, from: web.privateIps, description: "Application port from web server" },
        { port: APP_PORT, from: [monitoringIp], description: "Readiness probes from monitoring" },
      ],
      monitoringCidrs,
      environment: dbClient.environment,
      policyStatements: [...dbClient.policyStatements, ...releaseReadStatements(release)],
      firstHostNumber: APP_FIRST_HOST,
      sshCidrs: ssh,
      keyName,
    });
    web.allowTo(app.privateIps, APP_PORT, "Application port on app server");
    database.allowFrom(app.firewalls[0], "Application servers");

    const pair = new HaproxyPair(this, "load-balancers", {
      region: config.primaryRegion,
      name: this.prefix,
      vpcId: primary.vpcId,
      subnets: primary.subnets("public").slice(0, 2),
      ami: this.ami("primary"),
      instanceType: config.instanceTypes.loadBalancer,
      backends: web.backends,
      // A web server is in rotation while it reaches a ready app server (Nginx → app tier → database).
      healthCheck: { path: "/readyz" },
      domain: this.siteNames[0],
      additionalNames: this.siteNames.slice(1), // one certificate for every published name
      letsEncryptEmail: config.certificateEmail,
      monitoringCidrs,
      sshCidrs: ssh,
      keyName,
    });
    this.publishDns(pair.elasticIp);

    const monitoring = new MonitoringHost(this, "monitoring", {
      name: this.prefix,
      vpcId: primary.vpcId,
      subnet: monitoringSubnet,
      ami: this.ami("primary"),
      instanceType: config.instanceTypes.monitoring,
      discoveryRegions: [config.primaryRegion, config.secondaryRegion],
      projectTag: { key: "Project", value: config.project },
      discoveryTags: this.discoveryTags,
      operatorAccess: { accountId: this.accountId, region: config.primaryRegion },
      scrapeCidrs: [primary.cidr, secondary.cidr],
      adminCidrs: config.access.adminCidrs,
      haproxyIps: loadBalancerIps,
      alerting: this.monitoringAlerts({
        tls: { serverName: this.siteNames[0], targets: pair.privateIps.map((ip) => `${ip}:443`) },
        appTargets: app.privateIps.map((ip) => `${ip}:${APP_PORT}`),
        keepalived: true,
      }),
      sshCidrs: ssh,
      keyName,
    });

    this.output("entry_ip", pair.elasticIp, "Elastic IP of the site; keepalived associates it with the active load balancer");
    this.output("site_names", this.siteNames, "Names the site answers on (Namecheap A records → entry_ip)");
    this.output("load_balancer_private_ips", pair.privateIps, "Fixed private IPs of the HAProxy pair (node A, node B)");
    this.output("web_private_ips", web.privateIps, "Private IPs of the Nginx servers (both regions)");
    this.output("app_private_ips", app.privateIps, "Private IPs of the application servers");
    this.output("grafana_url", monitoring.grafanaUrl, "Grafana, reachable from the admin range (VPN) only");
    this.output("grafana_admin_parameter", monitoring.grafanaPassword?.parameterName, "SSM SecureString holding Grafana's admin password (read it with operator_role_arn)");
    this.output("operator_role_arn", monitoring.grafanaPassword?.operatorRoleArn, "Role operators assume to read the Grafana admin password");
    this.output("prometheus_url", monitoring.prometheusUrl, "Prometheus, reachable from the admin range (VPN) only");
    this.output("database_endpoint", database.endpoint, "RDS primary endpoint (Multi-AZ): writes; the password stays in Secrets Manager");
    this.output("database_reader_endpoint", replica.endpoint, "RDS read replica: reads");
    this.output("alert_topic_arn", monitoring.alertTopic?.topicArn, "SNS topic Alertmanager publishes alerts to (subscribe people to it)");
  }
}
