import * as fs from "fs";
import * as os from "os";
import * as path from "path";
import * as cdktf from "cdktf";
import { Construct } from "constructs";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import { enforcePolicy, PolicyViolationError, StackEvaluation, suppress } from "../../modules/policy";

const REASON = "public entry point: the load balancer serves 443 to everyone";
const OWN: Bindings = { Sg: SecurityGroup, Provider: AwsProvider };
const outdirs: string[] = [];
afterAll(() => outdirs.forEach((d) => fs.rmSync(d, { recursive: true, force: true })));

type Cdktf = typeof cdktf;
interface Bindings {
  readonly Sg: typeof SecurityGroup;
  readonly Provider: typeof AwsProvider;
}

/** A consumer's app: App, stack and resources all from the given copy of cdktf and its provider bindings. */
function consumerApp(lib: Cdktf, { Sg, Provider }: Bindings) {
  const outdir = fs.mkdtempSync(path.join(os.tmpdir(), "policy-gate-"));
  outdirs.push(outdir);
  const app = new lib.App({ outdir, stackTraces: false });
  const stack = new lib.TerraformStack(app, "consumer");
  new Provider(stack, "aws", { region: "us-east-1" });
  const lb = new Construct(stack, "lb");
  new Sg(lb, "sg", {
    description: "load balancer: 443 from the internet",
    ingress: [{ description: "HTTPS", fromPort: 443, toPort: 443, protocol: "tcp", cidrBlocks: ["0.0.0.0/0"] }],
  });
  const written = () => fs.existsSync(path.join(outdir, "stacks", "consumer", "cdk.tf.json"));
  const json = () => JSON.parse(fs.readFileSync(path.join(outdir, "stacks", "consumer", "cdk.tf.json"), "utf8"));
  return { app, stack, lb, written, json };
}

/** A second, separate copy of cdktf and the provider bindings, as a directory install gives the package. */
function secondCopy(): { lib: Cdktf; bindings: Bindings } {
  let loaded!: { lib: Cdktf; bindings: Bindings };
  jest.isolateModules(() => {
    loaded = {
      lib: require("cdktf"),
      bindings: {
        Sg: require("@cdktf/provider-aws/lib/security-group").SecurityGroup,
        Provider: require("@cdktf/provider-aws/lib/provider").AwsProvider,
      },
    };
  });
  return loaded;
}

describe("enforcePolicy(app)", () => {
  test("stops synth on an unsuppressed error before the stack's JSON is written, naming rule, address and construct", () => {
    const c = consumerApp(cdktf, OWN);
    enforcePolicy(c.app, { report: false });
    expect(() => c.app.synth()).toThrow(PolicyViolationError);
    expect(() => c.app.synth()).toThrow(/\[SG-NO-PUBLIC-INGRESS\] aws_security_group\.lb_sg_\w+ \(construct consumer\/lb\/sg\)/);
    expect(c.written()).toBe(false);
  });

  test("honours a suppression, writes it into the JSON and reports it", () => {
    const c = consumerApp(cdktf, OWN);
    suppress(c.lb, "SG-NO-PUBLIC-INGRESS", REASON);
    const reports: StackEvaluation[] = [];
    const gate = enforcePolicy(c.app, { report: (e) => reports.push(e) });
    c.app.synth();
    expect(gate.evaluations).toEqual(reports);
    expect(reports).toHaveLength(1);
    expect(reports[0].findings.filter((f) => !f.suppressed && f.severity === "error")).toEqual([]);
    expect(reports[0].findings.filter((f) => f.suppressed).map((f) => f.ruleId)).toEqual(["SG-NO-PUBLIC-INGRESS"]);
    const [sg] = Object.values(c.json().resource.aws_security_group) as Record<string, any>[];
    expect(sg["//"].policy_suppressions).toEqual([{ rule_id: "SG-NO-PUBLIC-INGRESS", reason: REASON, applied_at: "consumer/lb" }]);
  });

  test("works when the consumer's app uses another copy of cdktf than this package (directory install)", () => {
    const other = secondCopy();
    expect(other.lib.App).not.toBe(cdktf.App); // really two copies: aspects of one are invisible to the other

    const failing = consumerApp(other.lib, other.bindings);
    enforcePolicy(failing.app, { report: false });
    expect(() => failing.app.synth()).toThrow(/\[SG-NO-PUBLIC-INGRESS\]/);

    const suppressed = consumerApp(other.lib, other.bindings);
    suppress(suppressed.lb, "SG-NO-PUBLIC-INGRESS", REASON);
    const gate = enforcePolicy(suppressed.app, { report: false });
    suppressed.app.synth();
    expect(gate.evaluations[0].findings.filter((f) => f.suppressed).map((f) => f.ruleId)).toEqual(["SG-NO-PUBLIC-INGRESS"]);
    const [sg] = Object.values(suppressed.json().resource.aws_security_group) as Record<string, any>[];
    expect(sg["//"].policy_suppressions).toHaveLength(1);
  });

  test("suppressions reach the JSON from another copy of cdktf without the gate too", () => {
    const other = secondCopy();
    const c = consumerApp(other.lib, other.bindings);
    suppress(c.lb, "SG-NO-PUBLIC-INGRESS", REASON);
    c.app.synth();
    const [sg] = Object.values(c.json().resource.aws_security_group) as Record<string, any>[];
    expect(sg["//"].policy_suppressions).toEqual([{ rule_id: "SG-NO-PUBLIC-INGRESS", reason: REASON, applied_at: "consumer/lb" }]);
  });

  test("a stack created after enforcePolicy(app) fails synth instead of going unchecked", () => {
    const c = consumerApp(cdktf, OWN);
    suppress(c.lb, "SG-NO-PUBLIC-INGRESS", REASON);
    enforcePolicy(c.app, { report: false });
    new cdktf.TerraformStack(c.app, "late");
    expect(() => c.app.synth()).toThrow(/enforcePolicy\(app\): "late" is not allowed; expected every stack created before/);
  });

  test("rejects an app without stacks and a stack gated twice", () => {
    const app = new cdktf.App({ outdir: fs.mkdtempSync(path.join(os.tmpdir(), "policy-gate-")) });
    outdirs.push(app.outdir);
    expect(() => enforcePolicy(app)).toThrow(/enforcePolicy\(scope\): .* expected an App that already holds its stacks/);
    const stack = new cdktf.TerraformStack(app, "one");
    enforcePolicy(stack);
    expect(() => enforcePolicy(app)).toThrow(/enforcePolicy\(scope\): "one" is not allowed; expected a stack not already under the policy gate/);
  });
});
