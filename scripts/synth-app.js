#!/usr/bin/env node
/**
 * `npm run synth` and cdktf.json's app: runs main.ts as one bundled JavaScript file.
 *
 * esbuild bundles main.ts with everything it imports — stacks/, modules/, .gen/,
 * cdktf, constructs and the deep-imported AWS bindings — into .build/app/main.js,
 * so the synth needs no module resolution and no hundreds of file reads. Each
 * input's stamp (mtime:size) is recorded; when any differs (newer or older, as a
 * checkout may give) or the tree moved, the bundle is rebuilt before it runs, so an
 * edited .ts always gives the output of the sources. An unchanged tree costs one
 * stat per input. Type-checking stays in `npm test` (tsc --noEmit), as with ts-node.
 *
 * The bundle is minified (keepNames keeps class and function names, which error
 * messages use): a smaller file is read and parsed faster, and the synthesized JSON
 * is byte-identical to the ts-node path's (__tests__/package/compiled-synth.test.ts).
 *
 * The bundle runs through vm.Script with a V8 code cache (main.js.cache, written at
 * the exit of a run that had none, so it also holds the functions compiled during
 * synthesis; dropped whenever the bundle is rebuilt; V8 itself rejects it under another
 * Node version or other V8 flags, and it is then rewritten): later runs skip most
 * parsing and compiling.
 *
 * Plain JavaScript: it must run before anything is compiled.
 *
 *   node scripts/synth-app.js                       # build if stale, then synthesize
 *   node scripts/synth-app.js --build               # build only
 *   node scripts/synth-app.js --entry bench-fleet … # another entry of ENTRIES (the bench uses it)
 */
const { existsSync, mkdirSync, readFileSync, renameSync, rmSync, statSync, writeFileSync } = require("fs");
const Module = require("module");
const { dirname, join } = require("path");
const vm = require("vm");

const ROOT = join(__dirname, "..");
const OUT = join(ROOT, ".build", "app");
/** Bundles that can be built and run: name → TypeScript entry (relative to the root). */
const ENTRIES = { main: "main.ts", "bench-fleet": "scripts/bench/fleet.ts" };

function stampOf(path) {
  const stat = statSync(path, { throwIfNoEntry: false });
  return stat ? `${stat.mtimeMs}:${stat.size}` : "missing";
}

/** The record of the last build of `name`: where it was built from and the stamp of every input. */
function readRecord(out, name) {
  try {
    return JSON.parse(readFileSync(join(out, `${name}.inputs.json`), "utf8"));
  } catch {
    return undefined;
  }
}

/** How many inputs of the bundle changed since it was built (all of them when there is no usable build). */
function staleInputs(root, out, name) {
  const record = readRecord(out, name);
  if (!record || record.root !== root || record.esbuild !== esbuildVersion() || !existsSync(join(out, `${name}.js`))) return Infinity;
  return Object.entries(record.inputs).filter(([path, stamp]) => stampOf(join(root, path)) !== stamp).length;
}

function esbuildVersion() {
  return require("esbuild/package.json").version;
}

/**
 * Files that read a neighbour through __dirname/__filename (server-config assets,
 * the Namecheap schema) keep reading it from their source folder: esbuild would
 * otherwise give them the bundle's folder.
 */
function sourceDirnamePlugin(root) {
  return {
    name: "source-dirname",
    setup(build) {
      build.onLoad({ filter: /\.ts$/ }, (args) => {
        if (args.path.includes("/node_modules/") || args.path.endsWith(".d.ts")) return undefined;
        const source = readFileSync(args.path, "utf8");
        if (!/\b__(dirname|filename)\b/.test(source)) return { contents: source, loader: "ts" };
        const header = `const __dirname = ${JSON.stringify(dirname(args.path))}, __filename = ${JSON.stringify(args.path)};\n`;
        return { contents: header + source, loader: "ts", resolveDir: dirname(args.path) };
      });
    },
  };
}

/**
 * Bundles `name` when any input changed; returns how many inputs changed (all of
 * them on a first build, 0 when the bundle was current).
 */
async function ensureBuilt(root = ROOT, out = join(root, ".build", "app"), name = "main") {
  const stale = staleInputs(root, out, name);
  if (stale === 0) return 0;
  const esbuild = require("esbuild");
  const outfile = join(out, `${name}.js`);
  mkdirSync(out, { recursive: true });
  rmSync(`${outfile}.cache`, { force: true });
  const result = await esbuild.build({
    absWorkingDir: root,
    entryPoints: [join(root, ENTRIES[name])],
    outfile,
    bundle: true,
    platform: "node",
    format: "cjs",
    target: "node20",
    minify: true,
    // Class and function names stay those of the sources (error messages and construct types use them).
    keepNames: true,
    legalComments: "none",
    metafile: true,
    // For the bench's CPU profile summary (which source a sample belongs to); not referenced by the bundle.
    sourcemap: "external",
    logLevel: "error",
    tsconfigRaw: { compilerOptions: { target: "es2020", useDefineForClassFields: false } },
    plugins: [sourceDirnamePlugin(root)],
    write: false,
  });
  // Written beside and renamed into place: a synth running concurrently never loads half a file.
  for (const file of result.outputFiles) {
    const scratch = `${file.path}.${process.pid}.tmp`;
    writeFileSync(scratch, file.contents);
    renameSync(scratch, file.path);
  }
  const inputs = {};
  for (const input of Object.keys(result.metafile.inputs)) inputs[input] = stampOf(join(root, input));
  writeFileSync(join(out, `${name}.inputs.json`), JSON.stringify({ root, esbuild: esbuildVersion(), inputs }));
  return Number.isFinite(stale) ? stale : Object.keys(inputs).length;
}

/** Runs a bundle as the main module, with its V8 code cache when there is a valid one (and writes one when not). */
function runBundle(file) {
  const cacheFile = `${file}.cache`;
  const cachedData = existsSync(cacheFile) ? readFileSync(cacheFile) : undefined;
  const script = new vm.Script(Module.wrap(readFileSync(file, "utf8")), { filename: file, cachedData });
  if (!cachedData || script.cachedDataRejected) {
    process.once("exit", () => {
      try {
        const scratch = `${cacheFile}.${process.pid}.tmp`;
        writeFileSync(scratch, script.createCachedData());
        renameSync(scratch, cacheFile);
      } catch {
        // A read-only tree only loses the cache.
      }
    });
  }
  const mod = new Module(file, null);
  mod.filename = file;
  mod.paths = Module._nodeModulePaths(dirname(file));
  mod.loaded = true;
  const requireFn = Module.createRequire(file);
  requireFn.main = mod;
  script.runInThisContext()(mod.exports, requireFn, mod, file, dirname(file));
}

module.exports = { ensureBuilt, ENTRIES, OUT };
if (require.main === module) {
  const args = process.argv.slice(2);
  const entryAt = args.indexOf("--entry");
  const name = entryAt >= 0 ? args[entryAt + 1] : "main";
  if (!(name in ENTRIES)) {
    process.stderr.write(`synth-app: unknown entry "${name}"; one of ${Object.keys(ENTRIES).join(", ")}\n`);
    process.exit(2);
  }
  ensureBuilt(ROOT, OUT, name).then((rebuilt) => {
    if (process.env.SYNTH_BUILD_LOG === "1") process.stderr.write(`synth-app: ${name}: ${rebuilt === 0 ? "bundle current" : `rebuilt (${rebuilt} input(s) changed)`}\n`);
    if (!args.includes("--build")) runBundle(join(OUT, `${name}.js`));
  }, (error) => {
    process.stderr.write(`synth-app: build failed: ${error.message}\n`);
    process.exit(1);
  });
}
