// Writes dist/hot/hot.js.cache, the V8 code cache bin/load-hot.js compiles the hot bundle from.
// V8 caches the functions that have been compiled when the cache is made, so this runs the hot
// commands first, in a child process, on a scratch repository: `set`, `commit` and `get`, as
// users run them. The cache fits only this Node.js (V8 rejects it otherwise, and
// the bundle is compiled from source as usual). It starts with the CRC-32 of the bundle
// (bin/load-hot.js), since V8 would take a cache of another bundle of the same length.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { createRequire } from "node:module";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VersionedKvStore } from "@git-prolly/kv-store";

const require = createRequire(import.meta.url);
const { loadHot, cacheHeader, HOT_FILE } = require("../bin/load-hot.js");

// The commands print straight to file descriptors 1 and 2 (src/lib/std-output.ts), so the warm-up
// runs in a child process whose output is shown only when it fails.
if (process.argv[2] !== "--warm-up") {
  const child = spawnSync(process.execPath, [fileURLToPath(import.meta.url), "--warm-up"], { encoding: "utf8" });
  if (child.status !== 0) {
    process.stderr.write(`${child.stdout}${child.stderr}`);
    throw new Error(`making the code cache failed (exit ${child.status ?? child.signal})`);
  }
  process.exit(0);
}

const scratch = mkdtempSync(join(tmpdir(), "git-prolly-code-cache-"));
const env = {
  GIT_AUTHOR_NAME: "git-prolly build",
  GIT_AUTHOR_EMAIL: "build@git-prolly.invalid",
  GIT_COMMITTER_NAME: "git-prolly build",
  GIT_COMMITTER_EMAIL: "build@git-prolly.invalid",
  GIT_CONFIG_NOSYSTEM: "1",
  GIT_CONFIG_GLOBAL: "/dev/null",
};
Object.assign(process.env, env);
const cwd = process.cwd();
try {
  execFileSync("git", ["init", "-q", "-b", "main"], { cwd: scratch, env: { ...process.env, ...env } });
  const store = await VersionedKvStore.init(join(scratch, "data"));
  await store.set("seed", "1");
  await store.commit("seed");
  await store.close();
  const loaded = loadHot(HOT_FILE);
  if (loaded === undefined) throw new Error(`${HOT_FILE} is missing: run scripts/bundle.mjs first`);
  process.chdir(join(scratch, "data"));
  for (const argv of [
    ["set", "app:name", "MyApp"],
    ["commit", "-m", "warm up"],
    ["get", "app:name"],
    ["get", "app:name", "--json"],
    ["set", "app:version", "1.0", "--json"],
    ["commit", "-m", "warm up again", "--json"],
    ["get", "missing"],
  ]) {
    if ((await loaded.exports.hot(argv)) !== undefined) throw new Error(`not a hot command: ${argv.join(" ")}`);
  }
  process.exitCode = 0; // `get missing` set it
  const header = cacheHeader(loaded.bundle);
  if (header !== undefined)
    writeFileSync(`${HOT_FILE}.cache`, Buffer.concat([header, loaded.script.createCachedData()]));
} finally {
  process.chdir(cwd);
  rmSync(scratch, { recursive: true, force: true });
}
