#!/usr/bin/env node
// Benchmarks of kv-store against plain Git, printed side by side (not a test: figures only).
//   node bench/kv-store.bench.mjs            # 1,000,000 entries (set BENCH_N to change)
// Needs built packages: pnpm --filter @git-prolly/kv-store... build
import { execFileSync, spawnSync } from "node:child_process";
import {
  mkdtempSync,
  mkdirSync,
  readdirSync,
  rmSync,
  statSync,
  writeFileSync,
  openSync,
  writeSync,
  closeSync,
} from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { VersionedKvStore } from "../packages/kv-store/dist/index.js";

const N = Number(process.env.BENCH_N ?? 1_000_000);
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.com",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
};
Object.assign(process.env, ENV);
const root = mkdtempSync(join(tmpdir(), "kv-bench-"));
const git = (cwd, ...args) => execFileSync("git", args, { cwd, env: ENV, encoding: "utf8", maxBuffer: 1 << 30 }).trim();
const now = () => performance.now();
const ms = (t) => `${t.toFixed(0)} ms`;
const key = (i) => `user:${String(i).padStart(8, "0")}`;
const value = (i) => `{"id":${i},"name":"user number ${i}","plan":"${i % 7 === 0 ? "pro" : "free"}"}`;
const rows = [];
const row = (what, ours, git_, note = "") => {
  rows.push([what, ours, git_, note]);
  console.log(`${what.padEnd(72)} ${String(ours).padStart(12)} ${String(git_).padStart(14)}  ${note}`);
};
function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.floor(s.length / 2)];
}
function looseCount(dir) {
  return Number(/count: (\d+)/.exec(git(dir, "count-objects", "-v"))[1]);
}

console.log(
  `kv-store benchmark, N = ${N.toLocaleString("en")} entries, node ${process.version}, ${git(root, "--version")}`,
);
console.log(`${"".padEnd(72)} ${"git-prolly".padStart(12)} ${"git".padStart(14)}`);

// ---- 1. import N entries into a new committed dataset ------------------------------------
function codeRepo(dir) {
  mkdirSync(join(dir, "src"), { recursive: true });
  git(dir, "init", "-q", "-b", "main");
  writeFileSync(join(dir, "src/main.rs"), 'fn main() { println!("Hello World"); }\n');
  git(dir, "add", ".");
  git(dir, "commit", "-q", "-m", "code");
  return dir;
}
// The three imports run in alternation, round by round (the machine's speed drifts), and no
// round's directory is deleted before the end: on this machine's ext4 (no journal) the inode
// allocator skips inodes freed in the last 1–6 minutes one by one (ext4 ialloc.c,
// recently_deleted), which made file creation right after a big delete several times slower.
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 3);
let input = Array.from({ length: N }, (_, i) => [Buffer.from(key(i)), Buffer.from(value(i))]);
const repo = join(root, "ours0");
const importTimes = [];
const bareTimes = [];
const fastTimes = [];
let stats;
let store;
let streamPath;
let sameTree = false;
let t = 0;
for (let round = 0; round < ROUNDS; round++) {
  const wt = codeRepo(join(root, `ours${round}`));
  t = now();
  const s1 = await VersionedKvStore.init(join(wt, "config"));
  await s1.import(input, { sorted: true });
  await s1.commit(`import ${N} users`);
  importTimes.push(now() - t);
  if (round === 0) {
    store = s1;
    stats = await store.stats();
    streamPath = await fastImportStream(store);
  } else await s1.close();

  const bare = join(root, `bare${round}`);
  git(root, "init", "-q", "--bare", "-b", "main", bare);
  t = now();
  const s2 = await VersionedKvStore.init(bare);
  await s2.import(input, { sorted: true });
  await s2.commit(`import ${N} users`);
  bareTimes.push(now() - t);
  await s2.close();

  const fi = join(root, `fast-import${round}`);
  git(root, "init", "-q", "--bare", "-b", "main", fi);
  t = now();
  const r = spawnSync("git", ["fast-import", "--quiet"], {
    cwd: fi,
    env: ENV,
    stdio: [openSync(streamPath, "r"), "inherit", "inherit"],
  });
  fastTimes.push(now() - t);
  if (r.status !== 0) throw new Error("git fast-import failed");
  sameTree = git(fi, "rev-parse", "main:config") === git(repo, "rev-parse", "HEAD:config");
}
input = undefined; // later phases run as a process without the 1M-entry input array would
const importMs = median(importTimes);
const bareMs = median(bareTimes);
const fastImportMs = median(fastTimes);
if (git(repo, "status", "--porcelain") !== "") throw new Error("working tree not clean after the import");

/** The same objects as a git fast-import stream: every node blob, the tree built from the paths, a commit. */
async function fastImportStream(store) {
  const path = join(root, "fast-import.stream");
  const fd = openSync(path, "w");
  const repoApi = store.repository;
  const head = await repoApi.readCommit((await repoApi.readHead()).id);
  const files = [];
  let mark = 0;
  const walk = async (entry, p) => {
    if (entry.mode !== "40000") {
      const content = await repoApi.readBlob(entry.id);
      mark++;
      writeSync(fd, `blob\nmark :${mark}\ndata ${content.length}\n`);
      writeSync(fd, content);
      writeSync(fd, "\n");
      files.push(`M ${entry.mode} :${mark} ${p}\n`);
      return;
    }
    for (const e of await repoApi.readTree(entry.id)) await walk(e, `${p}/${e.name}`);
  };
  for (const name of ["prolly.json", "root"])
    await walk(await repoApi.readEntry(head.tree, `config/${name}`), `config/${name}`);
  writeSync(fd, `commit refs/heads/main\ncommitter Bench <bench@example.com> 1700000000 +0000\ndata 7\nimport\n`);
  for (const f of files) writeSync(fd, f);
  closeSync(fd);
  return path;
}
row(
  `import ${N.toLocaleString("en")} entries, new committed dataset (working tree, median of ${ROUNDS})`,
  ms(importMs),
  ms(fastImportMs),
  `runs ${importTimes.map((x) => x.toFixed(0)).join("/")} ms; also writes ${stats.leaves + stats.internalNodes} node files + index; fast-import writes none. Trees equal: ${sameTree}`,
);
row(
  "  working-tree import / git fast-import",
  `${(importMs / fastImportMs).toFixed(2)}×`,
  "",
  `target ≤ 1.00×: ${importMs <= fastImportMs ? "met" : "NOT met"}; per round ${importTimes.map((x, i) => (x / fastTimes[i]).toFixed(2)).join(" / ")}`,
);
row(
  `import ${N.toLocaleString("en")} entries, bare repository (median of ${ROUNDS})`,
  ms(bareMs),
  ms(fastImportMs),
  `runs ${bareTimes.map((x) => x.toFixed(0)).join("/")} ms; same objects and commit, no working tree: like for like (fast-import runs ${fastTimes.map((x) => x.toFixed(0)).join("/")} ms)`,
);
row("  tree shape", `depth ${stats.depth}`, "", `${stats.leaves} leaves, ${stats.internalNodes} internal nodes`);

// ---- 2. commit one changed key --------------------------------------------------------------
const commitTimes = [];
const objectCounts = [];
for (let k = 0; k < 7; k++) {
  const before = looseCount(repo);
  t = now();
  const s = await VersionedKvStore.open(join(repo, "config"));
  await s.set(key((k * 104_729) % N), `{"id":${k},"name":"changed ${k}"}`);
  await s.commit(`change one key ${k}`);
  commitTimes.push(now() - t);
  objectCounts.push(looseCount(repo) - before);
  await s.close();
}
const gitTimes = [];
const gitAmTimes = [];
for (let k = 0; k < 7; k++) {
  writeFileSync(join(repo, "src/main.rs"), `fn main() { println!("Hello {k}"); }\n`.replace("{k}", String(k)));
  t = now();
  git(repo, "add", "src/main.rs");
  git(repo, "commit", "-q", "-m", `code change ${k}`);
  gitTimes.push(now() - t);
  writeFileSync(join(repo, "src/main.rs"), `fn main() { println!("Hi {k}"); }\n`.replace("{k}", String(k)));
  t = now();
  git(repo, "commit", "-q", "-a", "-m", `code change ${k}b`);
  gitAmTimes.push(now() - t);
}
row(
  "commit one changed key (open + set + commit, median of 7)",
  ms(median(commitTimes)),
  ms(median(gitTimes)),
  `git add + git commit of a one-line change; git commit -a: ${ms(median(gitAmTimes))}`,
);
row(
  "  objects written per one-key commit",
  `${Math.max(...objectCounts)}`,
  "",
  `bound 2·depth+3 = ${2 * stats.depth + 3}`,
);
if (git(repo, "status", "--porcelain") !== "") throw new Error("working tree not clean after commits");

// ---- 3. checkout between branches 100 keys apart ---------------------------------------------
const s = await VersionedKvStore.open(join(repo, "config"));
await s.checkout("b100", { create: true });
await s.apply(
  Array.from({ length: 100 }, (_, j) => ({ key: key(((j * 7_919 + 13) % Math.floor(N / 2)) * 2), value: `b100-${j}` })),
);
await s.commit("100 keys on b100");
await s.checkout("main");
const mtimes = () => {
  const m = new Map();
  const walk = (d) => {
    for (const n of readdirSync(d)) {
      const p = join(d, n);
      const st = statSync(p);
      if (st.isDirectory()) walk(p);
      else m.set(p, `${st.mtimeMs}:${st.ino}`);
    }
  };
  walk(join(repo, "config"));
  return m;
};
const before = mtimes();
const changedFiles = git(repo, "diff", "--name-only", "main", "b100").split("\n").length;
const loads0 = s.nodeStats.misses;
t = now();
await s.checkout("b100");
const checkoutMs = now() - t;
const after = mtimes();
let touched = 0;
for (const [p, v] of after) if (before.get(p) !== v) touched++;
// The dataset is a sub-directory: `checkout` switches only its files (HEAD and the code stay), as
// `git checkout b100 -- config` does; that is the peer, timed from the same starting state.
git(repo, "reset", "-q", "--hard", "main");
t = now();
git(repo, "checkout", "-q", "b100", "--", "config");
const gitCheckoutMs = now() - t;
git(repo, "reset", "-q", "--hard", "main"); // the dataset follows HEAD (main) again
row(
  "checkout of the dataset at a branch 100 keys apart",
  ms(checkoutMs),
  `${ms(gitCheckoutMs)} checkout -- dir`,
  `files rewritten ${touched} of ${after.size} (changed node files: ${changedFiles}); nodes loaded ${s.nodeStats.misses - loads0}`,
);

// ---- 4. diff and merge of two branches 100 keys apart -----------------------------------------
const d = await VersionedKvStore.open(join(repo, "config"));
let loads = d.nodeStats.misses;
t = now();
const diff = await d.diff("main", "b100");
row(
  "diff of two branches 100 keys apart",
  ms(now() - t),
  "",
  `${diff.length} changes, ${d.nodeStats.misses - loads} nodes loaded (tree has ${stats.leaves + stats.internalNodes})`,
);
await d.checkout("b100b", { create: true }); // from main: b100 and b100b diverge, a true three-way merge
await d.apply(
  Array.from({ length: 100 }, (_, j) => ({
    key: key(((j * 6_007 + 101) % Math.floor(N / 2)) * 2 + 1),
    value: `b100b-${j}`,
  })),
);
await d.commit("100 other keys");
await d.checkout("b100");
const m = await VersionedKvStore.open(join(repo, "config"));
loads = m.nodeStats.misses;
t = now();
const merged = await m.merge("b100b");
row(
  "three-way merge of two branches 100 keys apart each",
  ms(now() - t),
  "",
  `${merged.status}; ${m.nodeStats.misses - loads} nodes loaded`,
);
t = now();
git(repo, "merge-base", "main", "b100b");
row("  (git merge-base of the same branches, for scale)", "", ms(now() - t));

console.log(`\nreproduce: BENCH_N=${N} node bench/kv-store.bench.mjs`);
await Promise.all([store.close(), s.close(), d.close(), m.close()]);
rmSync(root, { recursive: true, force: true });
