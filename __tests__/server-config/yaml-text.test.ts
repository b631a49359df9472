/**
 * yamlText (modules/server-config/yaml-text.ts), which writes the alert rules' expressions, summaries and first
 * responses: one line while it fits, else a folded block that YAML reads back as the same text.
 */
import { YAML_FOLD_WIDTH, YAML_LINE_LIMIT, yamlText } from "../../modules/server-config/yaml-text";
import { parseYaml } from "../support/validators";

const INDENT = "          ";
/** A text of `length` characters whose `key: "text"` line at INDENT is `length + 21` long. */
const textOf = (length: number) => "word ".repeat(length).slice(0, length).replace(/ $/, "x");

describe("yamlText", () => {
  it(`keeps a line of exactly ${YAML_LINE_LIMIT} characters whole, quoted, and folds one of ${YAML_LINE_LIMIT + 1}`, () => {
    const fits = textOf(YAML_LINE_LIMIT - `${INDENT}summary: ""`.length);
    expect(yamlText(INDENT, "summary", fits)).toBe(`${INDENT}summary: ${JSON.stringify(fits)}`);
    expect(yamlText(INDENT, "summary", fits)).toHaveLength(YAML_LINE_LIMIT);
    expect(yamlText(INDENT, "summary", `${fits}y`)).toMatch(/^ {10}summary: >-\n/);
  });
  it("measures the line as written: quotes and escapes count", () => {
    const quoted = `${textOf(YAML_LINE_LIMIT - `${INDENT}summary: ""`.length - 2)}"x`;
    expect(`${INDENT}summary: ${JSON.stringify(quoted)}`.length).toBe(YAML_LINE_LIMIT + 1);
    expect(yamlText(INDENT, "summary", quoted)).toMatch(/^ {10}summary: >-\n/);
  });
  it(`folds between words into lines of at most ${YAML_FOLD_WIDTH} characters of text, each as full as the next word allows`, () => {
    // 25 words of 3 letters: 99 characters with their spaces, then 4 per word more.
    const words = Array.from({ length: 60 }, (_, i) => ["abc", "def", "ghi"][i % 3]);
    const folded = yamlText("  ", "runbook", words.join(" ") + " " + "z".repeat(YAML_FOLD_WIDTH - 4 * 24 - 4));
    const lines = folded.split("\n").slice(1).map((l) => l.slice(4));
    expect(folded.split("\n")[0]).toBe("  runbook: >-");
    expect(lines.every((l) => l.length <= YAML_FOLD_WIDTH)).toBe(true);
    expect(lines[0]).toHaveLength(99);
    expect(folded.split("\n").slice(1).every((l) => l.startsWith("    ") && !l.startsWith("     "))).toBe(true);
  });
  it(`a line of text exactly ${YAML_FOLD_WIDTH} characters long stays one line of the block`, () => {
    const hundred = `${"a".repeat(49)} ${"b".repeat(50)}`;
    expect(hundred).toHaveLength(YAML_FOLD_WIDTH);
    const text = `${hundred} ${"c".repeat(70)}`;
    expect(yamlText("", "k", text)).toBe(`k: >-\n  ${hundred}\n  ${"c".repeat(70)}`);
    // 96 characters and a word of 4 would make 101: the word starts the next line.
    const ninetySix = `${"a".repeat(47)} ${"b".repeat(48)}`;
    expect(yamlText("", "k", `${ninetySix} cccc ${"d".repeat(70)}`)).toBe(`k: >-\n  ${ninetySix}\n  cccc ${"d".repeat(70)}`);
  });
  it("a word longer than a line keeps a line of its own, also as the first word (no empty line before it)", () => {
    const long = "x".repeat(YAML_FOLD_WIDTH + 20);
    expect(yamlText("", "k", `${long} ${"y".repeat(60)}`)).toBe(`k: >-\n  ${long}\n  ${"y".repeat(60)}`);
    expect(yamlText("", "k", `a ${long} b`.padEnd(YAML_LINE_LIMIT, " c"))).toMatch(new RegExp(`\\n  a\\n  ${long}\\n`));
  });
  it("YAML reads every form back as the text it was given", () => {
    for (const text of [textOf(40), textOf(300), 'rate(x{a="b"}[5m]) > 0.05 and "quoted" text: with colons # and hashes'.repeat(4)]) {
      expect(parseYaml(yamlText("", "k", text))).toEqual({ k: text });
    }
  });
});
