import { TerraformStack, Testing } from "cdktf";
import { NamecheapRecords, NamecheapRecordsProps, subdomainDelegation } from "../../modules/dns";
import { InvalidInputError } from "../../modules/core/validation";

const VALID: NamecheapRecordsProps = { domain: "example.com", address: "203.0.113.10" };

/** Builds the construct with `props` (unchecked, as a JSON config could deliver them) and returns the error. */
function rejection(props: Record<string, unknown>): InvalidInputError {
  const stack = new TerraformStack(Testing.app(), "reject");
  try {
    new NamecheapRecords(stack, "site", props as unknown as NamecheapRecordsProps);
  } catch (error) {
    expect(error).toBeInstanceOf(InvalidInputError);
    return error as InvalidInputError;
  }
  throw new Error(`accepted ${JSON.stringify(props)}`);
}

describe("NamecheapRecords rejects at synth", () => {
  test("the valid baseline is accepted (so each case below fails for its own reason)", () => {
    expect(() => new NamecheapRecords(new TerraformStack(Testing.app(), "ok"), "site", VALID)).not.toThrow();
  });

  test("TTL 59 (below the Namecheap minimum)", () => {
    expect(rejection({ ...VALID, ttl: 59 }).message).toBe('ttl: 59 is not allowed; expected a whole number of seconds from 60 to 60000');
  });

  test("TTL 60001 (above the Namecheap maximum)", () => {
    expect(rejection({ ...VALID, ttl: 60001 }).message).toBe("ttl: 60001 is not allowed; expected a whole number of seconds from 60 to 60000");
  });

  test("fractional TTL", () => {
    expect(rejection({ ...VALID, ttl: 300.5 }).message).toMatch(/^ttl: 300\.5 is not allowed/);
  });

  test("per-record TTL out of range", () => {
    const error = rejection({ domain: "example.com", records: [{ hostname: "app", type: "NS", address: "ns1.example.net", ttl: 30 }] });
    expect(error.message).toBe("records[0].ttl: 30 is not allowed; expected a whole number of seconds from 60 to 60000");
  });

  test('record type "SRV" (not supported by Namecheap)', () => {
    expect(rejection({ ...VALID, type: "SRV" }).message).toBe(
      'type: "SRV" is not allowed; expected one of A, AAAA, ALIAS, CAA, CNAME, MX, MXE, NS, TXT, URL, URL301, FRAME',
    );
  });

  test('lowercase record type "a" in records (the provider is case-sensitive)', () => {
    expect(rejection({ domain: "example.com", records: [{ hostname: "@", type: "a", address: "203.0.113.10" }] }).message).toMatch(
      /^records\[0\]\.type: "a" is not allowed; expected one of A, AAAA/,
    );
  });

  test('domain "www.example.com" (a subdomain)', () => {
    const error = rejection({ ...VALID, domain: "www.example.com" });
    expect(error.field).toBe("domain");
    expect(error.message).toMatch(/^domain: "www\.example\.com" is not allowed; expected a lowercase apex domain/);
    expect(error.message).toContain('"www.example.com" is a subdomain of "example.com"');
  });

  test('domain "shop.example.co.uk" (a subdomain under a two-label suffix)', () => {
    expect(rejection({ ...VALID, domain: "shop.example.co.uk" }).message).toContain('is a subdomain of "example.co.uk"');
  });

  test('uppercase domain "Example.com"', () => {
    expect(rejection({ ...VALID, domain: "Example.com" }).message).toMatch(/^domain: "Example\.com" is not allowed; .*uppercase letters are not allowed/);
  });

  test('malformed domain "example..com"', () => {
    expect(rejection({ ...VALID, domain: "example..com" }).message).toMatch(/^domain: "example\.\.com" is not allowed; expected a lowercase apex domain/);
  });

  test('single-label domain "localhost"', () => {
    expect(rejection({ ...VALID, domain: "localhost" }).message).toMatch(/^domain: "localhost" is not allowed/);
  });

  test("domain given as an unresolved token", () => {
    expect(rejection({ ...VALID, domain: "${TfToken[TOKEN.1]}" }).message).toMatch(/^domain: "<unresolved token>" is not allowed; expected a concrete value/);
  });

  test('uppercase hostname "WWW"', () => {
    expect(rejection({ ...VALID, hostnames: ["@", "WWW"] }).message).toMatch(/^hostnames\[1\]: "WWW" is not allowed; .*uppercase letters are not allowed/);
  });

  test('fully qualified hostname "www.example.com."', () => {
    expect(rejection({ ...VALID, hostnames: ["www.example.com."] }).message).toMatch(/^hostnames\[0\]: "www\.example\.com\." is not allowed/);
  });

  test('hostname with a space "my host"', () => {
    expect(rejection({ ...VALID, hostnames: ["my host"] }).message).toMatch(/^hostnames\[0\]: "my host" is not allowed/);
  });

  test("empty hostnames list", () => {
    expect(rejection({ ...VALID, hostnames: [] }).message).toMatch(/^hostnames: \[\] is not allowed; expected at least one hostname/);
  });

  test("hostname listed twice", () => {
    expect(rejection({ ...VALID, hostnames: ["www", "www"] }).message).toBe(
      'hostnames: ["www","www"] is not allowed; expected each hostname once; "www" is listed twice',
    );
  });

  test('invalid IPv4 "300.1.1.1" for an A record', () => {
    expect(rejection({ ...VALID, address: "300.1.1.1" }).message).toMatch(/^address: "300\.1\.1\.1" is not allowed; expected an IPv4 address in dotted-decimal form/);
  });

  test('IPv6 address for an A record', () => {
    expect(rejection({ ...VALID, address: "2001:db8::1" }).message).toMatch(/^address: "2001:db8::1" is not allowed; expected an IPv4 address/);
  });

  test('invalid IPv6 "2001:db8::zz" for an AAAA record', () => {
    expect(rejection({ ...VALID, type: "AAAA", address: "2001:db8::zz" }).message).toMatch(/^address: "2001:db8::zz" is not allowed; expected an IPv6 address/);
  });

  test("IP address as an NS target", () => {
    const error = rejection({ domain: "example.com", records: [{ hostname: "app", type: "NS", address: "192.0.2.53" }] });
    expect(error.message).toMatch(/^records\[0\]\.address: "192\.0\.2\.53" is not allowed; expected a host name for type NS/);
  });

  test("empty address", () => {
    expect(rejection({ ...VALID, address: "" }).message).toBe('address: "" is not allowed; expected a non-empty value for type A');
  });

  test("no address and no records (the construct would manage nothing)", () => {
    expect(rejection({ domain: "example.com" }).message).toMatch(/^address: undefined is not allowed; expected an address for the hostnames, or at least one entry in 'records'/);
  });

  test("hostnames without address (would be ignored silently)", () => {
    expect(rejection({ domain: "example.com", hostnames: ["www"], records: [{ hostname: "@", type: "A", address: "203.0.113.10" }] }).message).toBe(
      "hostnames: [\"www\"] is not allowed; expected hostnames only together with 'address'",
    );
  });

  test("the same record twice", () => {
    const error = rejection({ ...VALID, records: [{ hostname: "www", type: "A", address: "203.0.113.10" }] });
    expect(error.message).toBe('records: "www A 203.0.113.10" is not allowed; expected each (hostname, type, address) once; this record is defined twice');
  });

  test("mxPref on a non-MX record", () => {
    const error = rejection({ domain: "example.com", records: [{ hostname: "@", type: "A", address: "203.0.113.10", mxPref: 5 }] });
    expect(error.message).toMatch(/^records\[0\]\.mxPref: 5 is not allowed; expected mxPref only on MX records/);
  });

  test("unknown key in a record (typo such as 'host')", () => {
    const error = rejection({ domain: "example.com", records: [{ host: "www", hostname: "www", type: "A", address: "203.0.113.10" }] });
    expect(error.message).toBe('records[0].host: "www" is not allowed; expected only hostname, type, address, ttl, mxPref');
  });

  test("overwriteExistingRecords given as a string", () => {
    expect(rejection({ ...VALID, overwriteExistingRecords: "yes" }).message).toBe('overwriteExistingRecords: "yes" is not allowed; expected true or false');
  });
});

describe("subdomainDelegation rejects", () => {
  test("more than 4 name servers", () => {
    expect(() => subdomainDelegation("app", ["a.example.net", "b.example.net", "c.example.net", "d.example.net", "e.example.net"])).toThrow(
      /^nameServers: \["a\.example\.net",.*is not allowed; expected 1 to 4 name servers/,
    );
  });

  test("no name servers", () => {
    expect(() => subdomainDelegation("app", [])).toThrow(/^nameServers: \[\] is not allowed; expected 1 to 4 name servers/);
  });

  test('delegating the apex "@"', () => {
    expect(() => subdomainDelegation("@", ["ns1.example.net"])).toThrow(/^hostname: "@" is not allowed; expected a subdomain such as "app"/);
  });
});
