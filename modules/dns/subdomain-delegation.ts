import { Fn, Token } from "cdktf";
import { NamecheapRecord } from "./record-set";
import { check } from "../core/validation";

/** A Route 53 hosted zone always has four name servers. */
export const ROUTE53_NAME_SERVER_COUNT = 4;

/**
 * NS records that hand `hostname` (e.g. "app") over to other name servers, typically a
 * Route 53 hosted zone for app.example.com. `nameServers` is either a list of up to four
 * name servers (strings or string tokens) or the zone's `nameServers` list attribute
 * itself, which is expanded into one record per Route 53 name server.
 */
export function subdomainDelegation(hostname: string, nameServers: string[], ttl?: number): NamecheapRecord[] {
  const servers = Token.isUnresolved(nameServers)
    ? Array.from({ length: ROUTE53_NAME_SERVER_COUNT }, (_, index) => Token.asString(Fn.element(nameServers, index)))
    : nameServers;
  check(
    Array.isArray(servers) && servers.length >= 1 && servers.length <= ROUTE53_NAME_SERVER_COUNT,
    "nameServers",
    servers,
    `1 to ${ROUTE53_NAME_SERVER_COUNT} name servers, or a hosted zone's nameServers list`,
  );
  check(hostname !== "@", "hostname", hostname, 'a subdomain such as "app"; the apex cannot be delegated with NS records');
  return servers.map((address) => ({ hostname, type: "NS" as const, address, ...(ttl !== undefined ? { ttl } : {}) }));
}
