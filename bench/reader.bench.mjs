#!/usr/bin/env node
// The reader's budgets (issue #9), printed beside their baselines (figures, not a test):
// - cold start: a new process that opens a 1,000,000-key dataset and reads one key, against
//   `node -e 0` (median of 10 each, alternating, same run); budget ≤ 1.3×;
// - warm reads: `get`s per second from one process on that dataset; budget ≥ 200,000/s, beside
//   a plain binary search over the 1M sorted keys and VersionedKvStore's own `get`.
//   node bench/reader.bench.mjs            # after pnpm build; BENCH_N changes the size
import { execFileSync, spawnSync } from "node:child_process";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VersionedKvStore } from "../packages/kv-store/dist/index.js";
import { open } from "../packages/reader/dist/index.js";

const N = Number(process.env.BENCH_N ?? 1_000_000);
const RUNS = 10;
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.com",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
};
Object.assign(process.env, ENV);
const readerDir = fileURLToPath(new URL("../packages/reader/", import.meta.url));
const key = (i) => `user:${String(i).padStart(8, "0")}`;
const value = (i) => `{"id":${i},"name":"user number ${i}","plan":"${i % 7 === 0 ? "pro" : "free"}"}`;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const fmt = (n) => Math.round(n).toLocaleString("en");

const root = mkdtempSync(join(tmpdir(), "reader-bench-"));
try {
  // ---- the dataset: kv-store's bulk import of N entries, once ---------------------------------
  const repo = join(root, "app");
  execFileSync("git", ["init", "-q", "-b", "main", repo]);
  const dataset = join(repo, "config");
  let t = performance.now();
  const store = await VersionedKvStore.init(dataset);
  await store.import(
    (function* () {
      for (let i = 0; i < N; i++) yield [key(i), value(i)];
    })(),
    { sorted: true },
  );
  await store.commit(`import ${N} users`);
  const stats = await store.stats();
  console.log(
    `reader benchmark, N = ${fmt(N)} entries (tree depth ${stats.depth ?? "?"}), node ${process.version}; dataset imported in ${fmt(performance.now() - t)} ms`,
  );
  console.log("figures from a shared 2-core machine: compare ratios within one run, not figures across runs\n");

  // ---- cold start ----------------------------------------------------------------------------
  const probe = key(Math.floor(N / 2));
  const esm = join(root, "cold.mjs");
  const cjs = join(root, "cold.cjs");
  writeFileSync(
    esm,
    `import { open } from ${JSON.stringify(join(readerDir, "dist/index.js"))};\nif (open(process.argv[2]).getString(${JSON.stringify(probe)}) === undefined) process.exit(3);\n`,
  );
  writeFileSync(
    cjs,
    `const { open } = require(${JSON.stringify(join(readerDir, "dist/cjs/index.js"))});\nif (open(process.argv[2]).getString(${JSON.stringify(probe)}) === undefined) process.exit(3);\n`,
  );
  const refCjs = join(root, "cold-ref.cjs");
  writeFileSync(
    refCjs,
    `const { open } = require(${JSON.stringify(join(readerDir, "dist/cjs/index.js"))});\nif (open(process.argv[2], { ref: "main" }).getString(${JSON.stringify(probe)}) === undefined) process.exit(3);\n`,
  );
  const time = (args) => {
    const s = performance.now();
    const r = spawnSync(process.execPath, args, { stdio: "inherit" });
    if (r.status !== 0) throw new Error(`node ${args.join(" ")} exited with ${r.status}`);
    return performance.now() - s;
  };
  const runs = { base: [], esm: [], cjs: [], ref: [] };
  for (let i = 0; i < 2; i++)
    for (const args of [
      ["-e", "0"],
      [esm, dataset],
      [cjs, dataset],
      [refCjs, dataset],
    ])
      time(args); // warm the page cache
  for (let i = 0; i < RUNS; i++) {
    runs.base.push(time(["-e", "0"]));
    runs.esm.push(time([esm, dataset]));
    runs.cjs.push(time([cjs, dataset]));
    runs.ref.push(time([refCjs, dataset]));
  }
  const base = median(runs.base);
  const row = (what, ms, budget) =>
    console.log(
      `${what.padEnd(66)} ${ms.toFixed(1).padStart(7)} ms  ${(ms / base).toFixed(2)}× node -e 0${budget ? `  (budget ≤ 1.30×: ${ms / base <= 1.3 ? "met" : "NOT met"})` : ""}`,
    );
  console.log(`cold start, median of ${RUNS} (alternating):`);
  console.log(`${"node -e 0".padEnd(66)} ${base.toFixed(1).padStart(7)} ms`);
  row("new process: open + get one key, ESM (import)", median(runs.esm), true);
  row("new process: open + get one key, CommonJS (require)", median(runs.cjs), true);
  row("new process: open { ref: 'main' } + get one key (loose/packed objects)", median(runs.ref), false);

  // ---- warm reads ----------------------------------------------------------------------------
  const GETS = 1_000_000;
  let seed = 7;
  const rand = () => (seed = (Math.imul(seed, 1103515245) + 12345) >>> 0) / 2 ** 32;
  const keys = Array.from({ length: GETS }, () => key(Math.floor(rand() * N)));
  const bytes = keys.map((k) => Buffer.from(k));
  const rate = (fn) => {
    for (let i = 0; i < 200_000; i++) fn(i % GETS); // JIT
    const s = performance.now();
    for (let i = 0; i < GETS; i++) fn(i);
    return GETS / ((performance.now() - s) / 1000);
  };
  const reader = open(dataset);
  for (let i = 0; i < N; i++) reader.get(key(i)); // every node loaded and cached: "warm"
  let missing = 0;
  const ours = rate((i) => {
    if (reader.get(keys[i]) === undefined) missing++;
  });
  const oursBytes = rate((i) => reader.get(bytes[i]));
  const refReader = open(dataset, { ref: "main" });
  for (let i = 0; i < N; i++) refReader.get(key(i));
  const oursRef = rate((i) => refReader.get(keys[i]));
  if (missing > 0) throw new Error(`${missing} keys not found`);
  // Baseline named by the issue: a plain binary search over the 1M sorted byte keys.
  const sorted = Array.from({ length: N }, (_, i) => Buffer.from(key(i)));
  const vals = Array.from({ length: N }, (_, i) => Buffer.from(value(i)));
  const search = (k) => {
    let lo = 0;
    let hi = sorted.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = Buffer.compare(sorted[mid], k);
      if (c === 0) return vals[mid];
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return undefined;
  };
  const binary = rate((i) => search(bytes[i]));
  // VersionedKvStore.get (async, the full tool), on 100,000 keys.
  const some = keys.slice(0, 100_000);
  for (const k of some.slice(0, 20_000)) await store.get(k);
  let s = performance.now();
  for (const k of some) await store.get(k);
  const kv = some.length / ((performance.now() - s) / 1000);
  await store.close();
  console.log(`\nwarm reads, ${fmt(GETS)} random gets after every node is cached (one process):`);
  console.log(
    `${"reader.get(string key), checked-out files".padEnd(66)} ${fmt(ours).padStart(10)}/s  (budget ≥ 200,000/s: ${ours >= 200_000 ? "met" : "NOT met"})`,
  );
  console.log(`${"reader.get(Uint8Array key), checked-out files".padEnd(66)} ${fmt(oursBytes).padStart(10)}/s`);
  console.log(`${"reader.get(string key), { ref: 'main' }".padEnd(66)} ${fmt(oursRef).padStart(10)}/s`);
  console.log(
    `${"plain binary search over 1M sorted Buffers (Buffer.compare)".padEnd(66)} ${fmt(binary).padStart(10)}/s  (reader: ${(ours / binary).toFixed(2)}×)`,
  );
  console.log(
    `${"VersionedKvStore.get (kv-store, async), 100,000 keys".padEnd(66)} ${fmt(kv).padStart(10)}/s  (reader: ${(ours / kv).toFixed(2)}×)`,
  );
  console.log(`peak RSS of this process: ${fmt(process.resourceUsage().maxRSS / 1024)} MB`);
} finally {
  rmSync(root, { recursive: true, force: true });
}
