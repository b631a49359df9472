/**
 * `npm run review`: a Markdown report of a saved plan for a pull-request comment.
 *
 *   npm run review -- <stack> [--plan FILE] [--base FILE] [--stack-json FILE] [--json] [--out FILE] [--json-out FILE]
 *   npm run review -- --from <stack> --to <stack> [--json] [--out FILE] [--json-out FILE]
 *
 * --plan      the plan (`terraform show -json`), default cdktf.out/plans/<stack>.json (from `npm run plan:offline`)
 * --base      compare with this plan instead (both planned from empty state: the offline review of a change)
 * --stack-json the synthesized stack the plan came from (policy findings, diagram); default the offline synth
 *             (cdktf.out/offline/stacks/<stack>/cdk.tf.json) for the default plan, else cdktf.out/stacks/<stack>/cdk.tf.json
 * --json      print JSON instead of Markdown; --out / --json-out write Markdown / JSON to files
 * --from/--to the migration view between two stages' plans
 *
 * Exit codes: 0 = no DANGER; 3 = DANGER (a stateful resource is destroyed or
 * replaced: require a second approval); 2 = bad arguments or unreadable input.
 */
import { existsSync, readFileSync, writeFileSync } from "fs";
import { join, resolve } from "path";
import { EXIT_DANGER, migrationMarkdown, migrationReview, parsePlan, reviewMarkdown, reviewPlan, TfPlan } from "../modules/review";

export interface ReviewArgs {
  stack?: string;
  plan?: string;
  base?: string;
  stackJson?: string;
  from?: string;
  to?: string;
  json: boolean;
  out?: string;
  jsonOut?: string;
  /** Where plans/ and offline/stacks/ are: $CDKTF_OUTDIR or cdktf.out. */
  outDir: string;
}

const USAGE = "usage: review <stack> [--plan FILE] [--base FILE] [--stack-json FILE] [--json] [--out FILE] [--json-out FILE] | review --from <stack> --to <stack>";

export function parseArgs(argv: readonly string[]): ReviewArgs {
  const args: ReviewArgs = { json: false, outDir: process.env.CDKTF_OUTDIR ?? "cdktf.out" };
  const valued: Record<string, keyof ReviewArgs> = { "--plan": "plan", "--base": "base", "--stack-json": "stackJson", "--from": "from", "--to": "to", "--out": "out", "--json-out": "jsonOut" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    const [flag, inline] = arg.startsWith("--") && arg.includes("=") ? [arg.slice(0, arg.indexOf("=")), arg.slice(arg.indexOf("=") + 1)] : [arg, undefined];
    if (flag === "--json") args.json = true;
    else if (valued[flag]) {
      const value = inline ?? argv[++i];
      if (value === undefined || value.startsWith("--")) throw new Error(`${flag} needs a value; ${USAGE}`);
      (args as unknown as Record<string, string>)[valued[flag]] = value;
    } else if (!arg.startsWith("-") && args.stack === undefined) args.stack = arg;
    else throw new Error(`unknown argument ${JSON.stringify(arg)}; ${USAGE}`);
  }
  const migration = args.from !== undefined || args.to !== undefined;
  if (migration && (!args.from || !args.to)) throw new Error(`--from and --to go together; ${USAGE}`);
  if (migration && (args.stack || args.plan || args.base)) throw new Error(`--from/--to take no stack, --plan or --base; ${USAGE}`);
  if (!migration && !args.stack) throw new Error(`name a stack; ${USAGE}`);
  return args;
}

function readPlan(file: string, hint: string): TfPlan {
  if (!existsSync(file)) throw new Error(`no plan at ${file}; ${hint}`);
  return parsePlan(readFileSync(file, "utf8"), file);
}

function readJsonIfExists(file: string | undefined): unknown {
  return file && existsSync(file) ? JSON.parse(readFileSync(file, "utf8")) : undefined;
}

function offlineStackJson(outDir: string, stack: string): string {
  return join(outDir, "offline", "stacks", stack, "cdk.tf.json");
}

/** Runs the review; returns the exit code and what to print. */
export function runReview(args: ReviewArgs): { code: number; stdout: string } {
  const hint = "run `npm run plan:offline <stack>` first (or pass --plan FILE)";
  if (args.from && args.to) {
    const m = migrationReview({
      from: args.from,
      to: args.to,
      fromPlan: readPlan(join(args.outDir, "plans", `${args.from}.json`), hint),
      toPlan: readPlan(join(args.outDir, "plans", `${args.to}.json`), hint),
      fromStackJson: readJsonIfExists(offlineStackJson(args.outDir, args.from)),
      toStackJson: readJsonIfExists(offlineStackJson(args.outDir, args.to)),
    });
    return emit(args, migrationMarkdown(m), m, 0);
  }
  const stack = args.stack!;
  const planFile = args.plan ?? join(args.outDir, "plans", `${stack}.json`);
  const stackJsonFile = args.stackJson ?? (args.plan ? join(args.outDir, "stacks", stack, "cdk.tf.json") : offlineStackJson(args.outDir, stack));
  if (args.stackJson && !existsSync(args.stackJson)) throw new Error(`--stack-json ${args.stackJson} does not exist`);
  const notes = existsSync(stackJsonFile) ? [] : [`No synthesized stack at ${stackJsonFile}: policy findings and the architecture diagram are left out (pass --stack-json FILE).`];
  const review = reviewPlan({
    notes,
    stack,
    plan: readPlan(planFile, hint),
    base: args.base ? readPlan(args.base, "pass the base configuration's plan") : undefined,
    stackJson: readJsonIfExists(stackJsonFile),
    planLabel: args.plan ?? planFile,
    baseLabel: args.base,
  });
  return emit(args, reviewMarkdown(review), review, review.danger.length > 0 ? EXIT_DANGER : 0);
}

function emit(args: ReviewArgs, markdown: string, data: unknown, code: number): { code: number; stdout: string } {
  const json = JSON.stringify(data, null, 2) + "\n";
  if (args.out) writeFileSync(resolve(args.out), markdown);
  if (args.jsonOut) writeFileSync(resolve(args.jsonOut), json);
  return { code, stdout: args.json ? json : markdown };
}

if (require.main === module) {
  try {
    const { code, stdout } = runReview(parseArgs(process.argv.slice(2)));
    process.stdout.write(stdout);
    process.exitCode = code;
  } catch (error) {
    process.stderr.write(`review: ${(error as Error).message}\n`);
    process.exitCode = 2;
  }
}
