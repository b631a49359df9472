/**
 * Synthesis of stacks that never refer to each other, without cdktf's preparing pass.
 *
 * `App.synth()` resolves every block of every stack twice: first a "preparing" pass
 * whose only effect is to find references from one stack to another (for each, cdktf
 * adds an output and a remote-state lookup), then the pass that writes the JSON. This
 * project's stacks are separate deployments, so the first pass finds nothing and costs
 * a third of the synth CPU. Here it is skipped; a reference that does cross stacks is
 * refused at synth with both stacks named, instead of being written as a reference to
 * a block its stack does not have. Everything is restored afterwards, error or not.
 */
import { App, IResolveContext, TerraformStack, ref } from "cdktf";
import { InvalidInputError } from "../modules/core/validation";

/** What cdktf's reference token (`ref()`, behind every resource attribute) holds; its fields are private in the typings. */
interface ReferenceToken {
  readonly identifier: string;
  readonly originStack?: TerraformStack;
  resolve(context: IResolveContext): string;
}

export function synthIndependentStacks(app: App): void {
  const stacks = app.node.findAll().filter(TerraformStack.isStack);
  const reference = Object.getPrototypeOf(ref("probe")) as ReferenceToken;
  const resolveReference = reference.resolve;
  reference.resolve = function (this: ReferenceToken, context: IResolveContext): string {
    const here = TerraformStack.of(context.scope);
    if (this.originStack !== undefined && this.originStack !== here) {
      throw new InvalidInputError(`stack ${here.node.id}`, `a reference to ${this.identifier} of stack ${this.originStack.node.id}`,
        "references to its own blocks only: synthIndependentStacks skips cdktf's cross-stack preparation (use App.synth() for stacks that share values)");
    }
    return resolveReference.call(this, context);
  };
  for (const stack of stacks) {
    // cdktf's own prepareStack without the resolve pass: the default local backend is still added.
    stack.prepareStack = () => void stack.ensureBackendExists();
  }
  try {
    app.synth();
  } finally {
    reference.resolve = resolveReference;
    for (const stack of stacks) delete (stack as Partial<TerraformStack>).prepareStack;
  }
}
