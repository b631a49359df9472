/**
 * `npm run policy`: checks every synthesized stack against the security policy pack.
 *
 *   node -r ts-node/register/transpile-only scripts/policy.ts [--json] [--out DIR]
 *
 * Reads DIR/stacks/<stack>/cdk.tf.json (DIR: --out, else $CDKTF_OUTDIR, else "cdktf.out"),
 * prints a per-stack report of findings and suppressions (a table, or JSON with --json),
 * and exits 1 when any stack has an unsuppressed error finding (2 on usage errors).
 */
import * as fs from "fs";
import * as path from "path";
import { evaluateStackDetailed, StackEvaluation, unsuppressedErrors } from "../modules/policy/engine";
import { formatReportJson, formatReportText } from "../modules/policy/report";

interface Options {
  json: boolean;
  outDir: string;
}

function parseArgs(argv: string[]): Options {
  const options: Options = { json: false, outDir: process.env.CDKTF_OUTDIR || "cdktf.out" };
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i];
    if (arg === "--json") options.json = true;
    else if (arg === "--out" && argv[i + 1] !== undefined) options.outDir = argv[++i];
    else if (arg.startsWith("--out=")) options.outDir = arg.slice("--out=".length);
    else throw new Error(`unknown argument ${JSON.stringify(arg)}; usage: policy.ts [--json] [--out DIR]`);
  }
  return options;
}

export function evaluateOutDir(outDir: string): StackEvaluation[] {
  const stacksDir = path.join(outDir, "stacks");
  if (!fs.existsSync(stacksDir)) {
    throw new Error(`no synthesized stacks in ${stacksDir}; run \`npm run synth\` first (or pass --out DIR)`);
  }
  const names = fs.readdirSync(stacksDir)
    .filter((name) => fs.existsSync(path.join(stacksDir, name, "cdk.tf.json")))
    .sort();
  if (names.length === 0) throw new Error(`no cdk.tf.json under ${stacksDir}`);
  return names.map((stackName) => {
    const file = path.join(stacksDir, stackName, "cdk.tf.json");
    return evaluateStackDetailed(JSON.parse(fs.readFileSync(file, "utf8")), { stackName });
  });
}

function main(): number {
  let options: Options;
  let stacks: StackEvaluation[];
  try {
    options = parseArgs(process.argv.slice(2));
    stacks = evaluateOutDir(options.outDir);
  } catch (error) {
    process.stderr.write(`policy: ${(error as Error).message}\n`);
    return 2;
  }
  process.stdout.write(options.json ? formatReportJson(stacks) + "\n" : formatReportText(stacks));
  return stacks.some((s) => unsuppressedErrors(s.findings).length > 0) ? 1 : 0;
}

if (require.main === module) process.exitCode = main();
