#!/usr/bin/env node
/**
 * The public API report (api/staged-web-platform.api.md, API Extractor) of the built
 * package root, which re-exports every module entry point.
 *
 *   node scripts/package/api-report.js           # check: exit 1 when dist/'s API differs from the committed report
 *   node scripts/package/api-report.js --update  # rewrite the report
 *
 * Needs dist/ (npm run build). `npm run api:check` and `npm run api:update` run the whole chain.
 */
const { Extractor, ExtractorConfig } = require("@microsoft/api-extractor");
const { join } = require("path");

const root = join(__dirname, "..", "..");
const update = process.argv.includes("--update");
const config = ExtractorConfig.loadFileAndPrepare(join(root, "api-extractor.json"));
const result = Extractor.invoke(config, { localBuild: update, showVerboseMessages: false, messageCallback: quietInfo });

if (update) {
  console.log(`api: ${config.reportFilePath} ${result.apiReportChanged ? "updated" : "unchanged"}`);
} else if (result.apiReportChanged) {
  console.error([
    `api: the public API differs from the committed report ${config.reportFilePath.replace(root + "/", "")}.`,
    `  Run \`npm run api:update\` and commit the report with the change, so reviewers see the API change`,
    `  (CHANGELOG.md says which changes are breaking). The new report is ${config.reportTempFilePath.replace(root + "/", "")};`,
    `  diff: diff -u ${config.reportFilePath.replace(root + "/", "")} ${config.reportTempFilePath.replace(root + "/", "")}`,
  ].join("\n"));
  process.exit(1);
} else if (!result.succeeded) {
  console.error(`api: API Extractor reported ${result.errorCount} error(s)`);
  process.exit(1);
} else {
  console.log("api: public API matches the committed report");
}

function quietInfo(message) {
  if (message.logLevel === "info" || message.logLevel === "verbose") message.handled = true;
}
