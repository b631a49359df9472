import { Construct } from "constructs";
import { assignableHost } from "../core/cidr";
import { PolicyStatement } from "../core/iam";
import type { NetworkSubnet } from "../network";
import type { Firewall } from "../firewall";
import { ApplicationRelease, ReferenceAppDatabase, nginxNode } from "../server-config";
import { FleetMember, FleetPlacement, ServerFleet } from "./server-fleet";

export interface NginxFleetProps {
  /** Name prefix, e.g. "webplat-stage3". */
  readonly name: string;
  /** One placement per region; with two, the fleet is split between two peered regions (per-region vCPU limits). */
  readonly placements: readonly FleetPlacement[];
  /**
   * Who may send HTTP (port 80): the load balancers' private IPs (IPs work across
   * regions, group references do not), or CIDRs. Also the proxies whose
   * X-Forwarded-For Nginx trusts.
   */
  readonly allowHttpFrom: readonly string[];
  /** Monitoring sources allowed on node_exporter's port 9100, as CIDRs. */
  readonly monitoringCidrs: readonly string[];
  /**
   * Run the reference application on every web server behind its Nginx
   * (stages 1–2), connected to this database. Excludes `appUpstreams`.
   * @default undefined (no local application)
   */
  readonly localApp?: ReferenceAppDatabase;
  /** With `localApp`: run the user's application release instead of the reference app (add `releaseReadStatements` to `policyStatements`). @default undefined */
  readonly release?: ApplicationRelease;
  /** Proxy to these "ip:port" application servers (stage 3). Excludes `localApp`. @default undefined (static site) */
  readonly appUpstreams?: readonly string[];
  /** Number of web servers, spread over placements, then AZs. @default 4 */
  readonly count?: number;
  /** Values written to the hosts' environment file (e.g. database endpoints). @default {} */
  readonly environment?: Record<string, string>;
  /** IAM statements of the hosts (e.g. reading the database secret). @default [] (Session Manager only) */
  readonly policyStatements?: readonly PolicyStatement[];
  /** EC2 instance type. @default "t3.micro" */
  readonly instanceType?: string;
  /** CIDRs allowed to SSH. @default [] (no SSH; Session Manager instead) */
  readonly sshCidrs?: readonly string[];
  /** EC2 key pair for SSH. @default none */
  readonly keyName?: string;
}

/** Private Nginx web servers: port 80 from the load balancers only, node_exporter for monitoring; a static site, the local reference app, or a proxy to the app tier. */
export class NginxFleet extends Construct {
  readonly members: readonly FleetMember[];
  /** HAProxy backends, "ip:80". */
  readonly backends: readonly string[];
  readonly privateIps: readonly string[];
  /** Security group per placement, in placement order. */
  readonly firewalls: readonly Firewall[];

  private readonly fleet: ServerFleet;

  constructor(scope: Construct, id: string, props: NginxFleetProps) {
    super(scope, id);
    const fleet = new ServerFleet(this, "servers", {
      name: props.name,
      role: "web",
      placements: props.placements,
      cloudConfig: nginxNode({ trustedProxies: props.allowHttpFrom, localApp: props.localApp, release: props.release, upstreams: props.appUpstreams }),
      ingress: [{ port: 80, from: props.allowHttpFrom, description: "HTTP from" }],
      monitoringCidrs: props.monitoringCidrs,
      count: props.count ?? 4,
      environment: props.environment,
      policyStatements: props.policyStatements,
      instanceType: props.instanceType,
      sshCidrs: props.sshCidrs,
      keyName: props.keyName,
    });
    this.fleet = fleet;
    this.members = fleet.members;
    this.firewalls = fleet.firewalls;
    this.privateIps = fleet.privateIps;
    this.backends = fleet.privateIps.map((ip) => `${ip}:80`);
  }

  /** Lets the web servers reach `destinations` (IPs or CIDRs) on `port`, e.g. the application tier. */
  allowTo(destinations: readonly string[], port: number, description: string): this {
    this.fleet.allowTo(destinations, port, description);
    return this;
  }
}

/** The fixed private IP a host gets at `hostNumber` in each subnet (public subnets: load balancers at 10; private subnets: monitoring at 10, web fleets from 20, app fleets from 120). */
export function fixedAddresses(subnets: readonly NetworkSubnet[], hostNumber: number): string[] {
  return subnets.map((s) => assignableHost(s.cidr, hostNumber));
}
