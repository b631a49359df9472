/**
 * FailoverApiRecords (modules/warm-standby/failover-api-records.ts), construct level:
 * "Route 53 failover for the API name: a PRIMARY alias to the primary backend load balancer
 * guarded by an HTTPS health check, and a SECONDARY alias to the DR load balancer that Route 53
 * answers with while the check fails."
 */
import { TerraformOutput, TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { FailoverApiRecords, FailoverApiRecordsProps } from "../../modules/warm-standby/failover-api-records";
import { TfJson, onlyResourceOf, ref, resourcesOf } from "../support/synth";

const PRIMARY = { target: { dnsName: "primary-backend-123.us-east-1.elb.amazonaws.com", zoneId: "Z35SXDOTRQ7X7K" }, healthCheckName: "backend-us-east-1.app.example.com" };
const SECONDARY = { target: { dnsName: "dr-backend-456.us-west-2.elb.amazonaws.com", zoneId: "Z1H1FL5HABSF5" }, healthCheckName: "backend-us-west-2.app.example.com" };

type Built = { json: TfJson; records: FailoverApiRecords };

/** A tiny stack with one FailoverApiRecords; `withProvider` passes an aliased provider. */
function build(over: Partial<FailoverApiRecordsProps> = {}, withProvider = false): Built {
  const stack = new TerraformStack(Testing.app(), "t");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  const provider = withProvider ? new AwsProvider(stack, "global", { region: "us-east-1", alias: "global" }) : undefined;
  const records = new FailoverApiRecords(stack, "api", { provider, zoneId: "Z0APPZONE", name: "api.app.example.com", primary: PRIMARY, secondary: SECONDARY, ...over });
  new TerraformOutput(stack, "health_check_id", { value: records.healthCheckId });
  const json = JSON.parse(Testing.synth(stack)) as TfJson;
  return { json, records };
}

function expectInvalid(over: Partial<FailoverApiRecordsProps>, message: string): void {
  const stack = new TerraformStack(Testing.app(), "t");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  expect(() => new FailoverApiRecords(stack, "api", { zoneId: "Z0APPZONE", name: "api.app.example.com", primary: PRIMARY, secondary: SECONDARY, ...over })).toThrow(message);
}

const health = (json: TfJson) => onlyResourceOf(json, "aws_route53_health_check");
const record = (json: TfJson, setIdentifier: string) => {
  const found = resourcesOf(json, "aws_route53_record").filter(([, r]) => r.set_identifier === setIdentifier);
  expect(found).toHaveLength(1);
  return found[0][1];
};

describe("the health check on the primary", () => {
  test("defaults: HTTPS on 443 to the primary's certificate name with SNI, path /readyz, 3 failures, every 30 s, tagged with the API name", () => {
    const { json } = build();
    expect(health(json)[1]).toEqual({
      type: "HTTPS",
      fqdn: "backend-us-east-1.app.example.com",
      port: 443,
      resource_path: "/readyz",
      enable_sni: true,
      failure_threshold: 3,
      request_interval: 30,
      tags: { Name: "api.app.example.com primary" },
    });
  });

  test("healthCheckPath, failureThreshold and requestIntervalSeconds land in the health check", () => {
    const { json } = build({ healthCheckPath: "/status/db", failureThreshold: 5, requestIntervalSeconds: 10 });
    expect(health(json)[1]).toMatchObject({ resource_path: "/status/db", failure_threshold: 5, request_interval: 10 });
  });

  test("only one health check: the secondary is not probed", () => {
    const { json } = build();
    expect(resourcesOf(json, "aws_route53_health_check")).toHaveLength(1);
  });
});

describe("the failover records", () => {
  test("PRIMARY: an A alias to the primary load balancer (target health evaluated), guarded by the health check", () => {
    const { json } = build();
    const [healthName] = health(json);
    expect(record(json, "primary")).toEqual({
      zone_id: "Z0APPZONE",
      name: "api.app.example.com",
      type: "A",
      set_identifier: "primary",
      failover_routing_policy: { type: "PRIMARY" },
      health_check_id: ref("aws_route53_health_check", healthName),
      alias: { name: PRIMARY.target.dnsName, zone_id: PRIMARY.target.zoneId, evaluate_target_health: true },
    });
  });

  test("SECONDARY: an A alias to the DR load balancer, without a health check of its own", () => {
    const { json } = build();
    expect(record(json, "secondary")).toEqual({
      zone_id: "Z0APPZONE",
      name: "api.app.example.com",
      type: "A",
      set_identifier: "secondary",
      failover_routing_policy: { type: "SECONDARY" },
      alias: { name: SECONDARY.target.dnsName, zone_id: SECONDARY.target.zoneId, evaluate_target_health: true },
    });
  });

  test("the records keep their Terraform addresses <id>_primary / <id>_secondary (a rename would replace them in the next plan)", () => {
    const { json } = build();
    const addresses = resourcesOf(json, "aws_route53_record").map(([key, r]) => [key.replace(/_[0-9A-F]{8}$/, ""), r.set_identifier]);
    expect(Object.fromEntries(addresses)).toEqual({ api_primary: "primary", api_secondary: "secondary" });
  });

  test("exactly the two records, nothing else in the stack", () => {
    const { json } = build();
    expect(resourcesOf(json, "aws_route53_record")).toHaveLength(2);
    expect(Object.keys(json.resource ?? {}).sort()).toEqual(["aws_route53_health_check", "aws_route53_record"]);
  });
});

describe("provider", () => {
  test("the given provider is used for the health check and both records", () => {
    const { json } = build({}, true);
    expect(health(json)[1].provider).toBe("aws.global");
    expect(resourcesOf(json, "aws_route53_record").map(([, r]) => r.provider)).toEqual(["aws.global", "aws.global"]);
  });

  test("without one, the stack's default provider (no provider argument written)", () => {
    const { json } = build();
    expect(health(json)[1]).not.toHaveProperty("provider");
    expect(resourcesOf(json, "aws_route53_record").map(([, r]) => "provider" in r)).toEqual([false, false]);
  });
});

describe("exposed attributes", () => {
  test("healthCheckId is the health check's id; name is the API name", () => {
    const { json, records } = build();
    const [healthName] = health(json);
    expect(json.output?.health_check_id.value).toBe(ref("aws_route53_health_check", healthName));
    expect(records.name).toBe("api.app.example.com");
  });
});

describe("validation", () => {
  test("failureThreshold 1 and 10 (the ends of 1–10) are accepted", () => {
    expect(health(build({ failureThreshold: 1 }).json)[1].failure_threshold).toBe(1);
    expect(health(build({ failureThreshold: 10 }).json)[1].failure_threshold).toBe(10);
  });

  test("failureThreshold 0, 11 and 2.5 are rejected, naming the field, the value and 1–10", () => {
    expectInvalid({ failureThreshold: 0 }, "api.failureThreshold: 0 is not allowed; expected an integer from 1 to 10");
    expectInvalid({ failureThreshold: 11 }, "api.failureThreshold: 11 is not allowed; expected an integer from 1 to 10");
    expectInvalid({ failureThreshold: 2.5 }, "api.failureThreshold: 2.5 is not allowed; expected an integer from 1 to 10");
  });

  test("requestIntervalSeconds: 10 or 30, nothing else", () => {
    expect(health(build({ requestIntervalSeconds: 30 }).json)[1].request_interval).toBe(30);
    expectInvalid({ requestIntervalSeconds: 20 as 30 }, "api.requestIntervalSeconds: 20 is not allowed; expected 10 or 30");
    expectInvalid({ requestIntervalSeconds: 11 as 30 }, "api.requestIntervalSeconds: 11 is not allowed; expected 10 or 30");
  });

  test("healthCheckPath accepts '/' alone, a path of 255 characters and every allowed character", () => {
    expect(health(build({ healthCheckPath: "/" }).json)[1].resource_path).toBe("/");
    const long = `/${"a".repeat(254)}`;
    expect(health(build({ healthCheckPath: long }).json)[1].resource_path).toBe(long);
    const every = "/AZaz09._~!$&'()*+,;=:@%/-";
    expect(health(build({ healthCheckPath: every }).json)[1].resource_path).toBe(every);
  });

  test("healthCheckPath must be an absolute URL path of at most 255 characters", () => {
    const allowed = "an absolute URL path of at most 255 characters such as /health";
    expectInvalid({ healthCheckPath: "readyz" }, `api.healthCheckPath: "readyz" is not allowed; expected ${allowed}`);
    expectInvalid({ healthCheckPath: "" }, `api.healthCheckPath: "" is not allowed; expected ${allowed}`);
    const tooLong = `/${"a".repeat(255)}`;
    expectInvalid({ healthCheckPath: tooLong }, `api.healthCheckPath: "${tooLong}" is not allowed; expected ${allowed}`);
  });

  test("healthCheckPath rejects a query, a fragment, spaces and characters next to the allowed ranges", () => {
    for (const bad of ["/readyz?full=1", "/readyz#x", "/ready z", "/[x]", "/`x", "/{x}", "/x\\y", "x/readyz", "/readyz\n"]) {
      expectInvalid({ healthCheckPath: bad }, `api.healthCheckPath: ${JSON.stringify(bad)} is not allowed`);
    }
  });
});
