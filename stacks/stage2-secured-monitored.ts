import { Construct } from "constructs";
import { HaproxyLoadBalancer } from "../modules/load-balancer";
import { MonitoringHost } from "../modules/monitoring";
import { NginxFleet, fixedAddresses } from "../modules/web-fleet";
import { ReadReplica, databaseClientSettings } from "../modules/database";
import { releaseReadStatements } from "../modules/server-config";
import { applicationRelease } from "./application-release";
import { suppress } from "../modules/policy/suppressions";
import { InfraConfig } from "./config";
import { PlatformStack } from "./platform-stack";

/**
 * Stage 2 — secured and monitored: stage 1 plus one firewall per role, HTTPS
 * and monitoring.
 *
 *   user → DNS → Elastic IP → HAProxy (HTTPS, Let's Encrypt; HTTP → HTTPS)
 *        → 2 web/application servers (80 only from the load balancer)
 *        → RDS MySQL primary + read replica (3306 only from the application tier)
 *   Prometheus/Grafana (admin range only) scrapes node_exporter on every host
 *   and HAProxy's request rate.
 *
 * Remaining weaknesses (removed by stage 3): TLS ends at the load balancer,
 * one load balancer, one writer.
 */
export class SecuredMonitoredStack extends PlatformStack {
  constructor(scope: Construct, name: string, config: InfraConfig) {
    super(scope, name, config);
    const ssh = config.access.ssh ? config.access.adminCidrs : [];
    const keyName = config.access.keyName || undefined;
    const network = this.regionalNetwork("primary"); // public, private-app, private-data
    const loadBalancerSubnet = network.subnets("public")[0];
    const [loadBalancerIp] = fixedAddresses([loadBalancerSubnet], 10);

    const monitoring = new MonitoringHost(this, "monitoring", {
      name: this.prefix,
      vpcId: network.vpcId,
      subnet: network.subnets("private-app")[0],
      ami: this.ami("primary"),
      instanceType: config.instanceTypes.monitoring,
      discoveryRegions: [config.primaryRegion],
      projectTag: { key: "Project", value: config.project },
      discoveryTags: this.discoveryTags,
      operatorAccess: { accountId: this.accountId, region: config.primaryRegion },
      scrapeCidrs: [network.cidr],
      adminCidrs: config.access.adminCidrs,
      haproxyIps: [loadBalancerIp],
      alerting: this.monitoringAlerts({ tls: { serverName: this.siteNames[0], targets: [`${loadBalancerIp}:443`] } }),
      sshCidrs: ssh,
      keyName,
    });

    const database = this.database(network, { multiAz: false });
    suppress(database.instance, "RDS-MULTI-AZ", "Stage 2 keeps stage 1's primary/replica database (its named weakness is the single writer); stage 3 runs the primary Multi-AZ");
    const replica = new ReadReplica(this, "database-replica", { source: database, name: `${this.prefix}-db-replica` });
    this.allowDatabaseDeletionIfConfigured(replica);
    const dbClient = databaseClientSettings(database, replica);
    const release = applicationRelease(config);
    const servers = new NginxFleet(this, "app-servers", {
      name: this.prefix,
      count: config.fleet.appServers,
      instanceType: config.instanceTypes.app,
      placements: [this.placement("primary", network)],
      allowHttpFrom: [loadBalancerIp],
      monitoringCidrs: [monitoring.cidr],
      localApp: dbClient.appDatabase,
      release,
      environment: dbClient.environment,
      policyStatements: [...dbClient.policyStatements, ...releaseReadStatements(release)],
      sshCidrs: ssh,
      keyName,
    });
    servers.firewalls.forEach((firewall) => database.allowFrom(firewall, "Application servers"));

    const loadBalancer = new HaproxyLoadBalancer(this, "load-balancer", {
      region: config.primaryRegion,
      name: this.prefix,
      vpcId: network.vpcId,
      subnet: loadBalancerSubnet,
      ami: this.ami("primary"),
      instanceType: config.instanceTypes.loadBalancer,
      backends: servers.backends,
      // A server is in rotation while its app reaches the database (Nginx → app → writer and reader).
      healthCheck: { path: "/readyz" },
      monitoringCidrs: [monitoring.cidr],
      // One certificate for every published name (apex and www by default).
      tls: { domain: this.siteNames[0], additionalNames: this.siteNames.slice(1), letsEncryptEmail: config.certificateEmail },
      sshCidrs: ssh,
      keyName,
    });
    this.publishDns(loadBalancer.elasticIp);

    this.output("entry_ip", loadBalancer.elasticIp, "Elastic IP of the load balancer (the Namecheap A records point here)");
    this.output("site_names", this.siteNames, "Names the site answers on (HTTPS; HTTP redirects)");
    this.output("load_balancer_private_ip", loadBalancer.privateIp, "Private IP of the load balancer");
    this.output("app_private_ips", servers.privateIps, "Private IPs of the web/application servers");
    this.output("grafana_url", monitoring.grafanaUrl, "Grafana, reachable from the admin range (VPN) only");
    this.output("grafana_admin_parameter", monitoring.grafanaPassword?.parameterName, "SSM SecureString holding Grafana's admin password (read it with operator_role_arn)");
    this.output("operator_role_arn", monitoring.grafanaPassword?.operatorRoleArn, "Role operators assume to read the Grafana admin password");
    this.output("prometheus_url", monitoring.prometheusUrl, "Prometheus, reachable from the admin range (VPN) only");
    this.output("database_writer_endpoint", database.endpoint, "RDS primary: writes go here");
    this.output("database_reader_endpoint", replica.endpoint, "RDS read replica: reads go here");
    this.output("alert_topic_arn", monitoring.alertTopic?.topicArn, "SNS topic Alertmanager publishes alerts to (subscribe people to it)");
  }
}
