/** Pieces both load balancer constructs use: the backend list in SSM and the public firewall. */
import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { SsmParameter } from "@cdktf/provider-aws/lib/ssm-parameter";
import { PolicyStatement } from "../core/iam";
import { Firewall, PUBLIC_ENTRY_JUSTIFICATION, Peer, Port } from "../firewall";
import { HAPROXY_EXPORTER_PORT, NODE_EXPORTER_PORT, renderBackendListParameterValue } from "../server-config";

export interface BackendList {
  readonly parameterName: string;
  /** Lets the load balancers read the list, nothing else. */
  readonly readStatement: PolicyStatement;
}

/**
 * The web servers as an SSM parameter: Terraform rewrites it when the fleet
 * changes and the load balancers' sync timer picks it up, so no load balancer
 * is replaced or edited by hand.
 */
export function backendList(scope: Construct, provider: TerraformProvider | undefined, name: string, backends: readonly string[]): BackendList {
  const parameterName = `/${name}/haproxy/backends`;
  const parameter = new SsmParameter(scope, "backends", {
    provider,
    name: parameterName,
    type: "String",
    value: renderBackendListParameterValue(backends),
    description: "Web servers the HAProxy load balancers balance over (read by their sync timer)",
  });
  return { parameterName, readStatement: { Sid: "ReadBackends", Effect: "Allow", Action: ["ssm:GetParameter"], Resource: [parameter.arn] } };
}

export interface LoadBalancerFirewallProps {
  readonly provider?: TerraformProvider;
  readonly vpcId: string;
  readonly name: string;
  readonly description: string;
  /** Public ports: [80] for plain HTTP, [80, 443] with TLS. */
  readonly publicPorts: readonly number[];
  readonly monitoringCidrs: readonly string[];
  readonly sshCidrs: readonly string[];
}

/** The load balancers' security group: the only place the platform admits the internet. */
export function loadBalancerFirewall(scope: Construct, props: LoadBalancerFirewallProps): Firewall {
  const firewall = new Firewall(scope, "firewall", { provider: props.provider, vpcId: props.vpcId, name: `${props.name}-lb`, description: props.description });
  for (const port of props.publicPorts) {
    const what = port === 443 ? "HTTPS" : props.publicPorts.includes(443) ? "HTTP (redirect to HTTPS, ACME challenges)" : "HTTP";
    firewall.allowFromInternet(Port.tcp(port), `${what} from the internet`, PUBLIC_ENTRY_JUSTIFICATION);
  }
  for (const cidr of props.monitoringCidrs) {
    firewall.allowFrom(Peer.ipv4(cidr), Port.tcp(HAPROXY_EXPORTER_PORT), `HAProxy metrics to monitoring ${cidr}`);
    firewall.allowFrom(Peer.ipv4(cidr), Port.tcp(NODE_EXPORTER_PORT), `node_exporter to monitoring ${cidr}`);
  }
  for (const cidr of props.sshCidrs) firewall.allowFrom(Peer.ipv4(cidr), Port.tcp(22), `SSH from admin range ${cidr}`);
  return firewall;
}
