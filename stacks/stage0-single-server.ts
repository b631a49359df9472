import { Construct } from "constructs";
import { Network, SubnetKind } from "../modules/network";
import { Firewall, PUBLIC_ENTRY_JUSTIFICATION, Peer, Port } from "../modules/firewall";
import { HardenedInstance, PublicAddress } from "../modules/compute";
import { renderCloudConfig } from "../modules/core/cloud-config";
import { releaseReadStatements, singleServer } from "../modules/server-config";
import { applicationRelease } from "./application-release";
import { InfraConfig } from "./config";
import { PlatformStack } from "./platform-stack";

/**
 * Stage 0 — one host runs the web server, the application and the database.
 *
 *   user → DNS (Namecheap A @, www) → Elastic IP → [Nginx → app → MySQL] on one EC2 host
 *
 * Single points of failure: the host, its AZ, its disk (data lives on it), and
 * every deploy restarts the whole site.
 */
export class SingleServerStack extends PlatformStack {
  constructor(scope: Construct, name: string, config: InfraConfig) {
    super(scope, name, config);

    const network = new Network(this, "network", {
      name: this.prefix,
      region: config.primaryRegion,
      cidr: this.vpcCidr("primary"),
      availabilityZones: this.availabilityZones("primary").slice(0, 1),
      tiers: [{ name: "public", kind: SubnetKind.PUBLIC }],
      flowLogRetentionDays: config.network.flowLogRetentionDays,
    });

    const firewall = new Firewall(this, "server-firewall", {
      vpcId: network.vpcId,
      name: `${this.prefix}-server`,
      description: "Single server: HTTP/HTTPS from the internet, SSH from the admin range",
    })
      .allowFromInternet(Port.tcp(80), "HTTP from the internet", PUBLIC_ENTRY_JUSTIFICATION)
      .allowFromInternet(Port.tcp(443), "HTTPS from the internet", PUBLIC_ENTRY_JUSTIFICATION);
    if (config.access.ssh) config.access.adminCidrs.forEach((cidr) => firewall.allowFrom(Peer.ipv4(cidr), Port.tcp(22), `SSH from admin range ${cidr}`));

    const release = applicationRelease(config);
    const server = new HardenedInstance(this, "server", {
      name: `${this.prefix}-server`,
      role: "single-server",
      instanceType: config.instanceTypes.singleServer,
      ami: this.ami("primary"),
      subnetId: network.subnetIds("public")[0],
      securityGroupIds: [firewall.securityGroupId],
      publicAddress: PublicAddress.ELASTIC_IP,
      rootVolumeGb: 20,
      keyName: config.access.keyName || undefined,
      userData: renderCloudConfig(singleServer(release)),
      policyStatements: release ? releaseReadStatements(release) : undefined,
    });

    this.publishDns(server.publicIp!);

    this.output("public_ip", server.publicIp, "Elastic IP of the single server (the Namecheap A records point here)");
    this.output("site_names", this.siteNames, "Names the site answers on");
    this.output("instance_id", server.instanceId, "EC2 instance id of the single server");
  }
}
