import { Construct } from "constructs";
import { NamecheapProvider } from "../../.gen/providers/namecheap/provider";
import { check, isToken } from "../core/validation";
import { isIPv4 } from "net";

export interface NamecheapProviderOptions {
  /**
   * Call the Namecheap sandbox API (https://api.sandbox.namecheap.com) instead of production.
   * The sandbox is a separate account with its own API key.
   * @default false
   */
  readonly useSandbox?: boolean;

  /**
   * Public IPv4 address the API calls leave from; it must be on the account's API whitelist.
   * Prefer the NAMECHEAP_CLIENT_IP environment variable, which differs per runner.
   * @default not written; the provider reads NAMECHEAP_CLIENT_IP
   */
  readonly clientIp?: string;

  /**
   * Provider alias, when a stack needs more than one Namecheap account.
   * @default no alias (the default namecheap provider)
   */
  readonly alias?: string;
}

/**
 * The namecheap/namecheap provider WITHOUT credentials: nothing secret lands in cdk.tf.json.
 * The provider reads them from its own environment variables at plan/apply time:
 *
 * - `NAMECHEAP_USER_NAME` — the account user name
 * - `NAMECHEAP_API_USER`  — the API user (usually the same as the user name)
 * - `NAMECHEAP_API_KEY`   — the API key (Profile → Tools → Business & Dev Tools → API Access)
 * - `NAMECHEAP_CLIENT_IP` — the public IPv4 the calls come from
 *
 * Client IP whitelisting: Namecheap rejects every API call whose source address is not
 * on the account's whitelist (same API Access page), and `client_ip` must equal that
 * source address. CI runners with changing egress addresses (hosted runners) therefore
 * fail; run the Namecheap stage from a runner with a fixed egress IP (self-hosted runner,
 * or a runner behind a NAT gateway / Elastic IP), whitelist that address, and export it
 * as NAMECHEAP_CLIENT_IP in the pipeline (e.g. `curl -s https://checkip.amazonaws.com`).
 */
export function namecheapProvider(scope: Construct, id: string, options: NamecheapProviderOptions = {}): NamecheapProvider {
  const useSandbox = options.useSandbox ?? false;
  check(typeof useSandbox === "boolean", "useSandbox", useSandbox, "true or false");
  if (options.clientIp !== undefined) {
    check(
      isToken(options.clientIp) || isIPv4(options.clientIp),
      "clientIp",
      options.clientIp,
      "the public IPv4 address whitelisted for the Namecheap API, e.g. 203.0.113.7 (or leave it to NAMECHEAP_CLIENT_IP)",
    );
  }
  return new NamecheapProvider(scope, id, {
    useSandbox, // explicit, so the plan shows which API is called
    ...(options.clientIp !== undefined ? { clientIp: options.clientIp } : {}),
    ...(options.alias !== undefined ? { alias: options.alias } : {}),
  });
}
