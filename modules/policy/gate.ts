/**
 * The policy gate for any cdktf app: `enforcePolicy(app)` gives every stack the
 * check this project's own synth runs — all rules, audited suppressions, the same
 * report and the same error — at `app.synth()` / `cdktf synth`, before the stack's
 * JSON is written.
 *
 *   const app = new App();
 *   new MyStack(app, "prod");
 *   enforcePolicy(app);   // after the stacks exist
 *   app.synth();          // throws PolicyViolationError listing every unsuppressed error
 *
 * It runs as a node validation of each stack, which every copy of cdktf runs (a
 * consumer's app may use another copy than this package's), so the app must not
 * set `skipValidation`.
 */
import { TerraformStack } from "cdktf";
import { IConstruct } from "constructs";
import { InvalidInputError } from "../core/validation";
import { evaluateStackDetailed, PolicyViolationError, StackEvaluation, unsuppressedErrors } from "./engine";
import { formatReportText } from "./report";
import { writeSuppressionMetadata } from "./suppressions";
import type { PolicyRule } from "./types";

export interface PolicyGateOptions {
  /**
   * Rules to run.
   * @default ALL_RULES (the project's own pack)
   */
  readonly rules?: readonly PolicyRule[];
  /**
   * Receives each stack's evaluation (findings, suppressions) at synth; `false` for none.
   * @default writes the text report (`formatReportText`, as `npm run policy` prints it) to stderr
   */
  readonly report?: false | ((evaluation: StackEvaluation) => void);
}

/** What the gate saw; filled in as stacks synthesize. */
export interface PolicyGate {
  /** One per synthesized stack, in synthesis order. */
  readonly evaluations: readonly StackEvaluation[];
}

/** Global symbols: the marks must be visible whatever copy of this package set them. */
const GATED = Symbol.for("staged-web-platform/policy-gate");

/**
 * Adds the policy gate to `scope` — an App (every stack in it) or one stack.
 * Call it after creating the stacks: a stack added to a gated app afterwards fails
 * synth with an error naming it rather than going unchecked.
 * @throws InvalidInputError when `scope` holds no stack, a stack is gated twice, or the App sets skipValidation.
 */
export function enforcePolicy(scope: IConstruct, options: PolicyGateOptions = {}): PolicyGate {
  const stacks = TerraformStack.isStack(scope) ? [scope] : scope.node.findAll().filter(TerraformStack.isStack);
  const path = scope.node.path || "<app>";
  if (stacks.length === 0) {
    throw new InvalidInputError("enforcePolicy(scope)", path, "an App that already holds its stacks, or a TerraformStack");
  }
  // The gate is a node validation: an App with skipValidation would write every stack unchecked.
  if ((scope.node.root as IConstruct & { skipValidation?: unknown }).skipValidation === true) {
    throw new InvalidInputError("App skipValidation", true, "false (or unset): the policy gate runs as a validation, which skipValidation turns off");
  }
  const evaluations: StackEvaluation[] = [];
  const report = options.report === undefined ? writeTextReport : options.report;
  const gatedRoot = TerraformStack.isStack(scope) ? undefined : scope;
  if (gatedRoot) mark(gatedRoot);
  for (const stack of stacks) {
    if (isMarked(stack)) {
      throw new InvalidInputError("enforcePolicy(scope)", stack.node.path, "a stack not already under the policy gate");
    }
    mark(stack);
    stack.node.addValidation({
      validate: () => {
        if (gatedRoot) assertEveryStackGated(gatedRoot);
        writeSuppressionMetadata(stack);
        const evaluation = evaluateStackDetailed(stack.toTerraform(), { stackName: stack.node.id, rules: options.rules });
        evaluations.push(evaluation);
        if (report) report(evaluation);
        const blocking = unsuppressedErrors(evaluation.findings);
        if (blocking.length > 0) throw new PolicyViolationError(blocking);
        return [];
      },
    });
  }
  return { evaluations };
}

function assertEveryStackGated(root: IConstruct): void {
  const missed = root.node.findAll().filter(TerraformStack.isStack).filter((s) => !isMarked(s)).map((s) => s.node.path);
  if (missed.length > 0) {
    throw new InvalidInputError("enforcePolicy(app)", missed.join(", "),
      "every stack created before enforcePolicy(app) is called (these were added afterwards and would go unchecked)");
  }
}

function mark(construct: IConstruct): void {
  if (isMarked(construct)) return;
  Object.defineProperty(construct, GATED, { value: true, enumerable: false });
}

function isMarked(construct: IConstruct): boolean {
  return (construct as IConstruct & { [GATED]?: boolean })[GATED] === true;
}

function writeTextReport(evaluation: StackEvaluation): void {
  process.stderr.write(formatReportText([evaluation]));
}
