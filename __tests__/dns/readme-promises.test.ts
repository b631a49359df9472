/**
 * Promises of modules/dns/README.md that namecheap-records.test.ts and
 * namecheap-records-validation.test.ts do not already assert, on the synthesized JSON (test names
 * quote the README). Each test synthesizes its own stack.
 */
import { TerraformStack, Testing } from "cdktf";
import { NamecheapRecords, NamecheapRecordsProps, namecheapProvider, subdomainDelegation } from "../../modules/dns";

type Json = Record<string, any>;

function synth(props: NamecheapRecordsProps, withProvider = true): { json: Json; records: NamecheapRecords } {
  const stack = new TerraformStack(Testing.app(), "dns-readme");
  if (withProvider) namecheapProvider(stack, "namecheap");
  const records = new NamecheapRecords(stack, "site", props);
  return { json: JSON.parse(Testing.synth(stack, true)), records };
}
const recordsOf = (json: Json): Json[] => (Object.values(json.resource.namecheap_domain_records) as Json[])[0].record;

describe("NamecheapRecords (modules/dns/README.md)", () => {
  it("\"The stack needs a namecheap provider (`namecheapProvider()`); cdktf stops synth with \"Found resources without a matching provider construct\" otherwise\"", () => {
    expect(() => synth({ domain: "example.com", address: "203.0.113.10" }, false)).toThrow(/Found resources without a matching provider construct/);
  });

  it.each(["A", "AAAA", "ALIAS", "CAA", "CNAME", "MX", "MXE", "NS", "TXT", "URL", "URL301", "FRAME"] as const)(
    "\"`type` … record type of the `address` records: A, AAAA, ALIAS, CAA, CNAME, MX, MXE, NS, TXT, URL, URL301, FRAME\": %s is accepted",
    (type) => {
      const address: Record<string, string> = {
        A: "203.0.113.10",
        AAAA: "2001:db8::10",
        ALIAS: "lb.example.net",
        CAA: '0 issue "letsencrypt.org"',
        CNAME: "lb.example.net",
        MX: "mail.example.net",
        MXE: "203.0.113.25",
        NS: "ns1.example.net",
        TXT: "v=spf1 -all",
        URL: "https://example.net/",
        URL301: "https://example.net/",
        FRAME: "https://example.net/",
      };
      const { json } = synth({ domain: "example.com", address: address[type], type, hostnames: ["shop"] });
      expect(recordsOf(json)).toEqual([{ hostname: "shop", type, address: address[type], ttl: 300 }]);
    },
  );

  it.each([
    ["CNAME", "192.0.2.10"],
    ["MX", "192.0.2.25"],
    ["NS", "192.0.2.53"],
  ])("\"a concrete address that does not fit the type (… an IP for NS/CNAME/MX)\": %s → %s is rejected", (type, address) => {
    expect(() => synth({ domain: "example.com", records: [{ hostname: "app", type: type as "NS", address }] })).toThrow(
      new RegExp(`^records\\[0\\]\\.address: "${address.replace(/\./g, "\\.")}" is not allowed; expected a host name for type ${type}`),
    );
  });

  it("\"`hostnames` … `@` is the apex, others lowercase relative names (`shop`, `_dmarc`, `*.app`)\"", () => {
    const { json, records } = synth({ domain: "example.com", address: "203.0.113.10", hostnames: ["@", "shop", "_dmarc", "*.app"] });
    expect(recordsOf(json).map((r) => r.hostname)).toEqual(["@", "shop", "_dmarc", "*.app"]);
    expect(records.fqdns).toEqual(["example.com", "shop.example.com", "_dmarc.example.com", "*.app.example.com"]);
  });

  it("\"`ttl` | `300` | seconds, 60–60000\": both bounds accepted, a record's own `ttl` wins", () => {
    expect(recordsOf(synth({ domain: "example.com", address: "203.0.113.10", hostnames: ["@"], ttl: 60 }).json)[0].ttl).toBe(60);
    expect(recordsOf(synth({ domain: "example.com", address: "203.0.113.10", hostnames: ["@"], ttl: 60000 }).json)[0].ttl).toBe(60000);
    const { json } = synth({ domain: "example.com", address: "203.0.113.10", hostnames: ["@"], ttl: 600, records: [{ hostname: "_dmarc", type: "TXT", address: "v=DMARC1; p=reject", ttl: 3600 }] });
    expect(recordsOf(json).map((r) => r.ttl)).toEqual([600, 3600]);
  });

  it("\"Apex detection knows the common two-label public suffixes (`co.uk`, `com.au`, …)\"", () => {
    expect(synth({ domain: "example.com.au", address: "203.0.113.10" }).records.fqdns).toEqual(["example.com.au", "www.example.com.au"]);
    expect(() => synth({ domain: "shop.example.com.au", address: "203.0.113.10" })).toThrow(/^domain: "shop\.example\.com\.au" is not allowed/);
    expect(() => synth({ domain: "shop.example.co.uk", address: "203.0.113.10" })).toThrow(/^domain: "shop\.example\.co\.uk" is not allowed/);
  });

  it("\"Attributes: `domain`, `mode` (`\"MERGE\"` / `\"OVERWRITE\"`), `records` (with defaults applied), `fqdns`, `resource` (the underlying `DomainRecords`)\"", () => {
    const { json, records } = synth({ domain: "example.com", address: "203.0.113.10" });
    expect(records.domain).toBe("example.com");
    expect(records.mode).toBe("MERGE");
    expect(records.records).toEqual([
      { hostname: "@", type: "A", address: "203.0.113.10", ttl: 300 },
      { hostname: "www", type: "A", address: "203.0.113.10", ttl: 300 },
    ]);
    expect(records.records).toEqual(recordsOf(json));
    expect(records.resource.terraformResourceType).toBe("namecheap_domain_records");
  });
});

describe("subdomainDelegation (modules/dns/README.md)", () => {
  it("\"a plain list of 1–4 name servers (strings or string tokens) is used as given\"", () => {
    const four = ["ns-1.awsdns-01.org", "ns-2.awsdns-02.net", "ns-3.awsdns-03.com", "ns-4.awsdns-04.co.uk"];
    expect(subdomainDelegation("app", four, 3600)).toEqual(four.map((address) => ({ hostname: "app", type: "NS", address, ttl: 3600 })));
    expect(subdomainDelegation("app", ["ns-1.awsdns-01.org"])).toEqual([{ hostname: "app", type: "NS", address: "ns-1.awsdns-01.org" }]);
  });
});
