/**
 * `npm run docs:config`: writes the README's configuration section and
 * config.schema.json from the schema (stacks/config/schema.ts).
 */
import { readFileSync, writeFileSync } from "fs";
import { configJsonSchema, withGeneratedSection } from "../stacks/config/docs";

writeFileSync("config.schema.json", `${JSON.stringify(configJsonSchema(), null, 2)}\n`);
writeFileSync("README.md", withGeneratedSection(readFileSync("README.md", "utf8")));
console.log("wrote config.schema.json and the configuration section of README.md");
