#!/usr/bin/env node
/**
 * Regenerates the cdktf bindings for namecheap/namecheap into .gen/providers/namecheap.
 *
 *   node scripts/namecheap/generate.js              # writes .gen/providers/namecheap
 *   node scripts/namecheap/generate.js --out DIR    # writes DIR/providers/namecheap (tests compare it)
 *
 * Why a script instead of `cdktf get`: no prebuilt @cdktf/provider-namecheap exists and no
 * Namecheap provider binary is available offline, so the bindings are generated from the
 * committed schema (scripts/namecheap/provider-schema.json, the `terraform providers schema
 * -json` format) with cdktf's own generator. The package entry of @cdktf/provider-generator
 * needs jsii-pacmak to load, so the generator class is required by its file path.
 *
 * The output is deterministic: the folder is removed first, so a rerun over an unchanged
 * schema leaves `git diff .gen/providers/namecheap` empty.
 */
"use strict";

process.env.CHECKPOINT_DISABLE = "1"; // no cdktf update check (offline, reproducible)
// Loading @cdktf/commons runs `terraform version`; the machine's TF_CLI_CONFIG_FILE may name a
// missing file, which turns that probe into an [ERROR] line. No CLI settings are needed here.
process.env.TF_CLI_CONFIG_FILE = "/dev/null";

const fs = require("fs");
const path = require("path");
const { CodeMaker } = require("codemaker");
const { TerraformProviderGenerator } = require("@cdktf/provider-generator/lib/get/generator/provider-generator");

const PROVIDER_FQPN = "registry.terraform.io/namecheap/namecheap";
/** The provider version the schema describes; written into required_providers at synth. */
const PROVIDER_VERSION = "2.9.0";

const projectRoot = path.resolve(__dirname, "..", "..");
const schemaPath = path.join(__dirname, "provider-schema.json");

/** The folder that receives providers/namecheap: .gen unless `--out DIR` is given. */
function genRootFromArgs(args) {
  const at = args.indexOf("--out");
  if (at === -1) return path.join(projectRoot, ".gen");
  if (!args[at + 1]) throw new Error("--out needs a directory");
  return path.resolve(args[at + 1]);
}

const genRoot = genRootFromArgs(process.argv.slice(2));
const outputDir = path.join(genRoot, "providers", "namecheap");

async function main() {
  const schema = JSON.parse(fs.readFileSync(schemaPath, "utf8"));
  if (!schema.provider_schemas || !schema.provider_schemas[PROVIDER_FQPN]) {
    throw new Error(`${schemaPath}: provider_schemas["${PROVIDER_FQPN}"] is missing`);
  }
  // `cdktf get` records the installed version next to the schema; do the same so the
  // bindings pin namecheap/namecheap 2.9.0 in the synthesized required_providers.
  schema.provider_versions = { [PROVIDER_FQPN]: PROVIDER_VERSION };

  fs.rmSync(outputDir, { recursive: true, force: true });
  const codeMaker = new CodeMaker();
  const generator = new TerraformProviderGenerator(codeMaker, schema);
  generator.generateAll();
  await codeMaker.save(genRoot);

  const shown = outputDir.startsWith(projectRoot + path.sep) ? path.relative(projectRoot, outputDir) : outputDir;
  process.stdout.write(`generated ${shown} (namecheap/namecheap ${PROVIDER_VERSION})\n`);
}

main().catch((error) => {
  process.stderr.write(`${error && error.stack ? error.stack : error}\n`);
  process.exit(1);
});
