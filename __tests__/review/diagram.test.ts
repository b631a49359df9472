/**
 * The generated architecture diagrams: every host, auto scaling group, load
 * balancer and data store of every stack appears, the allowed flows follow the
 * security-group rules, and the real Mermaid parser accepts each diagram.
 */
import { architectureDiagram, nodeId } from "../../modules/review";
import { STACK_NAMES } from "../../stacks";
import { parseMermaid } from "../support/mermaid";
import { resourcesOf, synthStack, testConfig } from "../support/synth";

const STORES_AND_HOSTS = ["aws_instance", "aws_autoscaling_group", "aws_lb", "aws_db_instance", "aws_elasticache_replication_group", "aws_s3_bucket"];
const config = testConfig(undefined, "offline");
const diagrams = Object.fromEntries(STACK_NAMES.map((stack) => [stack, architectureDiagram(synthStack(stack, config))]));

describe("architecture diagram", () => {
  it.each(STACK_NAMES)("%s: contains every host, ASG, load balancer and data store", (stack) => {
    const json = synthStack(stack, config);
    const expected = STORES_AND_HOSTS.flatMap((type) => resourcesOf(json, type).map(([name]) => `${type}.${name}`));
    expect(expected.length).toBeGreaterThan(0);
    for (const address of expected) expect(diagrams[stack].mermaid).toContain(`${nodeId(address)}[`.slice(0, -1));
    expect(diagrams[stack].nodes.map((n) => n.address)).toEqual(expect.arrayContaining(expected));
  });

  it("stage 3: two regions, the peering, the internet reaching only the load balancer pair, the database reached only from the app tier", () => {
    const d = diagrams["stage3-scale-up"];
    expect(d.mermaid).toMatch(/subgraph n_region_us_east_1\["us-east-1"\]/);
    expect(d.mermaid).toMatch(/subgraph n_region_us_west_2\["us-west-2"\]/);
    expect(d.edges.some((e) => e.label === "VPC peering")).toBe(true);
    const label = (id: string): string => d.nodes.find((n) => n.id === id)?.label ?? id;
    const fromInternet = d.edges.filter((e) => e.from === nodeId("internet")).map((e) => label(e.to));
    expect(fromInternet.sort()).toEqual([expect.stringMatching(/^webplat-dev-stage3-lb-a/), expect.stringMatching(/^webplat-dev-stage3-lb-b/)]);
    const databases = d.nodes.filter((n) => n.kind === "database");
    expect(databases.map((n) => n.tier)).toEqual(["private-data", "private-data"]); // the writer and its read replica
    const replicaId = d.edges.find((e) => e.label === "replication")!.to;
    const db = databases.find((n) => n.id !== replicaId)!;
    const intoDb = d.edges.filter((e) => e.to === db.id);
    expect(intoDb.map((e) => label(e.from)).sort()).toEqual([expect.stringMatching(/app-1/), expect.stringMatching(/app-2/)]);
    expect(intoDb.every((e) => e.label === "tcp 3306")).toBe(true);
  });

  it("stage 4: the cross-region replica is drawn as replication from the primary", () => {
    const d = diagrams["stage4-warm-standby"];
    expect(d.edges.filter((e) => e.label === "replication")).toHaveLength(1);
    expect(d.nodes.filter((n) => n.kind === "asg").length).toBeGreaterThanOrEqual(4);
  });

  it("every diagram is accepted by the Mermaid parser, and a broken one is rejected", () => {
    const texts = STACK_NAMES.map((s) => diagrams[s].mermaid);
    const broken = diagrams["stage0-single-server"].mermaid.replace(/-->\|/, "-->>|[");
    const results = parseMermaid([...texts, broken]);
    results.slice(0, texts.length).forEach((r, i) => expect({ stack: STACK_NAMES[i], ...r }).toEqual({ stack: STACK_NAMES[i], ok: true, type: "flowchart-v2" }));
    expect(results[texts.length].ok).toBe(false);
  });
});
