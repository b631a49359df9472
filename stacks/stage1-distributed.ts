import { Construct } from "constructs";
import { HaproxyLoadBalancer } from "../modules/load-balancer";
import { NginxFleet } from "../modules/web-fleet";
import { ReadReplica, databaseClientSettings } from "../modules/database";
import { releaseReadStatements } from "../modules/server-config";
import { applicationRelease } from "./application-release";
import { Peer, Port } from "../modules/firewall";
import { suppress } from "../modules/policy/suppressions";
import { InfraConfig } from "./config";
import { PlatformStack } from "./platform-stack";

/**
 * Stage 1 — distributed: the single server's roles on separate hosts.
 *
 *   user → DNS → Elastic IP → HAProxy (HTTP, round-robin)
 *        → 2 web/application servers (private subnets, two AZs)
 *        → RDS MySQL primary (writes) + read replica (reads)
 *
 * Remaining weaknesses (removed by stage 2): one load balancer, no firewall
 * between tiers (every private host accepts the app ports from the whole VPC),
 * no HTTPS, no monitoring.
 */
export class DistributedStack extends PlatformStack {
  constructor(scope: Construct, name: string, config: InfraConfig) {
    super(scope, name, config);
    const ssh = config.access.ssh ? config.access.adminCidrs : [];
    const network = this.regionalNetwork("primary"); // public, private-app, private-data

    const database = this.database(network, { multiAz: false });
    suppress(database.instance, "RDS-MULTI-AZ", "Stage 1 reproduces the primary/replica design of the architecture it teaches; stage 3 runs the primary Multi-AZ");
    const replica = new ReadReplica(this, "database-replica", { source: database, name: `${this.prefix}-db-replica` });
    this.allowDatabaseDeletionIfConfigured(replica);
    // The named weakness of this stage: a flat private network (no per-tier firewall).
    database.firewall.allowFrom(Peer.ipv4(network.cidr), Port.tcp(database.port), "Database from anywhere in the VPC (flat network)");

    const dbClient = databaseClientSettings(database, replica);
    const release = applicationRelease(config);
    const servers = new NginxFleet(this, "app-servers", {
      name: this.prefix,
      count: config.fleet.appServers,
      instanceType: config.instanceTypes.app,
      placements: [this.placement("primary", network)],
      allowHttpFrom: [network.cidr],
      monitoringCidrs: [network.cidr],
      localApp: dbClient.appDatabase,
      release,
      environment: dbClient.environment,
      policyStatements: [...dbClient.policyStatements, ...releaseReadStatements(release)],
      sshCidrs: ssh,
      keyName: config.access.keyName || undefined,
    });

    servers.allowTo([network.cidr], database.port, "Database anywhere in the VPC (flat network)");

    const loadBalancer = new HaproxyLoadBalancer(this, "load-balancer", {
      region: config.primaryRegion,
      name: this.prefix,
      vpcId: network.vpcId,
      subnet: network.subnets("public")[0],
      ami: this.ami("primary"),
      instanceType: config.instanceTypes.loadBalancer,
      backends: servers.backends,
      // A server is in rotation while its app reaches the database (Nginx → app → writer and reader).
      healthCheck: { path: "/readyz" },
      monitoringCidrs: [network.cidr],
      sshCidrs: ssh,
      keyName: config.access.keyName || undefined,
    });
    this.publishDns(loadBalancer.elasticIp);

    this.output("entry_ip", loadBalancer.elasticIp, "Elastic IP of the load balancer (the Namecheap A records point here)");
    this.output("site_names", this.siteNames, "Names the site answers on, over plain HTTP in this stage");
    this.output("load_balancer_private_ip", loadBalancer.privateIp, "Private IP of the load balancer");
    this.output("app_private_ips", servers.privateIps, "Private IPs of the web/application servers");
    this.output("database_writer_endpoint", database.endpoint, "RDS primary: writes go here");
    this.output("database_reader_endpoint", replica.endpoint, "RDS read replica: reads go here");
  }
}
