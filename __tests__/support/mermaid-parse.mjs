// Parses Mermaid diagrams with the real Mermaid parser (mermaid.parse) in Node.
// Mermaid sanitizes labels with DOMPurify, which needs a DOM: jsdom provides
// one (no browser). Input: a JSON array of diagram texts on stdin. Output: a
// JSON array of { ok, type?, error? }.
import { JSDOM } from "jsdom";

const dom = new JSDOM("");
globalThis.window = dom.window;
globalThis.document = dom.window.document;
const { default: mermaid } = await import("mermaid");

let input = "";
for await (const chunk of process.stdin) input += chunk;
const results = [];
for (const text of JSON.parse(input)) {
  try {
    const parsed = await mermaid.parse(text);
    results.push({ ok: true, type: parsed.diagramType });
  } catch (error) {
    results.push({ ok: false, error: String(error.message ?? error) });
  }
}
process.stdout.write(JSON.stringify(results));
