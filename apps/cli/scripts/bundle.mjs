// Bundles the entry point (dist/main.js: -C, the fast paths for get/set/commit/textconv, errors)
// into dist/bundle/, with a chunk per lazily imported part, so a hot command loads a handful of
// files instead of ~100 modules. oclif stays external: other commands load it from node_modules.
import { build } from "esbuild";

await build({
  entryPoints: { main: "dist/main.js" },
  outdir: "dist/bundle",
  bundle: true,
  splitting: true,
  format: "esm",
  platform: "node",
  target: "node20",
  sourcemap: true,
  external: ["@oclif/core"],
  logLevel: "warning",
  // Bundled CommonJS dependencies may call require(); give ESM chunks one.
  banner: {
    js: 'import { createRequire as __gpCreateRequire } from "node:module"; const require = __gpCreateRequire(import.meta.url);',
  },
});
