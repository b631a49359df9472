/**
 * README.md, "Modules for other teams" (issue 16): what the README says about
 * the npm package, checked against package.json and the module folders.
 * (Installing and using the packed package: consumer-example.test.ts; the API
 * report and entry points staying in step: npm test's api check.)
 */
import { existsSync, readFileSync, readdirSync } from "fs";
import { join } from "path";

const ROOT = join(__dirname, "..", "..");
const README = readFileSync(join(ROOT, "README.md"), "utf8");
const pkg = JSON.parse(readFileSync(join(ROOT, "package.json"), "utf8"));
const section = README.slice(README.indexOf("## Modules for other teams"), README.indexOf("## Speed"));
const moduleFolders = readdirSync(join(ROOT, "modules")).filter((name) => existsSync(join(ROOT, "modules", name, "index.ts"))).sort();

describe("README \"Modules for other teams\"", () => {
  it("\"published as the npm package `staged-web-platform` (compiled JavaScript + type declarations, MPL-2.0 …)\"", () => {
    expect(section).toContain("the npm package `staged-web-platform` (compiled JavaScript + type declarations,\nMPL-2.0;");
    expect([pkg.name, pkg.license]).toEqual(["staged-web-platform", "MPL-2.0"]);
    expect(String(pkg.main)).toMatch(/^(\.\/)?dist\/.*\.js$/);
    expect(String(pkg.types)).toMatch(/^(\.\/)?dist\/.*\.d\.ts$/);
  });

  it("\"Entry points: the root and `staged-web-platform/<module>` for …\": exactly package.json's `exports` and `typesVersions`, one per module folder with an `index.ts`", () => {
    const sentence = /Entry points: the root and `staged-web-platform\/<module>` for ([\s\S]*?) \(`exports` for Node/.exec(section)![1];
    const listed = [...sentence.matchAll(/`([a-z-]+)`/g)].map((m) => m[1]);
    expect(listed).toEqual([...listed].sort());
    expect(listed).toEqual(moduleFolders);
    expect(Object.keys(pkg.exports).filter((k) => k !== "." && k !== "./package.json").map((k) => k.slice(2)).sort()).toEqual(listed);
    expect(Object.keys(pkg.typesVersions["*"]).sort()).toEqual(listed);
  });

  it("the modules table: each row is a module folder with an `index.ts` and links a README that exists", () => {
    const table = section.slice(section.indexOf("| module | constructs | hands out |"), section.indexOf("### Using the modules"));
    const rows = [...table.matchAll(/^\| \[?`modules\/([a-z-]+)`/gm)].map((m) => m[1]);
    expect(rows.length).toBeGreaterThan(10);
    expect(rows.filter((m) => !moduleFolders.includes(m))).toEqual([]);
    expect(new Set(rows).size).toBe(rows.length);
    for (const [, link] of table.matchAll(/\]\((modules\/[a-z-]+\/README\.md)\)/g)) expect([link, existsSync(join(ROOT, link))]).toEqual([link, true]);
  });

  it("the peer dependency table: \"`cdktf` `^0.21.0`, `constructs` `^10.4.2`, `@cdktf/provider-aws` `^20.0.0`\" are package.json's peerDependencies, and the install line asks for them", () => {
    const table = section.slice(section.indexOf("| peer dependency | range |"));
    const rows = Object.fromEntries([...table.matchAll(/^\| `([^`]+)` \| `([^`]+)`/gm)].map((m) => [m[1], m[2]]));
    expect(rows).toEqual(pkg.peerDependencies);
    const install = /npm install staged-web-platform (.*)\n/.exec(section)![1].split(" ");
    expect(install.sort()).toEqual(Object.entries(pkg.peerDependencies).map(([name, range]) => `${name}@${range}`).sort());
  });
});
