import { checkAgainstProviderSchema, loadNamecheapProviderSchema } from "../../modules/dns";
import { referenced, resourcesOf, synthStack, testConfig } from "../support/synth";

const json = synthStack("stage0-single-server");

describe("stage0-single-server", () => {
  it("has one VPC with one public subnet", () => {
    expect(resourcesOf(json, "aws_vpc")).toHaveLength(1);
    const subnets = resourcesOf(json, "aws_subnet");
    expect(subnets).toHaveLength(1);
    expect(subnets[0][1].tags.Tier).toBe("public");
  });
  it("runs web, app and database on one hardened host behind an Elastic IP", () => {
    const [[, instance]] = resourcesOf(json, "aws_instance");
    expect(instance.instance_type).toBe("t3.micro");
    expect(instance.metadata_options.http_tokens).toBe("required");
    expect(instance.root_block_device.encrypted).toBe(true);
    const eni = referenced(json, instance.network_interface[0].network_interface_id);
    expect(referenced(json, eni.config.subnet_id).config.tags.Tier).toBe("public");
    const [[, eip]] = resourcesOf(json, "aws_eip");
    expect(eip.network_interface).toBe(instance.network_interface[0].network_interface_id);
  });
  it("opens 80/443 to the internet and SSH only to the EC2 Instance Connect Endpoint", () => {
    const ingress = resourcesOf(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r);
    const open = ingress.filter((r) => r.cidr_ipv4 === "0.0.0.0/0").map((r) => r.from_port).sort();
    expect(open).toEqual([443, 80]);
    const ssh = ingress.filter((r) => r.from_port === 22);
    const [[endpointName, endpoint]] = resourcesOf(json, "aws_ec2_instance_connect_endpoint");
    expect(endpointName).toBeDefined();
    expect(ssh.map((r) => [r.cidr_ipv4, r.referenced_security_group_id])).toEqual([[undefined, endpoint.security_group_ids[0]]]);
  });
  it("also opens SSH to the admin range when access.ssh is true", () => {
    const withSsh = synthStack("stage0-single-server", testConfig({ access: { ssh: true } }));
    const ssh = resourcesOf(withSsh, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.from_port === 22);
    expect(ssh.map(([, r]) => r.cidr_ipv4).filter(Boolean)).toEqual(["203.0.113.0/24"]);
    expect(ssh).toHaveLength(2);
  });
  it("points Namecheap A records @ and www at the Elastic IP, merging with existing records, when it is the live stage", () => {
    expect(resourcesOf(json, "namecheap_domain_records")).toHaveLength(0);
    const live = synthStack("stage0-single-server", testConfig({ dns: { liveStage: "stage0-single-server" } }));
    const [[, records]] = resourcesOf(live, "namecheap_domain_records");
    expect(records.domain).toBe("example.com");
    expect(records.mode).toBe("MERGE");
    const [[eipName]] = resourcesOf(live, "aws_eip");
    expect(records.record).toEqual(
      expect.arrayContaining(["@", "www"].map((hostname) => expect.objectContaining({ hostname, type: "A", address: `\${aws_eip.${eipName}.public_ip}`, ttl: 300 }))),
    );
    expect(records.record).toHaveLength(2);
  });
  it("emits only Namecheap attributes the provider schema has, with the right types", () => {
    expect(checkAgainstProviderSchema(synthStack("stage0-single-server", testConfig({ dns: { liveStage: "stage0-single-server" } })), loadNamecheapProviderSchema())).toEqual([]);
  });
  it("writes no credentials: the providers read them from the environment", () => {
    const keys: string[] = [];
    const walk = (value: unknown): void => {
      if (Array.isArray(value)) value.forEach(walk);
      else if (value && typeof value === "object") for (const [k, v] of Object.entries(value)) (keys.push(k), walk(v));
    };
    walk(json);
    expect(keys.filter((k) => /^(api_key|api_user|user_name|access_key|secret_key|password|token)$/.test(k))).toEqual([]);
    expect(JSON.stringify(json)).not.toMatch(/AKIA[0-9A-Z]{16}/);
  });
  it("outputs the public IP and the site names with descriptions", () => {
    expect(json.output?.public_ip.description).toMatch(/Elastic IP/);
    expect(json.output?.site_names.value).toEqual(["example.com", "www.example.com"]);
  });
  it("keeps local state relative to the project", () => {
    expect(json.terraform?.backend).toEqual({ local: { path: "../../../state/webplat-dev/stage0-single-server.tfstate" } });
  });
  it("uses an S3 backend with a native lock file when a bucket is configured", () => {
    const s3 = synthStack("stage0-single-server", testConfig({ state: { bucket: "my-tf-state" } }));
    expect(s3.terraform?.backend).toEqual({ s3: { bucket: "my-tf-state", key: "staged-web-platform/webplat/dev/stage0-single-server.tfstate", region: "us-east-1", encrypt: true, use_lockfile: true } });
  });
  it("looks the Debian 12 AMI up by default and needs no API call offline", () => {
    expect(Object.keys(json.data?.aws_ami ?? {})).toHaveLength(1);
    const offline = synthStack("stage0-single-server", testConfig(undefined, "offline"));
    expect(offline.data).toBeUndefined();
    expect(resourcesOf(offline, "namecheap_domain_records")).toHaveLength(0);
    expect(offline.provider?.aws[0]).toMatchObject({ skip_credentials_validation: true, skip_requesting_account_id: true });
  });
});
