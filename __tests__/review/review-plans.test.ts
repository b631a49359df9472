/**
 * Review reports from real offline plans (terraform plan with the real AWS
 * provider from the local mirror): the default stage 3, and stage 3 after each
 * of four changes, reviewed offline as base plan vs changed plan. Plans are made
 * once (two at a time) and shared by the tests.
 */
import { copyFileSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { migrationReview, parsePlan, reviewChanges, TfPlan } from "../../modules/review";
import { initStack, validateAndPlan } from "../../scripts/plan-offline";
import { missingOfflineTerraform, prepareOfflineTerraform } from "../../scripts/offline-terraform";
import { parseArgs, runReview } from "../../scripts/review";
import { loadConfig } from "../../stacks/config";
import { synthesize } from "../../stacks/synthesize";

const missing = missingOfflineTerraform();
if (missing) {
  console.warn(`review plans test: SKIPPED — missing ${missing}`);
  if (process.env.CI) throw new Error(`CI must run the review plan tests; missing ${missing}`);
}

const STACK = "stage3-scale-up";
const dir = mkdtempSync(join(tmpdir(), "review-plans-"));
type Variant = "default" | "fleet" | "lbType" | "edits" | "stage2";
const plans: Partial<Record<Variant, TfPlan>> = {};
const planFiles: Partial<Record<Variant, string>> = {};
const stackFiles: Partial<Record<Variant, string>> = {};

function synth(name: string, overrides: unknown): string {
  const out = join(dir, `synth-${name}`);
  synthesize({ outdir: out, config: loadConfig({ file: "", profile: "offline", overrides }) });
  return out;
}

/** A copy of the default stage 3 JSON with one edit. */
function edited(name: Variant, source: string, edit: (doc: any) => void): string {
  const doc = JSON.parse(readFileSync(source, "utf8"));
  edit(doc);
  const file = join(dir, `${name}.tf.json`);
  writeFileSync(file, JSON.stringify(doc));
  return file;
}

(missing ? describe.skip : describe)("plan review from real offline plans", () => {
  beforeAll(async () => {
    const tf = prepareOfflineTerraform(join(dir, "terraform"));
    const base = synth("default", undefined);
    const stage3 = join(base, "stacks", STACK, "cdk.tf.json");
    stackFiles.default = stage3;
    stackFiles.stage2 = join(base, "stacks", "stage2-secured-monitored", "cdk.tf.json");
    stackFiles.fleet = join(synth("fleet", { fleet: { webServers: 6 } }), "stacks", STACK, "cdk.tf.json");
    // t2 is a Xen family: the pair's keepalived interface becomes eth0, so their user data changes.
    stackFiles.lbType = join(synth("lb-type", { instanceTypes: { loadBalancer: "t2.micro" } }), "stacks", STACK, "cdk.tf.json");
    // Two independent edits in one plan (one plan less to wait for): a new internet port and a widened IAM statement.
    stackFiles.edits = edited("edits", stage3, (doc) => {
      const rules = doc.resource.aws_vpc_security_group_ingress_rule;
      const https = Object.keys(rules).find((k) => k.includes("in-tcp-443-https-from-the-internet"))!;
      rules["load-balancers_firewall_in-tcp-8443-admin_REVIEW01"] = { ...rules[https], "//": undefined, description: "Admin console", from_port: 8443, to_port: 8443 };
      const policy = doc.resource.aws_iam_role_policy["load-balancers_role_policy_B3C91D27"];
      const parsed = JSON.parse(policy.policy);
      parsed.Statement.find((s: { Sid: string }) => s.Sid === "MoveTheElasticIp").Action.push("ec2:ReleaseAddress");
      policy.policy = JSON.stringify(parsed);
    });
    const variants = Object.keys(stackFiles) as Variant[];
    for (const v of variants) initStack(tf, stackFiles[v]!, join(dir, "work", v));
    const queue = [...variants];
    const worker = async (): Promise<void> => {
      for (let v = queue.shift(); v; v = queue.shift()) {
        planFiles[v] = join(dir, `${v}.plan.json`);
        await validateAndPlan(tf, join(dir, "work", v), planFiles[v]!);
        plans[v] = parsePlan(readFileSync(planFiles[v]!, "utf8"), v);
      }
    };
    await Promise.all([worker(), worker()]);
  }, 600000);

  const review = (variant: Variant) => reviewChanges({ stack: STACK, base: plans.default!, plan: plans[variant]!, stackJson: JSON.parse(readFileSync(stackFiles[variant]!, "utf8")) });

  it("default stage 3 as a plan: every resource created, no DANGER, the site's two internet ports listed, no open policy finding", () => {
    const { review: r } = reviewChanges({ stack: STACK, plan: plans.default!, stackJson: JSON.parse(readFileSync(stackFiles.default!, "utf8")) });
    // As many as the README's stack table says the plan creates (plan:offline keeps that table true).
    const readmeCount = Number(/^\| `stage3-scale-up` \|.*\| (\d+) \|$/m.exec(readFileSync(join(__dirname, "..", "..", "README.md"), "utf8"))![1]);
    expect(r.counts).toEqual({ create: readmeCount, update: 0, replace: 0, delete: 0, "no-op": 0 });
    expect(r.danger).toEqual([]);
    const ingress = r.exposure.filter((e) => e.kind === "internet ingress").map((e) => e.detail).sort();
    expect(ingress).toEqual(["tcp 443 from 0.0.0.0/0 to webplat-dev-stage3-lb", "tcp 80 from 0.0.0.0/0 to webplat-dev-stage3-lb"]);
    expect(r.policy!.unsuppressedErrors).toBe(0);
    // The pair's two public addresses, the site's two internet ports, the six TLS certificate slots (public certificates only).
    expect(r.policy!.findings.filter((f) => f.suppressed)).toHaveLength(10);
    expect(r.cost.after).toBeGreaterThan(100);
    expect(r.cost.lines.map((l) => l.type)).toEqual(expect.arrayContaining(["aws_instance", "aws_nat_gateway", "aws_db_instance", "aws_eip"]));
  });

  it("the same configuration compared with itself changes nothing", () => {
    const { changes } = reviewChanges({ stack: STACK, base: plans.default!, plan: plans.default! });
    expect(changes.filter((c) => c.action !== "no-op")).toEqual([]);
  });

  it("a larger web fleet adds servers and rules and replaces nothing: the load balancers stay", () => {
    const { review: r, changes } = review("fleet");
    expect(r.danger).toEqual([]);
    expect(r.counts.replace).toBe(0);
    expect(r.creates.filter((a) => a.startsWith("aws_instance."))).toEqual([expect.stringContaining("web-5"), expect.stringContaining("web-6")].sort());
    const lbs = changes.filter((c) => c.address.startsWith("aws_instance.load-balancers_"));
    expect(lbs.map((c) => c.action)).toEqual(["no-op", "no-op"]);
    expect(r.cost.delta).toBeGreaterThan(0);
  });

  it("another load-balancer instance type replaces both load balancers, forced by their user data: DANGER", () => {
    const { review: r } = review("lbType");
    const lbs = r.replacements.filter((x) => x.address.startsWith("aws_instance.load-balancers_"));
    expect(lbs).toHaveLength(2);
    for (const x of lbs) {
      expect(x.forcedBy).toContain("user_data");
      expect(x.reason).toMatch(/user_data cannot be updated in place/);
    }
    expect(r.danger.map((d) => d.address).sort()).toEqual(lbs.map((x) => x.address).sort());
    expect(r.danger[0].what).toMatch(/host with fixed IP 10\.13\.(0|16)\.10/);
  });

  it("a new internet port is listed as an exposure change and as an open policy finding", () => {
    const { review: r } = review("edits");
    expect(r.exposure).toEqual([expect.objectContaining({ change: "added", kind: "internet ingress", detail: "tcp 8443 from 0.0.0.0/0 to webplat-dev-stage3-lb" })]);
    expect(r.creates).toEqual(["aws_vpc_security_group_ingress_rule.load-balancers_firewall_in-tcp-8443-admin_REVIEW01"]);
    expect(r.counts).toMatchObject({ create: 1, update: 1, replace: 0, delete: 0 });
    expect(r.policy!.findings.filter((f) => !f.suppressed).map((f) => f.ruleId)).toEqual(["SG-NO-PUBLIC-INGRESS"]);
  });

  it("a widened IAM statement is listed with the action it adds", () => {
    const { review: r } = review("edits");
    expect(r.iam).toEqual([
      expect.objectContaining({ address: "aws_iam_role_policy.load-balancers_role_policy_B3C91D27", change: "widened", added: { actions: ["ec2:ReleaseAddress"], resources: [], conditionsDropped: [] } }),
    ]);
    expect(r.updates.map((u) => u.address)).toEqual(["aws_iam_role_policy.load-balancers_role_policy_B3C91D27"]);
  });

  it("stage 2 → stage 3: the migration view lists the added peering and second region, and the cost of each", () => {
    const m = migrationReview({ from: "stage2-secured-monitored", to: STACK, fromPlan: plans.stage2!, toPlan: plans.default! });
    expect(m.counts.added).toBeGreaterThan(0);
    expect(m.counts.removed).toBeGreaterThan(0);
    const peering = m.components.find((c) => c.component === "peering");
    expect(peering?.added).toMatchObject({ aws_vpc_peering_connection: 1, aws_vpc_peering_connection_accepter: 1 });
    expect(m.components.find((c) => c.component === "network-secondary")?.added.aws_vpc).toBe(1);
    expect(m.cost.after).toBeGreaterThan(m.cost.before);
  });

  it("\"**Exit code:** `0` no DANGER, `3` DANGER (require a second approval)\"; the CLI writes Markdown and JSON and rejects bad arguments (exit 2: readme-root-pipelines.test.ts)", () => {
    const out = join(dir, "cli");
    const danger = runReview(parseArgs([STACK, "--plan", planFiles.lbType!, "--base", planFiles.default!, "--stack-json", stackFiles.lbType!, "--out", `${out}.md`, "--json-out", `${out}.json`]));
    expect(danger.code).toBe(3);
    expect(readFileSync(`${out}.md`, "utf8")).toMatch(/### ⚠️ DANGER: 2 stateful resource/);
    expect(JSON.parse(readFileSync(`${out}.json`, "utf8")).danger).toHaveLength(2);
    // The README's excerpt is this report: every line of it must still be in it.
    const readme = readFileSync(join(__dirname, "..", "..", "README.md"), "utf8");
    const excerpt = /Excerpt of a real report[\s\S]*?```text\n([\s\S]*?)```/.exec(readme)![1].split("\n").filter((l) => l.trim() && l !== "...");
    expect(excerpt.length).toBeGreaterThan(5);
    expect(excerpt.filter((line) => !danger.stdout.includes(line))).toEqual([]);
    const calm = runReview(parseArgs([STACK, "--plan", planFiles.fleet!, "--base", planFiles.default!, "--json"]));
    expect(calm.code).toBe(0);
    expect(JSON.parse(calm.stdout).counts.replace).toBe(0);
    // Default locations: <outDir>/plans/<stack>.json; without a synthesized stack the report says what it leaves out.
    const outDir = join(dir, "out");
    mkdirSync(join(outDir, "plans"), { recursive: true });
    copyFileSync(planFiles.stage2!, join(outDir, "plans", "stage2-secured-monitored.json"));
    copyFileSync(planFiles.default!, join(outDir, "plans", `${STACK}.json`));
    const plain = runReview({ ...parseArgs([STACK]), outDir });
    expect(plain.code).toBe(0);
    expect(plain.stdout).toMatch(/No synthesized stack at .*: policy findings and the architecture diagram are left out/);
    const migration = runReview({ ...parseArgs(["--from", "stage2-secured-monitored", "--to", STACK]), outDir });
    expect(migration.code).toBe(0);
    expect(migration.stdout).toMatch(/^## Migration: `stage2-secured-monitored` → `stage3-scale-up`/);
    // Stage 2's Elastic IP has no counterpart in stage 3 (the pair's is another); both stages have a read replica, renamed.
    expect(migration.stdout).toMatch(/- `aws_eip\.load-balancer_lb_eip_\w+` — Elastic IP/);
    expect(migration.stdout).toMatch(/- `aws_db_instance\.database-replica_instance_\w+`: `identifier`/);
    expect(() => parseArgs([])).toThrow(/name a stack/);
    expect(() => parseArgs(["--from", "stage2-secured-monitored"])).toThrow(/--from and --to go together/);
    expect(() => runReview(parseArgs([STACK, "--plan", join(dir, "nope.json")]))).toThrow(/no plan at .*nope\.json/);
  });
});
