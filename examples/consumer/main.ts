/**
 * A team's own cdktf app built from the staged-web-platform modules, as it would be
 * written outside this repository: everything comes from the installed package.
 *
 *   user → Namecheap A @, www → Elastic IP → HAProxy pair → 2 private Nginx
 *   plus an auto-scaled worker group (a warm-standby building block) with its own user data.
 *
 * The policy gate checks the stack at synth; one finding is suppressed with a reason.
 */
import { App, TerraformStack, LocalBackend } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { LbTargetGroup } from "@cdktf/provider-aws/lib/lb-target-group";
import { writeFileSync } from "fs";
import { join } from "path";
// The root entry point and per-module entry points both work.
import { Network, NginxFleet, HaproxyPair, Firewall, Port, Peer } from "staged-web-platform";
import { NamecheapRecords, namecheapProvider } from "staged-web-platform/dns";
import { AutoScaledFleet } from "staged-web-platform/warm-standby";
import { enforcePolicy, formatReportJson, suppress } from "staged-web-platform/policy";

const REGION = "eu-central-1";
const AMI = "ami-0a1b2c3d4e5f60718"; // a pinned Debian 12 image of the team's choice
const ADMIN = ["198.51.100.0/24"];

/** The team's own worker: not one of the platform's roles, so its own cloud-config. */
const WORKER_USER_DATA = `#cloud-config
package_update: true
packages: [python3]
write_files:
  - path: /usr/local/bin/worker
    permissions: "0755"
    content: |
      #!/bin/sh
      exec python3 -m http.server 8080 --bind 0.0.0.0 --directory /srv/worker
runcmd:
  - [mkdir, -p, /srv/worker]
  - [sh, -c, "echo ok > /srv/worker/healthz"]
`;

class ShopStack extends TerraformStack {
  constructor(scope: Construct, id: string) {
    super(scope, id);
    new LocalBackend(this, { path: "shop.tfstate" });
    new AwsProvider(this, "aws", { region: REGION });
    const name = "shop-prod";

    const network = new Network(this, "network", {
      name, region: REGION, cidr: "10.40.0.0/16", availabilityZones: [`${REGION}a`, `${REGION}b`],
    });
    const placement = { region: REGION, vpcId: network.vpcId, subnets: network.subnets("private-app"), ami: AMI };
    const lbSubnets = network.subnets("public").slice(0, 2);

    const web = new NginxFleet(this, "web", {
      name, count: 2, placements: [placement],
      allowHttpFrom: ["10.40.0.10", "10.40.16.10"], // the HAProxy pair's fixed addresses (host 10 of each public subnet)
      monitoringCidrs: ["10.40.64.0/20"],
      sshCidrs: ADMIN,
    });
    const pair = new HaproxyPair(this, "entry", {
      region: REGION, name, vpcId: network.vpcId, subnets: lbSubnets, ami: AMI,
      backends: web.backends, domain: "shop.example.com", additionalNames: ["www.shop.example.com"],
      letsEncryptEmail: "ops@example.com", monitoringCidrs: ["10.40.64.0/20"], sshCidrs: ADMIN,
    });

    namecheapProvider(this, "namecheap");
    new NamecheapRecords(this, "dns", { domain: "example.com", address: pair.elasticIp, hostnames: ["shop", "www.shop"] });

    // Workers: an auto-scaled group (warm-standby building block) with the team's own user data.
    const workers = new Firewall(this, "workers-firewall", {
      vpcId: network.vpcId, name: `${name}-workers`, description: "workers: 8080 from the web tier",
    });
    workers.allowFrom(Peer.ipv4("10.40.0.0/16"), Port.tcp(8080), "Worker API from inside the VPC");
    const targets = new LbTargetGroup(this, "workers-targets", {
      name: `${name}-workers`, port: 8080, protocol: "HTTP", vpcId: network.vpcId,
      healthCheck: { path: "/healthz", protocol: "HTTP" },
    });
    const fleet = new AutoScaledFleet(this, "workers", {
      name: `${name}-workers`, role: "worker", instanceType: "t3.micro", ami: AMI,
      subnetIds: network.subnetIds("private-app"), securityGroupIds: [workers.securityGroupId],
      targetGroupArn: targets.arn, capacity: { min: 1, desired: 1, max: 3 }, userData: WORKER_USER_DATA,
    });
    // The one deliberate exception, audited in the JSON: a fixed-size group until load is known.
    suppress(fleet.node.findChild("group"), "ASG-SCALING-POLICY", "batch workers run at a fixed size until the first load test sets targets");
  }
}

const app = new App();
new ShopStack(app, "shop");
const gate = enforcePolicy(app, { report: false });
app.synth();
// The gate's report, for people (stderr) and for the proof script (policy.json next to the stacks).
writeFileSync(join(app.outdir, "policy.json"), formatReportJson(gate.evaluations) + "\n");
