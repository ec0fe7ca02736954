// Bundles the hot commands into dist/hot/ (see src/hot.ts and bin/load-hot.js): hot.js, one
// CommonJS file with -C, the fast paths of get/set/commit/textconv and the packages they use, so a
// hot command reads one file and compiles it from a V8 code cache (scripts/code-cache.mjs) instead
// of loading ~100 ES modules. The worker threads git-object-store starts for big writes are
// bundled beside it under the names its code asks for (`new URL("./x.js", import.meta.url)`).
// oclif and every other command stay unbundled in dist/.
import { build } from "esbuild";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { fileURLToPath } from "node:url";

const cli = join(dirname(fileURLToPath(import.meta.url)), "..");
const out = join(cli, "dist", "hot");
const bulk = join(cli, "node_modules", "@git-prolly", "git-object-store", "dist", "bulk");
// dist/hot goes first, cache included: V8 checks a code cache against its source's length, not its
// content, so a cache must never outlive the bundle it was made from.
rmSync(out, { recursive: true, force: true });
rmSync(join(cli, "dist", "bundle"), { recursive: true, force: true }); // the ES module bundle of before

const result = await build({
  entryPoints: {
    hot: join(cli, "dist", "hot.js"),
    "file-writer-worker": join(bulk, "file-writer-worker.js"),
    "deflate-worker": join(bulk, "deflate-worker.js"),
  },
  outdir: out,
  bundle: true,
  format: "cjs",
  platform: "node",
  target: "node20",
  sourcemap: true,
  // Half the bytes to read and a smaller code cache to deserialize on every hot command. Stack
  // traces then name minified functions (source maps do not apply to vm.Script code), so with
  // DEBUG set src/hot.ts hands every command to the unbundled code instead.
  minify: true,
  charset: "ascii", // bin/load-hot.js decodes the bundle as latin1, faster than UTF-8
  logLevel: "warning",
  metafile: true,
  // import.meta.url of every bundled module is the bundle's own URL (workers resolve beside it).
  define: { "import.meta.url": "__gpBundleUrl" },
  banner: { js: 'var __gpBundleUrl = require("node:url").pathToFileURL(__filename).href;' },
});
// A script compiled with vm.Script (bin/load-hot.js) cannot run import() without an experimental
// option that prints a warning: built-in modules are reached with require() or
// process.getBuiltinModule, bundled ones are inlined. Fail the build on any import() left.
const dynamic = Object.entries(result.metafile.outputs).flatMap(([file, output]) =>
  output.imports.filter((i) => i.kind === "dynamic-import").map((i) => `${file}: import("${i.path}")`),
);
if (dynamic.length > 0) throw new Error(`the hot bundle must not use import():\n${dynamic.join("\n")}`);
const hot = readFileSync(join(out, "hot.js"));
if (hot.some((byte) => byte > 0x7f)) {
  rmSync(out, { recursive: true, force: true }); // never leave a bundle that load-hot.js would misread
  throw new Error("the hot bundle must be ASCII (bin/load-hot.js reads it as latin1)");
}
// The workers are started with `new Worker(file)`: tell Node they are CommonJS.
writeFileSync(join(out, "package.json"), '{ "type": "commonjs" }\n');
