import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Route53Zone } from "@cdktf/provider-aws/lib/route53-zone";
import { Eip } from "@cdktf/provider-aws/lib/eip";
import {
  NAMECHEAP_PROVIDER_FQPN,
  NamecheapRecords,
  checkAgainstProviderSchema,
  loadNamecheapProviderSchema,
  namecheapProvider,
  subdomainDelegation,
} from "../../modules/dns";

const schema = loadNamecheapProviderSchema();

/** A stack using every feature of the module: tokens, mixed records, MX preference, provider options. */
function synthesizedModuleOutput(): any {
  const stack = new TerraformStack(Testing.app(), "schema-check");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  namecheapProvider(stack, "namecheap", { clientIp: "198.51.100.7" });
  const eip = new Eip(stack, "web", { domain: "vpc" });
  const zone = new Route53Zone(stack, "app", { name: "app.example.com" });
  new NamecheapRecords(stack, "site", {
    domain: "example.com",
    address: eip.publicIp,
    overwriteExistingRecords: true,
    records: [...subdomainDelegation("app", zone.nameServers), { hostname: "@", type: "MX", address: "mail.example.net", mxPref: 20 }],
  });
  return JSON.parse(Testing.synth(stack, true));
}

/** A hand-written cdk.tf.json fragment, as a careless generator or escape hatch could produce. */
function config(resource: Record<string, unknown>, provider: Record<string, unknown> = { use_sandbox: false }): object {
  return { provider: { namecheap: [provider] }, resource: { namecheap_domain_records: { dns: resource } } };
}

const GOOD_RECORD = { hostname: "@", type: "A", address: "203.0.113.10", ttl: 300 };

describe("committed provider schema (namecheap/namecheap 2.9.0)", () => {
  test("is in the terraform providers schema -json format with the provider's facts", () => {
    expect(schema.format_version).toBe("1.0");
    const provider = schema.provider_schemas[NAMECHEAP_PROVIDER_FQPN] as any;
    const args = provider.provider.block.attributes;
    for (const name of ["user_name", "api_user", "api_key"]) expect(args[name]).toMatchObject({ type: "string", optional: true, sensitive: true });
    expect(args.client_ip).toMatchObject({ type: "string", optional: true });
    expect(args.client_ip.sensitive).toBeUndefined();
    expect(args.use_sandbox).toMatchObject({ type: "bool", optional: true });

    const records = provider.resource_schemas.namecheap_domain_records.block;
    expect(records.attributes.domain).toMatchObject({ type: "string", required: true });
    expect(records.attributes.nameservers).toMatchObject({ type: ["set", "string"], optional: true });
    expect(records.block_types.record.nesting_mode).toBe("set");
    const record = records.block_types.record.block.attributes;
    for (const name of ["hostname", "type", "address"]) expect(record[name]).toMatchObject({ type: "string", required: true });
    for (const name of ["mx_pref", "ttl"]) expect(record[name]).toMatchObject({ type: "number", optional: true });

    const host = provider.resource_schemas.namecheap_domain_host_record.block.attributes;
    for (const name of ["domain", "hostname", "type", "address"]) expect(host[name]).toMatchObject({ type: "string", required: true });
  });
});

describe("checkAgainstProviderSchema", () => {
  test("the module's synthesized output passes (tokens, NS delegation, MX, OVERWRITE, client_ip)", () => {
    const json = synthesizedModuleOutput();
    expect(Object.keys(json.resource.namecheap_domain_records)).toHaveLength(1);
    expect(checkAgainstProviderSchema(json, schema)).toEqual([]);
  });

  test("resources of other providers are not its business", () => {
    const json = { resource: { aws_instance: { web: { bogus: 1 } } } };
    expect(checkAgainstProviderSchema(json, schema)).toEqual([]);
  });

  test("unknown attribute on the resource", () => {
    expect(checkAgainstProviderSchema(config({ domain: "example.com", record: [GOOD_RECORD], ttl: 300 }), schema)).toEqual([
      'resource "namecheap_domain_records" "dns": unknown attribute or block "ttl"',
    ]);
  });

  test("unknown attribute inside a record block", () => {
    expect(checkAgainstProviderSchema(config({ domain: "example.com", record: [{ ...GOOD_RECORD, priority: 10 }] }), schema)).toEqual([
      'resource "namecheap_domain_records" "dns" record[0]: unknown attribute or block "priority"',
    ]);
  });

  test("wrong types: string for a number, number for a string, string for a set", () => {
    const problems = checkAgainstProviderSchema(
      config({ domain: "example.com", mode: 1, nameservers: "ns1.example.net", record: [{ ...GOOD_RECORD, ttl: "300" }] }),
      schema,
    );
    expect(problems).toEqual([
      'resource "namecheap_domain_records" "dns": attribute "mode" must be string, got number 1',
      'resource "namecheap_domain_records" "dns": attribute "nameservers" must be set of string, got string "ns1.example.net"',
      'resource "namecheap_domain_records" "dns" record[0]: attribute "ttl" must be number, got string "300"',
    ]);
  });

  test("wrong element type and duplicates in a set of strings", () => {
    expect(checkAgainstProviderSchema(config({ domain: "example.com", nameservers: ["ns1.example.net", 2] }), schema)).toEqual([
      'resource "namecheap_domain_records" "dns": attribute "nameservers" must be set of string, got number 2 at [1]',
    ]);
    expect(checkAgainstProviderSchema(config({ domain: "example.com", nameservers: ["ns1.example.net", "ns1.example.net"] }), schema)).toEqual([
      'resource "namecheap_domain_records" "dns": attribute "nameservers" must be set of string, got duplicate elements (a set keeps each element once)',
    ]);
  });

  test("missing required attributes on the resource and in a record", () => {
    expect(checkAgainstProviderSchema(config({ mode: "MERGE", record: [{ hostname: "@", ttl: 300 }] }), schema)).toEqual([
      'resource "namecheap_domain_records" "dns" record[0]: required attribute "address" is missing',
      'resource "namecheap_domain_records" "dns" record[0]: required attribute "type" is missing',
      'resource "namecheap_domain_records" "dns": required attribute "domain" is missing',
    ]);
  });

  test("a Terraform interpolation is accepted for any type, a plain string is not", () => {
    const interpolated = config({ domain: "${var.domain}", record: [{ ...GOOD_RECORD, ttl: "${var.ttl}" }], nameservers: "${var.ns}" });
    expect(checkAgainstProviderSchema(interpolated, schema)).toEqual([]);
    expect(checkAgainstProviderSchema(config({ domain: "example.com", record: [{ ...GOOD_RECORD, ttl: "var.ttl" }] }), schema)).toEqual([
      'resource "namecheap_domain_records" "dns" record[0]: attribute "ttl" must be number, got string "var.ttl"',
    ]);
  });

  test("the provider block: unknown argument and wrong type", () => {
    expect(checkAgainstProviderSchema(config({ domain: "example.com", record: [GOOD_RECORD] }, { use_sandbox: "false", password: "x" }), schema)).toEqual([
      'provider "namecheap"[0]: attribute "use_sandbox" must be bool, got string "false"',
      'provider "namecheap"[0]: unknown attribute or block "password"',
    ]);
  });

  test("id is optional+computed in SDKv2 schemas, so setting it is allowed", () => {
    expect(checkAgainstProviderSchema(config({ domain: "example.com", id: "example.com", record: [GOOD_RECORD] }), schema)).toEqual([]);
  });

  test("computed-only attributes and block counts (schema features the namecheap schema does not use)", () => {
    const synthetic = {
      format_version: "1.0",
      provider_schemas: {
        [NAMECHEAP_PROVIDER_FQPN]: {
          resource_schemas: {
            namecheap_thing: {
              block: {
                attributes: { fingerprint: { type: "string", computed: true } },
                block_types: { rule: { nesting_mode: "list", max_items: 1, min_items: 1, block: { attributes: { on: { type: "bool", optional: true } } } } },
              },
            },
          },
        },
      },
    };
    expect(checkAgainstProviderSchema({ resource: { namecheap_thing: { a: { fingerprint: "x" } } } }, synthetic)).toEqual([
      'resource "namecheap_thing" "a": attribute "fingerprint" is read-only (computed) and cannot be set',
      'resource "namecheap_thing" "a": block "rule" needs at least 1 entry',
    ]);
    expect(checkAgainstProviderSchema({ resource: { namecheap_thing: { a: { rule: [{ on: true }, { on: 1 }] } } } }, synthetic)).toEqual([
      'resource "namecheap_thing" "a" rule: allows at most 1 entries, got 2',
      'resource "namecheap_thing" "a" rule[1]: attribute "on" must be bool, got number 1',
    ]);
  });

  test("a resource type the provider does not have", () => {
    const json = { resource: { namecheap_domain_record: { dns: { domain: "example.com" } } } };
    expect(checkAgainstProviderSchema(json, schema)).toEqual([
      'resource "namecheap_domain_record" "dns": resource type "namecheap_domain_record" is not in the namecheap provider schema',
    ]);
  });

  test("the per-record namecheap_domain_host_record resource is checked too", () => {
    const json = { resource: { namecheap_domain_host_record: { www: { domain: "example.com", hostname: "www", type: "A", ttl: 300 } } } };
    expect(checkAgainstProviderSchema(json, schema)).toEqual([
      'resource "namecheap_domain_host_record" "www": required attribute "address" is missing',
    ]);
  });

  test("a schema without the namecheap provider is reported, not silently passed", () => {
    expect(checkAgainstProviderSchema(config({ domain: "example.com" }), { format_version: "1.0", provider_schemas: {} })).toEqual([
      `schema: provider_schemas["${NAMECHEAP_PROVIDER_FQPN}"] is missing`,
    ]);
  });
});
