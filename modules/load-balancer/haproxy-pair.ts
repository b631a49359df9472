import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { partitionOf } from "../core/iam";
import { renderCloudConfig } from "../core/cloud-config";
import { check, requireConcrete } from "../core/validation";
import { HardenedInstance, HostRole, PublicAddress, primaryInterfaceName } from "../compute";
import { CustomerManagedKey } from "../encryption";
import { Firewall, Port } from "../firewall";
import type { NetworkSubnet } from "../network";
import { fixedAddresses } from "../web-fleet";
import { fitName } from "../core/names";
import { KEEPALIVED_NODE_NAME_LIMIT } from "../server-config";
import { HAPROXY_EXPORTER_PORT, HaproxyHealthCheck, TlsTrustParams, haproxyNode } from "../server-config";
import { PolicyStatement } from "../core/iam";
import { backendList, loadBalancerFirewall } from "./shared";
import { suppress } from "../policy/suppressions";

/** Tag naming the pair a load balancer belongs to; the failover role may move the EIP only onto instances carrying it. */
export const PAIR_TAG = "LoadBalancerPair";

/** A placeholder that passes the renderer's allocation-id check; replaced by the real id at apply time. */
const ALLOCATION_ID_PLACEHOLDER = "eipalloc-feedc0ffee0000000";

export interface HaproxyPairProps {
  /** AWS provider of the pair's region. @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** Region of `provider` (the EIP, the SSM parameters and the failover script's API calls). */
  readonly region: string;
  /** Name prefix, e.g. "webplat-stage3". */
  readonly name: string;
  readonly vpcId: string;
  /** Two public subnets in two AZs: node A goes to the first, node B to the second. */
  readonly subnets: readonly NetworkSubnet[];
  /** AMI (Debian 12). */
  readonly ami: string;
  /** Web servers as "ip:port"; published in SSM, so the fleet can change without touching the pair. */
  readonly backends: readonly string[];
  /** Site name the Let's Encrypt certificate is issued for, e.g. "example.com". */
  readonly domain: string;
  /** Further names on the same certificate, e.g. ["www.example.com"]: every name the DNS publishes. @default [] */
  readonly additionalNames?: readonly string[];
  /** Let's Encrypt contact address. */
  readonly letsEncryptEmail: string;
  /** Who may scrape HAProxy's exporter and node_exporter (the monitoring host), as CIDRs. */
  readonly monitoringCidrs: readonly string[];
  /** EC2 instance type. @default "t3.micro" */
  readonly instanceType?: string;
  /** Host number inside each subnet for the fixed private IPs. @default 10 (e.g. 10.10.0.10 and 10.10.16.10) */
  readonly hostNumber?: number;
  /** CIDRs allowed to SSH. @default [] (none; admit an EC2 Instance Connect Endpoint with `InstanceConnectEndpoint.admitSsh(firewall)`) */
  readonly sshCidrs?: readonly string[];
  /** EC2 key pair for SSH. @default none */
  readonly keyName?: string;
  /** Web server health checks. @default renderer's default (GET /healthz every 1 s, fall 2, rise 2) */
  readonly healthCheck?: HaproxyHealthCheck;
  /** Let's Encrypt staging CA (for rehearsals; browsers do not trust it). @default false */
  readonly letsEncryptStaging?: boolean;
  /**
   * TLS to the web servers, verified against the certificates they publish
   * (the web tier's TierTlsSlots: `settings` and `readStatement`).
   * @default undefined (plain HTTP to the web servers)
   */
  readonly backendTls?: { readonly trust: TlsTrustParams; readonly readStatement: PolicyStatement };
}

/**
 * Two HAProxy load balancers in two AZs, active/passive under keepalived (unicast
 * VRRP). One Elastic IP is allocated but never associated by Terraform: the node
 * that becomes MASTER associates it through its IAM role, so a failover leaves
 * nothing for `terraform plan` to revert.
 */
export class HaproxyPair extends Construct {
  /** The public entry point (point DNS here). */
  readonly elasticIp: string;
  readonly allocationId: string;
  /** Fixed private IPs, node A then node B (known at synth). */
  readonly privateIps: readonly string[];
  readonly instanceIds: readonly string[];
  readonly firewall: Firewall;
  /** SSM parameter the nodes read their backends from. */
  readonly backendsParameterName: string;
  /** HAProxy exporter endpoints for Prometheus ("ip:8405"). */
  readonly exporterTargets: readonly string[];

  constructor(scope: Construct, id: string, props: HaproxyPairProps) {
    super(scope, id);
    check(props.subnets.length === 2 && props.subnets[0].availabilityZone !== props.subnets[1].availabilityZone, `${id}.subnets`, props.subnets.map((s) => s.availabilityZone), "two public subnets in two different AZs");
    check(props.backends.length > 0, `${id}.backends`, props.backends, "at least one web server ip:port");
    requireConcrete(`${id}.region`, props.region);
    const provider = props.provider;
    const hostNumber = props.hostNumber ?? 10;
    check(Number.isInteger(hostNumber) && hostNumber >= 4 && hostNumber <= 250, `${id}.hostNumber`, hostNumber, "an integer 4–250 (AWS reserves .0–.3)");
    this.privateIps = fixedAddresses(props.subnets, hostNumber);
    const partition = partitionOf(props.region);
    const instanceType = props.instanceType ?? "t3.micro";

    const eip = new Eip(this, "eip", {
      provider,
      domain: "vpc",
      tags: { Name: `${props.name}-entry` },
      // keepalived owns the association; Terraform must not undo a failover.
      lifecycle: { ignoreChanges: ["instance", "network_interface", "associate_with_private_ip"] },
    });
    this.elasticIp = eip.publicIp;
    this.allocationId = eip.allocationId;

    const backends = backendList(this, provider, props.name, props.backends);
    this.backendsParameterName = backends.parameterName;
    const key = new CustomerManagedKey(this, "certificate-key", { provider, alias: `${props.name}-lb-certificate`, description: "Encrypts the load balancers' TLS certificate in SSM" });
    const certificateParameterName = `/${props.name}/haproxy/certificate`;
    const certificateParameter = new SsmParameter(this, "certificate", {
      provider,
      name: certificateParameterName,
      type: "SecureString",
      keyId: key.keyArn,
      tier: "Advanced", // a PEM chain plus key exceeds the 4 KB standard tier
      value: "pending: the load balancer holding the Elastic IP publishes its certificate here",
      description: "Combined PEM of the site certificate, shared by the HAProxy pair",
      // The active node writes the real certificate; Terraform only creates the slot.
      lifecycle: { ignoreChanges: ["value"] },
    });

    this.firewall = loadBalancerFirewall(this, {
      provider,
      vpcId: props.vpcId,
      name: props.name,
      description: "HAProxy pair: web from the internet, VRRP between the pair",
      publicPorts: [80, 443],
      monitoringCidrs: props.monitoringCidrs,
      sshCidrs: props.sshCidrs ?? [],
    });
    this.firewall.connectFrom(this.firewall, Port.vrrp(), "VRRP between the pair");

    const role = new HostRole(this, "role", {
      provider,
      name: `${props.name}-lb`,
      policyStatements: [
        backends.readStatement,
        ...(props.backendTls ? [props.backendTls.readStatement] : []),
        { Sid: "ShareCertificate", Effect: "Allow", Action: ["ssm:GetParameter", "ssm:PutParameter"], Resource: [certificateParameter.arn] },
        { Sid: "CertificateKey", Effect: "Allow", Action: ["kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey"], Resource: [key.keyArn] },
        // DescribeAddresses has no resource-level permissions.
        { Sid: "FindAddress", Effect: "Allow", Action: ["ec2:DescribeAddresses"], Resource: "*" },
        { Sid: "MoveTheElasticIp", Effect: "Allow", Action: ["ec2:AssociateAddress", "ec2:DisassociateAddress"], Resource: `arn:${partition}:ec2:${props.region}:*:elastic-ip/${eip.allocationId}` },
        // The pair's instances by tag, not by id: replacing a node never has to rewrite this policy first.
        {
          Sid: "OntoThePairOnly",
          Effect: "Allow",
          Action: ["ec2:AssociateAddress"],
          Resource: `arn:${partition}:ec2:${props.region}:*:instance/*`,
          Condition: { StringEquals: { [`aws:ResourceTag/${PAIR_TAG}`]: props.name } },
        },
      ],
    });

    const nodes = ["a", "b"].map((node, index) => {
      const userData = renderCloudConfig(
        haproxyNode({
          // keepalived router names are at most 32 characters: long project/environment names are cut and hashed.
          nodeName: fitName(props.name, `lb-${node}`, KEEPALIVED_NODE_NAME_LIMIT),
          privateIp: this.privateIps[index],
          peerPrivateIp: this.privateIps[1 - index],
          // Node A is the preferred first MASTER; with nopreempt it keeps no claim after a failover.
          priority: index === 0 ? 150 : 100,
          region: props.region,
          eipAllocationId: ALLOCATION_ID_PLACEHOLDER,
          backendsParameterName: this.backendsParameterName,
          certificateParameterName,
          domain: props.domain,
          additionalNames: props.additionalNames,
          letsEncryptEmail: props.letsEncryptEmail,
          exporterAllowedCidrs: props.monitoringCidrs,
          healthCheck: props.healthCheck,
          letsEncryptStaging: props.letsEncryptStaging,
          backendTls: props.backendTls?.trust,
          vrrpInterface: primaryInterfaceName(instanceType),
        }),
      );
      return new HardenedInstance(this, `lb-${node}`, {
        provider,
        name: `${props.name}-lb-${node}`,
        role: "load-balancer",
        instanceType,
        ami: props.ami,
        subnetId: props.subnets[index].id,
        privateIp: this.privateIps[index],
        securityGroupIds: [this.firewall.securityGroupId],
        // The standby holds no EIP but must still reach the EC2 API to take it over.
        publicAddress: PublicAddress.AUTO_ASSIGNED,
        hostRole: role,
        keyName: props.keyName,
        userData,
        userDataValues: { [ALLOCATION_ID_PLACEHOLDER]: eip.allocationId },
        tags: { [PAIR_TAG]: props.name },
      });
    });
    for (const node of nodes) {
      suppress(node, "EC2-NO-PUBLIC-IP", "The standby load balancer holds no Elastic IP yet must reach the EC2 API to take it over; its security group admits only web ports from the internet");
    }
    this.instanceIds = nodes.map((n) => n.instanceId);
    this.exporterTargets = this.privateIps.map((ip) => `${ip}:${HAPROXY_EXPORTER_PORT}`);

  }
}
