/**
 * Promises of the root README's stack sections ("The two commands" through
 * "Stack twins", issue 16) that no other stack test asserted: each test name
 * quotes the README words and synthesizes the stack(s) it speaks about.
 * Already asserted elsewhere: stage 0's VPC, host, firewall and records
 * (__tests__/foundation/stage0.test.ts), stage 1/2/3 structure and the
 * weaknesses each stage removes (stage1-and-2.test.ts, stage3.test.ts), the
 * side-by-side CIDR and DNS rules (side-by-side.test.ts), the resource counts
 * (compared by `npm run plan:offline`).
 */
import { X509Certificate } from "crypto";
import { readFileSync } from "fs";
import { join } from "path";
import { fileFromCloudConfig, parseCloudConfig } from "../../modules/core/cloud-config";
import { unescapeTerraformTemplate } from "../../modules/core/terraform-text";
import {
  ALERT_RULES_PATH,
  HAPROXY_BACKENDS_PATH,
  HAPROXY_CFG_PATH,
  NGINX_CONF_PATH,
  PROMETHEUS_CONFIG_PATH,
  REFERENCE_APP_PATH,
  REFERENCE_APP_UNIT_PATH,
} from "../../modules/server-config";
import { STACK_NAMES } from "../../stacks";
import { ingressToRole, instancesWithRole, portsFrom, roleOfInstance, statementsOfRole } from "../support/reachability";
import { userDataOf } from "../support/rendered-files";
import { TfJson, resourcesOf, synthStack, testConfig } from "../support/synth";

const userData = (instance: Record<string, any>) => unescapeTerraformTemplate(instance.user_data);
const fileOf = (instance: Record<string, any>, path: string) => fileFromCloudConfig(userData(instance), path);
const prefixOf = (stack: string) => `webplat-dev-${stack.split("-")[0]}`;
/** The hosts that run the application in stages 0-3, by the Role tag. */
const APP_HOSTS: [string, string][] = [
  ["stage0-single-server", "single-server"],
  ["stage1-distributed", "web"],
  ["stage2-secured-monitored", "web"],
  ["stage3-scale-up", "app"],
];
const LOAD_BALANCED = ["stage1-distributed", "stage2-secured-monitored", "stage3-scale-up"];

/** Attributes that name a resource in the account or region (a second stage with the same name would collide). */
const NAME_ATTRIBUTES = ["name", "name_prefix", "identifier", "bucket", "bucket_prefix", "function_name", "repository_name"];

/**
 * Every name of a stack's resources that is not a reference, as "type.name.attribute=value": the naming
 * attributes above and the Name tag. Left out, because their scope is already the stage's own: inline role
 * policies (named within their role) and Route 53 records and zones (in stage 4's own zones). A target group's
 * `name_prefix` (six characters, made unique by Terraform) is left out as the README says; its Name tag is kept.
 */
function namesOf(json: TfJson): string[] {
  return Object.entries(json.resource ?? {}).flatMap(([type, byName]) =>
    type === "aws_iam_role_policy" || type.startsWith("aws_route53_")
      ? []
      : Object.entries(byName).flatMap(([name, r]) => {
          const resource = r as Record<string, any>;
          const attributes = type === "aws_lb_target_group" ? NAME_ATTRIBUTES.filter((k) => k !== "name_prefix") : NAME_ATTRIBUTES;
          const values = attributes.map((k) => [k, resource[k]]).concat([["tags.Name", resource.tags?.Name]]);
          return values.filter(([, v]) => typeof v === "string" && !/^\$\{[^}]+\}$/.test(v)).map(([k, v]) => `${type}.${name}.${k}=${v}`);
        }),
  );
}

describe("README, The two commands", () => {
  const root = join(__dirname, "../..");
  const readme = readFileSync(join(root, "README.md"), "utf8");
  const section = readme.slice(readme.indexOf("## The two commands"), readme.indexOf("## Stacks"));

  it("\"Other scripts: npm run synth ..., npm run generate:namecheap\": every `npm run <script>` the section names is a script of package.json", () => {
    const scripts = Object.keys(JSON.parse(readFileSync(join(root, "package.json"), "utf8")).scripts);
    const named = [...section.matchAll(/npm run ([a-z][a-z:-]*)/g)].map((m) => m[1]);
    expect(named.length).toBeGreaterThan(10);
    expect(named.filter((name) => !scripts.includes(name))).toEqual([]);
  });

  it("\"npm run setup   # npm ci, Debian validators (...), synth every stack\" and \".ci/run does exactly the two commands above with CI=true\"", () => {
    const pkg = JSON.parse(readFileSync(join(root, "package.json"), "utf8"));
    expect(pkg.scripts.setup).toBe("bash scripts/setup.sh");
    const setup = readFileSync(join(root, "scripts/setup.sh"), "utf8").replace(/^\s*#.*$/gm, "");
    expect(setup).toMatch(/^npm ci\b/m);
    expect(setup).toMatch(/bash scripts\/install-validators\.sh/);
    expect(setup).toMatch(/main\.ts$/m);
    const validators = readFileSync(join(root, "scripts/install-validators.sh"), "utf8");
    // The script maps each tool it needs to the Debian package providing it.
    for (const tool of ["haproxy", "keepalived", "nginx", "prometheus", "prometheus-alertmanager", "prometheus-blackbox-exporter", "shellcheck", "yamllint"]) {
      expect(validators).toMatch(new RegExp(`^\\s*\\[${tool}\\]=\\S+$`, "m"));
    }
    const ci = readFileSync(join(root, ".ci/run"), "utf8").split("\n").filter((l) => l.trim() !== "" && !l.startsWith("#") && !l.startsWith("set ") && !l.startsWith("cd "));
    expect(ci).toEqual(["export CI=true CHECKPOINT_DISABLE=1", "bash scripts/setup.sh", "npm test"]);
  });
});

describe("README, The two commands: Terraform version", () => {
  it.each(STACK_NAMES)("%s: \"the Terraform CLI ≥ 1.10 (≥ 1.11 for stage 4)\" is what the stack requires", (stack) => {
    expect(synthStack(stack).terraform?.required_version).toBe(stack === "stage4-warm-standby" ? ">= 1.11" : ">= 1.10");
  });
});

describe("README, Stacks: stages side by side", () => {
  it.each(STACK_NAMES)("\"every name carries the stage\": every name and Name tag of %s carries <project>-<environment>-<stageN> (stage 4: or is a name in its own delegated subdomain)", (stack) => {
    const names = namesOf(synthStack(stack));
    expect(names.length).toBeGreaterThan(10);
    const own = (value: string) => value.includes(prefixOf(stack)) || (stack === "stage4-warm-standby" && /(^|[ .*])app\.example\.com( |$)/.test(value));
    expect(names.filter((n) => !own(n.slice(n.indexOf("=") + 1)))).toEqual([]);
  });

  it.each(["stage2-secured-monitored", "stage3-scale-up"])("%s: \"monitoring discovers only its own stack's hosts (Project, Environment and Stack tags)\"", (stack) => {
    const [[, monitoring]] = instancesWithRole(synthStack(stack), "monitoring");
    const prometheus = fileOf(monitoring, PROMETHEUS_CONFIG_PATH);
    const jobs = prometheus.split(/\n(?=\s*- job_name:)/).filter((job) => job.includes("ec2_sd_configs"));
    expect(jobs.length).toBeGreaterThan(0);
    for (const job of jobs) {
      for (const [key, value] of [["Project", "webplat"], ["Environment", "dev"], ["Stack", stack]]) {
        expect(job).toMatch(new RegExp(`name: "tag:${key}"\\s*\\n\\s*values: \\[?"?${value}"?`));
      }
    }
  });

  it("\"stage 4 publishes only its own delegated subdomain\": its Namecheap records are the subdomain's NS records, whatever dns.liveStage says", () => {
    for (const liveStage of ["stage3-scale-up", "none"]) {
      const json = synthStack("stage4-warm-standby", testConfig({ dns: { liveStage } }));
      const records = resourcesOf(json, "namecheap_domain_records").flatMap(([, r]) => r.record as { hostname: string; type: string }[]);
      expect(records.length).toBeGreaterThan(0);
      expect(new Set(records.map((r) => `${r.type} ${r.hostname}`))).toEqual(new Set(["NS app"]));
    }
  });
});

describe("README, Moving a live site from stage N to N+1", () => {
  it("\"dns.ttl, 300 s by default\": every record the live stage publishes has TTL 300", () => {
    const [[, records]] = resourcesOf(synthStack("stage3-scale-up"), "namecheap_domain_records");
    expect(records.record.map((r: { ttl: number }) => r.ttl)).toEqual([300, 300]);
  });

  it.each(["stage1-distributed", "stage2-secured-monitored", "stage3-scale-up", "stage4-warm-standby"])("%s: \"its databases have deletion protection\"", (stack) => {
    const dbs = resourcesOf(synthStack(stack), "aws_db_instance");
    expect(dbs.length).toBeGreaterThan(0);
    expect(dbs.filter(([, db]) => db.deletion_protection !== true).map(([name]) => name)).toEqual([]);
  });
});

describe("README, stage0-single-server", () => {
  it("\"Outputs: public_ip, site_names, instance_id, operator_role_arn\"", () => {
    expect(Object.keys(synthStack("stage0-single-server").output ?? {}).sort()).toEqual(["instance_id", "operator_role_arn", "public_ip", "site_names"]);
  });

  it("\"one hardened host (IMDSv2, encrypted gp3) whose Elastic IP is attached to its network interface before it boots\": Terraform creates the instance only after the Elastic IP", () => {
    const json = synthStack("stage0-single-server");
    const [[, host]] = instancesWithRole(json, "single-server");
    expect(host.metadata_options.http_tokens).toBe("required");
    expect(host.root_block_device).toMatchObject({ volume_type: "gp3", encrypted: true });
    const [[eipName, eip]] = resourcesOf(json, "aws_eip");
    expect(eip.network_interface).toBe(host.network_interface[0].network_interface_id);
    expect(host.depends_on).toEqual([`aws_eip.${eipName}`]);
  });

  it("\"the app's password is made on the host at first boot and handed to the service as a systemd credential; it never appears in user data\"", () => {
    const [[, host]] = instancesWithRole(synthStack("stage0-single-server"), "single-server");
    const text = userData(host);
    expect(text).toMatch(/openssl rand -hex 24 >\/etc\/platform\/db-password/);
    expect(fileOf(host, REFERENCE_APP_UNIT_PATH)).toMatch(/^LoadCredential=db-password:\/etc\/platform\/db-password$/m);
    expect(text).not.toMatch(/DB_PASSWORD=|IDENTIFIED BY '[^$]|password=["']?[A-Za-z0-9]{8,}/i);
  });

  it("\"No TLS\": Nginx listens on :80 only and nothing asks for a certificate", () => {
    const [[, host]] = instancesWithRole(synthStack("stage0-single-server"), "single-server");
    const nginx = fileOf(host, NGINX_CONF_PATH);
    const listens = [...nginx.matchAll(/^\s*listen\s+([^;\s]+)/gm)].map((m) => m[1]);
    expect(listens.filter((a) => !a.startsWith("127.0.0.1:"))).toEqual(["80"]);
    expect(nginx).not.toMatch(/\bssl\b|listen 443/);
    expect(userData(host)).not.toMatch(/certbot/);
  });
});

describe("README, stage1-distributed", () => {
  it("\"VPC with public, private-app and private-data subnets in two AZs\"", () => {
    const subnets = resourcesOf(synthStack("stage1-distributed"), "aws_subnet").map(([, s]) => s);
    const tiers = new Map<string, Set<string>>();
    for (const s of subnets) tiers.set(s.tags.Tier, (tiers.get(s.tags.Tier) ?? new Set()).add(s.availability_zone));
    expect([...tiers.keys()].sort()).toEqual(["private-app", "private-data", "public"]);
    for (const zones of tiers.values()) expect(zones.size).toBe(2);
  });

  it.each(["stage1-distributed", "stage2-secured-monitored"])("%s: \"one HAProxy load balancer (public, Elastic IP)\" boots with its Elastic IP already attached", (stack) => {
    const json = synthStack(stack);
    const [[, lb]] = instancesWithRole(json, "load-balancer");
    const [[eipName]] = resourcesOf(json, "aws_eip").filter(([, e]) => e.network_interface === lb.network_interface[0].network_interface_id);
    expect(lb.depends_on).toEqual([`aws_eip.${eipName}`]);
  });

  it("\"HAProxy (:80, round-robin)\": plain HTTP on 80, roundrobin over the web servers", () => {
    const [[, lb]] = instancesWithRole(synthStack("stage1-distributed"), "load-balancer");
    expect(fileOf(lb, HAPROXY_CFG_PATH)).toMatch(/^\s*bind :80$/m);
    expect(fileOf(lb, HAPROXY_CFG_PATH)).not.toMatch(/bind :443/);
    expect(fileOf(lb, HAPROXY_BACKENDS_PATH)).toMatch(/^\s*balance roundrobin$/m);
  });

  it.each(LOAD_BALANCED)("%s: \"HAProxy checks GET /readyz every second (DOWN after 2 failures)\"", (stack) => {
    for (const [, lb] of instancesWithRole(synthStack(stack), "load-balancer")) {
      const backends = fileOf(lb, HAPROXY_BACKENDS_PATH);
      expect(backends).toMatch(/^\s*http-check send meth GET uri \/readyz /m);
      expect(backends).toMatch(/^\s*default-server check inter 1000ms fall 2 /m);
    }
  });
});

describe("README, stage2-secured-monitored", () => {
  it("\"load balancer 80/443 from the internet\" and \"monitoring 9090/3000 only from the admin range\"", () => {
    const json = synthStack("stage2-secured-monitored");
    expect(portsFrom(ingressToRole(json, "load-balancer"), (s) => s === "0.0.0.0/0")).toEqual([443, 80]);
    const monitoring = ingressToRole(json, "monitoring").filter((r) => r.port === 9090 || r.port === 3000);
    expect(monitoring.map((r) => `${r.port} ${r.source}`).sort()).toEqual(["3000 203.0.113.0/24", "9090 203.0.113.0/24"]);
  });

  it("\"HTTP redirects to HTTPS, except the ACME challenge path\"", () => {
    const [[, lb]] = instancesWithRole(synthStack("stage2-secured-monitored"), "load-balancer");
    const cfg = fileOf(lb, HAPROXY_CFG_PATH);
    const http = /frontend http_in\n([\s\S]*?)\n\n/.exec(cfg)![1];
    expect(http).toContain("acl acme_challenge path_beg /.well-known/acme-challenge/");
    expect(http).toContain("http-request redirect scheme https code 301 unless acme_challenge");
    expect(http).not.toMatch(/default_backend/);
  });

  it("\"one Let's Encrypt certificate for every published name (apex and www by default)\"", () => {
    const [[, lb]] = instancesWithRole(synthStack("stage2-secured-monitored"), "load-balancer");
    const files = parseCloudConfig(userData(lb)).write_files;
    const requests = files.flatMap((f) => [...f.content.matchAll(/^certbot certonly (?:[^\n]*\\\n)*[^\n]*$/gm)].map((m) => ({ file: f.content, command: m[0] })));
    expect(requests).toHaveLength(1);
    const domain = /^DOMAIN="([^"]+)"$/m.exec(requests[0].file)![1];
    const names = [...requests[0].command.matchAll(/ -d (\S+)/g)].map((m) => m[1].replace('"$DOMAIN"', domain));
    expect(names).toEqual(["example.com", "www.example.com"]);
  });
});

describe("README, stage3-scale-up", () => {
  it("\"Nginx upstream over every application server (port 8443; a failed server is skipped for 10 s, a request that fails or gets 502/503/504 is retried on the next)\"", () => {
    const json = synthStack("stage3-scale-up");
    const apps = instancesWithRole(json, "app").map(([, i]) => `${i.private_ip}:8443`).sort();
    for (const [, web] of instancesWithRole(json, "web")) {
      const nginx = fileOf(web, NGINX_CONF_PATH);
      const servers = [...nginx.matchAll(/^\s*server (\S+:8443) ([^;]*);/gm)];
      expect(servers.map((m) => m[1]).sort()).toEqual(apps);
      for (const m of servers) expect(m[2]).toBe("max_fails=1 fail_timeout=10s");
      expect(nginx).toMatch(/^\s*proxy_next_upstream error timeout http_502 http_503 http_504;$/m);
    }
  });

  it("TLS table, \"HAProxy → Nginx (both regions) | 443 | ... | ssl verify required ca-file /etc/haproxy/certs/backend-trust.pem verifyhost web.<prefix>.internal\"", () => {
    const json = synthStack("stage3-scale-up");
    const webs = instancesWithRole(json, "web").map(([, i]) => `${i.private_ip}:443`).sort();
    expect(resourcesOf(json, "aws_ssm_parameter").find(([, p]) => String(p.name).endsWith("/haproxy/backends"))![1].value.split(",").sort()).toEqual(webs);
    for (const [, lb] of instancesWithRole(json, "load-balancer")) {
      expect(fileOf(lb, HAPROXY_BACKENDS_PATH)).toContain("ssl verify required ca-file /etc/haproxy/certs/backend-trust.pem verifyhost web.webplat-dev-stage3.internal");
    }
  });

  it("TLS table, \"Nginx → application server | 8443 | ... | proxy_ssl_verify on, proxy_ssl_trusted_certificate /etc/platform/tls/upstream-trust.pem, proxy_ssl_name app.<prefix>.internal\"", () => {
    for (const [, web] of instancesWithRole(synthStack("stage3-scale-up"), "web")) {
      const nginx = fileOf(web, NGINX_CONF_PATH);
      expect(nginx).toMatch(/^\s*proxy_ssl_verify on;$/m);
      expect(nginx).toMatch(/^\s*proxy_ssl_trusted_certificate \/etc\/platform\/tls\/upstream-trust\.pem;$/m);
      expect(nginx).toMatch(/^\s*proxy_ssl_name app\.webplat-dev-stage3\.internal;$/m);
    }
  });

  it("\"Defaults are free-tier sized (t3.micro, db.t3.micro)\"", () => {
    const json = synthStack("stage3-scale-up");
    expect(new Set(resourcesOf(json, "aws_instance").map(([, i]) => i.instance_type))).toEqual(new Set(["t3.micro"]));
    expect(new Set(resourcesOf(json, "aws_db_instance").map(([, d]) => d.instance_class))).toEqual(new Set(["db.t3.micro"]));
  });

  it("\"Outputs: entry_ip, site_names, load_balancer_private_ips, web_private_ips, app_private_ips, grafana_url, grafana_admin_parameter, prometheus_url, database_endpoint, database_reader_endpoint, alert_topic_arn, operator_role_arn\"", () => {
    expect(Object.keys(synthStack("stage3-scale-up").output ?? {}).sort()).toEqual(
      [
        "entry_ip", "site_names", "load_balancer_private_ips", "web_private_ips", "app_private_ips", "grafana_url", "grafana_admin_parameter",
        "prometheus_url", "database_endpoint", "database_reader_endpoint", "alert_topic_arn", "operator_role_arn",
      ].sort(),
    );
  });

  it("failover step 1: \"keepalived's check /usr/bin/pgrep -x haproxy ... fails twice at 1 s intervals\"", () => {
    for (const [, lb] of instancesWithRole(synthStack("stage3-scale-up"), "load-balancer")) {
      const conf = fileOf(lb, "/etc/keepalived/keepalived.conf");
      const script = /vrrp_script \S+ \{([^}]*)\}/.exec(conf)![1];
      expect(script).toMatch(/^\s*script "\/usr\/bin\/pgrep -x haproxy"$/m);
      expect(script).toMatch(/^\s*interval 1$/m);
      expect(script).toMatch(/^\s*fall 2$/m);
      expect(conf).not.toMatch(/pidof/);
    }
  });
});

describe("README, stage3-scale-up: alerts", () => {
  it("\"Alerts as in stage 2 plus load balancer failover, application readiness and database reachability\"", () => {
    const alerts = (stack: string) => {
      const [[, monitoring]] = instancesWithRole(synthStack(stack), "monitoring");
      return [...fileOf(monitoring, ALERT_RULES_PATH).matchAll(/^\s*- alert: (\S+)$/gm)].map((m) => m[1]);
    };
    const stage2 = alerts("stage2-secured-monitored");
    expect(stage2).toEqual(expect.arrayContaining(["HostDown", "HaproxyDown", "BackendNoHealthyServer"]));
    expect(alerts("stage3-scale-up").sort()).toEqual([...stage2, "LoadBalancerFailover", "AppNotReady", "DatabaseUnreachable"].sort());
  });
});

describe("README, stage3-scale-up: TLS between the tiers", () => {
  it("\"Terraform creates one slot per server\" at \"/<prefix>/tls/<tier>/<private IP>\"; \"a tier's role may read and write only its own tier's slots (ssm:GetParameter, ssm:PutParameter), a caller may only read its called tier's (ssm:GetParameters)\"", () => {
    const json = synthStack("stage3-scale-up");
    const slotArns = (tier: string) => {
      const slots = resourcesOf(json, "aws_ssm_parameter").filter(([, p]) => String(p.name).startsWith(`/webplat-dev-stage3/tls/${tier}/`));
      const ips = instancesWithRole(json, tier).map(([, i]) => `/webplat-dev-stage3/tls/${tier}/${i.private_ip}`);
      expect(slots.map(([, p]) => p.name).sort()).toEqual(ips.sort());
      return slots.map(([n]) => `\${aws_ssm_parameter.${n}.arn}`).sort();
    };
    const web = slotArns("web");
    const app = slotArns("app");
    expect([web.length, app.length]).toEqual([4, 2]);
    type Grant = { actions: string; resources: string[] };
    /** The SSM grants on slots of each IAM role the tier's instances use (the web tier has one per region). */
    const slotGrantsPerRole = (tier: string): Grant[][] =>
      [...new Set(instancesWithRole(json, tier).map(([name]) => roleOfInstance(json, name)))].map((role) =>
        statementsOfRole(json, role)
          .filter((st) => st.Action.some((a) => a.startsWith("ssm:")) && st.Resource.some((r) => /tls/.test(r) || web.includes(r) || app.includes(r)))
          .map((st) => ({ actions: [...st.Action].sort().join(","), resources: [...st.Resource].sort() })),
      );
    for (const [tier, own, called] of [["web", web, app], ["app", app, [] as string[]]] as const) {
      const perRole = slotGrantsPerRole(tier);
      expect(perRole.length).toBeGreaterThan(0);
      const written: string[] = [];
      for (const grants of perRole) {
        for (const g of grants) {
          if (g.actions === "ssm:GetParameters") expect(g.resources).toEqual(called);
          else {
            expect(g.actions).toBe("ssm:GetParameter,ssm:PutParameter");
            expect(g.resources.filter((r) => !own.includes(r))).toEqual([]);
            written.push(...g.resources);
          }
        }
        expect(grants.filter((g) => g.actions === "ssm:GetParameters")).toHaveLength(called.length > 0 ? 1 : 0);
      }
      expect([...new Set(written)].sort()).toEqual([...own]);
    }
  });
});

describe("README, stage3-scale-up: the two VPCs", () => {
  it("\"Two VPCs in two regions joined by VPC peering (routes to the peer CIDR in every route table, DNS resolution across)\"", () => {
    const json = synthStack("stage3-scale-up");
    const vpcs = resourcesOf(json, "aws_vpc");
    expect(vpcs).toHaveLength(2);
    const cidrOf = (vpcRef: string) => vpcs.find(([name]) => vpcRef === `\${aws_vpc.${name}.id}`)![1].cidr_block as string;
    const peerOf = (cidr: string) => vpcs.map(([, v]) => v.cidr_block as string).find((c) => c !== cidr)!;
    const peeringRoutes = resourcesOf(json, "aws_route").map(([, r]) => r).filter((r) => r.vpc_peering_connection_id);
    const tables = resourcesOf(json, "aws_route_table");
    expect(tables.length).toBeGreaterThan(4);
    for (const [name, table] of tables) {
      const own = cidrOf(table.vpc_id);
      const routes = peeringRoutes.filter((r) => r.route_table_id === `\${aws_route_table.${name}.id}`);
      expect([name, routes.map((r) => r.destination_cidr_block)]).toEqual([name, [peerOf(own)]]);
    }
    const options = resourcesOf(json, "aws_vpc_peering_connection_options").map(([, o]) => o);
    expect(options.map((o) => o.requester?.allow_remote_vpc_dns_resolution ?? o.accepter?.allow_remote_vpc_dns_resolution)).toEqual([true, true]);
    expect(options.filter((o) => o.requester).length).toBe(1);
    expect(options.filter((o) => o.accepter).length).toBe(1);
  });
});

describe("README, stage3-scale-up: failover and changing the load balancers", () => {
  it("failover step 2: \"The BACKUP becomes MASTER and runs notify_master → /usr/local/sbin/eip-failover\"; step 4: \"it stays BACKUP (nopreempt)\"", () => {
    const lbs = instancesWithRole(synthStack("stage3-scale-up"), "load-balancer");
    expect(lbs).toHaveLength(2);
    for (const [, lb] of lbs) {
      const conf = fileOf(lb, "/etc/keepalived/keepalived.conf");
      expect(conf).toMatch(/^\s*notify_master "\/usr\/local\/sbin\/eip-failover"$/m);
      expect(conf).toMatch(/^\s*nopreempt$/m);
      expect(parseCloudConfig(userData(lb)).write_files.map((f) => f.path)).toContain("/usr/local/sbin/eip-failover");
    }
  });

  it("\"Changing the load balancers' own configuration (...their user data) replaces their instances, because ... the fixed private IPs rule out create-before-destroy\"", () => {
    for (const [, lb] of instancesWithRole(synthStack("stage3-scale-up"), "load-balancer")) {
      expect(lb.user_data_replace_on_change).toBe(true);
      expect(lb.private_ip).toMatch(/^10\.13\.\d+\.\d+$/);
      expect(lb.lifecycle?.create_before_destroy).not.toBe(true);
    }
  });
});

describe("README, stage4-warm-standby", () => {
  it("\"per region a VPC (2 public + 6 private subnets)\"", () => {
    const json = synthStack("stage4-warm-standby");
    const vpcs = resourcesOf(json, "aws_vpc");
    expect(vpcs).toHaveLength(2);
    for (const [vpcName] of vpcs) {
      const subnets = resourcesOf(json, "aws_subnet").filter(([, s]) => s.vpc_id === `\${aws_vpc.${vpcName}.id}`).map(([, s]) => s);
      expect(subnets.filter((s) => s.map_public_ip_on_launch === true || /public/.test(s.tags.Tier)).length).toBe(2);
      expect(subnets.filter((s) => !(s.map_public_ip_on_launch === true || /public/.test(s.tags.Tier))).length).toBe(6);
    }
  });
});

describe("README, The reference application", () => {
  const appSource = readFileSync(join(__dirname, "../../modules/server-config/reference-app/app.py"), "utf8");

  it.each(APP_HOSTS)("%s: \"Every stage runs the same small application\" (modules/server-config/reference-app/app.py) on its %s hosts", (stack, role) => {
    const hosts = instancesWithRole(synthStack(stack), role);
    expect(hosts.length).toBeGreaterThan(0);
    for (const [, host] of hosts) expect(fileOf(host, REFERENCE_APP_PATH)).toBe(appSource);
  });

  it("\"(stage 4 on its backend hosts)\": both regions' backend launch templates carry the same app.py, \"and in stage 4 python3-redis\"", () => {
    const templates = resourcesOf(synthStack("stage4-warm-standby"), "aws_launch_template").filter(([name]) => name.includes("backend"));
    expect(templates).toHaveLength(2);
    for (const [, template] of templates) {
      expect(fileFromCloudConfig(userDataOf(template), REFERENCE_APP_PATH)).toBe(appSource);
      expect(parseCloudConfig(userDataOf(template)).packages).toEqual(expect.arrayContaining(["python3", "python3-pymysql", "python3-boto3", "python3-redis"]));
    }
  });

  it.each(APP_HOSTS.slice(1))("%s: \"Settings come from /etc/platform/app.env, which the fleets write (DB_ENGINE, DB_WRITER_HOST, DB_READER_HOST, DB_PORT, DB_SECRET_ARN, DB_REGION\"", (stack, role) => {
    for (const [, host] of instancesWithRole(synthStack(stack), role)) {
      const keys = fileOf(host, "/etc/platform/app.env").trim().split("\n").map((line) => line.split("=")[0]);
      expect(keys.sort()).toEqual(["DB_ENGINE", "DB_PORT", "DB_READER_HOST", "DB_REGION", "DB_SECRET_ARN", "DB_WRITER_HOST"]);
    }
  });

  it("stage 4: \"and in stage 4 DB_TLS_SERVER_NAME ... and REDIS_HOST, REDIS_PORT, REDIS_USER, REDIS_CACHE_NAME\"", () => {
    const templates = resourcesOf(synthStack("stage4-warm-standby"), "aws_launch_template").filter(([name]) => name.includes("backend"));
    expect(templates).toHaveLength(2);
    for (const [, template] of templates) {
      const keys = fileFromCloudConfig(userDataOf(template), "/etc/platform/app.env").trim().split("\n").map((line) => line.split("=")[0]);
      expect(keys).toEqual(
        expect.arrayContaining(["DB_ENGINE", "DB_WRITER_HOST", "DB_READER_HOST", "DB_PORT", "DB_SECRET_ARN", "DB_REGION", "DB_TLS_SERVER_NAME", "REDIS_HOST", "REDIS_PORT", "REDIS_USER", "REDIS_CACHE_NAME"]),
      );
    }
  });

  it.each(APP_HOSTS.slice(1))("%s: \"TLS to RDS verified ... against the database region's RDS root CA (RSA2048 G1, the CA the databases are created with), vendored in modules/server-config/reference-app/rds-root-cas.pem\"", (stack, role) => {
    const json = synthStack(stack);
    const dbs = resourcesOf(json, "aws_db_instance");
    expect(dbs.length).toBeGreaterThan(0);
    for (const [, db] of dbs) expect(db.ca_cert_identifier).toBe("rds-ca-rsa2048-g1");
    const vendored = readFileSync(join(__dirname, "../../modules/server-config/reference-app/rds-root-cas.pem"), "utf8");
    for (const [, host] of instancesWithRole(json, role)) {
      const ca = fileOf(host, "/etc/platform/rds-ca.pem");
      expect(vendored).toContain(ca.trim());
      expect(new X509Certificate(ca).subject).toContain("CN=Amazon RDS us-east-1 Root CA RSA2048 G1");
      expect(fileOf(host, REFERENCE_APP_UNIT_PATH)).toMatch(/DB_TLS_CA=\/etc\/platform\/rds-ca\.pem/);
    }
  });

  it.each(APP_HOSTS)("%s: \"installed from Debian packages only (python3, python3-pymysql ..., python3-boto3 ...; nothing downloaded at boot) and run by systemd as the unprivileged platform-app user (restart on failure, logs in the journal)\"", (stack, role) => {
    const [[, host]] = instancesWithRole(synthStack(stack), role);
    const cloudConfig = parseCloudConfig(userData(host));
    // Stage 0 reads its password from a systemd credential, not Secrets Manager: no boto3 there.
    const expected = stack === "stage0-single-server" ? ["python3", "python3-pymysql"] : ["python3", "python3-pymysql", "python3-boto3"];
    expect(cloudConfig.packages).toEqual(expect.arrayContaining(expected));
    expect(cloudConfig.packages).not.toContain(stack === "stage0-single-server" ? "python3-boto3" : "python3-redis");
    const commands = (cloudConfig.runcmd ?? []).map((c: string[] | string) => (Array.isArray(c) ? c.join(" ") : c)).join("\n");
    expect(commands).not.toMatch(/\b(pip3?|curl|wget)\b/);
    const unit = fileOf(host, REFERENCE_APP_UNIT_PATH);
    expect(unit).toMatch(/^User=platform-app$/m);
    expect(unit).toMatch(/^Restart=on-failure$/m);
    expect(unit).not.toMatch(/^StandardOutput=(?!journal)/m);
  });
});

describe("README, Your own application instead", () => {
  const application = { artifact: "s3://acme-releases/shop/shop-1.4.2.tar.gz", sha256: "a".repeat(64), command: "bin/server --workers 2", environment: { LOG_LEVEL: "info" }, packages: ["libpq5"] };

  it.each(APP_HOSTS)("%s: \"same systemd unit (platform-app.service)\"; \"a new release is a new sha256 ... the hosts are replaced (user_data_replace_on_change)\"", (stack, role) => {
    const first = instancesWithRole(synthStack(stack, testConfig({ application })), role);
    const next = instancesWithRole(synthStack(stack, testConfig({ application: { ...application, sha256: "b".repeat(64) } })), role);
    expect(first.length).toBeGreaterThan(0);
    for (const [i, [, host]] of first.entries()) {
      expect(fileOf(host, REFERENCE_APP_UNIT_PATH)).toMatch(/^ExecStart=/m);
      expect(host.user_data_replace_on_change).toBe(true);
      expect(next[i][1].user_data).not.toBe(host.user_data);
    }
  });

  it("\"Not for secrets: environment is written into user data\"", () => {
    const [[, host]] = instancesWithRole(synthStack("stage1-distributed", testConfig({ application: { ...application, environment: { LOG_LEVEL: "info-marker-1234" } } })), "web");
    expect(userData(host)).toContain("info-marker-1234");
  });
});
