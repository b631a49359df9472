/**
 * The committed tables cover the project: every resource type synthesized by
 * any stack (default and offline profiles) is priced or explicitly free /
 * usage-based, and has a ForceNew entry; every priced type has a formula.
 */
import { estimateCost, FORCE_NEW, PRICES, ResourceChange } from "../../modules/review";
import { STACK_NAMES } from "../../stacks";
import { synthStack, testConfig } from "../support/synth";

const types = [...new Set(
  [testConfig(), testConfig(undefined, "offline")].flatMap((config) => STACK_NAMES.flatMap((stack) => Object.keys(synthStack(stack, config).resource ?? {}))),
)].sort();

describe("price table and ForceNew list cover every resource type", () => {
  it("finds the types of every stack (Namecheap included)", () => {
    expect(types).toEqual(expect.arrayContaining(["aws_instance", "aws_autoscaling_group", "aws_db_instance", "namecheap_domain_records"]));
  });

  it.each(types)("%s is priced, free or usage-based", (type) => {
    expect(PRICES.types[type]).toMatch(/^(priced|free|usage-based)/);
  });

  it.each(types)("%s has a ForceNew entry", (type) => {
    expect(FORCE_NEW[type]).toBeDefined();
  });

  it("has a date, a source and both regions of the default config", () => {
    expect(PRICES.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(PRICES.source).toMatch(/aws\.amazon\.com/);
    expect(Object.keys(PRICES.regions)).toEqual(expect.arrayContaining(["us-east-1", "us-west-2"]));
  });

  it("every priced type has a formula", () => {
    const priced = Object.entries(PRICES.types).filter(([, kind]) => kind.startsWith("priced")).map(([type]) => type);
    const changes: ResourceChange[] = priced.map((type) => ({
      address: `${type}.x`, type, action: "create", before: null, after: {}, unknownAfter: [], changedAttributes: [], forcedBy: [], providerKey: "aws", expressions: {},
    }));
    const estimate = estimateCost(changes, { aws: "us-east-1" });
    expect(estimate.unpriced.filter((u) => /no formula/.test(u))).toEqual([]);
  });

  it("prices an instance from the table: hours × rate + its gp3 volume", () => {
    const change: ResourceChange = {
      address: "aws_instance.x", type: "aws_instance", action: "create", before: null,
      after: { instance_type: "t3.micro", root_block_device: [{ volume_size: 16 }] }, unknownAfter: [], changedAttributes: [], forcedBy: [], providerKey: "aws", expressions: {},
    };
    const rate = PRICES.regions["us-east-1"];
    expect(estimateCost([change], { aws: "us-east-1" }).after).toBeCloseTo(rate.ec2_hour["t3.micro"] * 730 + 16 * rate.ebs_gp3_gb_month, 2);
  });
});
