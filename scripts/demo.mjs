// `pnpm demo`: the main job on the embedded default — no database server, no network. Runs,
// through the built `git-prolly` CLI and in scratch directories that it removes afterwards:
//   1. scripts/demo-data.mjs — seed 000's data workflows (monorepo datasets, data-only checkout,
//      diff --format=json, a merge conflict settled by --strategy, plain git diff/fsck/clone/gc);
//   2. scripts/demo-dev.mjs  — seed 003's Quick Start and one release cycle on embedded PGlite.
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";

for (const script of ["demo-data.mjs", "demo-dev.mjs"]) {
  const r = spawnSync(process.execPath, [fileURLToPath(new URL(script, import.meta.url))], { stdio: "inherit" });
  if (r.status !== 0) {
    console.error(`error: ${script} failed (exit ${r.status ?? r.signal})`);
    process.exit(r.status ?? 1);
  }
}
