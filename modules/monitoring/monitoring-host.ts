import { Construct } from "constructs";
import { TerraformProvider } from "cdktf";
import { assignableHost } from "../core/cidr";
import { renderCloudConfig } from "../core/cloud-config";
import { check } from "../core/validation";
import { HardenedInstance } from "../compute";
import { Firewall, Peer, Port } from "../firewall";
import type { NetworkSubnet } from "../network";
import { AlertThresholds, HAPROXY_EXPORTER_PORT, NODE_EXPORTER_PORT, checkHostPort, monitoringNode } from "../server-config";
import { AlertTopic } from "./alert-topic";
import { OperatorSecret } from "./operator-secret";

export const PROMETHEUS_PORT = 9090;
/** Stands for the topic ARN in the rendered Alertmanager config; Terraform puts the real ARN there at apply time. */
const ALERT_TOPIC_ARN_PLACEHOLDER = "arn:aws:sns:us-east-1:000000000000:PLATFORM_ALERT_TOPIC_ARN";
export const GRAFANA_PORT = 3000;

/** Alerting on the monitoring host: rules, Alertmanager, the SNS topic that reaches a person, and the probes. */
export interface MonitoringHostAlerting {
  /** Region of the alert topic (the host's region). */
  readonly region: string;
  /** Alert thresholds. @default the renderer's defaults (see alert-rules.ts) */
  readonly thresholds?: AlertThresholds;
  /** E-mail addresses subscribed to the alert topic. @default [] */
  readonly emails?: readonly string[];
  /** Also POST alerts to this URL. @default none */
  readonly webhookUrl?: string;
  /** Alertmanager group_wait in seconds. @default 30 */
  readonly groupWaitSeconds?: number;
  /** Alertmanager repeat_interval in hours. @default 4 */
  readonly repeatIntervalHours?: number;
  /** TLS endpoints ("ip:443") whose certificate expiry is probed, and the name the certificate is for. @default none */
  readonly tls?: { readonly serverName: string; readonly targets: readonly string[] };
  /** Application servers ("ip:port") whose /healthz and /readyz are probed (outbound rules are added). @default [] */
  readonly appTargets?: readonly string[];
  /** The load balancers are a keepalived pair (failover alert). @default false */
  readonly keepalived?: boolean;
}

export interface MonitoringHostProps {
  /** AWS provider of the host's region. @default the stack's default provider */
  readonly provider?: TerraformProvider;
  /** Name prefix, e.g. "webplat-stage3". */
  readonly name: string;
  readonly vpcId: string;
  /** Private subnet of the host (no public address). */
  readonly subnet: NetworkSubnet;
  /** AMI (Debian 12). */
  readonly ami: string;
  /** Regions whose instances Prometheus discovers through the EC2 API. */
  readonly discoveryRegions: readonly string[];
  /** Tag every project instance carries, e.g. {key: "Project", value: "webplat"}. */
  readonly projectTag: { readonly key: string; readonly value: string };
  /** More tags a discovered instance must carry (e.g. Environment, Stack), so hosts of another environment or stack in the account are not scraped. @default [] */
  readonly discoveryTags?: readonly { readonly key: string; readonly value: string }[];
  /** Networks scraped (node_exporter 9100, HAProxy 8405), e.g. both VPC CIDRs. */
  readonly scrapeCidrs: readonly string[];
  /** CIDRs allowed on Prometheus (9090) and Grafana (3000): a VPN or office range, never the internet. */
  readonly adminCidrs: readonly string[];
  /** Private IPs of HAProxy load balancers whose built-in exporter is scraped. @default [] */
  readonly haproxyIps?: readonly string[];
  /** EC2 instance type. @default "t3.micro" */
  readonly instanceType?: string;
  /** Host number of the fixed private IP inside the subnet (fleets use 20 and up). @default 10 */
  readonly hostNumber?: number;
  /** CIDRs allowed to SSH. @default [] (none; admit an EC2 Instance Connect Endpoint with `InstanceConnectEndpoint.admitSsh(firewall)`) */
  readonly sshCidrs?: readonly string[];
  /** EC2 key pair for SSH. @default none */
  readonly keyName?: string;
  /** Also grant Session Manager (adds ssm/ssmmessages actions to the role). @default false: the role can only discover instances */
  readonly sessionManager?: boolean;
  /** Alert rules, Alertmanager and an SNS topic (the role may then also publish to that topic). @default none: metrics and dashboards only */
  readonly alerting?: MonitoringHostAlerting;
  /**
   * Keep Grafana's generated admin password in an encrypted SSM parameter that
   * an operator role (assumable from this account) may read.
   * @default only on the host, readable by root
   */
  readonly operatorAccess?: { readonly accountId: string; readonly region: string };
}

/**
 * Prometheus + Grafana + node_exporter on one private host. Prometheus finds
 * every project instance in every given region by tag, so scaling a fleet
 * needs no change here; its IAM role can only describe instances and AZs.
 */
export class MonitoringHost extends Construct {
  /** Fixed private IP (known at synth, so other hosts' firewalls can name it). */
  readonly privateIp: string;
  /** The host as a /32, for firewall rules. */
  readonly cidr: string;
  readonly instanceId: string;
  readonly grafanaUrl: string;
  readonly prometheusUrl: string;
  readonly firewall: Firewall;
  /** The SNS topic alerts go to, when alerting is on. */
  readonly alertTopic?: AlertTopic;
  /** Grafana's admin password for operators (with `operatorAccess`). */
  readonly grafanaPassword?: OperatorSecret;

  constructor(scope: Construct, id: string, props: MonitoringHostProps) {
    super(scope, id);
    check(props.adminCidrs.length > 0, `${id}.adminCidrs`, props.adminCidrs, "at least one admin CIDR (VPN or office range)");
    for (const cidr of props.adminCidrs) check(cidr !== "0.0.0.0/0", `${id}.adminCidrs`, cidr, "a range other than 0.0.0.0/0: Grafana and Prometheus are admin surfaces");
    check(props.scrapeCidrs.length > 0, `${id}.scrapeCidrs`, props.scrapeCidrs, "at least one network to scrape");
    const provider = props.provider;
    this.privateIp = assignableHost(props.subnet.cidr, props.hostNumber ?? 10);
    this.cidr = `${this.privateIp}/32`;

    this.firewall = new Firewall(this, "firewall", { provider, vpcId: props.vpcId, name: `${props.name}-monitoring`, description: "Prometheus/Grafana: UIs from the admin range, scrapes out" });
    for (const cidr of props.adminCidrs) {
      this.firewall.allowFrom(Peer.ipv4(cidr), Port.tcp(PROMETHEUS_PORT), `Prometheus UI from admin range ${cidr}`);
      this.firewall.allowFrom(Peer.ipv4(cidr), Port.tcp(GRAFANA_PORT), `Grafana from admin range ${cidr}`);
    }
    for (const cidr of props.sshCidrs ?? []) this.firewall.allowFrom(Peer.ipv4(cidr), Port.tcp(22), `SSH from admin range ${cidr}`);
    this.firewall.allowFrom(Peer.host(this.privateIp), Port.tcp(NODE_EXPORTER_PORT), "node_exporter scraped by Prometheus on this host");
    for (const cidr of props.scrapeCidrs) {
      this.firewall.allowTo(Peer.ipv4(cidr), Port.tcp(NODE_EXPORTER_PORT), `Scrape node_exporter in ${cidr}`);
      this.firewall.allowTo(Peer.ipv4(cidr), Port.tcp(HAPROXY_EXPORTER_PORT), `Scrape HAProxy metrics in ${cidr}`);
    }

    const alerting = props.alerting;
    this.alertTopic = alerting && new AlertTopic(this, "alerts", { provider, name: `${props.name}-alerts`, emails: alerting.emails });
    for (const [i, target] of (alerting?.appTargets ?? []).entries()) {
      checkHostPort(`${id}.alerting.appTargets[${i}]`, target);
      const [ip, port] = target.split(":");
      this.firewall.allowTo(Peer.host(ip), Port.tcp(Number(port)), `Probe application health on ${target}`);
    }

    const operator = props.operatorAccess;
    this.grafanaPassword = operator && new OperatorSecret(this, "grafana-admin", { provider, name: props.name, secret: "grafana-admin", accountId: operator.accountId });

    const host = new HardenedInstance(this, "host", {
      provider,
      name: `${props.name}-monitoring`,
      role: "monitoring",
      instanceType: props.instanceType ?? "t3.micro",
      ami: props.ami,
      subnetId: props.subnet.id,
      privateIp: this.privateIp,
      securityGroupIds: [this.firewall.securityGroupId],
      keyName: props.keyName,
      rootVolumeGb: 20,
      // EC2 service discovery: these two calls have no resource-level permissions.
      policyStatements: [
        { Sid: "Ec2ServiceDiscovery", Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeAvailabilityZones"], Resource: "*" },
        ...(this.alertTopic?.publishStatements ?? []),
        ...(this.grafanaPassword?.writerStatements ?? []),
      ],
      sessionManager: props.sessionManager ?? false,
      userData: renderCloudConfig(
        monitoringNode({
          regions: props.discoveryRegions,
          projectTagKey: props.projectTag.key,
          projectTagValue: props.projectTag.value,
          extraTagFilters: props.discoveryTags ?? [],
          grafanaPasswordParameter: this.grafanaPassword && operator && { name: this.grafanaPassword.parameterName, region: operator.region, keyAlias: this.grafanaPassword.keyAlias },
          haproxyExporterTargets: (props.haproxyIps ?? []).map((ip) => `${ip}:${HAPROXY_EXPORTER_PORT}`),
          alerting: alerting && this.alertTopic && {
            thresholds: alerting.thresholds,
            alertmanager: {
              snsTopicArn: ALERT_TOPIC_ARN_PLACEHOLDER,
              snsRegion: alerting.region,
              webhookUrl: alerting.webhookUrl,
              groupWaitSeconds: alerting.groupWaitSeconds,
              repeatIntervalHours: alerting.repeatIntervalHours,
            },
            tls: alerting.tls,
            appTargets: alerting.appTargets,
            keepalived: alerting.keepalived,
          },
        }),
      ),
      userDataValues: this.alertTopic ? { [ALERT_TOPIC_ARN_PLACEHOLDER]: this.alertTopic.topicArn } : undefined,
    });
    this.instanceId = host.instanceId;
    this.grafanaUrl = `http://${this.privateIp}:${GRAFANA_PORT}`;
    this.prometheusUrl = `http://${this.privateIp}:${PROMETHEUS_PORT}`;
  }
}
