/**
 * Every value the README documents as allowed builds: the ends of every
 * integer range, every enum value, both values of every boolean, the ends of
 * the CIDR range, and the capacity shapes the warm-standby rules allow — each
 * through the real synth of all five stacks (policy gate included).
 * Cases come from the schema, so a new field is covered without editing this.
 */
import { INFRA_CONFIG_SCHEMA } from "../../stacks/config/schema";
import { leafFields } from "../../stacks/config/schema-kit";
import { ALL_STACKS, synthFromOverrides } from "../support/config-synth";

/** `a.b.c` = value as a nested override. */
function overrideAt(path: string, value: unknown): Record<string, unknown> {
  return path.split(".").reduceRight<unknown>((inner, key) => ({ [key]: inner }), value) as Record<string, unknown>;
}

/** What a documented cross-field rule asks to go with a value (see the README's rules). */
const COMPANIONS: Record<string, Record<string, unknown>> = {
  'ami.mode="ids"': { ami: { ids: { "us-east-1": "ami-0123456789abcdef0", "us-west-2": "ami-0fedcba9876543210" } } },
  'warmStandby.bastionMode="bastion"': { access: { ssh: true } },
};

function documentedEdges(): [string, Record<string, unknown>][] {
  const cases: [string, Record<string, unknown>][] = [];
  for (const { path, field } of leafFields(INFRA_CONFIG_SCHEMA)) {
    if (path.includes("Capacity.")) continue; // related by rules: the shapes below
    const values =
      field.kind === "boolean" ? [true, false]
      : field.kind === "integer" ? (field.values ? [field.values[0], field.values[field.values.length - 1]] : [field.min, field.max])
      : field.kind === "enum" ? [...field.values]
      : [];
    for (const value of values) {
      if (value === field.default) continue;
      const label = `${path}=${JSON.stringify(value)}`;
      cases.push([label, { ...overrideAt(path, value), ...(COMPANIONS[label] ?? {}) }]);
    }
  }
  cases.push(["both VPCs /21", { network: { primaryCidr: "10.10.0.0/21", secondaryCidr: "10.20.0.0/21" } }]);
  cases.push(["both VPCs /16 in 172.16.0.0/12", { network: { primaryCidr: "172.16.0.0/16", secondaryCidr: "172.24.0.0/16" } }]);
  const smallest = { frontend: { min: 1, desired: 2, max: 2 }, backend: { min: 1, desired: 2, max: 2 } };
  const warm = { frontend: { min: 1, desired: 1, max: 2 }, backend: { min: 1, desired: 1, max: 2 } };
  cases.push(["smallest warm standby", { warmStandby: { primaryCapacity: smallest, drCapacity: warm } }]);
  const largest = { frontend: { min: 100, desired: 100, max: 100 }, backend: { min: 100, desired: 100, max: 100 } };
  const largestDr = { frontend: { min: 1, desired: 99, max: 100 }, backend: { min: 1, desired: 99, max: 100 } };
  cases.push(["largest warm standby", { warmStandby: { primaryCapacity: largest, drCapacity: largestDr } }]);
  cases.push(["largest fleets together", { fleet: { appServers: 20, webServers: 40 } }]);
  cases.push(["longest names", { project: "a-twenty-char-projec", environment: "production1" }]);
  return cases;
}

describe("every documented value builds every stack", () => {
  const cases = documentedEdges();
  it("covers booleans, ranges and enums (the list is not empty)", () => {
    expect(cases.length).toBeGreaterThanOrEqual(25);
    expect(cases.map(([label]) => label)).toEqual(expect.arrayContaining(["network.azCount=4", 'database.engine="postgres"', "dns.enabled=false", "fleet.webServers=40"]));
  });
  it.each(cases)("%s", (_label, overrides) => {
    const outcome = synthFromOverrides(overrides);
    if (!outcome.ok) throw new Error(outcome.message);
    expect(outcome.stacks.sort()).toEqual(ALL_STACKS);
  });
});
