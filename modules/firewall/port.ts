/** A protocol and port range a rule admits; built with the factories, never free strings. */
export class Port {
  static tcp(port: number): Port {
    return new Port("tcp", port, port, `tcp/${port}`);
  }
  static udp(port: number): Port {
    return new Port("udp", port, port, `udp/${port}`);
  }
  /** VRRP (IP protocol 112), what keepalived speaks; it has no ports. */
  static vrrp(): Port {
    return new Port("112", undefined, undefined, "vrrp");
  }
  static allTraffic(): Port {
    return new Port("-1", undefined, undefined, "all");
  }
  private constructor(
    readonly protocol: string,
    readonly fromPort: number | undefined,
    readonly toPort: number | undefined,
    readonly label: string,
  ) {
    for (const p of [fromPort, toPort]) {
      if (p !== undefined && (!Number.isInteger(p) || p < 0 || p > 65535)) throw new Error(`port: ${p} is not allowed; expected an integer 0-65535`);
    }
  }
}
