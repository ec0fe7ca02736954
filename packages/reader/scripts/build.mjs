// Bundles src/index.ts (with the part of prolly-core it uses) into one ESM and one CommonJS
// file, so the published package has no runtime dependencies (DESIGN.md §2). Types come from
// `tsc --build` (dist/types); CommonJS consumers get the same declarations under dist/cjs, where
// a package.json marks them as CommonJS.
import { build } from "esbuild";
import { cpSync, mkdirSync, readdirSync, writeFileSync } from "node:fs";
import { fileURLToPath } from "node:url";

const root = fileURLToPath(new URL("..", import.meta.url));
// Minified: a new process that reads one key compiles less (the cold-start budget); the source
// maps (not loaded unless --enable-source-maps) give readable stack traces.
const common = {
  entryPoints: [`${root}src/index.ts`],
  bundle: true,
  platform: "node",
  target: "node20",
  minify: true,
  sourcemap: true,
  legalComments: "none",
  logLevel: "warning",
};
await build({ ...common, format: "esm", outfile: `${root}dist/index.js` });
await build({ ...common, format: "cjs", outfile: `${root}dist/cjs/index.js` });
mkdirSync(`${root}dist/cjs`, { recursive: true });
writeFileSync(`${root}dist/cjs/package.json`, `${JSON.stringify({ type: "commonjs" })}\n`);
for (const f of readdirSync(`${root}dist/types`))
  if (f.endsWith(".d.ts")) cpSync(`${root}dist/types/${f}`, `${root}dist/cjs/${f}`);
