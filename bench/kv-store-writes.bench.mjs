#!/usr/bin/env node
// Writes key by key (issue #12): `set` and `delete` in a loop on a big dataset in a working tree,
// then one `commit`, beside the same keys through `apply` (the batch path), in the same run; and
// one `set` as its own process (the CLI case). Figures only, not a test.
//   BENCH_N=1000000 BENCH_SETS=30000 node bench/kv-store-writes.bench.mjs
// Needs built packages: pnpm --filter @git-prolly/kv-store... build
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VersionedKvStore } from "../packages/kv-store/dist/index.js";

const N = Number(process.env.BENCH_N ?? 1_000_000);
const S = Number(process.env.BENCH_SETS ?? 30_000);
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.com",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
};
Object.assign(process.env, ENV);
const storeModule = fileURLToPath(new URL("../packages/kv-store/dist/index.js", import.meta.url));
const root = mkdtempSync(join(tmpdir(), "kv-writes-bench-"));
const git = (cwd, ...args) => execFileSync("git", args, { cwd, env: ENV, encoding: "utf8", maxBuffer: 1 << 30 }).trim();
const now = () => performance.now();
const ms = (t) => `${t.toFixed(0)} ms`;
const rate = (count, t) => `${Math.round((count * 1000) / t).toLocaleString("en")}/s`;
const key = (i) => `user:${String(i).padStart(8, "0")}`;
const value = (i, tag = "") => `{"id":${i},"name":"user number ${i}${tag}","plan":"${i % 7 === 0 ? "pro" : "free"}"}`;
const row = (what, ours, peer, note = "") =>
  console.log(`${what.padEnd(62)} ${String(ours).padStart(14)} ${String(peer).padStart(16)}  ${note}`);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const flush = async (s) => (typeof s.flush === "function" ? s.flush() : undefined); // absent before issue #12
const clean = (dir) => {
  if (git(dir, "status", "--porcelain") !== "") throw new Error("working tree not clean after a commit");
};

console.log(
  `kv-store writes benchmark, N = ${N.toLocaleString("en")} entries, ${S.toLocaleString("en")} keys per loop, node ${process.version}, ${git(root, "--version")}`,
);

// ---- the dataset: N entries in a working tree (bulk import, untimed) ---------------------
const repo = join(root, "repo");
mkdirSync(join(repo, "src"), { recursive: true });
git(repo, "init", "-q", "-b", "main");
writeFileSync(join(repo, "src/main.rs"), 'fn main() { println!("Hello World"); }\n');
git(repo, "add", ".");
git(repo, "commit", "-q", "-m", "code");
const dataset = join(repo, "config");
let t = now();
const store = await VersionedKvStore.init(dataset);
await store.import(
  (function* () {
    for (let i = 0; i < N; i++) yield [key(2 * i), value(2 * i)]; // even ids: odd ones are free for inserts between them
  })(),
  { sorted: true },
);
await store.commit(`import ${N} users`);
const stats = await store.stats();
console.log(
  `dataset: ${N.toLocaleString("en")} entries imported and committed in ${ms(now() - t)}; depth ${stats.depth}, ${stats.leaves} leaves\n`,
);

// ---- 1. one set as its own process, and open + set + close in a process --------------------
// BENCH_BASELINE=<dir of an older build of kv-store's dist/> times that build beside this one, in
// alternation (the machine's speed drifts): "no slower than before" is checked in one run.
const builds = [["this build", storeModule]];
if (process.env.BENCH_BASELINE !== undefined) builds.push(["baseline", join(process.env.BENCH_BASELINE, "index.js")]);
const times = new Map(builds.map(([name]) => [name, { proc: [], inProc: [] }]));
for (let k = 0; k < 7; k++) {
  for (const [name, path] of builds) {
    const script = join(root, `one-set-${name.replace(/ /g, "-")}.mjs`);
    writeFileSync(
      script,
      `import { VersionedKvStore } from ${JSON.stringify(path)};\nconst s = await VersionedKvStore.open(process.argv[2]);\nawait s.set(process.argv[3], process.argv[4]);\nawait s.close();\n`,
    );
    t = now();
    const r = spawnSync(process.execPath, [script, dataset, `cli:${name}:${k}`, `one ${k}`], {
      env: ENV,
      stdio: "inherit",
    });
    times.get(name).proc.push(now() - t);
    if (r.status !== 0) throw new Error("the one-set script failed");
    const { VersionedKvStore: Store } = await import(path);
    t = now();
    const s = await Store.open(dataset);
    await s.set(`inproc:${name}:${k}`, `one ${k}`);
    await s.close();
    times.get(name).inProc.push(now() - t);
  }
}
if (git(repo, "status", "--porcelain", "--", "config") === "")
  throw new Error("Git does not see the closed processes' sets");
const nodeOnly = [];
for (let k = 0; k < 5; k++) {
  t = now();
  spawnSync(process.execPath, ["-e", `import(${JSON.stringify(storeModule)})`], { env: ENV });
  nodeOnly.push(now() - t);
}
const base = times.get("baseline");
const ours = times.get("this build");
const vs = (a, b) => (b === undefined ? "" : ms(median(b)));
console.log(`${"".padEnd(62)} ${"this build".padStart(14)} ${(base === undefined ? "" : "baseline").padStart(16)}`);
row(
  "one set as its own process (open, set, close; median of 7)",
  ms(median(ours.proc)),
  vs(ours.proc, base?.proc),
  `node start + module load alone: ${ms(median(nodeOnly))}; runs ${ours.proc.map((x) => x.toFixed(0)).join("/")}${base === undefined ? "" : ` vs ${base.proc.map((x) => x.toFixed(0)).join("/")}`}`,
);
row(
  "open + set + close in a running process (median of 7)",
  ms(median(ours.inProc)),
  vs(ours.inProc, base?.inProc),
  `runs ${ours.inProc.map((x) => x.toFixed(0)).join("/")}${base === undefined ? "" : ` vs ${base.inProc.map((x) => x.toFixed(0)).join("/")}`}`,
);
await store.commit("single sets");
clean(repo);
console.log(`\n${"".padEnd(62)} ${"key by key".padStart(14)} ${"apply (batch)".padStart(16)}`);

// ---- 2. loops of S sets and S deletes, then commit, beside apply of the same keys ------------
/**
 * Times `S` single calls of `one(s, i)` and the commit after them, then the same keys in one
 * `apply(batch(i))` and its commit. `prepare` (untimed) brings the dataset back to the state the
 * apply side starts from.
 */
async function sideBySide(label, one, batch, prepare) {
  const s = await VersionedKvStore.open(dataset);
  t = now();
  for (let i = 0; i < S; i++) await one(s, i);
  const loopMs = now() - t;
  t = now();
  await s.commit(`${label}: loop`);
  const commitMs = now() - t;
  clean(repo);
  const loopTree = git(repo, "rev-parse", "HEAD:config");
  await prepare(s);
  await s.close();
  // The batch path in a store of its own too: neither side starts with the other's nodes cached.
  const b = await VersionedKvStore.open(dataset);
  t = now();
  await b.apply(Array.from({ length: S }, (_, i) => batch(i)));
  const applyMs = now() - t;
  t = now();
  await b.commit(`${label}: apply`);
  const applyCommitMs = now() - t;
  clean(repo);
  await b.close();
  row(
    `${S.toLocaleString("en")} ${label} one by one / one apply`,
    ms(loopMs),
    ms(applyMs),
    `key by key: ${rate(S, loopMs)}; target ≥ 5,000/s: ${(S * 1000) / loopMs >= 5000 ? "met" : "NOT met"}`,
  );
  row(
    `  then commit (key by key: includes the flush of the buffer)`,
    ms(commitMs),
    ms(applyCommitMs),
    `target < 1,000 ms: ${commitMs < 1000 ? "met" : "NOT met"}`,
  );
  row(
    `  loop + commit`,
    ms(loopMs + commitMs),
    ms(applyMs + applyCommitMs),
    `${((loopMs + commitMs) / (applyMs + applyCommitMs)).toFixed(2)}× the batch path`,
  );
  return loopTree;
}

// New keys between the existing ones (odd ids), spread over the first S/N of the key space.
const fresh = (i) => 2 * i + 1;
await sideBySide(
  "sets of new keys",
  (s, i) => s.set(key(fresh(i)), value(fresh(i), " new")),
  (i) => ({ key: key(fresh(i)), value: value(fresh(i), " new") }),
  async (s) => {
    await s.apply(Array.from({ length: S }, (_, i) => ({ key: key(fresh(i)), value: null })));
    await s.commit("undo the loop's sets");
  },
);
// Updates of existing keys spread over the whole key space (most leaves change).
const spread = (i) => 2 * Math.floor((i * N) / S);
await sideBySide(
  "updates spread over all keys",
  (s, i) => s.set(key(spread(i)), value(spread(i), " changed")),
  (i) => ({ key: key(spread(i)), value: value(spread(i), " changed again") }),
  async () => {},
);
// Deletes of existing keys (update/delete report whether the key existed: each reads it first).
const gone = (i) => 2 * (N - S + i);
await sideBySide(
  "deletes",
  async (s, i) => {
    if (!(await s.delete(key(gone(i))))) throw new Error(`${key(gone(i))} was absent`);
  },
  (i) => ({ key: key(gone(i)), value: null }),
  async (s) => {
    await s.apply(Array.from({ length: S }, (_, i) => ({ key: key(gone(i)), value: value(gone(i)) })));
    await s.commit("restore the deleted keys");
  },
);

// ---- 3. reads of unflushed sets ----------------------------------------------------------------
{
  const R = Math.min(1000, S);
  const s = await VersionedKvStore.open(dataset);
  for (let i = 0; i < R; i++) await s.set(key(fresh(i)), "unflushed");
  t = now();
  for (let i = 0; i < R; i++)
    if ((await s.getString(key(fresh(i)))) !== "unflushed") throw new Error("get misses an unflushed set");
  const getMs = now() - t;
  t = now();
  const status = await s.status();
  const statusMs = now() - t;
  if (status.length !== R) throw new Error(`status shows ${status.length} changes, not ${R}`);
  t = now();
  await flush(s);
  const flushMs = now() - t;
  row(
    `${R.toLocaleString("en")} gets of unflushed sets`,
    ms(getMs),
    "",
    `status of the ${R.toLocaleString("en")} unflushed sets: ${ms(statusMs)}; their flush: ${ms(flushMs)}`,
  );
  await s.close();
}

console.log(
  `\nreproduce: BENCH_N=${N} BENCH_SETS=${S} node bench/kv-store-writes.bench.mjs   (figures taken on a shared, loaded 2-core machine)`,
);
await store.close();
rmSync(root, { recursive: true, force: true });
