/**
 * ApplicationZone (modules/warm-standby/application-zone.ts): "public zone of the delegated subdomain, alias
 * helpers, Namecheap NS records (`delegationRecords()`)" (module README). Each test synthesizes its own tiny stack.
 */
import { TerraformOutput, TerraformVariable } from "cdktf";
import { AliasTarget, ApplicationZone, ApplicationZoneProps } from "../../modules/warm-standby/application-zone";
import { aliasedProvider, inputError, newStack, only, refOf, resourceCounts, synth } from "./edge-b-support";
import { resourcesOf } from "../support/synth";

const TARGET: AliasTarget = { dnsName: "acme-frontend-123.us-east-1.elb.amazonaws.com", zoneId: "Z35SXDOTRQ7X7K" };

function build(props: Partial<ApplicationZoneProps> = {}) {
  const stack = newStack();
  const zone = new ApplicationZone(stack, "zone", { domain: "example.com", subdomain: "app", ...props });
  return { stack, zone };
}
const zoneOf = (props: Partial<ApplicationZoneProps>) => only(synth(build(props).stack), "aws_route53_zone");
const subdomainError = (v: string) => `zone.subdomain: ${JSON.stringify(v)} is not allowed; expected one lowercase DNS label such as app`;
const aliasError = (v: string) => `zone.alias(name): ${JSON.stringify(v)} is not allowed; expected a name inside app.example.com`;

describe("the zone", () => {
  test("a public zone named <subdomain>.<domain>, commented with the registrar's domain, never force-destroyed", () => {
    const json = synth(build().stack);
    expect(only(json, "aws_route53_zone")).toEqual({ name: "app.example.com", comment: "Delegated from the registrar of example.com", force_destroy: false });
    expect(resourceCounts(json)).toEqual({ aws_route53_zone: 1 });
  });

  test("zoneName is <subdomain>.<domain>; zoneId and nameServers reference the zone", () => {
    const { stack, zone } = build();
    new TerraformOutput(stack, "id", { value: zone.zoneId });
    new TerraformOutput(stack, "ns", { value: zone.nameServers });
    const json = synth(stack);
    expect(zone.zoneName).toBe("app.example.com");
    expect(json.output?.id.value).toBe(refOf(json, "aws_route53_zone", "zone_id"));
    expect(json.output?.ns.value).toBe(refOf(json, "aws_route53_zone", "name_servers"));
  });

  test("nameOf(label) is <label>.<zone>, e.g. api.app.example.com", () => {
    expect(build().zone.nameOf("api")).toBe("api.app.example.com");
  });
});

describe("alias(): A and AAAA alias records from a name inside the zone to a load balancer or distribution", () => {
  test("an A alias record (evaluating target health) in the zone; no AAAA unless asked for", () => {
    const { stack, zone } = build();
    expect(zone.alias("frontend", "app.example.com", TARGET)).toBe(zone);
    const json = synth(stack);
    const records = resourcesOf(json, "aws_route53_record");
    expect(records.map(([, r]) => r)).toEqual([
      { zone_id: refOf(json, "aws_route53_zone", "zone_id"), name: "app.example.com", type: "A", alias: { name: TARGET.dnsName, zone_id: TARGET.zoneId, evaluate_target_health: true } },
    ]);
    expect(records[0][0]).toMatch(/^zone_frontend-a_/);
  });

  test("ipv6: true adds the AAAA alias record next to the A record", () => {
    const { stack, zone } = build();
    zone.alias("frontend", "www.app.example.com", TARGET, { ipv6: true });
    const json = synth(stack);
    const alias = { name: TARGET.dnsName, zone_id: TARGET.zoneId, evaluate_target_health: true };
    const zoneId = refOf(json, "aws_route53_zone", "zone_id");
    const records = resourcesOf(json, "aws_route53_record");
    expect(records.map(([, r]) => r)).toEqual([
      { zone_id: zoneId, name: "www.app.example.com", type: "A", alias },
      { zone_id: zoneId, name: "www.app.example.com", type: "AAAA", alias },
    ]);
    expect(records.map(([name]) => name.replace(/_[0-9A-F]{8}$/, ""))).toEqual(["zone_frontend-a", "zone_frontend-aaaa"]);
  });

  test("ipv6: false gives the A record only", () => {
    const { stack, zone } = build();
    zone.alias("api", "api.app.example.com", TARGET, { ipv6: false });
    expect(resourcesOf(synth(stack), "aws_route53_record").map(([, r]) => r.type)).toEqual(["A"]);
  });

  test("the zone's provider is used by the zone and its alias records", () => {
    const stack = newStack();
    const zone = new ApplicationZone(stack, "zone", { provider: aliasedProvider(stack, "global", "us-east-1"), domain: "example.com", subdomain: "app" });
    zone.alias("frontend", "app.example.com", TARGET, { ipv6: true });
    const json = synth(stack);
    expect(only(json, "aws_route53_zone").provider).toBe("aws.global");
    expect(resourcesOf(json, "aws_route53_record").map(([, r]) => r.provider)).toEqual(["aws.global", "aws.global"]);
  });

  test("a name outside the zone is refused (the apex, a look-alike suffix, another domain)", () => {
    for (const bad of ["example.com", "evilapp.example.com", "app.example.com.evil.net", "api.other.com"]) {
      const { zone } = build();
      expect(inputError(() => zone.alias("x", bad, TARGET)).message).toBe(aliasError(bad));
    }
  });
});

describe("delegationRecords(): NS records for the registrar (Namecheap) that delegate the subdomain here", () => {
  test("four NS records for the subdomain, one per name server of the zone, with the given TTL", () => {
    const { stack, zone } = build();
    new TerraformOutput(stack, "records", { value: zone.delegationRecords(1800) });
    const json = synth(stack);
    const servers = refOf(json, "aws_route53_zone", "name_servers").slice(2, -1);
    expect(json.output?.records.value).toEqual([0, 1, 2, 3].map((i) => ({ hostname: "app", type: "NS", address: `\${element(${servers}, ${i})}`, ttl: 1800 })));
  });
  test("without a TTL the records leave it to the Namecheap construct's default", () => {
    const { zone } = build({ subdomain: "shop" });
    const records = zone.delegationRecords();
    expect(records.map(({ hostname, type }) => ({ hostname, type }))).toEqual(Array(4).fill({ hostname: "shop", type: "NS" }));
    for (const record of records) expect(record).not.toHaveProperty("ttl");
  });
});

describe("validation", () => {
  test("domain must be concrete", () => {
    const stack = newStack();
    const domain = new TerraformVariable(stack, "domain", { type: "string" }).stringValue;
    expect(inputError(() => new ApplicationZone(stack, "zone", { domain, subdomain: "app" })).message).toBe(
      'zone.domain: "<unresolved token>" is not allowed; expected a concrete value known at synth time (not a resource attribute)',
    );
  });
  test("domain: the apex registered at Namecheap, as the Namecheap module reads it (lowercase, no trailing dot, not a subdomain)", () => {
    for (const ok of ["example.com", "example.co.uk", "a-b.io"]) expect(zoneOf({ domain: ok }).name).toBe(`app.${ok}`);
    for (const bad of ["Example.com", "example.com.", "shop.example.com", "", "example"]) {
      const error = inputError(() => build({ domain: bad }));
      expect([error.field, error.value]).toEqual(["zone.domain", bad]);
      expect(error.allowed).toMatch(/^a lowercase apex domain registered at Namecheap/);
    }
  });
  test("subdomain: one label of 1 to 63 lowercase letters, digits and inner hyphens", () => {
    for (const ok of ["a", "9", "ab", "a9", "9a", "my-app", "xa9-b", "a".repeat(63)]) expect(zoneOf({ subdomain: ok }).name).toBe(`${ok}.example.com`);
  });
  test("subdomain: empty, 64 characters, uppercase, leading or trailing hyphen, dots and other characters are refused", () => {
    for (const bad of ["", "a".repeat(64), "App", "aPp", "apP", "-app", "app-", "a.b", "app_x", "app x", "app.", "*"]) expect(inputError(() => build({ subdomain: bad })).message).toBe(subdomainError(bad));
  });
});
