import { execFileSync } from "child_process";
import { mkdtempSync, readFileSync, readdirSync, rmSync, statSync } from "fs";
import { tmpdir } from "os";
import { join, relative } from "path";

const projectRoot = join(__dirname, "..", "..");
const committed = join(projectRoot, ".gen", "providers", "namecheap");

/** Every file below `root`, as sorted paths relative to it. */
function filesUnder(root: string): string[] {
  const walk = (dir: string): string[] =>
    readdirSync(dir).flatMap((name) => (statSync(join(dir, name)).isDirectory() ? walk(join(dir, name)) : [join(dir, name)]));
  return walk(root)
    .map((file) => relative(root, file))
    .sort();
}

describe("committed .gen/providers/namecheap", () => {
  let outDir: string;
  beforeAll(() => {
    outDir = mkdtempSync(join(tmpdir(), "namecheap-gen-"));
    execFileSync(process.execPath, [join(projectRoot, "scripts", "namecheap", "generate.js"), "--out", outDir], { cwd: projectRoot, stdio: "pipe" });
  });
  afterAll(() => rmSync(outDir, { recursive: true, force: true }));

  test("is exactly what the generator makes from the committed schema", () => {
    const fresh = join(outDir, "providers", "namecheap");
    expect(filesUnder(fresh)).toEqual(filesUnder(committed));
    for (const file of filesUnder(committed)) {
      expect(`${file}:\n${readFileSync(join(fresh, file), "utf8")}`).toBe(`${file}:\n${readFileSync(join(committed, file), "utf8")}`);
    }
  });

  test("pins namecheap/namecheap 2.9.0 and has the resources the module needs", () => {
    expect(filesUnder(committed)).toEqual(
      expect.arrayContaining(["domain-records/index.ts", "domain-host-record/index.ts", "provider/index.ts", "index.ts"]),
    );
    expect(readFileSync(join(committed, "domain-records", "index.ts"), "utf8")).toContain("providerVersion: '2.9.0'");
  });
});
