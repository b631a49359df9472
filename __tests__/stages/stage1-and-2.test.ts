import { fileFromCloudConfig, parseCloudConfig } from "../../modules/core/cloud-config";
import { unescapeTerraformTemplate } from "../../modules/core/terraform-text";
import { HAPROXY_BACKENDS_PATH, HAPROXY_CFG_PATH, NGINX_CONF_PATH, PROMETHEUS_CONFIG_PATH } from "../../modules/server-config";
import { FLEET_ENVIRONMENT_PATH } from "../../modules/web-fleet";
import { actionsOfRole, ingressToRole, instancesWithRole, portsFrom, roleOfInstance, statementsOfRole } from "../support/reachability";
import { referenced, resourcesOf, synthStack, testConfig } from "../support/synth";

const stage1 = synthStack("stage1-distributed");
const stage2 = synthStack("stage2-secured-monitored");
const userData = (instance: Record<string, any>) => unescapeTerraformTemplate(instance.user_data);
const haproxyCfg = (json: typeof stage1) => fileFromCloudConfig(userData(instancesWithRole(json, "load-balancer")[0][1]), HAPROXY_CFG_PATH);

describe.each([
  ["stage1-distributed", stage1],
  ["stage2-secured-monitored", stage2],
])("%s: what both distributed stages share", (name, json) => {
  it("puts one load balancer with an Elastic IP in a public subnet", () => {
    const lbs = instancesWithRole(json, "load-balancer");
    expect(lbs).toHaveLength(1);
    const eni = referenced(json, lbs[0][1].network_interface[0].network_interface_id).config;
    expect(referenced(json, eni.subnet_id).config.tags.Tier).toBe("public");
    expect(resourcesOf(json, "aws_eip").some(([, e]) => e.network_interface === lbs[0][1].network_interface[0].network_interface_id)).toBe(true);
  });
  it("runs two web/application servers in private subnets of two AZs", () => {
    const servers = instancesWithRole(json, "web");
    expect(servers).toHaveLength(2);
    const subnets = servers.map(([, i]) => referenced(json, i.subnet_id).config);
    expect(subnets.map((s) => s.tags.Tier)).toEqual(["private-app", "private-app"]);
    expect(new Set(subnets.map((s) => s.availability_zone)).size).toBe(2);
    for (const [, i] of servers) expect(i.associate_public_ip_address).toBe(false);
  });
  it("writes to an RDS MySQL primary and reads from its replica; hosts get both endpoints and may read only the DB secret", () => {
    const dbs = resourcesOf(json, "aws_db_instance").map(([name, db]) => ({ name, db }));
    const primary = dbs.find((d) => !d.db.replicate_source_db)!;
    const replica = dbs.find((d) => d.db.replicate_source_db)!;
    expect(primary.db.engine).toBe("mysql");
    expect(replica.db.replicate_source_db).toBe(`\${aws_db_instance.${primary.name}.identifier}`);
    const [serverName, server] = instancesWithRole(json, "web")[0];
    const env = fileFromCloudConfig(server.user_data.replace(/\$\{[^}]+\}/g, "REF"), FLEET_ENVIRONMENT_PATH);
    expect(server.user_data).toContain(`DB_WRITER_HOST=\${aws_db_instance.${primary.name}.address}`);
    expect(server.user_data).toContain(`DB_READER_HOST=\${aws_db_instance.${replica.name}.address}`);
    expect(env).toMatch(/DB_SECRET_ARN=REF/);
    expect(actionsOfRole(json, roleOfInstance(json, serverName))).toEqual(expect.arrayContaining(["kms:Decrypt", "secretsmanager:GetSecretValue"]));
    expect(JSON.stringify(json)).not.toMatch(/"password"/);
  });
  it("application hosts \"may read only the database's managed secret\": the secret read grant names exactly the primary's managed secret, the decrypt grant exactly its key", () => {
    const [primaryName, primary] = resourcesOf(json, "aws_db_instance").find(([, d]) => !d.replicate_source_db)!;
    const roles = new Set(instancesWithRole(json, "web").map(([name]) => roleOfInstance(json, name)));
    expect(roles.size).toBe(1);
    const statements = statementsOfRole(json, [...roles][0]);
    const secretReads = statements.filter((st) => st.Action.some((a) => a.startsWith("secretsmanager:")));
    expect(secretReads).toEqual([expect.objectContaining({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [`\${aws_db_instance.${primaryName}.master_user_secret[0].secret_arn}`] })]);
    const decrypts = statements.filter((st) => st.Action.some((a) => a.startsWith("kms:")));
    expect(decrypts).toEqual([expect.objectContaining({ Effect: "Allow", Action: ["kms:Decrypt"], Resource: [primary.master_user_secret_kms_key_id] })]);
    expect(primary.master_user_secret_kms_key_id).toMatch(/^\$\{aws_kms_key\.[^.]+\.arn\}$/);
    // No other role of the stack may read a secret at all.
    const readers = resourcesOf(json, "aws_iam_role_policy").filter(([, p]) => String(p.policy).includes("secretsmanager:"));
    expect(readers).toHaveLength(1);
  });
  it("lets the application servers open connections to the database port (egress matches the database's ingress)", () => {
    const groups = new Set(instancesWithRole(json, "web").map(([, i]) => i.vpc_security_group_ids[0]));
    const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule").map(([, r]) => r).filter((r) => groups.has(r.security_group_id) && r.from_port === 3306);
    expect(egress.length).toBeGreaterThan(0);
  });
  it("points the Namecheap records at the load balancer's Elastic IP when it is the live stage", () => {
    expect(resourcesOf(json, "namecheap_domain_records")).toHaveLength(0); // stage 3 is live by default
    const live = synthStack(name, testConfig({ dns: { liveStage: name } }));
    const [[, records]] = resourcesOf(live, "namecheap_domain_records");
    expect(records.record.map((r: { address: string }) => r.address)).toEqual([expect.stringMatching(/^\$\{aws_eip\.load-balancer_lb_eip_[^.]+\.public_ip\}$/), expect.anything()]);
  });
});

describe("stage 1: the weaknesses it names", () => {
  it("serves plain HTTP only (no HTTPS)", () => {
    expect(portsFrom(ingressToRole(stage1, "load-balancer"), (s) => s === "0.0.0.0/0")).toEqual([80]);
    expect(haproxyCfg(stage1)).not.toContain(":443 ssl");
  });
  it("has no firewall between tiers: the VPC reaches the app servers and the database", () => {
    expect(portsFrom(ingressToRole(stage1, "web"), (s) => s === "10.11.0.0/16")).toEqual([80, 9100]);
    const dbRules = resourcesOf(stage1, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.from_port === 3306).map(([, r]) => r.cidr_ipv4);
    expect(dbRules).toEqual(["10.11.0.0/16"]);
  });
  it("has no monitoring host", () => {
    expect(instancesWithRole(stage1, "monitoring")).toHaveLength(0);
  });
});

describe("stage 2 removes stage 1's weaknesses", () => {
  // The load balancer's address lives on the interface that carries its Elastic IP.
  const lbIp = referenced(stage2, instancesWithRole(stage2, "load-balancer")[0][1].network_interface[0].network_interface_id).config.private_ips[0];
  const monitoringIp = instancesWithRole(stage2, "monitoring")[0][1].private_ip;

  it("firewalls each role: web/app 80 only from the load balancer, 9100 only from monitoring", () => {
    const rules = ingressToRole(stage2, "web");
    expect(new Set(rules.filter((r) => r.port === 80).map((r) => r.source))).toEqual(new Set([`${lbIp}/32`]));
    expect(new Set(rules.filter((r) => r.port === 9100).map((r) => r.source))).toEqual(new Set([`${monitoringIp}/32`]));
  });
  it("lets only the application tier reach the database on 3306", () => {
    const dbRules = resourcesOf(stage2, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.from_port === 3306).map(([, r]) => r);
    expect(dbRules).toHaveLength(1);
    expect(dbRules[0].cidr_ipv4).toBeUndefined();
    const appGroup = instancesWithRole(stage2, "web")[0][1].vpc_security_group_ids[0];
    expect(dbRules[0].referenced_security_group_id).toBe(appGroup);
  });
  it("serves HTTPS with a Let's Encrypt certificate and redirects HTTP", () => {
    expect(portsFrom(ingressToRole(stage2, "load-balancer"), (s) => s === "0.0.0.0/0")).toEqual([443, 80]);
    const cfg = haproxyCfg(stage2);
    expect(cfg).toContain("bind :443 ssl crt");
    expect(cfg).toContain("http-request redirect scheme https code 301 unless acme_challenge");
    const packages = parseCloudConfig(userData(instancesWithRole(stage2, "load-balancer")[0][1])).packages;
    expect(packages).toContain("certbot");
  });
  it("monitors every host (node_exporter) and the load balancer's request rate", () => {
    for (const [, instance] of resourcesOf(stage2, "aws_instance")) expect(instance.user_data).toContain("prometheus-node-exporter");
    const [[, monitoring]] = instancesWithRole(stage2, "monitoring");
    expect(fileFromCloudConfig(userData(monitoring), PROMETHEUS_CONFIG_PATH)).toContain(`${lbIp}:8405`);
    expect(portsFrom(ingressToRole(stage2, "monitoring"), (s) => s === "203.0.113.0/24")).toEqual([3000, 9090]);
  });
  it("opens SSH only from the EC2 Instance Connect Endpoint (the admin range only with access.ssh)", () => {
    const [[, endpoint]] = resourcesOf(stage2, "aws_ec2_instance_connect_endpoint");
    const ssh = resourcesOf(stage2, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.from_port === 22).map(([, r]) => r.referenced_security_group_id ?? r.cidr_ipv4);
    expect(ssh.length).toBe(3); // the groups of the load balancer, the web/app servers and monitoring
    expect(new Set(ssh)).toEqual(new Set([endpoint.security_group_ids[0]]));
    const withSsh = synthStack("stage2-secured-monitored", testConfig({ access: { ssh: true } }));
    const admin = resourcesOf(withSsh, "aws_vpc_security_group_ingress_rule").filter(([, r]) => r.from_port === 22 && r.cidr_ipv4).map(([, r]) => r.cidr_ipv4);
    expect(admin.length).toBe(3);
    expect(new Set(admin)).toEqual(new Set(["203.0.113.0/24"]));
  });
});

describe("stage 3 removes stage 2's weaknesses", () => {
  const stage3 = synthStack("stage3-scale-up");
  it("replaces the single load balancer with a failover pair", () => {
    expect(instancesWithRole(stage2, "load-balancer")).toHaveLength(1);
    expect(instancesWithRole(stage3, "load-balancer")).toHaveLength(2);
    expect(resourcesOf(stage3, "aws_instance").some(([, i]) => String(i.user_data).includes("keepalived"))).toBe(true);
  });
  it("runs the database primary Multi-AZ instead of a single-AZ writer", () => {
    const primaryOf = (json: typeof stage2) => resourcesOf(json, "aws_db_instance").find(([, d]) => !d.replicate_source_db)![1];
    expect(primaryOf(stage2).multi_az).toBe(false);
    expect(primaryOf(stage3).multi_az).toBe(true);
  });
  it("spreads the web tier over a second region", () => {
    expect(new Set(instancesWithRole(stage3, "web").map(([, i]) => i.provider ?? "aws")).size).toBe(2);
  });
  it("no longer ends TLS at the load balancer: web servers admit only HTTPS from the load balancers, app servers only HTTPS from the web servers", () => {
    const lbIps = instancesWithRole(stage3, "load-balancer").map(([, i]) => `${i.private_ip}/32`);
    const webIps = instancesWithRole(stage3, "web").map(([, i]) => `${i.private_ip}/32`);
    expect(portsFrom(ingressToRole(stage2, "web"), () => true)).toContain(80);
    expect(portsFrom(ingressToRole(stage3, "web"), (s) => lbIps.includes(s))).toEqual([443]);
    expect(portsFrom(ingressToRole(stage3, "app"), (s) => webIps.includes(s))).toEqual([8443]);
    // Both hops verify the peer against the pinned certificates, never "verify none".
    const lb = userData(instancesWithRole(stage3, "load-balancer")[0][1]);
    expect(fileFromCloudConfig(lb, HAPROXY_BACKENDS_PATH)).toMatch(/default-server .* ssl verify required ca-file \S+ verifyhost web\./);
    const nginx = fileFromCloudConfig(userData(instancesWithRole(stage3, "web")[0][1]), NGINX_CONF_PATH);
    expect(nginx).toMatch(/proxy_pass https:\/\/[\s\S]*proxy_ssl_verify on;[\s\S]*proxy_ssl_name app\./);
    expect(nginx).toMatch(/listen 443 ssl default_server;/);
    expect(nginx).not.toMatch(/listen 80\b/);
    for (const json of [stage2, stage3]) expect(JSON.stringify(json)).not.toMatch(/verify none|PRIVATE KEY/);
  });
});
