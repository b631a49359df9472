#!/usr/bin/env node
/**
 * `npm run synth` and cdktf.json's app: runs main.ts as compiled JavaScript.
 *
 * The sources (main.ts, stacks/, modules/, .gen/) are transpiled with SWC — the
 * same transform `ts-node --swc` applies — into .build/app/, one file at a time
 * and only when the .ts is newer than its .js, so an edited source always gives
 * correct output and an unchanged tree costs a directory walk. Type-checking stays
 * in `npm test` (tsc --noEmit), as with ts-node. Plain JavaScript: it must run
 * before anything is compiled.
 *
 *   node scripts/synth-app.js           # build what changed, then synthesize
 *   node scripts/synth-app.js --build   # build only (the bench uses it)
 */
const { copyFileSync, existsSync, mkdirSync, readFileSync, readdirSync, statSync, writeFileSync } = require("fs");
const { dirname, join, relative } = require("path");

const ROOT = join(__dirname, "..");
const OUT = join(ROOT, ".build", "app");
/** Source roots of the app; files the compiled code reads through __dirname are copied next to it. */
const SOURCES = ["main.ts", "stacks", "modules", ".gen", "scripts/bench.ts"];
const ASSETS = [/\.json$/, /\.py$/, /\.pem$/];
const EXTRA_ASSETS = ["scripts/namecheap/provider-schema.json"];

function walk(path, found) {
  if (!existsSync(path)) return found;
  const stat = statSync(path);
  if (stat.isDirectory()) {
    for (const entry of readdirSync(path)) walk(join(path, entry), found);
  } else if (path.endsWith(".ts") && !path.endsWith(".d.ts")) {
    found.push({ path, kind: "ts", stamp: `${stat.mtimeMs}:${stat.size}` });
  } else if (ASSETS.some((re) => re.test(path))) {
    found.push({ path, kind: "asset", stamp: `${stat.mtimeMs}:${stat.size}` });
  }
  return found;
}

function outputOf(file, root, out) {
  const rel = relative(root, file.path);
  return join(out, file.kind === "ts" ? rel.replace(/\.ts$/, ".js") : rel);
}

/** Source stamps (mtime:size) of the last build: any difference — newer or older, as a checkout may give — rebuilds. */
function readStamps(out) {
  try {
    return JSON.parse(readFileSync(join(out, ".stamps.json"), "utf8"));
  } catch {
    return {};
  }
}

/** Transpiles (or copies) every source changed since the last build; returns how many were rebuilt. */
function ensureBuilt(root = ROOT, out = join(root, ".build", "app")) {
  const files = [];
  for (const source of SOURCES) walk(join(root, source), files);
  for (const extra of EXTRA_ASSETS) {
    if (!existsSync(join(root, extra))) continue;
    const stat = statSync(join(root, extra));
    files.push({ path: join(root, extra), kind: "asset", stamp: `${stat.mtimeMs}:${stat.size}` });
  }
  const stamps = readStamps(out);
  const stale = files.filter((f) => stamps[relative(root, f.path)] !== f.stamp || !existsSync(outputOf(f, root, out)));
  if (stale.length === 0) return 0;
  const swc = require("@swc/core");
  for (const file of stale) {
    const target = outputOf(file, root, out);
    mkdirSync(dirname(target), { recursive: true });
    if (file.kind === "asset") {
      copyFileSync(file.path, target);
      continue;
    }
    const { code } = swc.transformFileSync(file.path, {
      swcrc: false,
      jsc: { parser: { syntax: "typescript" }, target: "es2020", keepClassNames: true },
      module: { type: "commonjs" },
      sourceMaps: false,
    });
    writeFileSync(target, code);
  }
  for (const file of stale) stamps[relative(root, file.path)] = file.stamp;
  writeFileSync(join(out, ".stamps.json"), JSON.stringify(stamps));
  return stale.length;
}

module.exports = { ensureBuilt, OUT };
if (require.main === module) {
  const rebuilt = ensureBuilt();
  if (process.env.SYNTH_BUILD_LOG === "1") process.stderr.write(`synth-app: ${rebuilt} file(s) rebuilt\n`);
  if (!process.argv.includes("--build")) require(join(OUT, "main.js"));
}
