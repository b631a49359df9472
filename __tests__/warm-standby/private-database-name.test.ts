/**
 * PrivateDatabaseName: "A private hosted zone attached to one VPC with a CNAME from a stable name to that
 * region's database. Each region has its own zone of the same name, so the application uses one hostname
 * everywhere and a failover changes no configuration."
 */
import { Fn } from "cdktf";
import { PrivateDatabaseName, PrivateDatabaseNameProps } from "../../modules/warm-standby/private-database-name";
import { invalidInputOf } from "../support/invalid-input";
import { DataJson, inventory, outputsOf, refTo, resourceNamed, synth, twoRegionStack } from "./data-support";

const base: PrivateDatabaseNameProps = { hostname: "sql.db.internal", vpcId: "vpc-0abc", vpcRegion: "us-west-2", target: "acme-db-dr.cxyz.us-west-2.rds.amazonaws.com" };

function build(props: Partial<PrivateDatabaseNameProps> = {}, withProvider = true): { json: DataJson; name: PrivateDatabaseName } {
  const { stack, dr } = twoRegionStack();
  const name = new PrivateDatabaseName(stack, "name", { ...base, ...(withProvider ? { provider: dr } : {}), ...props });
  const json = synth(stack, { hostname: name.hostname, zoneId: name.zoneId });
  return { json, name };
}

function errorOf(props: Partial<PrivateDatabaseNameProps>) {
  const { stack } = twoRegionStack();
  return invalidInputOf(() => new PrivateDatabaseName(stack, "name", { ...base, ...props }));
}

describe("the zone and the record", () => {
  test("a private zone named after everything but the first label, attached to the given VPC of the given region, never force-destroyed", () => {
    const { json } = build();
    expect(inventory(json)).toEqual({ aws_route53_zone: 1, aws_route53_record: 1 });
    expect(resourceNamed(json, "aws_route53_zone", "name_zone")).toEqual({
      provider: "aws.dr",
      name: "db.internal",
      comment: "Private names of us-west-2: sql.db.internal is this region's database",
      vpc: [{ vpc_id: "vpc-0abc", vpc_region: "us-west-2" }],
      force_destroy: false,
    });
  });

  test("a CNAME from the stable name to this region's database endpoint, TTL 60 by default, in that zone", () => {
    const { json } = build();
    expect(resourceNamed(json, "aws_route53_record", "name_record")).toEqual({
      provider: "aws.dr",
      zone_id: refTo(json, "aws_route53_zone", "name_zone", "zone_id"),
      name: "sql.db.internal",
      type: "CNAME",
      ttl: 60,
      records: ["acme-db-dr.cxyz.us-west-2.rds.amazonaws.com"],
    });
  });

  test("the zone is everything after the first label, however many labels follow", () => {
    const { json } = build({ hostname: "sql.eu.db.internal" });
    expect(resourceNamed(json, "aws_route53_zone", "name_zone").name).toBe("eu.db.internal");
    expect(resourceNamed(json, "aws_route53_record", "name_record").name).toBe("sql.eu.db.internal");
  });

  test("a target given as a resource attribute lands in the record as a reference", () => {
    const { json } = build({ target: Fn.lower("ACME") });
    expect(resourceNamed(json, "aws_route53_record", "name_record").records).toEqual(['${lower("ACME")}']);
  });

  test("without a provider both resources use the stack's default AWS provider", () => {
    const { json } = build({}, false);
    expect(resourceNamed(json, "aws_route53_zone", "name_zone")).not.toHaveProperty("provider");
    expect(resourceNamed(json, "aws_route53_record", "name_record")).not.toHaveProperty("provider");
  });

  test("exposes the hostname as given and the zone id of the zone it created", () => {
    const { json, name } = build();
    expect(name.hostname).toBe("sql.db.internal");
    expect(outputsOf(json)).toEqual({ hostname: "sql.db.internal", zoneId: refTo(json, "aws_route53_zone", "name_zone", "zone_id") });
  });
});

describe("ttl (seconds, integer 0–86400, default 60)", () => {
  test.each([0, 1, 300, 86400])("%p is written as the record's TTL", (ttl) => {
    const { json } = build({ ttl });
    expect(resourceNamed(json, "aws_route53_record", "name_record").ttl).toBe(ttl);
  });
  test.each([-1, 86401, 1.5])("%p is refused, naming the field, the value and the range", (ttl) => {
    const error = errorOf({ ttl });
    expect(error.field).toBe("name.ttl");
    expect(error.value).toBe(ttl);
    expect(error.message).toBe(`name.ttl: ${ttl} is not allowed; expected an integer from 0 to 86400`);
  });
});

describe("hostname: a lowercase name of at least three labels", () => {
  const allowed = "a lowercase name of at least three labels such as sql.db.internal";
  test.each(["sql.db.internal", "a.db.internal", "s-q-1.db.internal", "0.db.internal", "db1.x2.internal", `${"a".repeat(63)}.db.internal`, `a${"-".repeat(61)}b.db.internal`])(
    "%p is accepted",
    (hostname) => {
      const { json } = build({ hostname });
      expect(resourceNamed(json, "aws_route53_record", "name_record").name).toBe(hostname);
    },
  );
  test.each([
    ["two labels", "db.internal"],
    ["one label", "internal"],
    ["an uppercase letter", "Sql.db.internal"],
    ["an uppercase letter in a later label", "sql.db.Internal"],
    ["a label starting with a hyphen", "-sql.db.internal"],
    ["a label ending with a hyphen", "sql-.db.internal"],
    ["a one-character hyphen label", "sql.-.internal"],
    ["an empty label", "sql..internal"],
    ["a trailing dot", "sql.db.internal."],
    ["an underscore", "sql_1.db.internal"],
    ["a space", "sql.db.internal x"],
    ["a label of 64 characters", `${"a".repeat(64)}.db.internal`],
    ["a first character outside the class", "_sql.db.internal"],
  ])("%s is refused, naming the field, the value and what is allowed", (_, hostname) => {
    const error = errorOf({ hostname });
    expect(error.message).toBe(`name.hostname: ${JSON.stringify(hostname)} is not allowed; expected ${allowed}`);
  });

  test("a hostname known only at apply time is refused (the zone name is computed from it)", () => {
    const error = errorOf({ hostname: Fn.lower("SQL.DB.INTERNAL") });
    expect(error.message).toBe('name.hostname: "<unresolved token>" is not allowed; expected a concrete value known at synth time (not a resource attribute)');
  });

  test("a VPC region known only at apply time is refused", () => {
    const error = errorOf({ vpcRegion: Fn.lower("US-WEST-2") });
    expect(error.message).toBe('name.vpcRegion: "<unresolved token>" is not allowed; expected a concrete value known at synth time (not a resource attribute)');
  });
});
