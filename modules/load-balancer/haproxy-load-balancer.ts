import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { renderCloudConfig } from "../core/cloud-config";
import { check } from "../core/validation";
import { HardenedInstance, PublicAddress } from "../compute";
import { Firewall } from "../firewall";
import type { NetworkSubnet } from "../network";
import { fixedAddresses } from "../web-fleet";
import { HAPROXY_EXPORTER_PORT, HaproxyHealthCheck, haproxySingleNode } from "../server-config";
import { backendList, loadBalancerFirewall } from "./shared";

export interface HaproxyLoadBalancerProps {
  /** AWS provider of the region. @default the stack's default provider */
  readonly provider?: TerraformProvider;
  readonly region: string;
  /** Name prefix, e.g. "webplat-stage1". */
  readonly name: string;
  readonly vpcId: string;
  /** The public subnet the load balancer runs in. */
  readonly subnet: NetworkSubnet;
  /** AMI (Debian 12). */
  readonly ami: string;
  /** Web servers as "ip:port"; published in SSM, so the fleet can change without touching the load balancer. */
  readonly backends: readonly string[];
  /** Who may scrape HAProxy's exporter and node_exporter, as CIDRs (the monitoring host, or the VPC when there is none). */
  readonly monitoringCidrs: readonly string[];
  /**
   * Terminate TLS with a Let's Encrypt certificate for this site name (and
   * `additionalNames`, e.g. the www name).
   * @default undefined: plain HTTP on port 80 (stage 1's named weakness; never for production)
   */
  readonly tls?: { readonly domain: string; readonly additionalNames?: readonly string[]; readonly letsEncryptEmail: string; readonly staging?: boolean };
  /** EC2 instance type. @default "t3.micro" */
  readonly instanceType?: string;
  /** Host number of the fixed private IP inside the subnet. @default 10 */
  readonly hostNumber?: number;
  /** CIDRs allowed to SSH. @default [] (none; admit an EC2 Instance Connect Endpoint with `InstanceConnectEndpoint.admitSsh(firewall)`) */
  readonly sshCidrs?: readonly string[];
  /** EC2 key pair for SSH. @default none */
  readonly keyName?: string;
  /** Web server health checks. @default GET /healthz every 1 s, fall 2, rise 2 */
  readonly healthCheck?: HaproxyHealthCheck;
}

/**
 * One HAProxy load balancer behind an Elastic IP (attached before first boot).
 * A single point of failure by design: stages 1–2 show it; stage 3 replaces it
 * with HaproxyPair.
 */
export class HaproxyLoadBalancer extends Construct {
  readonly elasticIp: string;
  readonly privateIp: string;
  readonly instanceId: string;
  readonly firewall: Firewall;
  readonly backendsParameterName: string;
  /** HAProxy exporter endpoint for Prometheus ("ip:8405"). */
  readonly exporterTarget: string;

  constructor(scope: Construct, id: string, props: HaproxyLoadBalancerProps) {
    super(scope, id);
    check(props.backends.length > 0, `${id}.backends`, props.backends, "at least one web server ip:port");
    const provider = props.provider;
    const hostNumber = props.hostNumber ?? 10;
    check(Number.isInteger(hostNumber) && hostNumber >= 4 && hostNumber <= 250, `${id}.hostNumber`, hostNumber, "an integer 4–250 (AWS reserves .0–.3)");
    [this.privateIp] = fixedAddresses([props.subnet], hostNumber);
    const backends = backendList(this, provider, props.name, props.backends);
    this.backendsParameterName = backends.parameterName;
    this.firewall = loadBalancerFirewall(this, {
      provider,
      vpcId: props.vpcId,
      name: props.name,
      description: props.tls ? "Load balancer: HTTP/HTTPS from the internet" : "Load balancer: HTTP from the internet",
      publicPorts: props.tls ? [80, 443] : [80],
      monitoringCidrs: props.monitoringCidrs,
      sshCidrs: props.sshCidrs ?? [],
    });
    const host = new HardenedInstance(this, "lb", {
      provider,
      name: `${props.name}-lb`,
      role: "load-balancer",
      instanceType: props.instanceType ?? "t3.micro",
      ami: props.ami,
      subnetId: props.subnet.id,
      privateIp: this.privateIp,
      securityGroupIds: [this.firewall.securityGroupId],
      publicAddress: PublicAddress.ELASTIC_IP,
      keyName: props.keyName,
      policyStatements: [backends.readStatement],
      userData: renderCloudConfig(
        haproxySingleNode({
          privateIp: this.privateIp,
          region: props.region,
          backendsParameterName: backends.parameterName,
          exporterAllowedCidrs: props.monitoringCidrs,
          healthCheck: props.healthCheck,
          tls: props.tls && { domain: props.tls.domain, additionalNames: props.tls.additionalNames, letsEncryptEmail: props.tls.letsEncryptEmail, letsEncryptStaging: props.tls.staging },
        }),
      ),
    });
    this.elasticIp = host.publicIp!;
    this.instanceId = host.instanceId;
    this.exporterTarget = `${this.privateIp}:${HAPROXY_EXPORTER_PORT}`;
  }
}
