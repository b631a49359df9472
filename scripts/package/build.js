#!/usr/bin/env node
/**
 * `npm run build`: compiles the modules (and the generated Namecheap bindings) to
 * JavaScript + .d.ts under dist/, incrementally, and copies the files the compiled
 * code reads at run time. Plain JavaScript so it runs before anything is compiled.
 */
const { execFileSync } = require("child_process");
const { copyFileSync, mkdirSync } = require("fs");
const { dirname, join } = require("path");

const root = join(__dirname, "..", "..");

/** Files read through __dirname at run time, relative to the project root (same place under dist/). */
const RUNTIME_ASSETS = [
  "modules/server-config/reference-app/app.py",
  "modules/server-config/reference-app/rds-root-cas.pem",
  "scripts/namecheap/provider-schema.json",
];

function build() {
  execFileSync(process.execPath, [join(root, "node_modules/typescript/bin/tsc"), "-p", join(root, "tsconfig.build.json")],
    { stdio: "inherit" });
  for (const asset of RUNTIME_ASSETS) {
    const target = join(root, "dist", asset);
    mkdirSync(dirname(target), { recursive: true });
    copyFileSync(join(root, asset), target);
  }
}

module.exports = { build, RUNTIME_ASSETS };
if (require.main === module) {
  try {
    build();
  } catch (error) {
    process.stderr.write(`build failed: ${error.message}\n`);
    process.exit(1);
  }
}
