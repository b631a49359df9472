import { App, TerraformStack, Testing } from "cdktf";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { NamecheapRecords, NamecheapRecordsProps, namecheapProvider, subdomainDelegation } from "../../modules/dns";

interface SynthResult {
  json: any;
  records: NamecheapRecords;
}

/** One stack with the default namecheap provider and one NamecheapRecords. */
function synthRecords(props: NamecheapRecordsProps): SynthResult {
  const app: App = Testing.app();
  const stack = new TerraformStack(app, "dns-test");
  namecheapProvider(stack, "namecheap");
  const records = new NamecheapRecords(stack, "site", props);
  return { json: JSON.parse(Testing.synth(stack, true)), records };
}

function domainRecordsOf(json: any): any {
  const all = Object.values(json.resource.namecheap_domain_records ?? {});
  expect(all).toHaveLength(1);
  return all[0];
}

describe("NamecheapRecords", () => {
  test("defaults: A records for @ and www, TTL 300, mode MERGE written explicitly", () => {
    const { json, records } = synthRecords({ domain: "example.com", address: "203.0.113.10" });
    const resource = domainRecordsOf(json);
    expect(resource.domain).toBe("example.com");
    expect(resource.mode).toBe("MERGE");
    expect(resource.record).toEqual([
      { hostname: "@", type: "A", address: "203.0.113.10", ttl: 300 },
      { hostname: "www", type: "A", address: "203.0.113.10", ttl: 300 },
    ]);
    expect(resource.email_type).toBeUndefined();
    expect(resource.nameservers).toBeUndefined();
    expect(records.fqdns).toEqual(["example.com", "www.example.com"]);
    expect(records.mode).toBe("MERGE");
  });

  test("OVERWRITE only when overwriteExistingRecords is true", () => {
    expect(domainRecordsOf(synthRecords({ domain: "example.com", address: "203.0.113.10", overwriteExistingRecords: false }).json).mode).toBe("MERGE");
    const { json, records } = synthRecords({ domain: "example.com", address: "203.0.113.10", overwriteExistingRecords: true });
    expect(domainRecordsOf(json).mode).toBe("OVERWRITE");
    expect(records.mode).toBe("OVERWRITE");
  });

  test("an Elastic IP token becomes a Terraform reference in every address record", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "eip-test");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    namecheapProvider(stack, "namecheap");
    const eip = new Eip(stack, "web", { domain: "vpc" });
    new NamecheapRecords(stack, "site", { domain: "example.com", address: eip.publicIp });
    const resource = domainRecordsOf(JSON.parse(Testing.synth(stack, true)));
    expect(resource.record.map((r: any) => r.address)).toEqual(["${aws_eip.web.public_ip}", "${aws_eip.web.public_ip}"]);
  });

  test("custom hostnames, TTL and type", () => {
    const { json, records } = synthRecords({ domain: "example.co.uk", address: "2001:db8::10", type: "AAAA", hostnames: ["@", "shop"], ttl: 60000 });
    expect(domainRecordsOf(json).record).toEqual([
      { hostname: "@", type: "AAAA", address: "2001:db8::10", ttl: 60000 },
      { hostname: "shop", type: "AAAA", address: "2001:db8::10", ttl: 60000 },
    ]);
    expect(records.fqdns).toEqual(["example.co.uk", "shop.example.co.uk"]);
  });

  test("explicit mixed records with their own TTL and MX preference", () => {
    const { json, records } = synthRecords({
      domain: "example.com",
      address: "203.0.113.10",
      hostnames: ["@"],
      records: [
        { hostname: "www", type: "CNAME", address: "example.com." },
        { hostname: "@", type: "MX", address: "mail.example.net", mxPref: 20, ttl: 3600 },
        { hostname: "_dmarc", type: "TXT", address: "v=DMARC1; p=reject" },
      ],
    });
    expect(domainRecordsOf(json).record).toEqual([
      { hostname: "@", type: "A", address: "203.0.113.10", ttl: 300 },
      { hostname: "www", type: "CNAME", address: "example.com.", ttl: 300 },
      { hostname: "@", type: "MX", address: "mail.example.net", mx_pref: 20, ttl: 3600 },
      { hostname: "_dmarc", type: "TXT", address: "v=DMARC1; p=reject", ttl: 300 },
    ]);
    expect(records.fqdns).toEqual(["example.com", "www.example.com", "_dmarc.example.com"]);
  });

  test("NS delegation of app to a Route 53 zone expands the zone's name server list into 4 records", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "delegation-test");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    namecheapProvider(stack, "namecheap");
    const zone = new Route53Zone(stack, "app", { name: "app.example.com" });
    const records = new NamecheapRecords(stack, "site", { domain: "example.com", records: subdomainDelegation("app", zone.nameServers, 3600) });
    const resource = domainRecordsOf(JSON.parse(Testing.synth(stack, true)));
    expect(resource.record).toEqual(
      [0, 1, 2, 3].map((i) => ({ hostname: "app", type: "NS", address: `\${element(aws_route53_zone.app.name_servers, ${i})}`, ttl: 3600 })),
    );
    expect(records.fqdns).toEqual(["app.example.com"]);
  });

  test("NS delegation to individual name server values", () => {
    const { json } = synthRecords({
      domain: "example.com",
      records: subdomainDelegation("app", ["ns-1.awsdns-01.org", "ns-2.awsdns-02.net"]),
    });
    expect(domainRecordsOf(json).record).toEqual([
      { hostname: "app", type: "NS", address: "ns-1.awsdns-01.org", ttl: 300 },
      { hostname: "app", type: "NS", address: "ns-2.awsdns-02.net", ttl: 300 },
    ]);
  });

  test("a second provider alias can be passed in", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "alias-test");
    namecheapProvider(stack, "namecheap");
    const sandbox = namecheapProvider(stack, "sandbox", { useSandbox: true, alias: "sandbox" });
    new NamecheapRecords(stack, "site", { domain: "example.com", address: "203.0.113.10", provider: sandbox });
    const json = JSON.parse(Testing.synth(stack, true));
    expect(domainRecordsOf(json).provider).toBe("namecheap.sandbox");
    expect(json.provider.namecheap).toEqual([{ use_sandbox: false }, { alias: "sandbox", use_sandbox: true }]);
  });
});

describe("namecheapProvider", () => {
  test("writes no credentials, pins 2.9.0 and states use_sandbox explicitly", () => {
    const { json } = synthRecords({ domain: "example.com", address: "203.0.113.10" });
    expect(json.provider.namecheap).toEqual([{ use_sandbox: false }]);
    expect(json.terraform.required_providers.namecheap).toEqual({ source: "registry.terraform.io/namecheap/namecheap", version: "2.9.0" });
    const text = JSON.stringify(json);
    for (const secret of ["user_name", "api_user", "api_key", "client_ip"]) expect(text).not.toContain(secret);
  });

  test("clientIp is written only when given", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "client-ip-test");
    namecheapProvider(stack, "namecheap", { clientIp: "198.51.100.7" });
    new NamecheapRecords(stack, "site", { domain: "example.com", address: "203.0.113.10" });
    expect(JSON.parse(Testing.synth(stack, true)).provider.namecheap).toEqual([{ client_ip: "198.51.100.7", use_sandbox: false }]);
  });

  test("rejects clientIp that is not an IPv4 address", () => {
    const app = Testing.app();
    const stack = new TerraformStack(app, "bad-client-ip");
    expect(() => namecheapProvider(stack, "namecheap", { clientIp: "ci-runner.local" })).toThrow(
      /^clientIp: "ci-runner\.local" is not allowed; expected the public IPv4 address whitelisted/,
    );
  });
});
