/** `npm run synth` / cdktf.json's app run one esbuild bundle (scripts/synth-app.js): same output, never stale. */
import { spawnSync } from "child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, utimesSync, writeFileSync } from "fs";
import { tmpdir } from "os";
import { join, relative } from "path";

const ROOT = join(__dirname, "..", "..");
const { ensureBuilt } = require(join(ROOT, "scripts", "synth-app.js")) as { ensureBuilt(root?: string, out?: string): Promise<number> };
const temps: string[] = [];
afterAll(() => temps.forEach((d) => rmSync(d, { recursive: true, force: true })));

function temp(): string {
  const dir = mkdtempSync(join(tmpdir(), "compiled-synth-"));
  temps.push(dir);
  return dir;
}

function filesUnder(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  const walk = (d: string) => readdirSync(d).forEach((e) => {
    const p = join(d, e);
    if (statSync(p).isDirectory()) walk(p);
    else out[relative(dir, p)] = readFileSync(p, "utf8");
  });
  walk(dir);
  return out;
}

test("the compiled app synthesizes exactly what ts-node's main.ts synthesizes", () => {
  const compiled = temp();
  const tsNode = temp();
  const env = { ...process.env, INFRA_CONFIG: "", INFRA_PROFILE: "" };
  const cached = temp();
  const a = spawnSync(process.execPath, [join(ROOT, "scripts/synth-app.js")], { cwd: ROOT, encoding: "utf8", env: { ...env, CDKTF_OUTDIR: compiled } });
  // The second run starts from the V8 code cache the first one wrote.
  const c = spawnSync(process.execPath, [join(ROOT, "scripts/synth-app.js")], { cwd: ROOT, encoding: "utf8", env: { ...env, CDKTF_OUTDIR: cached } });
  expect([c.status, c.stderr]).toEqual([0, ""]);
  expect(existsSync(join(ROOT, ".build", "app", "main.js.cache"))).toBe(true);
  const b = spawnSync(process.execPath, [join(ROOT, "node_modules/ts-node/dist/bin.js"), "--swc", join(ROOT, "main.ts")],
    { cwd: ROOT, encoding: "utf8", env: { ...env, CDKTF_OUTDIR: tsNode } });
  expect([a.status, a.stderr]).toEqual([0, ""]);
  expect(b.status).toBe(0);
  const fromCompiled = filesUnder(compiled);
  expect(Object.keys(fromCompiled).filter((f) => f.endsWith("cdk.tf.json")).length).toBeGreaterThanOrEqual(5);
  expect(fromCompiled).toEqual(filesUnder(tsNode));
  expect(filesUnder(cached)).toEqual(fromCompiled);
}, 300_000);

test("an edited source is rebuilt before it runs — newer, same size, or with an older timestamp", async () => {
  const root = temp();
  mkdirSync(join(root, "stacks"));
  writeFileSync(join(root, "main.ts"), `import { value } from "./stacks/value";\nprocess.stdout.write(String(value));\n`);
  const valueFile = join(root, "stacks", "value.ts");
  const run = async () => {
    await ensureBuilt(root);
    return spawnSync(process.execPath, [join(root, ".build", "app", "main.js")], { encoding: "utf8" }).stdout;
  };
  writeFileSync(valueFile, "export const value: number = 1;\n");
  expect(await ensureBuilt(root)).toBe(2); // first build: both inputs
  expect(await ensureBuilt(root)).toBe(0); // unchanged tree: nothing rebuilt
  expect(await run()).toBe("1");
  writeFileSync(valueFile, "export const value: number = 2;\n"); // same size
  expect(await run()).toBe("2");
  writeFileSync(valueFile, "export const value: number = 3;\n");
  utimesSync(valueFile, new Date("2020-01-01"), new Date("2020-01-01")); // a checkout or copy with an old timestamp
  expect(await run()).toBe("3");
});

test("bundled sources still read their neighbours from their own folder (__dirname is the source's, not the bundle's)", async () => {
  const root = temp();
  mkdirSync(join(root, "stacks", "assets"), { recursive: true });
  writeFileSync(join(root, "stacks", "assets", "note.txt"), "from the source folder");
  writeFileSync(join(root, "stacks", "assets", "read.ts"),
    `import { readFileSync } from "fs";\nimport { join } from "path";\nexport const note = readFileSync(join(__dirname, "note.txt"), "utf8");\n`);
  writeFileSync(join(root, "main.ts"), `import { note } from "./stacks/assets/read";\nprocess.stdout.write(note);\n`);
  await ensureBuilt(root);
  const run = spawnSync(process.execPath, [join(root, ".build", "app", "main.js")], { encoding: "utf8" });
  expect([run.status, run.stdout]).toEqual([0, "from the source folder"]);
});
