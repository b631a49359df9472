/** Runs the real Mermaid parser on diagrams (an ES module, so in a child Node process). */
import { spawnSync } from "child_process";
import { join } from "path";

export interface MermaidResult {
  readonly ok: boolean;
  readonly type?: string;
  readonly error?: string;
}

export function parseMermaid(diagrams: readonly string[]): MermaidResult[] {
  const result = spawnSync(process.execPath, [join(__dirname, "mermaid-parse.mjs")], { input: JSON.stringify(diagrams), encoding: "utf8", timeout: 60000 });
  if (result.status !== 0) throw new Error(`mermaid parser failed to run: ${result.stderr || String(result.error)}`);
  return JSON.parse(result.stdout) as MermaidResult[];
}
