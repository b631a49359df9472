/**
 * Promises of modules/review/README.md not already asserted by logic.test.ts, coverage.test.ts,
 * diagram.test.ts and review-plans.test.ts, on small hand-made plans (test names quote the README).
 */
import * as fs from "fs";
import * as path from "path";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { Network } from "../../modules/network";
import { EXIT_DANGER, NO_IGNORE_CHANGES_NOTE, PRICES, PlanResourceChange, reviewMarkdown, reviewPlan, TfPlan } from "../../modules/review";

const REVIEW_DIR = path.join(__dirname, "../../modules/review");

function rc(address: string, actions: string[], before: Record<string, unknown> | null, after: Record<string, unknown> | null, extra: { action_reason?: string; replace_paths?: string[][] } = {}): PlanResourceChange {
  const [type, name] = address.split(".");
  return { address, mode: "managed", type, name, action_reason: extra.action_reason, change: { actions, before, after, after_unknown: {}, replace_paths: extra.replace_paths } };
}
function plan(changes: PlanResourceChange[]): TfPlan {
  return {
    format_version: "1.2",
    resource_changes: changes,
    configuration: {
      provider_config: { aws: { expressions: { region: { constant_value: "us-east-1" } } } },
      root_module: { resources: changes.map((c) => ({ address: c.address, type: c.type, provider_config_key: "aws", expressions: {} })) },
    },
  };
}
function smallStackJson(): unknown {
  const stack = new TerraformStack(Testing.app(), "review-readme");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new Network(stack, "net", { region: "us-east-1", name: "shop", cidr: "10.10.0.0/16", availabilityZones: ["us-east-1a", "us-east-1b"] });
  return JSON.parse(Testing.synth(stack));
}

/** Relative imports of a TypeScript file, resolved to files. */
function importsOf(file: string): { relative: string[]; packages: string[] } {
  const text = fs.readFileSync(file, "utf8");
  const specifiers = [...text.matchAll(/(?:^|\n)\s*(?:import|export)\s[^;]*?from\s+"([^"]+)"/g), ...text.matchAll(/(?:^|\n)\s*import\s+"([^"]+)"/g), ...text.matchAll(/require\("([^"]+)"\)/g)].map((m) => m[1]);
  const relative = specifiers.filter((s) => s.startsWith(".")).map((s) => {
    const base = path.resolve(path.dirname(file), s);
    const found = [`${base}.ts`, path.join(base, "index.ts"), base].find((f) => fs.existsSync(f) && fs.statSync(f).isFile());
    if (!found) throw new Error(`${file}: cannot resolve ${s}`);
    return found;
  });
  return { relative, packages: specifiers.filter((s) => !s.startsWith(".")) };
}

describe("modules/review (modules/review/README.md)", () => {
  it("\"Pure TypeScript (no cdktf import)\": no file it loads, directly or through other modules, imports cdktf, @cdktf/* or constructs", () => {
    const seen = new Set<string>();
    const queue = fs.readdirSync(REVIEW_DIR).filter((f) => f.endsWith(".ts")).map((f) => path.join(REVIEW_DIR, f));
    const offending: string[] = [];
    while (queue.length > 0) {
      const file = queue.pop()!;
      if (seen.has(file) || !file.endsWith(".ts")) continue;
      seen.add(file);
      const { relative, packages } = importsOf(file);
      for (const p of packages) if (p === "cdktf" || p.startsWith("@cdktf/") || p === "constructs") offending.push(`${path.relative(REVIEW_DIR, file)} → ${p}`);
      queue.push(...relative);
    }
    expect(seen.size).toBeGreaterThan(10);
    expect(offending).toEqual([]);
  });

  it("\"const exitCode = review.danger.length ? 3 : 0;   // EXIT_DANGER\"", () => {
    expect(EXIT_DANGER).toBe(3);
    const dangerous = reviewPlan({ stack: "s", plan: plan([rc("aws_db_instance.db", ["delete"], { identifier: "db" }, null)]) });
    expect(dangerous.danger.length).toBeGreaterThan(0);
    const harmless = reviewPlan({ stack: "s", plan: plan([rc("aws_s3_bucket_policy.p", ["update"], { policy: "{}" }, { policy: "{ }" })]) });
    expect(harmless.danger).toEqual([]);
  });

  it("\"reviewMarkdown(review); // DANGER first, then counts, replacements, exposure, IAM, policy, cost, diagram\"", () => {
    const p = plan([
      rc("aws_instance.lb", ["delete", "create"], { private_ip: "10.0.0.10", instance_type: "t3.micro" }, { private_ip: "10.0.0.11", instance_type: "t3.micro" }, { action_reason: "replace_because_cannot_update", replace_paths: [["private_ip"]] }),
      rc("aws_db_instance.db", ["delete"], { identifier: "db" }, null),
      rc("aws_vpc_security_group_ingress_rule.https", ["create"], null, { cidr_ipv4: "0.0.0.0/0", ip_protocol: "tcp", from_port: 443, to_port: 443 }),
      rc("aws_iam_role_policy.p", ["create"], null, { policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "s3:GetObject", Resource: "*" }] }) }),
    ]);
    const md = reviewMarkdown(reviewPlan({ stack: "s", plan: p, stackJson: smallStackJson() }));
    const positions = [
      /### ⚠️ DANGER: 2 /,
      /\| create \| update \| replace \| delete \| no-op \|/,
      /### Replacements \(1\)/,
      /### Exposure changes \(1\)/,
      /### IAM changes \(1\)/,
      /### Policy pack: /,
      /### Monthly cost — ESTIMATE/,
      /### Architecture \(generated from the synthesized stack\)\n\n```mermaid\nflowchart/,
    ].map((pattern) => {
      const found = pattern.exec(md);
      if (!found) throw new Error(`section ${pattern} missing from:\n${md}`);
      return found.index;
    });
    expect(positions).toEqual([...positions].sort((a, b) => a - b));
  });

  it("\"the cost covers fixed monthly charges only (no data transfer, requests, log ingestion, LCUs or backup storage) at list prices as of the table's date\" — stated in the report", () => {
    const md = reviewMarkdown(reviewPlan({ stack: "s", plan: plan([rc("aws_instance.web", ["create"], null, { instance_type: "t3.micro" })]) }));
    expect(PRICES.as_of).toMatch(/^\d{4}-\d{2}-\d{2}$/);
    expect(md).toContain(`### Monthly cost — ESTIMATE (USD, on-demand list prices as of ${PRICES.as_of})`);
    expect(md).toMatch(/fixed charges only; usage \(data transfer, requests, logs, LCUs, backups\) is not included/);
  });

  it("\"without `stackJson` an ignored attribute (the hosts' `ami`) counts as a change\" — stated in the report; with it, the change is left out", () => {
    const base = plan([rc("aws_instance.web", ["create"], null, { ami: "ami-00000000000000001", instance_type: "t3.micro" })]);
    const next = plan([rc("aws_instance.web", ["create"], null, { ami: "ami-00000000000000002", instance_type: "t3.micro" })]);
    const without = reviewPlan({ stack: "s", plan: next, base });
    expect(without.replacements.map((r) => [r.address, r.forcedBy])).toEqual([["aws_instance.web", ["ami"]]]);
    expect(without.notes).toEqual([NO_IGNORE_CHANGES_NOTE]);
    expect(reviewMarkdown(without)).toContain(`_${NO_IGNORE_CHANGES_NOTE}_`);
    const stackJson = { resource: { aws_instance: { web: { ami: "ami-00000000000000002", lifecycle: { ignore_changes: ["ami"] } } } } };
    const withStack = reviewPlan({ stack: "s", plan: next, base, stackJson });
    expect(withStack.replacements).toEqual([]);
    expect(withStack.counts["no-op"]).toBe(1);
    expect(withStack.notes).toEqual([]);
    // A plan against real state carries Terraform's own decision: no note.
    expect(reviewPlan({ stack: "s", plan: next }).notes).toEqual([]);
  });
});
