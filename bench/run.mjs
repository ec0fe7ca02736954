// `pnpm bench`: runs every bench/*.bench.mjs in turn (or those named on the command line,
// e.g. `pnpm bench prolly-core`), each printing its figures beside its peer's.
import { spawnSync } from "node:child_process";
import { readdirSync } from "node:fs";
import { fileURLToPath } from "node:url";

const here = fileURLToPath(new URL(".", import.meta.url));
const rank = (f) => (f === "kv-store.bench.mjs" ? 0 : f === "kv-store-writes.bench.mjs" ? 1 : 2);
const wanted = process.argv.slice(2).filter((a) => !a.startsWith("-"));
const files = readdirSync(here)
  .filter((f) => f.endsWith(".bench.mjs"))
  .filter((f) => wanted.length === 0 || wanted.some((w) => f.startsWith(w)))
  // kv-store first: it creates tens of thousands of files, which is slower for minutes after the
  // other benchmarks delete theirs (see README, "No deletes while timing").
  // kv-store-writes (issue #12) right after it, before the others delete their files.
  .sort((a, b) => rank(a) - rank(b) || a.localeCompare(b));
let failed = 0;
for (const f of files) {
  console.log(`\n=== ${f} ===`);
  const r = spawnSync(process.execPath, [here + f], { stdio: "inherit" });
  if (r.status !== 0) {
    failed++;
    console.error(`${f} exited with ${r.status}`);
  }
}
process.exit(failed === 0 ? 0 : 1);
