/**
 * The package's budgets (issue #9) and packaging: no runtime dependencies, at most 1,000 lines of
 * source and 25 KB of minified JavaScript, bundles that import only Node's built-ins, and the
 * built package loaded by a real `node` process through `require` and `import`.
 */
import { execFileSync } from "node:child_process";
import { existsSync, mkdirSync, readFileSync, readdirSync, symlinkSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VersionedKvStore } from "@git-prolly/kv-store";
import { build } from "esbuild";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { READER_ERROR_CODES } from "../src/index.js";
import { monorepo, removeTempDirs, tempDir } from "./helpers.js";

const pkg = fileURLToPath(new URL("..", import.meta.url));
const read = (p: string): string => readFileSync(join(pkg, p), "utf8");

afterAll(removeTempDirs);

describe("budgets", () => {
  it("has no runtime dependencies", () => {
    const manifest = JSON.parse(read("package.json")) as Record<string, unknown>;
    expect(manifest.dependencies).toBeUndefined();
    expect(manifest.peerDependencies).toBeUndefined();
    expect(manifest.optionalDependencies).toBeUndefined();
  });

  it("has at most 1,000 lines of source", () => {
    const lines = readdirSync(join(pkg, "src")).reduce((n, f) => n + read(`src/${f}`).split("\n").length - 1, 0);
    expect(lines).toBeLessThanOrEqual(1_000);
  });

  it("minifies to at most 25 KB of JavaScript, prolly-core's decoder included", async () => {
    const out = await build({
      entryPoints: [join(pkg, "src/index.ts")],
      bundle: true,
      platform: "node",
      format: "esm",
      target: "node20",
      minify: true,
      write: false,
      legalComments: "none",
    });
    expect(out.outputFiles[0]!.contents.length).toBeLessThanOrEqual(25_000);
  });

  it("ships bundles that import only node:fs, node:path and (lazily) node:zlib", () => {
    for (const file of ["dist/index.js", "dist/cjs/index.js"]) {
      expect(existsSync(join(pkg, file)), `${file}: run pnpm build first`).toBe(true);
      const code = read(file);
      const specifiers = [...code.matchAll(/(?:from\s*|import\(|require\()\s*["']([^"']+)["']/g)].map((m) => m[1]);
      expect(new Set(specifiers)).toEqual(new Set(["node:fs", "node:path"]));
      expect(code).toContain('getBuiltinModule("node:zlib")');
    }
  });

  it("ships declarations that name nothing outside the package", () => {
    const seen = new Set<string>();
    const visit = (file: string): void => {
      if (seen.has(file)) return;
      seen.add(file);
      for (const m of read(`dist/types/${file}`).matchAll(/from\s+"([^"]+)"/g)) {
        expect(m[1], `${file} imports ${m[1]}`).toMatch(/^\.\//);
        visit(m[1]!.slice(2).replace(/\.js$/, ".d.ts"));
      }
    };
    visit("index.d.ts");
    expect(seen.size).toBeGreaterThan(1);
    for (const f of seen) expect(read(`dist/cjs/${f}`)).toBe(read(`dist/types/${f}`));
  });
});

describe("the built package in a child node process", () => {
  let app: string;
  let dataset: string;

  beforeAll(async () => {
    const repo = monorepo(join(tempDir("consumer"), "myapp"));
    dataset = join(repo, "config");
    const store = await VersionedKvStore.init(dataset);
    await store.import(
      Array.from({ length: 5_000 }, (_, i) => [`user:${String(i).padStart(5, "0")}`, `user ${i}`] as const),
      { sorted: true },
    );
    await store.set("app:name", "MyApp");
    await store.commit("config");
    await store.close();
    app = join(tempDir("app"), "app");
    mkdirSync(join(app, "node_modules", "@git-prolly"), { recursive: true });
    symlinkSync(pkg, join(app, "node_modules", "@git-prolly", "reader"));
  });

  const run = (file: string, body: string): string => {
    writeFileSync(join(app, file), body);
    return execFileSync(process.execPath, [join(app, file)], {
      cwd: app,
      encoding: "utf8",
      env: { ...process.env, DATASET: dataset },
    }).trim();
  };

  it("works through require() (CommonJS)", () => {
    const out = run(
      "main.cjs",
      `const { open, ReaderError } = require("@git-prolly/reader");
       const config = open(process.env.DATASET);
       const main = open(process.env.DATASET, { ref: "main" });
       let code; try { open("./missing"); } catch (e) { code = e instanceof ReaderError && e.code; }
       console.log([config.getString("app:name"), main.getString("user:04999"), code].join(" "));`,
    );
    expect(out).toBe("MyApp user 4999 READER_NOT_FOUND");
  });

  it("works through import (ESM)", () => {
    const out = run(
      "main.mjs",
      `import { open, READER_ERROR_CODES } from "@git-prolly/reader";
       const config = open(process.env.DATASET);
       console.log([config.getString("app:name"), [...config.list({ prefix: "user:0499" })].length, READER_ERROR_CODES.NOT_FOUND].join(" "));`,
    );
    expect(out).toBe("MyApp 10 READER_NOT_FOUND");
  });

  it("does not load node:zlib to read checked-out files", () => {
    const out = run(
      "zlib.cjs",
      `const { open } = require("@git-prolly/reader");
       open(process.env.DATASET).get("user:00001");
       const files = open(process.env.DATASET).get("user:00002") !== undefined;
       console.log(files, process.moduleLoadList.some((m) => m.includes("zlib")));
       open(process.env.DATASET, { ref: "main" }).get("user:00003");
       console.log(process.moduleLoadList.some((m) => m.includes("zlib")));`,
    );
    expect(out).toBe("true false\ntrue");
  });
});

describe("error codes", () => {
  it("each is thrown somewhere in the source and documented in the README", () => {
    const source = readdirSync(join(pkg, "src"))
      .filter((f) => f !== "errors.ts")
      .map((f) => read(`src/${f}`))
      .join("\n");
    const readme = read("README.md");
    for (const code of Object.values(READER_ERROR_CODES)) {
      expect(source, code).toContain(`"${code}"`);
      expect(readme, code).toContain(`\`${code}\``);
    }
  });
});
