/**
 * One text field of a YAML file a person reads (the alert rules): `key: "text"` on one line while that line fits
 * YAML_LINE_LIMIT characters, else a folded block (`>-`, read back as the same text: lines joined by spaces) whose
 * lines hold at most YAML_FOLD_WIDTH characters of text after the indent, broken between words. Pure: no cdktf import.
 */

/** Longest `key: "text"` line written as it is. */
export const YAML_LINE_LIMIT = 160;
/** Most characters of text on a line of a folded block (a single longer word keeps its own line). */
export const YAML_FOLD_WIDTH = 100;

export function yamlText(indent: string, key: string, text: string): string {
  const single = `${indent}${key}: ${JSON.stringify(text)}`;
  if (single.length <= YAML_LINE_LIMIT) return single;
  const lines: string[] = [];
  let line = "";
  for (const word of text.split(" ")) {
    if (line && line.length + word.length + 1 > YAML_FOLD_WIDTH) {
      lines.push(line);
      line = word;
    } else line = line ? `${line} ${word}` : word;
  }
  lines.push(line);
  return `${indent}${key}: >-\n${lines.map((l) => `${indent}  ${l}`).join("\n")}`;
}
