/**
 * Stages can live side by side in one account and domain (for a migration
 * from stage N to N+1): no two stages' VPCs overlap, and exactly one stage
 * publishes the site's names.
 */
import { cidrsOverlap } from "../../modules/core/cidr";
import { STACK_NAMES } from "../../stacks";
import { DNS_STAGES } from "../../stacks/config/schema";
import { HIGHEST_STAGE, stageNumber } from "../../stacks/stage-cidr";
import { configProblems } from "../../stacks/config";
import { resourcesOf, synthStack, testConfig } from "../support/synth";

const vpcsOf = (name: string, overrides: unknown = {}) => resourcesOf(synthStack(name, testConfig(overrides)), "aws_vpc").map(([, v]) => v.cidr_block as string);

describe("stages side by side", () => {
  it("the stage list of the CIDR and DNS rules is the stacks' own", () => {
    expect(Math.max(...STACK_NAMES.map(stageNumber))).toBe(HIGHEST_STAGE);
    expect(DNS_STAGES.filter((s) => s !== "none")).toEqual(STACK_NAMES.filter((s) => s !== "stage4-warm-standby"));
  });

  it.each([[{}], [{ network: { primaryCidr: "172.16.0.0/20", secondaryCidr: "172.16.128.0/20" } }]])("no two stages' VPCs overlap (%j)", (overrides) => {
    const all = STACK_NAMES.flatMap((name) => vpcsOf(name, overrides).map((cidr) => ({ name, cidr })));
    expect(all.length).toBe(7); // stages 0-2 one VPC each, stages 3 and 4 two
    for (const [i, a] of all.entries()) for (const b of all.slice(i + 1)) expect([a, b, cidrsOverlap(a.cidr, b.cidr)]).toEqual([a, b, false]);
  });

  it("stage N takes the N-th block after the configured one", () => {
    expect(vpcsOf("stage0-single-server")).toEqual(["10.10.0.0/16"]);
    expect(vpcsOf("stage3-scale-up").sort()).toEqual(["10.13.0.0/16", "10.23.0.0/16"]);
  });

  it("a secondary range inside the primary's stage blocks is refused, naming both", () => {
    expect(configProblems({ network: { secondaryCidr: "10.12.0.0/16" } }).join("\n")).toContain('network.secondaryCidr: "10.12.0.0/16" is not allowed; expected a range whose stage blocks');
    expect(configProblems({ network: { primaryCidr: "10.255.0.0/16" } }).join("\n")).toContain('network.primaryCidr: "10.255.0.0/16" is not allowed; expected a range with room for 4 more blocks');
  });

  it.each(DNS_STAGES)("with dns.liveStage %s exactly that stage publishes @ and www", (liveStage) => {
    const publishing = STACK_NAMES.filter((name) =>
      resourcesOf(synthStack(name, testConfig({ dns: { liveStage } })), "namecheap_domain_records").some(([, r]) => r.record.some((rec: { hostname: string }) => rec.hostname === "@")),
    );
    expect(publishing).toEqual(liveStage === "none" ? [] : [liveStage]);
  });
});
