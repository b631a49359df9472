/**
 * keepalived.conf for the HAProxy pair. AWS VPCs carry no multicast and no
 * gratuitous ARP, so VRRP runs in unicast between the two private IPs and the
 * "virtual IP" that matters is the Elastic IP, which notify_master moves with
 * the AWS API (see failover-script.ts).
 * Pure: no cdktf import.
 */
import { check } from "../core/validation";
import { checkAbsolutePath, checkIntegerRange, checkIpv4, checkSimpleName } from "./inputs";

/** keepalived truncates router names longer than this. */
export const KEEPALIVED_NODE_NAME_LIMIT = 32;
import { FAILOVER_SCRIPT_PATH, KEEPALIVED_STATE_SCRIPT_PATH } from "./paths";

/**
 * Debian 12 names the ENA network interface of Nitro instance types (t3, m5,
 * c6i, …) `ens5`; Xen-based types (t2) would show `eth0` — pass `interface` then.
 */
export const DEFAULT_VRRP_INTERFACE = "ens5";

/** Health check command: `pidof` on Debian 12 is killall5 and never succeeds inside keepalived. */
export const HAPROXY_CHECK_COMMAND = "/usr/bin/pgrep -x haproxy";

export interface KeepalivedParams {
  /** Name of this node, used as router_id. */
  readonly nodeName: string;
  /** This node's private IPv4 (unicast_src_ip). */
  readonly privateIp: string;
  /** The peer's private IPv4 (unicast_peer). */
  readonly peerPrivateIp: string;
  /**
   * VRRP priority (1-254). The higher one becomes MASTER when both start;
   * afterwards `nopreempt` keeps whichever node holds the EIP.
   */
  readonly priority: number;
  /** VRRP router id shared by the pair (1-255), unique per VPC. @default 51 */
  readonly virtualRouterId?: number;
  /** Network interface carrying the private IP. @default "ens5" (Debian 12 on Nitro) */
  readonly interface?: string;
  /** Seconds between VRRP adverts. @default 1 */
  readonly advertIntervalSeconds?: number;
  /** Seconds between health checks of HAProxy. @default 1 */
  readonly checkIntervalSeconds?: number;
  /** Failed checks before the node gives up MASTER. @default 2 */
  readonly checkFall?: number;
  /** Successful checks before the node is eligible again. @default 2 */
  readonly checkRise?: number;
  /**
   * Keep the current MASTER when a higher-priority node recovers: every EIP move
   * drops open connections. Requires `state BACKUP` on both nodes, which is rendered.
   * @default true
   */
  readonly nopreempt?: boolean;
  /** Script run on the transition to MASTER. @default "/usr/local/sbin/eip-failover" */
  readonly notifyMasterScript?: string;
  /** Script run on every state change (records the state for monitoring). @default "/usr/local/sbin/keepalived-state-metric" */
  readonly notifyScript?: string;
  /**
   * VRRP PASS authentication (1-8 characters). Off by default: it is clear text on
   * the wire, would sit readable in the user data, and the security group
   * already admits protocol 112 only from the peer.
   * @default undefined (no authentication)
   */
  readonly authPassword?: string;
}

/**
 * keepalived refuses a config with no virtual_ipaddress ("No VIP specified").
 * We add a documentation-range (RFC 5737) /32 on `lo`: it never leaves the host,
 * and `ip addr show lo` shows at a glance which node is MASTER.
 */
export function masterMarkerAddress(virtualRouterId: number): string {
  return `192.0.2.${virtualRouterId}`;
}

export function renderKeepalivedConfig(params: KeepalivedParams): string {
  checkSimpleName("keepalived.nodeName", params.nodeName, KEEPALIVED_NODE_NAME_LIMIT);
  checkIpv4("keepalived.privateIp", params.privateIp);
  checkIpv4("keepalived.peerPrivateIp", params.peerPrivateIp);
  check(params.privateIp !== params.peerPrivateIp, "keepalived.peerPrivateIp", params.peerPrivateIp, "the other node's address, not this node's own privateIp");
  checkIntegerRange("keepalived.priority", params.priority, 1, 254);
  const vrid = params.virtualRouterId ?? 51;
  checkIntegerRange("keepalived.virtualRouterId", vrid, 1, 255);
  const iface = params.interface ?? DEFAULT_VRRP_INTERFACE;
  check(/^[a-zA-Z][a-zA-Z0-9_.-]{0,14}$/.test(iface), "keepalived.interface", iface, "a Linux interface name (1-15 characters) such as ens5 or eth0");
  const advert = params.advertIntervalSeconds ?? 1;
  checkIntegerRange("keepalived.advertIntervalSeconds", advert, 1, 255);
  const interval = params.checkIntervalSeconds ?? 1;
  checkIntegerRange("keepalived.checkIntervalSeconds", interval, 1, 60);
  const fall = params.checkFall ?? 2;
  const rise = params.checkRise ?? 2;
  checkIntegerRange("keepalived.checkFall", fall, 1, 10);
  checkIntegerRange("keepalived.checkRise", rise, 1, 10);
  const notify = params.notifyMasterScript ?? FAILOVER_SCRIPT_PATH;
  checkAbsolutePath("keepalived.notifyMasterScript", notify);
  const notifyAny = params.notifyScript ?? KEEPALIVED_STATE_SCRIPT_PATH;
  checkAbsolutePath("keepalived.notifyScript", notifyAny);
  if (params.authPassword !== undefined) {
    check(/^[A-Za-z0-9._-]{1,8}$/.test(params.authPassword), "keepalived.authPassword", "<redacted>", "1-8 characters of letters, digits, . _ - (VRRP PASS uses only 8)");
  }
  const nopreempt = params.nopreempt ?? true;

  const auth = params.authPassword === undefined
    ? ""
    : `    authentication {\n        auth_type PASS\n        auth_pass ${params.authPassword}\n    }\n`;
  return `# Managed by the platform's server-config renderer.
global_defs {
    router_id ${params.nodeName}
    # Run scripts only if root owns them and their directories; as root because
    # the failover hooks reload HAProxy and install certificates.
    enable_script_security
    script_user root
}

vrrp_script chk_haproxy {
    script "${HAPROXY_CHECK_COMMAND}"
    interval ${interval}
    fall ${fall}
    rise ${rise}
}

vrrp_instance haproxy_pair {
    # BACKUP on both nodes: nopreempt requires it; the priority picks the first MASTER.
    state BACKUP
    interface ${iface}
    virtual_router_id ${vrid}
    priority ${params.priority}
    advert_int ${advert}
${nopreempt ? "    nopreempt\n" : ""}    unicast_src_ip ${params.privateIp}
    unicast_peer {
        ${params.peerPrivateIp}
    }
${auth}    virtual_ipaddress {
        ${masterMarkerAddress(vrid)}/32 dev lo
    }
    track_script {
        chk_haproxy
    }
    notify_master "${notify}"
    # Every transition, for the LoadBalancerFailover alert.
    notify "${notifyAny}"
}
`;
}
