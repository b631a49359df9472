/**
 * MonitoringHost in a stack of its own: the promises of modules/monitoring/README.md (test names quote
 * it), asserted on the synthesized JSON. Each test synthesizes its own stack.
 */
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { GRAFANA_PORT, MonitoringHost, MonitoringHostProps, PROMETHEUS_PORT } from "../../modules/monitoring";
import { NetworkSubnet, SubnetKind } from "../../modules/network";
import { fileFromCloudConfig, parseCloudConfig } from "../../modules/core/cloud-config";
import { unescapeTerraformTemplate } from "../../modules/core/terraform-text";
import { InvalidInputError } from "../../modules/core/validation";
import { ALERTMANAGER_CONFIG_PATH, GRAFANA_APT_SETUP_SCRIPT_PATH, PROMETHEUS_CONFIG_PATH } from "../../modules/server-config/paths";

type Json = Record<string, any>;

const SUBNET: NetworkSubnet = { id: "subnet-app-a", tier: "private-app", kind: SubnetKind.PRIVATE, azIndex: 0, availabilityZone: "eu-west-1a", cidr: "10.30.64.0/20" };
const PROPS: MonitoringHostProps = {
  name: "shop",
  vpcId: "vpc-1",
  subnet: SUBNET,
  ami: "ami-0123456789abcdef0",
  discoveryRegions: ["eu-west-1", "eu-central-1"],
  projectTag: { key: "Project", value: "shop" },
  scrapeCidrs: ["10.30.0.0/16", "10.40.0.0/16"],
  adminCidrs: ["198.51.100.0/24"],
  haproxyIps: ["10.30.0.10", "10.30.16.10"],
};

function build(overrides: Partial<MonitoringHostProps> = {}): { json: Json; host: MonitoringHost } {
  const app = Testing.app();
  const stack = new TerraformStack(app, "monitoring-test");
  new AwsProvider(stack, "aws", { region: "eu-west-1" });
  const host = new MonitoringHost(stack, "monitoring", { ...PROPS, ...overrides });
  return { json: JSON.parse(Testing.synth(stack)), host };
}
const all = (json: Json, type: string): [string, Json][] => Object.entries(json.resource[type] ?? {});
const instance = (json: Json): Json => all(json, "aws_instance")[0][1];
const fileOf = (json: Json, path: string): string => fileFromCloudConfig(unescapeTerraformTemplate(instance(json).user_data), path);
const statements = (json: Json): Json[] => all(json, "aws_iam_role_policy").flatMap(([, p]) => JSON.parse(p.policy).Statement);
const rules = (json: Json, type: string) => all(json, type).map(([, r]) => `${r.from_port} ${r.cidr_ipv4} ${r.description}`).sort();
const ALERTING = { region: "eu-west-1", emails: ["ops@example.com"], appTargets: ["10.30.64.120:8080"], keepalived: true, groupWaitSeconds: 45, repeatIntervalHours: 6, webhookUrl: "https://hooks.example.com/alerts" };

describe("MonitoringHost", () => {
  it("\"one HardenedInstance in a private subnet (no public address, 20 GiB encrypted gp3 root volume) with a fixed private IP\"", () => {
    const { json, host } = build();
    const i = instance(json);
    expect(i.associate_public_ip_address).toBe(false);
    expect(i.root_block_device).toMatchObject({ volume_size: 20, volume_type: "gp3", encrypted: true });
    expect([i.subnet_id, i.private_ip, i.instance_type, i.ami]).toEqual(["subnet-app-a", "10.30.64.10", "t3.micro", "ami-0123456789abcdef0"]);
    expect(i.tags).toMatchObject({ Name: "shop-monitoring", Role: "monitoring" });
    expect(host.privateIp).toBe("10.30.64.10");
    expect(host.cidr).toBe("10.30.64.10/32");
    expect(host.grafanaUrl).toBe("http://10.30.64.10:3000");
    expect(host.prometheusUrl).toBe("http://10.30.64.10:9090");
    expect([PROMETHEUS_PORT, GRAFANA_PORT]).toEqual([9090, 3000]);
    expect(host.alertTopic).toBeUndefined();
    expect(host.grafanaPassword).toBeUndefined();
  });

  it("hostNumber, instanceType and keyName reach the host", () => {
    const { json, host } = build({ hostNumber: 11, instanceType: "t3.small", keyName: "ops" });
    expect(host.privateIp).toBe("10.30.64.11");
    expect([instance(json).instance_type, instance(json).key_name]).toEqual(["t3.small", "ops"]);
  });

  it("\"an IAM role that can only call ec2:DescribeInstances and ec2:DescribeAvailabilityZones\" (Resource \"*\"), \"no Session Manager unless asked\"", () => {
    const { json } = build();
    expect(statements(json)).toEqual([{ Sid: "Ec2ServiceDiscovery", Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeAvailabilityZones"], Resource: "*" }]);
    const withSsm = statements(build({ sessionManager: true }).json);
    expect(withSsm.filter((s) => s.Sid === "Ec2ServiceDiscovery")).toHaveLength(1);
    expect(withSsm.some((s) => String(s.Sid).startsWith("SessionManager"))).toBe(true);
  });

  it("\"a firewall <name>-monitoring that admits Prometheus (9090) and Grafana (3000) only from adminCidrs, node_exporter only from the host itself, SSH only from sshCidrs, and lets out only 9100/8405 to scrapeCidrs besides 80/443\"", () => {
    const { json } = build({ sshCidrs: ["203.0.113.0/24"] });
    const [[, group]] = all(json, "aws_security_group");
    expect(group.name).toBe("shop-monitoring");
    expect(group.description).toBe("Prometheus/Grafana: UIs from the admin range, scrapes out");
    expect(rules(json, "aws_vpc_security_group_ingress_rule")).toEqual([
      "22 203.0.113.0/24 SSH from admin range 203.0.113.0/24",
      "3000 198.51.100.0/24 Grafana from admin range 198.51.100.0/24",
      "9090 198.51.100.0/24 Prometheus UI from admin range 198.51.100.0/24",
      "9100 10.30.64.10/32 node_exporter scraped by Prometheus on this host",
    ]);
    expect(rules(json, "aws_vpc_security_group_egress_rule").filter((r) => !/^(80|443) /.test(r))).toEqual([
      "8405 10.30.0.0/16 Scrape HAProxy metrics in 10.30.0.0/16",
      "8405 10.40.0.0/16 Scrape HAProxy metrics in 10.40.0.0/16",
      "9100 10.30.0.0/16 Scrape node_exporter in 10.30.0.0/16",
      "9100 10.40.0.0/16 Scrape node_exporter in 10.40.0.0/16",
    ]);
    expect(rules(build().json, "aws_vpc_security_group_ingress_rule").some((r) => r.startsWith("22 "))).toBe(false);
    expect(instance(json).vpc_security_group_ids).toEqual([expect.stringMatching(/^\$\{aws_security_group\.[^.]+\.id\}$/)]);
  });

  it("\"Prometheus discovers every instance carrying the project tag in every discoveryRegions region\" (and the discoveryTags), \"plus HAProxy's exporter (8405) on haproxyIps\"", () => {
    const { json } = build({ discoveryTags: [{ key: "Environment", value: "dev" }] });
    const prometheus = fileOf(json, PROMETHEUS_CONFIG_PATH);
    expect([...prometheus.matchAll(/- region: (\S+)/g)].map((m) => m[1])).toEqual(["eu-west-1", "eu-central-1"]);
    expect(prometheus).toContain('- name: "tag:Project"\n            values: ["shop"]');
    expect(prometheus).toContain('- name: "tag:Environment"\n            values: ["dev"]');
    expect(prometheus).toContain('targets: ["10.30.0.10:8405"]');
    expect(prometheus).toContain('targets: ["10.30.16.10:8405"]');
    expect(fileOf(build({ haproxyIps: undefined }).json, PROMETHEUS_CONFIG_PATH)).not.toContain(":8405");
  });

  it("\"With alerting … an AlertTopic … and the role gains exactly sns:Publish on that topic and kms:GenerateDataKey/kms:Decrypt on its key\"; \"The probed application targets get an outbound rule each\"", () => {
    const { json, host } = build({ alerting: ALERTING });
    const [[topicId, topic]] = all(json, "aws_sns_topic");
    const [[keyId]] = all(json, "aws_kms_key");
    expect(topic.name).toBe("shop-alerts");
    expect(host.alertTopic).toBeDefined();
    expect(all(json, "aws_sns_topic_subscription").map(([, s]) => s.endpoint)).toEqual(["ops@example.com"]);
    expect(statements(json)).toEqual([
      { Sid: "Ec2ServiceDiscovery", Effect: "Allow", Action: ["ec2:DescribeInstances", "ec2:DescribeAvailabilityZones"], Resource: "*" },
      { Sid: "PublishAlerts", Effect: "Allow", Action: ["sns:Publish"], Resource: `\${aws_sns_topic.${topicId}.arn}` },
      { Sid: "EncryptAlerts", Effect: "Allow", Action: ["kms:GenerateDataKey", "kms:Decrypt"], Resource: `\${aws_kms_key.${keyId}.arn}` },
    ]);
    expect(rules(json, "aws_vpc_security_group_egress_rule").filter((r) => r.startsWith("8080 "))).toEqual(["8080 10.30.64.120/32 Probe application health on 10.30.64.120:8080"]);
    // Alertmanager sends to the real topic ARN (substituted at apply time), in the alerting region, with the given timing.
    expect(instance(json).user_data).toContain(`topic_arn: \\"\${aws_sns_topic.${topicId}.arn}\\"`);
    expect(instance(json).user_data).not.toContain("PLATFORM_ALERT_TOPIC_ARN");
    const alertmanager = fileOf(json, ALERTMANAGER_CONFIG_PATH);
    expect(alertmanager).toMatch(/sigv4:\s*\n\s*region: eu-west-1/);
    expect(alertmanager).toContain("group_wait: 45s");
    expect(alertmanager).toContain("repeat_interval: 6h");
    expect(alertmanager).toContain('url: "https://hooks.example.com/alerts"');
    const files = parseCloudConfig(unescapeTerraformTemplate(instance(json).user_data)).write_files.map((f) => f.content).join("\n");
    expect(files).toContain("keepalived_vrrp_state");
    expect(files).toContain("10.30.64.120:8080");
  });

  it("alerting with tls probes the certificate of the given targets; without alerting no Alertmanager, no topic", () => {
    const { json } = build({ alerting: { region: "eu-west-1", tls: { serverName: "shop.example.com", targets: ["10.30.0.10:443"] } } });
    expect(fileOf(json, PROMETHEUS_CONFIG_PATH)).toContain("10.30.0.10:443");
    const plain = build().json;
    expect(all(plain, "aws_sns_topic")).toHaveLength(0);
    expect(parseCloudConfig(unescapeTerraformTemplate(instance(plain).user_data)).write_files.map((f) => f.path)).not.toContain(ALERTMANAGER_CONFIG_PATH);
  });

  it("\"with operatorAccess the host also writes it into an SSM SecureString … that only the operator role … may read\"", () => {
    const { json, host } = build({ operatorAccess: { accountId: "111122223333", region: "eu-west-1" } });
    expect(host.grafanaPassword!.parameterName).toBe("/shop/grafana-admin");
    const [[parameterId]] = all(json, "aws_ssm_parameter");
    expect(statements(json).filter((s) => s.Sid === "WriteOperatorSecret")).toEqual([
      { Sid: "WriteOperatorSecret", Effect: "Allow", Action: ["ssm:PutParameter"], Resource: `\${aws_ssm_parameter.${parameterId}.arn}` },
    ]);
    expect(fileOf(json, GRAFANA_APT_SETUP_SCRIPT_PATH)).toContain("aws ssm put-parameter --region eu-west-1 --name /shop/grafana-admin --type SecureString --key-id alias/shop-grafana-admin");
    // Without it the password stays on the host.
    expect(fileOf(build().json, GRAFANA_APT_SETUP_SCRIPT_PATH)).not.toContain("aws ssm");
  });

  describe("\"Validation errors\" name field, value and what is allowed", () => {
    it.each([
      ["no admin CIDR", { adminCidrs: [] }, "monitoring.adminCidrs: [] is not allowed; expected at least one admin CIDR (VPN or office range)"],
      ["an admin CIDR of 0.0.0.0/0", { adminCidrs: ["198.51.100.0/24", "0.0.0.0/0"] }, 'monitoring.adminCidrs: "0.0.0.0/0" is not allowed; expected a range other than 0.0.0.0/0: Grafana and Prometheus are admin surfaces'],
      ["no scrape CIDR", { scrapeCidrs: [] }, "monitoring.scrapeCidrs: [] is not allowed; expected at least one network to scrape"],
      ["an app target that is not ip:port", { alerting: { region: "eu-west-1", appTargets: ["10.30.64.120"] } }, "monitoring.alerting.appTargets[0]"],
    ])("rejects %s", (_name, overrides, message) => {
      expect(() => build(overrides as Partial<MonitoringHostProps>)).toThrow(InvalidInputError);
      expect(() => build(overrides as Partial<MonitoringHostProps>)).toThrow(message);
    });
  });
});
