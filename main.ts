/**
 * Builds every stack of the project from the configuration (DEFAULT_CONFIG,
 * overridden by the JSON file in INFRA_CONFIG or the cdktf context key
 * `infraConfig`) and writes them to cdktf.out/stacks/<name>/cdk.tf.json.
 */
import { synthesize } from "./stacks/synthesize";

try {
  synthesize();
} catch (error) {
  // One clean message instead of a stack trace: the error names the field, value and what is allowed.
  console.error(`synth failed: ${(error as Error).message}`);
  process.exit(1);
}
