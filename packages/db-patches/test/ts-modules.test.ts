/**
 * `.ts` patch modules on plain Node 20 (no loader): they load through the project's own `tsx`,
 * and fail with DB_TS_LOADER_MISSING when the project has none. Runs the built dist in a child
 * process, as the CLI would; the package is built first (incrementally), so that the test never
 * runs code older than the source.
 */
import { execFileSync, spawn } from "node:child_process";
import { createRequire } from "node:module";
import { existsSync, mkdirSync, mkdtempSync, rmSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { Backend, tmpDir, writePatches } from "./support/helpers.js";

const PKG = join(dirname(fileURLToPath(import.meta.url)), "..");
const DIST = join(PKG, "dist", "index.js");

beforeAll(() => {
  const tsc = createRequire(import.meta.url).resolve("typescript/bin/tsc");
  execFileSync(process.execPath, [tsc, "--build"], { cwd: PKG, stdio: "pipe" });
}, 120_000);

const MODULE = `import type { Kysely } from "kysely";

interface Row { name: string; n: number }
enum Kind { A = "typed" }

export default async function seed(db: Kysely<any>): Promise<void> {
  const row: Row = { name: Kind.A, n: 1 satisfies number };
  await db.insertInto("seen").values(row).execute();
}
`;

function runScript(script: string, cwd: string): Promise<{ code: number | null; out: string }> {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, ["--input-type=module", "-e", script], {
      cwd,
      stdio: ["ignore", "pipe", "pipe"],
      env: {
        ...process.env,
        NODE_OPTIONS: "",
        NODE_PATH: "",
      } /* pnpm sets NODE_PATH to its hoisted store, which would find tsx from anywhere */,
    });
    let out = "";
    child.stdout.on("data", (d: Buffer) => (out += d.toString()));
    child.stderr.on("data", (d: Buffer) => (out += d.toString()));
    child.on("close", (code) => resolve({ code, out }));
  });
}

function applyScript(url: string, patchesDir: string, id: string): string {
  return `
    import { openDatabase, planPatches, applyPlan } from ${JSON.stringify(DIST)};
    import { sql } from "kysely";
    const h = await openDatabase({ url: ${JSON.stringify(url)}, env: {} });
    try {
      await sql\`create table if not exists seen (name text, n int)\`.execute(h.db);
      await applyPlan(h, planPatches(${JSON.stringify(patchesDir)}, [${JSON.stringify(id)}]), { project: "shop" });
      const r = await sql\`select name, n from seen\`.execute(h.db);
      console.log("RESULT " + JSON.stringify(r.rows));
    } catch (e) {
      console.log("ERROR " + e.code + " " + e.message);
    } finally {
      await h.close();
    }
  `;
}

describe(".ts patch modules on plain Node", () => {
  const b = new Backend("server", "tsmod");
  const inside = mkdtempSync(join((mkdirSync(join(PKG, ".tmp"), { recursive: true }), join(PKG, ".tmp")), "tsmod-"));
  afterAll(async () => {
    await b.dispose();
    rmSync(inside, { recursive: true, force: true });
  });

  it("loads through the tsx installed in the project that holds the patches", async () => {
    expect(existsSync(DIST)).toBe(true);
    const patches = writePatches(inside, { "1-ts": { "01.ts": MODULE } });
    const url = (await b.options()).url!;
    const r = await runScript(applyScript(url, patches, "1-ts"), PKG);
    expect(r.out).toContain('RESULT [{"name":"typed","n":1}]');
  });

  it("fails with DB_TS_LOADER_MISSING, and a hint, when the project has no TypeScript loader", async () => {
    const outside = writePatches(tmpDir("tsmod-outside"), { "2-ts": { "01.ts": MODULE } });
    const url = (await b.options()).url!;
    const r = await runScript(applyScript(url, outside, "2-ts"), PKG);
    expect(r.out).toContain("ERROR DB_TS_LOADER_MISSING");
    expect(r.out).toContain("Patches/2-ts/01.ts");
    expect(r.out).toContain("no TypeScript loader");
  });
});
