import { cidrContains } from "../../modules/core/cidr";
import { fileFromCloudConfig, parseCloudConfig } from "../../modules/core/cloud-config";
import { unescapeTerraformTemplate } from "../../modules/core/terraform-text";
import { BACKEND_SYNC_SCRIPT_PATH, HAPROXY_BACKENDS_PATH, KEEPALIVED_CONF_PATH, PROMETHEUS_CONFIG_PATH } from "../../modules/server-config";
import { actionsOfRole, ingressToRole, instancesWithRole, portsFrom, roleOfInstance, statementsOfRole } from "../support/reachability";
import { TfJson, referenced, resourcesOf, synthStack, testConfig } from "../support/synth";
import { publishedBackends } from "../support/rendered-files";

const json = synthStack("stage3-scale-up");
const ADMIN = "203.0.113.0/24";
const subnetOf = (instance: Record<string, any>) => referenced(json, instance.subnet_id).config;

describe("stage3-scale-up", () => {
  it("has two VPCs in two regions joined by peering with routes on both sides", () => {
    const vpcs = resourcesOf(json, "aws_vpc").map(([, v]) => [v.cidr_block, v.provider ?? "aws"]);
    expect(vpcs.sort()).toEqual([["10.13.0.0/16", "aws"], ["10.23.0.0/16", "aws.secondary"]]);
    const routes = resourcesOf(json, "aws_route").map(([, r]) => r).filter((r) => r.vpc_peering_connection_id);
    expect(routes.filter((r) => r.destination_cidr_block === "10.23.0.0/16").length).toBeGreaterThan(0);
    expect(routes.filter((r) => r.destination_cidr_block === "10.13.0.0/16").length).toBeGreaterThan(0);
    expect(routes.some((r) => r.destination_cidr_block === "0.0.0.0/0")).toBe(false);
  });

  describe("HAProxy + keepalived pair", () => {
    const lbs = instancesWithRole(json, "load-balancer");
    it("runs two nodes in two AZs' public subnets with fixed private IPs", () => {
      expect(lbs).toHaveLength(2);
      const subnets = lbs.map(([, i]) => subnetOf(i));
      expect(subnets.map((s) => s.tags.Tier)).toEqual(["public", "public"]);
      expect(new Set(subnets.map((s) => s.availability_zone)).size).toBe(2);
      expect(lbs.map(([, i]) => i.private_ip)).toEqual(["10.13.0.10", "10.13.16.10"]);
      lbs.forEach(([, i], n) => expect(cidrContains(subnets[n].cidr_block, i.private_ip)).toBe(true));
    });
    it("\"one Elastic IP that Terraform allocates but never associates\" (and \"ignores changes to its association\")", () => {
      const eips = resourcesOf(json, "aws_eip").filter(([, e]) => e.tags.Name.endsWith("-entry"));
      expect(eips).toHaveLength(1);
      const [[, eip]] = eips;
      expect(eip.instance).toBeUndefined();
      expect(eip.network_interface).toBeUndefined();
      expect(resourcesOf(json, "aws_eip_association")).toHaveLength(0);
      expect(eip.lifecycle.ignore_changes).toEqual(expect.arrayContaining(["instance", "network_interface"]));
    });
    it("grants only what the failover and sync scripts need, scoped to the EIP and the pair", () => {
      const role = roleOfInstance(json, lbs[0][0]);
      expect(roleOfInstance(json, lbs[1][0])).toBe(role);
      expect(actionsOfRole(json, role)).toEqual(
        ["ec2:AssociateAddress", "ec2:AssociateAddress", "ec2:DescribeAddresses", "ec2:DisassociateAddress", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "ssm:GetParameter", "ssm:GetParameter", "ssm:GetParameters", "ssm:PutParameter"].sort(),
      );
      const statements = resourcesOf(json, "aws_iam_role_policy").map(([, p]) => JSON.parse(p.policy)).flatMap((d) => d.Statement);
      const eip = statements.find((st) => st.Sid === "MoveTheElasticIp");
      expect(eip.Resource).toMatch(/^arn:aws:ec2:us-east-1:\*:elastic-ip\/\$\{aws_eip\..*\.allocation_id\}$/);
      const onto = statements.find((st) => st.Sid === "OntoThePairOnly");
      expect(onto.Action).toEqual(["ec2:AssociateAddress"]);
      expect(onto.Condition).toEqual({ StringEquals: { "aws:ResourceTag/LoadBalancerPair": "webplat-dev-stage3" } });
      for (const [, lb] of lbs) expect(lb.tags.LoadBalancerPair).toBe("webplat-dev-stage3");
      // The pinned certificates: read-only, exactly the web servers' slots.
      const pin = statements.find((st) => st.Sid === "PinWebTlsCertificates");
      expect(pin.Action).toEqual(["ssm:GetParameters"]);
      const slots = resourcesOf(json, "aws_ssm_parameter").filter(([, p]) => String(p.name).includes("/tls/web/")).map(([n]) => `\${aws_ssm_parameter.${n}.arn}`);
      expect(slots).toHaveLength(4);
      expect([...pin.Resource].sort()).toEqual(slots.sort());
      // No other instance carries the pair's tag.
      expect(resourcesOf(json, "aws_instance").filter(([, i]) => i.tags?.LoadBalancerPair)).toHaveLength(2);
    });
    it("admits 80/443 from the internet and VRRP only between the pair", () => {
      const rules = ingressToRole(json, "load-balancer");
      expect(portsFrom(rules, (s) => s === "0.0.0.0/0")).toEqual([443, 80]);
      const vrrp = rules.filter((r) => r.protocol === "112");
      expect(vrrp).toHaveLength(1);
      expect(vrrp[0].source).toBe(`sg:${vrrp[0].group}`);
    });
    it("configures keepalived with the peer's address and the EIP allocation known at apply time", () => {
      const [[, a], [, b]] = lbs;
      const keepalivedA = fileFromCloudConfig(unescapeTerraformTemplate(a.user_data), KEEPALIVED_CONF_PATH);
      expect(keepalivedA).toMatch(/unicast_src_ip 10\.13\.0\.10/);
      expect(keepalivedA).toMatch(/unicast_peer \{\s*10\.13\.16\.10\s*\}/);
      expect(b.user_data).toMatch(/\$\{aws_eip\.[^.]+\.allocation_id\}/);
    });
    it("\"node A becomes the first MASTER\": keepalived priorities strictly ordered, A highest; both start BACKUP with nopreempt", () => {
      const conf = (suffix: string) => {
        const [[, lb]] = lbs.filter(([, i]) => i.tags.Name.endsWith(suffix));
        return fileFromCloudConfig(unescapeTerraformTemplate(lb.user_data), KEEPALIVED_CONF_PATH);
      };
      const [a, b] = [conf("-lb-a"), conf("-lb-b")];
      const priority = (c: string) => Number(/^\s*priority (\d+)$/m.exec(c)![1]);
      expect(priority(a)).toBeGreaterThan(priority(b));
      expect([priority(a), priority(b)]).toEqual([150, 100]);
      for (const c of [a, b]) {
        expect(c).toMatch(/^\s*state BACKUP$/m);
        expect(c).toMatch(/^\s*nopreempt$/m);
        expect(c.match(/^\s*priority /gm)).toHaveLength(1);
      }
      // Node A is the one in the first AZ, with the first fixed address.
      expect(a).toMatch(/unicast_src_ip 10\.13\.0\.10/);
      expect(b).toMatch(/unicast_src_ip 10\.13\.16\.10/);
    });
    it("names the interface Debian 12 gives the instance type (ens5 on Nitro, eth0 on Xen)", () => {
      const keepalived = (json: TfJson) =>
        fileFromCloudConfig(unescapeTerraformTemplate(instancesWithRole(json, "load-balancer")[0][1].user_data), KEEPALIVED_CONF_PATH);
      expect(keepalived(json)).toMatch(/interface ens5/);
      expect(keepalived(synthStack("stage3-scale-up", testConfig({ instanceTypes: { loadBalancer: "t2.micro" } })))).toMatch(/interface eth0/);
    });
    it("balances over all four web servers, published in SSM rather than baked into the user data", () => {
      const web = instancesWithRole(json, "web").map(([, i]) => `${i.private_ip}:443`);
      expect(publishedBackends("stage3-scale-up").sort()).toEqual(web.sort());
      for (const [, lb] of lbs) for (const backend of web) expect(lb.user_data).not.toContain(backend);
    });
    it("keeps the load balancers' user data unchanged when the fleet grows (no replacement, no outage)", () => {
      const grown = synthStack("stage3-scale-up", testConfig({ fleet: { webServers: 6 } }));
      expect(instancesWithRole(grown, "web")).toHaveLength(6);
      expect(instancesWithRole(grown, "load-balancer").map(([, i]) => i.user_data)).toEqual(lbs.map(([, i]) => i.user_data));
    });
    it("boots with an empty web backend that HAProxy accepts, then syncs it before starting", () => {
      const userData = parseCloudConfig(unescapeTerraformTemplate(lbs[0][1].user_data));
      expect(fileFromCloudConfig(unescapeTerraformTemplate(lbs[0][1].user_data), HAPROXY_BACKENDS_PATH)).not.toMatch(/^\s*server /m);
      const commands = userData.runcmd.map((c) => c.join(" "));
      expect(commands.indexOf(BACKEND_SYNC_SCRIPT_PATH)).toBeGreaterThan(-1);
      expect(commands.indexOf(BACKEND_SYNC_SCRIPT_PATH)).toBeLessThan(commands.indexOf("systemctl restart haproxy"));
    });
  });

  describe("Nginx fleet", () => {
    const web = instancesWithRole(json, "web");
    it("\"four private Nginx servers split across both regions\"", () => {
      expect(web).toHaveLength(4);
      expect(web.map(([, i]) => i.provider ?? "aws").sort()).toEqual(["aws", "aws", "aws.secondary", "aws.secondary"]);
      for (const [, i] of web) {
        expect(i.associate_public_ip_address).toBe(false);
        expect(subnetOf(i).tags.Tier).toBe("private-app");
      }
    });
    it("admits HTTPS (443) only from the load balancers, no plain HTTP, and 9100 only from monitoring", () => {
      const rules = ingressToRole(json, "web");
      const monitoringIp = instancesWithRole(json, "monitoring")[0][1].private_ip;
      expect(new Set(rules.filter((r) => r.port === 443).map((r) => r.source))).toEqual(new Set(["10.13.0.10/32", "10.13.16.10/32"]));
      expect(rules.filter((r) => r.port === 80)).toEqual([]);
      expect(new Set(rules.filter((r) => r.port === 9100).map((r) => r.source))).toEqual(new Set([`${monitoringIp}/32`]));
      expect(rules.some((r) => r.source === "0.0.0.0/0")).toBe(false);
    });
  });

  describe("monitoring", () => {
    const [[name, host]] = instancesWithRole(json, "monitoring");
    it("\"the instance role — which may only `sns:Publish` to that topic and use that key\" (besides describing instances and AZs and writing its Grafana password parameter)", () => {
      const role = roleOfInstance(json, name);
      expect(actionsOfRole(json, role)).toEqual(["ec2:DescribeAvailabilityZones", "ec2:DescribeInstances", "kms:Decrypt", "kms:Encrypt", "kms:GenerateDataKey", "kms:GenerateDataKey", "sns:Publish", "ssm:PutParameter"]);
      const statements = resourcesOf(json, "aws_iam_role_policy")
        .filter(([, p]) => String(p.role).includes(`aws_iam_role.${role}.`))
        .flatMap(([, p]) => JSON.parse(p.policy).Statement as { Action: string[]; Resource: string }[]);
      const [topicName] = resourcesOf(json, "aws_sns_topic").map(([n]) => n);
      const topic = json.resource!.aws_sns_topic[topicName] as Record<string, any>;
      expect(statements.find((s) => s.Action.includes("sns:Publish"))!.Resource).toBe(`\${aws_sns_topic.${topicName}.arn}`);
      expect(statements.find((s) => s.Action.includes("kms:GenerateDataKey"))!.Resource).toBe(topic.kms_master_key_id);
    });
    it("serves Prometheus and Grafana to the admin range only", () => {
      const rules = ingressToRole(json, "monitoring");
      expect(new Set(rules.filter((r) => r.port === 9090 || r.port === 3000).map((r) => r.source))).toEqual(new Set([ADMIN]));
      expect(host.associate_public_ip_address).toBe(false);
    });
    it("discovers hosts in both regions and scrapes the load balancers", () => {
      const prometheus = fileFromCloudConfig(unescapeTerraformTemplate(host.user_data), PROMETHEUS_CONFIG_PATH);
      expect(prometheus).toContain("region: us-east-1");
      expect(prometheus).toContain("region: us-west-2");
      expect(prometheus).toContain("10.13.0.10:8405");
    });
    it("is scraped on every host: node_exporter is installed everywhere", () => {
      for (const [, instance] of resourcesOf(json, "aws_instance")) expect(instance.user_data).toContain("prometheus-node-exporter");
    });
  });

  describe("application and database tiers", () => {
    it("keeps app servers private: HTTPS (8443) from the web servers only, the plain probe port (8080) from monitoring only", () => {
      const app = instancesWithRole(json, "app");
      expect(app).toHaveLength(2);
      const rules = ingressToRole(json, "app");
      const webIps = instancesWithRole(json, "web").map(([, i]) => `${i.private_ip}/32`);
      const monitoringIp = `${instancesWithRole(json, "monitoring")[0][1].private_ip}/32`;
      expect(new Set(rules.filter((r) => r.port === 8443).map((r) => r.source))).toEqual(new Set(webIps));
      expect(new Set(rules.filter((r) => r.port === 8080).map((r) => r.source))).toEqual(new Set([monitoringIp]));
    });
    it("lets the web servers open connections to the app servers (egress matches the app tier's ingress)", () => {
      const appIps = instancesWithRole(json, "app").map(([, i]) => `${i.private_ip}/32`);
      const webGroups = new Set(instancesWithRole(json, "web").flatMap(([, i]) => i.vpc_security_group_ids.map((g: string) => /aws_security_group\.([^.]+)\.id/.exec(g)![1])));
      expect(webGroups.size).toBe(2); // one per region
      for (const group of webGroups) {
        const egress = resourcesOf(json, "aws_vpc_security_group_egress_rule").map(([, r]) => r).filter((r) => r.security_group_id.includes(group) && r.from_port === 8443);
        expect(new Set(egress.map((r) => r.cidr_ipv4))).toEqual(new Set(appIps));
      }
    });
    it("runs RDS Multi-AZ, encrypted, private, reachable from the app tier only", () => {
      const [, db] = resourcesOf(json, "aws_db_instance").find(([, d]) => d.replicate_source_db === undefined)!;
      expect(db).toMatchObject({ multi_az: true, storage_encrypted: true, publicly_accessible: false, manage_master_user_password: true });
      const dbGroup = /aws_security_group\.([^.]+)\.id/.exec(db.vpc_security_group_ids[0])![1];
      const appGroup = /aws_security_group\.([^.]+)\.id/.exec(instancesWithRole(json, "app")[0][1].vpc_security_group_ids[0])![1];
      const rules = resourcesOf(json, "aws_vpc_security_group_ingress_rule").map(([, r]) => r).filter((r) => r.security_group_id.includes(dbGroup));
      expect(rules).toHaveLength(1);
      expect(rules[0]).toMatchObject({ from_port: 3306 });
      expect(rules[0].referenced_security_group_id).toContain(appGroup);
    });

    it("proxies every web server to exactly the app servers the stack creates, on the port their firewall opens", () => {
      const appIps = instancesWithRole(json, "app").map(([, i]) => String(i.private_ip));
      for (const size of [2, 3]) {
        const sized = size === 2 ? json : synthStack("stage3-scale-up", testConfig({ fleet: { appServers: size } }));
        const ips = instancesWithRole(sized, "app").map(([, i]) => String(i.private_ip));
        expect(ips).toHaveLength(size);
        for (const [, web] of instancesWithRole(sized, "web")) {
          const nginx = fileFromCloudConfig(unescapeTerraformTemplate(web.user_data), "/etc/nginx/nginx.conf");
          expect([...nginx.matchAll(/^\s*server (\S+) max_fails/gm)].map((m) => m[1]).sort()).toEqual(ips.map((ip) => `${ip}:8443`).sort());
        }
      }
      // The app servers admit exactly the web servers on that port.
      const webIps = instancesWithRole(json, "web").map(([, i]) => `${i.private_ip}/32`);
      expect(ingressToRole(json, "app").filter((r) => r.port === 8443).map((r) => r.source).sort()).toEqual(webIps.sort());
      expect(appIps).toHaveLength(2);
    });

    it("app servers \"may read only the database's managed secret\": the secret read grant names exactly the primary's managed secret, the decrypt grant exactly its key", () => {
      const [primaryName, primary] = resourcesOf(json, "aws_db_instance").find(([, d]) => d.replicate_source_db === undefined)!;
      const roles = new Set(instancesWithRole(json, "app").map(([name]) => roleOfInstance(json, name)));
      expect(roles.size).toBe(1);
      const statements = statementsOfRole(json, [...roles][0]);
      expect(statements.filter((st) => st.Action.some((a) => a.startsWith("secretsmanager:")))).toEqual([
        expect.objectContaining({ Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [`\${aws_db_instance.${primaryName}.master_user_secret[0].secret_arn}`] }),
      ]);
      expect(statements.filter((st) => st.Action.some((a) => a.startsWith("kms:")))).toEqual([
        expect.objectContaining({ Effect: "Allow", Action: ["kms:Decrypt"], Resource: [primary.master_user_secret_kms_key_id] }),
      ]);
      // Only the app tier reads a secret: web servers, load balancers and monitoring never do.
      const readers = resourcesOf(json, "aws_iam_role_policy").filter(([, p]) => String(p.policy).includes("secretsmanager:"));
      expect(readers.map(([, p]) => p.role)).toEqual([expect.stringContaining(`aws_iam_role.${[...roles][0]}.`)]);
    });
    it("reads from a replica of the primary again, and the app servers are told so", () => {
      const databases = resourcesOf(json, "aws_db_instance");
      expect(databases).toHaveLength(2);
      const [primaryName] = databases.find(([, d]) => d.replicate_source_db === undefined)!;
      const [replicaName, replica] = databases.find(([, d]) => d.replicate_source_db !== undefined)!;
      expect(replica.replicate_source_db).toBe(`\${aws_db_instance.${primaryName}.identifier}`);
      const userData = String(instancesWithRole(json, "app")[0][1].user_data);
      expect(userData).toContain(`DB_WRITER_HOST=\${aws_db_instance.${primaryName}.address}`);
      expect(userData).toContain(`DB_READER_HOST=\${aws_db_instance.${replicaName}.address}`);
    });
  });

  it("points the Namecheap records at the pair's Elastic IP", () => {
    const [[, records]] = resourcesOf(json, "namecheap_domain_records");
    expect(new Set(records.record.map((r: { address: string }) => r.address)).size).toBe(1);
    expect(records.record[0].address).toMatch(/^\$\{aws_eip\.load-balancers_eip_[^.]+\.public_ip\}$/);
  });
  it("outputs what a reviewer needs, each with a description", () => {
    for (const name of ["entry_ip", "site_names", "load_balancer_private_ips", "web_private_ips", "grafana_url", "database_endpoint"]) {
      expect(json.output?.[name]?.description?.length).toBeGreaterThan(10);
    }
  });
});
