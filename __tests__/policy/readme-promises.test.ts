/**
 * The promises of modules/policy/README.md and of the root README's "Security policy at synth" that
 * the other policy tests do not already pin, asserted on the engine, the gate, `npm run policy` and the
 * README's own rule table (test names quote the README). Each test builds its own input.
 */
import { spawnSync } from "child_process";
import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import { App, TerraformStack, Testing } from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { assertCompliant, evaluateStack, evaluateStackDetailed, INVALID_SUPPRESSION_ID } from "../../modules/policy/engine";
import { enforcePolicy, StackEvaluation } from "../../modules/policy";
import { formatReportText } from "../../modules/policy/report";
import { ALL_RULES } from "../../modules/policy/rules";
import { suppress } from "../../modules/policy/suppressions";
import type { PolicyRule } from "../../modules/policy/types";
import { STACKS } from "../../stacks";
import { testConfig } from "../support/synth";
import { tf, withSections } from "./fixtures";

const ROOT = path.resolve(__dirname, "../..");
const POLICY_DIR = path.join(ROOT, "modules/policy");
const README = fs.readFileSync(path.join(POLICY_DIR, "README.md"), "utf8");
const REASON = "legacy host, replaced in Q3 by the hardened fleet";
const hardened = { metadata_options: { http_tokens: "required" }, root_block_device: { encrypted: true } };
const imdsv1 = { metadata_options: { http_tokens: "optional" }, root_block_device: { encrypted: true } };

const dirs: string[] = [];
afterAll(() => dirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));
const tempDir = (prefix: string) => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), prefix));
  dirs.push(dir);
  return dir;
};

/** Rows of the README's rule table: id, severity, demand, file. */
function readmeRuleTable(): { id: string; severity: string; demands: string; file: string }[] {
  return README.split("\n").filter((l) => /^\| `[A-Z0-9]/.test(l)).map((line) => {
    const cells = line.slice(2, -2).split(" | ");
    const unquote = (cell: string) => cell.replace(/^`(.*)`$/, "$1");
    return { id: unquote(cells[0]), severity: cells[1], demands: cells[2], file: unquote(cells[cells.length - 1]) };
  });
}

/** Rule objects a module exports (a rule file may also export helpers). */
function exportedRules(file: string): PolicyRule[] {
  // eslint-disable-next-line @typescript-eslint/no-var-requires
  const mod = require(file) as Record<string, unknown>;
  return Object.values(mod).filter((v): v is PolicyRule =>
    typeof v === "object" && v !== null && typeof (v as PolicyRule).id === "string" && typeof (v as PolicyRule).evaluate === "function");
}

/** Every module specifier reachable from `entry` through relative imports (static imports, re-exports, require). */
function reachableSpecifiers(entry: string): { files: string[]; packages: string[] } {
  const files = new Set<string>();
  const packages = new Set<string>();
  const visit = (file: string) => {
    if (files.has(file)) return;
    files.add(file);
    const source = fs.readFileSync(file, "utf8");
    for (const m of source.matchAll(/(?:\bfrom\s+|\bimport\s+|\brequire\()\s*["']([^"']+)["']/g)) {
      const spec = m[1];
      if (!spec.startsWith(".")) {
        packages.add(spec);
        continue;
      }
      const base = path.resolve(path.dirname(file), spec);
      const resolved = [`${base}.ts`, path.join(base, "index.ts")].find((f) => fs.existsSync(f));
      if (!resolved) throw new Error(`cannot resolve ${spec} from ${file}`);
      visit(resolved);
    }
  };
  visit(entry);
  return { files: [...files], packages: [...packages] };
}

describe("Security policy pack (modules/policy/README.md)", () => {
  test("\"Every synth runs a built-in policy pack (63 rules\" — and the report says \"checked against 63 rules\"", () => {
    expect(ALL_RULES).toHaveLength(63);
    const evaluation = evaluateStackDetailed(tf(["aws_instance", "web", hardened]), { stackName: "s" });
    expect(formatReportText([evaluation])).toContain("== s: 1 blocks checked against 63 rules — 0 error(s), 0 warning(s), 0 suppressed ==");
  });

  test("the rule table lists every rule once, with its severity, what it \"Demands\" (the rule's title) and its \"File\"", () => {
    const rows = readmeRuleTable();
    expect(rows.map((r) => r.id).sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
    for (const row of rows) {
      const [rule] = exportedRules(path.join(POLICY_DIR, row.file));
      expect({ id: row.id, severity: row.severity, demands: row.demands })
        .toEqual({ id: rule?.id, severity: rule?.severity, demands: rule?.title });
      expect(ALL_RULES).toContain(rule);
    }
  });

  test("\"One file per rule under `rules/<service>/<RuleName>.ts`\" \"with a doc comment citing the checkov / trivy / cdk-nag equivalents\"", () => {
    const ruleFiles = fs.readdirSync(path.join(POLICY_DIR, "rules"), { withFileTypes: true }).filter((d) => d.isDirectory())
      .flatMap((d) => fs.readdirSync(path.join(POLICY_DIR, "rules", d.name)).filter((f) => /^[A-Z]\w*\.ts$/.test(f)).map((f) => path.join(POLICY_DIR, "rules", d.name, f)));
    const seen: string[] = [];
    for (const file of ruleFiles) {
      const rules = exportedRules(file);
      expect([path.basename(file), rules.length]).toEqual([path.basename(file), 1]);
      seen.push(rules[0].id);
      const doc = /^\/\*\*([\s\S]*?)\*\//.exec(fs.readFileSync(file, "utf8"))?.[1] ?? "";
      expect([path.basename(file), /checkov/.test(doc), /trivy/.test(doc), /cdk-nag/.test(doc)]).toEqual([path.basename(file), true, true, true]);
    }
    expect(seen.sort()).toEqual(ALL_RULES.map((r) => r.id).sort());
  });

  test("\"The engine reads only the JSON\" \"and does not depend on cdktf\"", () => {
    const { files, packages } = reachableSpecifiers(path.join(POLICY_DIR, "engine.ts"));
    expect(files.map((f) => path.relative(ROOT, f))).toEqual(expect.arrayContaining(["modules/policy/engine.ts", "modules/policy/rules/index.ts", "modules/policy/rules/ec2/Ec2Imdsv2Required.ts"]));
    expect(packages.filter((p) => /^(cdktf|constructs|@cdktf\/)/.test(p))).toEqual([]);
    expect(packages.filter((p) => !p.startsWith("node:") && !["zlib", "crypto", "util"].includes(p))).toEqual([]);
  });

  test("\"Nested blocks are read whether cdktf wrote them as an object or an array\"", () => {
    const asArrays = (config: Record<string, unknown>) => Object.fromEntries(Object.entries(config).map(([k, v]) => [k, [v]]));
    const results = (config: Record<string, unknown>) => evaluateStack(tf(["aws_instance", "web", config]), { stackName: "s" }).map((f) => `${f.ruleId}: ${f.message}`);
    const unencrypted = { metadata_options: { http_tokens: "required" }, root_block_device: { encrypted: false } };
    expect(results(asArrays(hardened))).toEqual([]);
    expect(results(asArrays(imdsv1))).toEqual(results(imdsv1));
    expect(results(asArrays(imdsv1))).toEqual(['EC2-IMDSv2: metadata_options.http_tokens is "optional"; IMDSv1 stays reachable']);
    expect(results(asArrays(unencrypted))).toEqual(results(unencrypted));
    expect(results(asArrays(unencrypted))).toEqual([expect.stringMatching(/^EC2-EBS-ENCRYPTED: root_block_device/)]);
  });

  test("\"references (`${aws_x.y.id}`) link resources (flow log → VPC, listener → load balancer …)\"", () => {
    const ids = (doc: Record<string, unknown>, ruleId: string) => evaluateStack(doc, { stackName: "s" }).filter((f) => f.ruleId === ruleId).map((f) => f.address);
    const vpcs = (flowLogVpc: string) => tf(["aws_vpc", "a", { cidr_block: "10.0.0.0/16" }], ["aws_vpc", "b", { cidr_block: "10.1.0.0/16" }],
      ["aws_flow_log", "log", { vpc_id: flowLogVpc, traffic_type: "ALL" }]);
    expect(ids(vpcs("${aws_vpc.a.id}"), "VPC-FLOW-LOGS")).toEqual(["aws_vpc.b"]);
    expect(ids(vpcs("${aws_vpc.b.id}"), "VPC-FLOW-LOGS")).toEqual(["aws_vpc.a"]);
    const albs = (listenerLb: string) => tf(["aws_lb", "a", { load_balancer_type: "application" }], ["aws_lb", "b", { load_balancer_type: "application" }],
      ["aws_lb_listener", "https", { load_balancer_arn: listenerLb, protocol: "HTTPS", port: 443 }]);
    expect(ids(albs("${aws_lb.a.arn}"), "ELB-HTTPS-LISTENER")).toEqual(["aws_lb.b"]);
    expect(ids(albs("${aws_lb.b.arn}"), "ELB-HTTPS-LISTENER")).toEqual(["aws_lb.a"]);
  });

  test("\"A missing attribute counts as insecure (e.g. no `root_block_device` = unencrypted)\"", () => {
    const findings = evaluateStack(tf(["aws_instance", "web", { metadata_options: { http_tokens: "required" } }]), { stackName: "s" });
    expect(findings.map((f) => [f.ruleId, f.severity, f.message])).toEqual([
      ["EC2-EBS-ENCRYPTED", "error", "root_block_device is not declared, so the root volume's encryption depends on account defaults"],
    ]);
    expect(evaluateStack(tf(["aws_instance", "web", { root_block_device: { encrypted: true } }]), { stackName: "s" }).map((f) => f.ruleId)).toEqual(["EC2-IMDSv2"]);
  });

  test("\"read-only verbs (Describe/Get/List/…) may use `Resource: \"*\"` (so `ecr:GetAuthorizationToken` … needs no suppression\"; the write actions that accept only `*` \"(cloudwatch:PutMetricData, ssmmessages:*, ec2messages:*, xray:Put*) is exempt; a statement with a `Condition` counts as scoped\"", () => {
    const role = (...statements: Record<string, unknown>[]) => tf(["aws_iam_role_policy", "p", { role: "r", policy: JSON.stringify({ Version: "2012-10-17", Statement: statements }) }]);
    const findings = (doc: Record<string, unknown>) => evaluateStack(doc, { stackName: "s" }).map((f) => `${f.ruleId}: ${f.message}`);
    expect(findings(role(
      { Effect: "Allow", Action: ["ec2:DescribeInstances", "s3:ListAllMyBuckets", "ecr:GetAuthorizationToken"], Resource: "*" },
      { Effect: "Allow", Action: ["cloudwatch:PutMetricData", "ssmmessages:CreateControlChannel", "ec2messages:GetMessages", "xray:PutTraceSegments"], Resource: "*" },
      { Effect: "Allow", Action: "ec2:TerminateInstances", Resource: "*", Condition: { StringEquals: { "aws:ResourceTag/Stack": "web" } } },
    ))).toEqual([]);
    // the same write without its Condition is not scoped
    expect(findings(role({ Effect: "Allow", Action: "ec2:TerminateInstances", Resource: "*" })))
      .toEqual([expect.stringMatching(/^IAM-NO-WRITE-ON-WILDCARD-RESOURCE: .*ec2:TerminateInstances/)]);
  });

  test("IAM-SECRET-READ-SCOPED: \"a `*` in an ARN's region or account field is accepted, never in the resource name\"", () => {
    const read = (resource: string) => tf(["aws_iam_role_policy", "p", { role: "r", policy: JSON.stringify({ Version: "2012-10-17", Statement: [{ Effect: "Allow", Action: "ssm:GetParameter", Resource: resource }] }) }]);
    const ids = (resource: string) => evaluateStack(read(resource), { stackName: "s" }).map((f) => f.ruleId);
    expect(ids("arn:aws:ssm:*:*:parameter/web/db-password")).toEqual([]);
    expect(ids("arn:aws:ssm:eu-west-1:111122223333:parameter/web/db-*")).toEqual(["IAM-SECRET-READ-SCOPED"]);
    expect(ids("arn:aws:ssm:*:*:parameter/web/db-passwor?")).toEqual(["IAM-SECRET-READ-SCOPED"]);
  });

  test("\"Policies that are neither JSON strings nor `aws_iam_policy_document` references (e.g. an HCL `jsonencode(...)` expression) are reported as unreadable\"", () => {
    const doc = tf(["aws_iam_policy", "hcl", { policy: '${jsonencode({Statement = [{Effect = "Allow", Action = "*", Resource = "*"}]})}' }]);
    const findings = evaluateStack(doc, { stackName: "s" }).filter((f) => f.ruleId.startsWith("IAM-"));
    expect(findings.length).toBeGreaterThan(0);
    for (const f of findings) expect([f.ruleId, f.severity, f.message]).toEqual([f.ruleId, "error", expect.stringMatching(/neither a JSON document nor a reference/)]);
  });

  test("\"S3 state buckets: … named … with a `state` word; they need versioning (error); other buckets get a versioning warning\"", () => {
    const bucket = (name: string) => tf(["aws_s3_bucket", "b", { bucket: name }]);
    const versioning = (name: string) => evaluateStack(bucket(name), { stackName: "s" }).filter((f) => /VERSIONING/.test(f.ruleId)).map((f) => [f.ruleId, f.severity]);
    expect(versioning("acme-state")).toEqual([["S3-STATE-VERSIONING", "error"]]);
    expect(versioning("state.acme")).toEqual([["S3-STATE-VERSIONING", "error"]]);
    expect(versioning("acme-statements")).toEqual([["S3-VERSIONING", "warning"]]);
    expect(versioning("acme-logs")).toEqual([["S3-VERSIONING", "warning"]]);
  });

  test("\"`POLICY-INVALID-SUPPRESSION` (error, cannot be suppressed)\"", () => {
    const entries = [{ rule_id: "NOPE-NOPE", reason: REASON }, { rule_id: INVALID_SUPPRESSION_ID, reason: REASON }];
    const doc = tf(["aws_instance", "web", { ...hardened, "//": { metadata: { path: "s/web" }, policy_suppressions: entries } }]);
    const findings = evaluateStack(doc, { stackName: "s" });
    expect(findings.map((f) => [f.ruleId, f.severity, f.suppressed, f.message])).toEqual([
      [INVALID_SUPPRESSION_ID, "error", false, 'suppression names unknown rule id "NOPE-NOPE"'],
      [INVALID_SUPPRESSION_ID, "error", false, `suppression names unknown rule id "${INVALID_SUPPRESSION_ID}"`],
    ]);
    expect(() => assertCompliant(findings)).toThrow(/2 unsuppressed error finding/);
    const stack = new TerraformStack(new App({ outdir: tempDir("policy-readme-") }), "s");
    expect(() => suppress(stack, INVALID_SUPPRESSION_ID, REASON)).toThrow(/ruleId: "POLICY-INVALID-SUPPRESSION" is not allowed/);
  });

  test("\"It throws for … a reason shorter than 10 characters\" — 9 characters are refused, 10 accepted, in suppress() and in the JSON", () => {
    const stack = new TerraformStack(new App({ outdir: tempDir("policy-readme-") }), "s");
    expect(() => suppress(stack, "EC2-IMDSv2", "123456789")).toThrow(/reason: "123456789" is not allowed; expected a reason of at least 10 characters/);
    expect(() => suppress(stack, "EC2-IMDSv2", "1234567890")).not.toThrow();
    const withReason = (reason: string) => tf(["aws_instance", "web", { ...imdsv1, "//": { metadata: { path: "s/web" }, policy_suppressions: [{ rule_id: "EC2-IMDSv2", reason }] } }]);
    expect(evaluateStack(withReason("123456789"), { stackName: "s" }).map((f) => [f.ruleId, f.suppressed])).toEqual([["EC2-IMDSv2", false], [INVALID_SUPPRESSION_ID, false]]);
    expect(evaluateStack(withReason("1234567890"), { stackName: "s" }).map((f) => [f.ruleId, f.suppressed])).toEqual([["EC2-IMDSv2", true]]);
  });
});

describe("The gate in your own app (modules/policy/README.md)", () => {
  function app(withStaleSuppression: boolean) {
    const outdir = tempDir("policy-readme-gate-");
    const cdkApp = new App({ outdir, stackTraces: false });
    const stack = new TerraformStack(cdkApp, "consumer");
    new AwsProvider(stack, "aws", { region: "us-east-1" });
    const internal = new Construct(stack, "internal");
    new SecurityGroup(internal, "sg", {
      description: "internal service: 443 from the VPC only",
      ingress: [{ description: "HTTPS from the VPC", fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["10.0.0.0/16"] }],
    });
    if (withStaleSuppression) suppress(internal, "SG-NO-PUBLIC-INGRESS", "kept from when the service was public, now stale");
    const written = () => fs.existsSync(path.join(outdir, "stacks", "consumer", "cdk.tf.json"));
    return { app: cdkApp, written };
  }

  test("\"Only unsuppressed **errors** fail synth; warnings are reported\"", () => {
    const c = app(true);
    const reports: StackEvaluation[] = [];
    enforcePolicy(c.app, { report: (e) => reports.push(e) });
    expect(() => c.app.synth()).not.toThrow();
    expect(c.written()).toBe(true);
    expect(reports[0].findings.map((f) => [f.ruleId, f.severity, f.suppressed])).toEqual([["POLICY-STALE-SUPPRESSION", "warning", false]]);
  });

  test("\"prints each stack's report to stderr (`report: false` to silence …)\"", () => {
    const writes: string[] = [];
    const spy = jest.spyOn(process.stderr, "write").mockImplementation((chunk: string | Uint8Array) => { writes.push(String(chunk)); return true; });
    try {
      const loud = app(true);
      enforcePolicy(loud.app);
      loud.app.synth();
      expect(writes.join("")).toMatch(/== consumer: \d+ blocks checked against 63 rules — 0 error\(s\), 1 warning\(s\), 0 suppressed ==[\s\S]*WARN\s+POLICY-STALE-SUPPRESSION/);
      writes.length = 0;
      const quiet = app(true);
      enforcePolicy(quiet.app, { report: false });
      quiet.app.synth();
      expect(writes.join("")).not.toMatch(/blocks checked against/);
    } finally {
      spy.mockRestore();
    }
  });
});

test("enforcePolicy: \"the App must not set `skipValidation`\" — it is refused rather than letting every stack through unchecked", () => {
  const outdir = tempDir("policy-readme-skip-");
  const unchecked = new App({ outdir, skipValidation: true });
  const stack = new TerraformStack(unchecked, "consumer");
  new AwsProvider(stack, "aws", { region: "us-east-1" });
  new SecurityGroup(stack, "open", { description: "everything from everywhere", ingress: [{ description: "all", fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }] });
  expect(() => enforcePolicy(unchecked, { report: false })).toThrow(/App skipValidation: true is not allowed; expected false \(or unset\): the policy gate runs as a validation/);
  expect(() => enforcePolicy(stack, { report: false })).toThrow(/App skipValidation/);
  // the same app validating is gated
  const checked = new App({ outdir: tempDir("policy-readme-skip-") });
  const gated = new TerraformStack(checked, "consumer");
  new SecurityGroup(gated, "open", { description: "everything from everywhere", ingress: [{ description: "all", fromPort: 0, toPort: 0, protocol: "-1", cidrBlocks: ["0.0.0.0/0"] }] });
  enforcePolicy(checked, { report: false });
  expect(() => checked.synth()).toThrow(/\[SG-NO-PUBLIC-ALL-PORTS\]/);
});

describe("`npm run policy` (modules/policy/README.md)", () => {
  const good = tf(["aws_instance", "web", hardened]);
  const bad = tf(["aws_instance", "web", imdsv1]);
  const waivedAndStale = withSections({
    resource: [
      ["aws_instance", "waived", { ...imdsv1, "//": { metadata: { path: "s/waived" }, policy_suppressions: [{ rule_id: "EC2-IMDSv2", reason: REASON }] } }],
      ["aws_instance", "stale", { ...hardened, "//": { metadata: { path: "s/stale" }, policy_suppressions: [{ rule_id: "EC2-IMDSv2", reason: REASON }] } }],
    ],
  });
  function outDir(parent: string, stacks: Record<string, unknown>): string {
    for (const [name, json] of Object.entries(stacks)) {
      fs.mkdirSync(path.join(parent, "stacks", name), { recursive: true });
      fs.writeFileSync(path.join(parent, "stacks", name, "cdk.tf.json"), JSON.stringify(json));
    }
    return parent;
  }
  function run(args: string[], cwd: string, env: Record<string, string | undefined>) {
    // ts-node looks for tsconfig.json from the working directory; point it at the project's
    const childEnv: Record<string, string | undefined> = { ...process.env, TS_NODE_PROJECT: path.join(ROOT, "tsconfig.json"), ...env };
    for (const [k, v] of Object.entries(env)) if (v === undefined) delete childEnv[k];
    const result = spawnSync(process.execPath, ["-r", require.resolve("ts-node/register/transpile-only"), path.join(ROOT, "scripts/policy.ts"), ...args],
      { cwd, encoding: "utf8", env: childEnv });
    return { code: result.status, stdout: result.stdout, stderr: result.stderr };
  }

  test("\"(`DIR`: `--out`, else `$CDKTF_OUTDIR`, else `cdktf.out`)\"", () => {
    const cwd = tempDir("policy-readme-cwd-");
    outDir(path.join(cwd, "cdktf.out"), { "from-default": good });
    const fromEnv = outDir(tempDir("policy-readme-env-"), { "from-env": good });
    const fromFlag = outDir(tempDir("policy-readme-flag-"), { "from-flag": good });
    const stacks = (stdout: string) => [...stdout.matchAll(/^== ([\w-]+):/gm)].map((m) => m[1]);
    expect(stacks(run(["--out", fromFlag], cwd, { CDKTF_OUTDIR: fromEnv }).stdout)).toEqual(["from-flag"]);
    expect(stacks(run([], cwd, { CDKTF_OUTDIR: fromEnv }).stdout)).toEqual(["from-env"]);
    expect(stacks(run([], cwd, { CDKTF_OUTDIR: undefined }).stdout)).toEqual(["from-default"]);
  }, 60000);

  test("\"exits 1 on any unsuppressed error\" — and 0 when there are only warnings and suppressed errors", () => {
    const dir = outDir(tempDir("policy-readme-exit-"), { a: good, b: waivedAndStale });
    const ok = run(["--out", dir], ROOT, {});
    expect([ok.code, ok.stdout]).toEqual([0, expect.stringMatching(/== b: 2 blocks checked against 63 rules — 0 error\(s\), 1 warning\(s\), 1 suppressed ==/)]);
    outDir(dir, { c: bad });
    expect(run(["--out", dir], ROOT, {}).code).toBe(1);
  }, 60000);
});

describe("Security policy at synth (README.md)", () => {
  test("\"stage3-scale-up: 181 blocks checked against 63 rules — 0 error(s), 0 warning(s), 10 suppressed\": the pair's public IPs and the site's web ports, with the reasons shown, plus the six TLS certificate slots", () => {
    // a full synth, as `npm run synth` writes it: construct paths and suppression records included
    const stack = new STACKS["stage3-scale-up"](Testing.app(), "stage3-scale-up", testConfig());
    const outdir = Testing.fullSynth(stack);
    dirs.push(outdir);
    const json = JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "stage3-scale-up", "cdk.tf.json"), "utf8"));
    const evaluation = evaluateStackDetailed(json, { stackName: "stage3-scale-up" });
    const text = formatReportText([evaluation]);
    expect(text).toContain("== stage3-scale-up: 181 blocks checked against 63 rules — 0 error(s), 0 warning(s), 10 suppressed ==");
    const suppressed = evaluation.findings.filter((f) => f.suppressed);
    const publicIp = "The standby load balancer holds no Elastic IP yet must reach the EC2 API to take it over; its security group admits only web ports from the internet";
    const entry = "Public entry point of the site: its web ports must be reachable from the internet; every other port is closed or limited to named sources";
    expect(suppressed.filter((f) => f.ruleId !== "SSM-SECRET-PARAMETER-ENCRYPTED").map((f) => [f.ruleId, f.constructPath, f.suppressionReason]).sort()).toEqual([
      ["EC2-NO-PUBLIC-IP", "stage3-scale-up/load-balancers/lb-a/instance", publicIp],
      ["EC2-NO-PUBLIC-IP", "stage3-scale-up/load-balancers/lb-b/instance", publicIp],
      ["SG-NO-PUBLIC-INGRESS", "stage3-scale-up/load-balancers/firewall/in-tcp-443-https-from-the-internet", entry],
      ["SG-NO-PUBLIC-INGRESS", "stage3-scale-up/load-balancers/firewall/in-tcp-80-http-redirect-to-https-acme-challenges-from-the-", entry],
    ]);
    expect(suppressed.filter((f) => f.ruleId === "SSM-SECRET-PARAMETER-ENCRYPTED")).toHaveLength(6);
    expect(text).toContain("associate_public_ip_address is true");
    expect(text).toContain("rule allows tcp 443 from 0.0.0.0/0");
    expect(text).toContain("rule allows tcp 80 from 0.0.0.0/0");
  });
});
