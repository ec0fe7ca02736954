#!/usr/bin/env node
// The git-prolly CLI as whole processes, beside its peers, in the same run (figures, not a test):
//   1. start-up: `git-prolly get <key>` vs `node -e 0`, median of 10 each, interleaved (target ≤ 2×)
//   2. `git-prolly set` + `git-prolly commit` of one key in a 1M-key dataset vs `git commit` of a
//      one-line change in the same repository (target ≤ 3×)
//   node bench/cli.bench.mjs           (BENCH_N=100000 for a smaller dataset; needs pnpm build)
// When NODE_EXTRA_CA_CERTS is set (these machines set it), Node.js 20 parses the whole CA store
// before running any script: ~40 ms more for every Node start, `node -e 0` included, and nothing
// for Git. The Node figures are then also given with it unset, side by side.
import { execFileSync, spawnSync } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import { join } from "node:path";
import { fileURLToPath } from "node:url";
import { VersionedKvStore } from "../packages/kv-store/dist/index.js";

const N = Number(process.env.BENCH_N ?? 1_000_000);
const RUNS = 10;
const COMMITS = Number(process.env.BENCH_COMMITS ?? 7);
const runJs = fileURLToPath(new URL("../apps/cli/bin/run.js", import.meta.url));
const ENV = {
  ...process.env,
  GIT_AUTHOR_NAME: "Bench",
  GIT_AUTHOR_EMAIL: "bench@example.com",
  GIT_COMMITTER_NAME: "Bench",
  GIT_COMMITTER_EMAIL: "bench@example.com",
  GIT_CONFIG_NOSYSTEM: "1",
  NO_COLOR: "1",
};
delete ENV.DEBUG;
Object.assign(process.env, ENV);
/** Node's environments: as given, and without NODE_EXTRA_CA_CERTS when it is set. */
const NODE_ENVS = [["", ENV]];
if (ENV.NODE_EXTRA_CA_CERTS) {
  const { NODE_EXTRA_CA_CERTS: _, ...noCa } = ENV;
  NODE_ENVS[0][0] = " [NODE_EXTRA_CA_CERTS set]";
  NODE_ENVS.push([" [NODE_EXTRA_CA_CERTS unset]", noCa]);
}
const root = mkdtempSync(join(tmpdir(), "cli-bench-"));
const git = (cwd, ...args) => execFileSync("git", args, { cwd, env: ENV, encoding: "utf8" }).trim();
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const ms = (t) => `${t.toFixed(0)} ms`;

/** Runs a whole process and returns its wall time in ms (throws on failure). */
function timed(cmd, args, cwd, env = ENV) {
  const t = performance.now();
  const r = spawnSync(cmd, args, { cwd, env, encoding: "utf8" });
  const took = performance.now() - t;
  if (r.status !== 0) throw new Error(`${cmd} ${args.join(" ")} exited ${r.status}: ${r.stderr}`);
  return took;
}
const prolly = (args, cwd, env = ENV) => timed(process.execPath, [runJs, ...args], cwd, env);
function row(what, ours, peer, note = "") {
  console.log(`${what.padEnd(80)} ${String(ours).padStart(12)} ${String(peer).padStart(16)}  ${note}`);
}

console.log(
  `git-prolly CLI benchmark, node ${process.version}, ${git(root, "--version")}, N = ${N.toLocaleString("en")} (figures from a shared, loaded machine)`,
);
console.log(`${"".padEnd(80)} ${"git-prolly".padStart(12)} ${"peer".padStart(16)}`);

try {
  // ---- 1. start-up ------------------------------------------------------------------------------
  const small = join(root, "small");
  mkdirSync(small);
  git(small, "init", "-q", "-b", "main");
  const s = await VersionedKvStore.init(join(small, "config"));
  await s.set("app:name", "MyApp");
  await s.commit("Initial configuration");
  await s.close();
  const cfg = join(small, "config");
  prolly(["get", "app:name"], cfg); // warm the file cache once
  timed(process.execPath, ["-e", "0"], small);
  for (const [label, env] of NODE_ENVS) {
    const getTimes = [];
    const nodeTimes = [];
    for (let i = 0; i < RUNS; i++) {
      nodeTimes.push(timed(process.execPath, ["-e", "0"], small, env));
      getTimes.push(prolly(["get", "app:name"], cfg, env));
    }
    const getMs = median(getTimes);
    const nodeMs = median(nodeTimes);
    row(
      `start-up: git-prolly get <key> vs node -e 0 (median of ${RUNS})${label}`,
      ms(getMs),
      ms(nodeMs),
      `runs ${getTimes.map((x) => x.toFixed(0)).join("/")} vs ${nodeTimes.map((x) => x.toFixed(0)).join("/")}`,
    );
    row(
      "  get / node -e 0",
      `${(getMs / nodeMs).toFixed(2)}×`,
      "",
      `target ≤ 2.00×: ${getMs <= 2 * nodeMs ? "met" : "NOT met"}`,
    );
  }

  // ---- 2. one key in a 1M-key dataset -------------------------------------------------------------
  const repo = join(root, "big");
  mkdirSync(join(repo, "src"), { recursive: true });
  git(repo, "init", "-q", "-b", "main");
  writeFileSync(join(repo, "src/main.rs"), 'fn main() { println!("Hello World"); }\n');
  git(repo, "add", ".");
  git(repo, "commit", "-q", "-m", "code");
  const key = (i) => `user:${String(i).padStart(8, "0")}`;
  let t = performance.now();
  // The import runs in a child process: a bench process holding the import's heap (~1 GB) would
  // make every process it starts afterwards slower to fork, ours and Git's alike.
  const kvStore = new URL("../packages/kv-store/dist/index.js", import.meta.url).href;
  const importer = `(async () => {
    const { VersionedKvStore } = await import(${JSON.stringify(kvStore)});
    const key = (i) => "user:" + String(i).padStart(8, "0");
    const big = await VersionedKvStore.init(${JSON.stringify(join(repo, "user-data"))});
    await big.import((function* () {
      for (let i = 0; i < ${N}; i++) yield [key(i), JSON.stringify({ id: i, name: "user number " + i })];
    })(), { sorted: true });
    await big.commit("import ${N} users");
    console.log((await big.stats()).depth);
    await big.close();
  })();`;
  const depth = execFileSync(process.execPath, ["-e", importer], { env: ENV, encoding: "utf8" });
  console.log(
    `  (setup: ${N.toLocaleString("en")} keys imported with kv-store in ${ms(performance.now() - t)}, depth ${depth.trim()})`,
  );
  const data = join(repo, "user-data");
  const oursTimes = NODE_ENVS.map(() => []);
  const gitAddTimes = [];
  const gitATimes = [];
  let round = 0;
  for (let k = 0; k < COMMITS; k++) {
    // Alternate ours and Git's, round by round (the machine's speed drifts).
    for (const [e, [, env]] of NODE_ENVS.entries()) {
      t = performance.now();
      prolly(["set", key((round++ * 104_729) % N), `{"id":${k},"name":"changed ${k}"}`], data, env);
      prolly(["commit", "-m", `change one key ${k}`], data, env);
      oursTimes[e].push(performance.now() - t);
    }
    writeFileSync(join(repo, "src/main.rs"), `fn main() { println!("Hello ${k}"); }\n`);
    t = performance.now();
    timed("git", ["add", "src/main.rs"], repo);
    timed("git", ["commit", "-q", "-m", `code change ${k}`], repo);
    gitAddTimes.push(performance.now() - t);
    writeFileSync(join(repo, "src/main.rs"), `fn main() { println!("Hi ${k}"); }\n`);
    gitATimes.push(timed("git", ["commit", "-q", "-a", "-m", `code change ${k}b`], repo));
  }
  if (git(repo, "status", "--porcelain") !== "") throw new Error("working tree not clean after the commits");
  const addMs = median(gitAddTimes);
  const aMs = median(gitATimes);
  for (const [e, [label]] of NODE_ENVS.entries()) {
    const oursMs = median(oursTimes[e]);
    row(
      `set + commit of one key, ${N.toLocaleString("en")}-key dataset (median of ${COMMITS})${label}`,
      ms(oursMs),
      `${ms(addMs)} add+commit`,
      `runs ${oursTimes[e].map((x) => x.toFixed(0)).join("/")}; git add + git commit of a one-line change: ${gitAddTimes.map((x) => x.toFixed(0)).join("/")}`,
    );
    row(
      "  set+commit / (git add + git commit)",
      `${(oursMs / addMs).toFixed(2)}×`,
      "",
      `target ≤ 3.00×: ${oursMs <= 3 * addMs ? "met" : "NOT met"}`,
    );
    row(
      "  set+commit / git commit -a",
      `${(oursMs / aMs).toFixed(2)}×`,
      `${ms(aMs)} commit -a`,
      `git commit -a of a one-line change: ${gitATimes.map((x) => x.toFixed(0)).join("/")}`,
    );
  }
} finally {
  rmSync(root, { recursive: true, force: true });
}
