/** The real synth (all stacks, policy gate, atomic output) driven by a raw override object, as a file or the cdktf context would give it. */
import { existsSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "fs";
import { tmpdir } from "os";
import { join } from "path";
import { loadConfig } from "../../stacks/config";
import { INFRA_CONFIG_SCHEMA } from "../../stacks/config/schema";
import { STACK_NAMES } from "../../stacks";
import { synthesize } from "../../stacks/synthesize";

export type SynthOutcome = { readonly ok: true; readonly stacks: string[]; readonly json: (stack: string) => any } | { readonly ok: false; readonly message: string; readonly wroteSomething: boolean };

const work = mkdtempSync(join(tmpdir(), "config-synth-"));
let runs = 0;

/** Synthesizes every stack from `overrides` into a fresh directory; reports what was written or the error. */
export function synthFromOverrides(overrides: unknown, options: { keep?: boolean } = {}): SynthOutcome {
  const outdir = join(work, `out-${++runs}`);
  try {
    synthesize({ outdir, config: loadConfig({ file: "", overrides, profile: "" }) });
    const stacks = readdirSync(join(outdir, "stacks")).filter((name) => existsSync(join(outdir, "stacks", name, "cdk.tf.json")));
    if (!options.keep) rmSync(outdir, { recursive: true, force: true });
    return { ok: true, stacks, json: (stack) => JSON.parse(readFileSync(join(outdir, "stacks", stack, "cdk.tf.json"), "utf8")) };
  } catch (error) {
    const wroteSomething = existsSync(outdir) || readdirSync(work).some((entry) => entry.includes("partial"));
    return { ok: false, message: (error as Error).message, wroteSomething };
  }
}

/** The problems of a configuration error, one per line, or undefined when the message is not one. */
export function problemsOf(message: string): string[] | undefined {
  const m = /^invalid configuration \((\d+) problems?\):\n((?:  - .*(?:\n|$))+)$/.exec(message);
  if (!m) return undefined;
  const problems = m[2].trimEnd().split("\n").map((line) => line.slice(4));
  return problems.length === Number(m[1]) ? problems : undefined;
}

/** The configuration field a problem starts with (a schema field, a section, a list item or map entry), or undefined. */
export function fieldNamed(problem: string): string | undefined {
  const m = /^((?:INFRA_CONFIG|INFRA_PROFILE|cdktf\.json context\.infraConfig|config)|[a-z][A-Za-z]*(?:\.[A-Za-z0-9-]+|\[\d+\])*): /.exec(problem);
  if (!m) return undefined;
  const root = m[1].split(/[.[]/)[0];
  return root in INFRA_CONFIG_SCHEMA.fields || m[1].startsWith("INFRA_") || m[1].startsWith("cdktf.json") || m[1] === "config" ? m[1] : undefined;
}

/** What a user must never see in a synth error. */
export const NEVER_IN_MESSAGES = [/\bundefined\b/, /\bNaN\b/, /\[object Object\]/, /\n\s+at /, /TypeError|ReferenceError|Cannot read propert/, /There is already a Construct/];

export const ALL_STACKS = [...STACK_NAMES].sort();
