/**
 * Synthesis that never leaves partial output: stacks are written to a scratch
 * directory next to the output, checked by the security policy pack, and only
 * then moved into place. Any error (bad config, module validation, policy
 * finding) leaves the previous output as it was.
 */
import { existsSync, mkdirSync, readFileSync, readdirSync, renameSync, rmSync, statSync } from "fs";
import { join, resolve } from "path";
import { App } from "cdktf";
import { InfraConfig, cdktfJsonContext, loadConfig } from "./config";
import { buildStacks } from "./index";
import { synthIndependentStacks } from "./independent-stacks";
import { tooLongNamesError } from "./config-boundary";
import { tooLongNames } from "./name-limits";
import { assertCompliant, evaluateStack } from "../modules/policy";

export interface SynthesizeOptions {
  /** Output directory. @default process.env.CDKTF_OUTDIR or "cdktf.out" */
  readonly outdir?: string;
  /** Configuration to build from. @default loadConfig() with the cdktf context key `infraConfig` */
  readonly config?: InfraConfig;
  /**
   * Run the security policy pack on every synthesized stack and refuse to write
   * output with an unsuppressed error-level finding.
   * @default true
   */
  readonly policy?: boolean;
}

export function synthesize(options: SynthesizeOptions = {}): string[] {
  const outdir = resolve(options.outdir ?? process.env.CDKTF_OUTDIR ?? "cdktf.out");
  const scratch = `${outdir}.partial-${process.pid}`;
  rmSync(scratch, { recursive: true, force: true });
  const restoreTraces = cheapStackTraces();
  try {
    const app = new App({ outdir: scratch, stackTraces: false });
    // The same sources for `npm run synth` and `cdktf synth`: the CLI hands cdktf.json's context to the app, plain node does not.
    const config = options.config ?? loadConfig({ overrides: app.node.tryGetContext("infraConfig") ?? cdktfJsonContext() });
    const names = buildStacks(app, config).map((s) => s.stackName);
    synthIndependentStacks(app);
    for (const name of names) {
      const tooLong = tooLongNames(readStack(scratch, name));
      if (tooLong.length > 0) throw tooLongNamesError(name, config, tooLong);
    }
    if (options.policy ?? true) enforcePolicy(scratch, names);
    promote(scratch, outdir);
    return names;
  } finally {
    restoreTraces();
    rmSync(scratch, { recursive: true, force: true });
  }
}

/**
 * cdktf records a creation stack trace for every lazy token; under ts-node each
 * one is source-mapped, which made synthesis 5× slower (10 ms per instance).
 * Errors raised here are reported by message, so frames are not needed;
 * SYNTH_STACK_TRACES=1 keeps them for debugging the project itself.
 */
export function withCheapStackTraces<T>(work: () => T): T {
  const restore = cheapStackTraces();
  try {
    return work();
  } finally {
    restore();
  }
}

function cheapStackTraces(): () => void {
  if (process.env.SYNTH_STACK_TRACES === "1") return () => undefined;
  const previous = Error.prepareStackTrace;
  const capture = Error.captureStackTrace;
  Error.prepareStackTrace = (error: Error) => `${error.name}: ${error.message}`;
  // cdktf captures an unlimited-depth trace into a plain `{ stack: "" }` for every token it
  // creates (15 % of synth CPU); with the formatter above it came out empty anyway, so skip
  // the capture. Errors still get theirs.
  Error.captureStackTrace = (target: object, below?: Function) => {
    if (target instanceof Error) capture.call(Error, target, below);
  };
  return () => {
    Error.prepareStackTrace = previous;
    Error.captureStackTrace = capture;
  };
}

/** Every unsuppressed error of every stack in one message: rule, address, construct path, problem, fix. */
export function enforcePolicy(dir: string, stacks: readonly string[]): void {
  assertCompliant(stacks.flatMap((stackName) => evaluateStack(readStack(dir, stackName), { stackName })));
}

function readStack(dir: string, stackName: string) {
  return JSON.parse(readFileSync(join(dir, "stacks", stackName, "cdk.tf.json"), "utf8"));
}

/**
 * Moves every synthesized file over its counterpart. Existing stack directories
 * are kept, so a `.terraform` directory from an earlier `cdktf deploy` survives.
 */
function promote(from: string, to: string): void {
  mkdirSync(to, { recursive: true });
  for (const entry of readdirSync(from)) {
    const source = join(from, entry);
    const target = join(to, entry);
    if (statSync(source).isDirectory()) {
      if (existsSync(target) && !statSync(target).isDirectory()) rmSync(target, { force: true });
      promote(source, target);
    } else {
      renameSync(source, target);
    }
  }
}
