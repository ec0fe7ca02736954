// Side-by-side benchmark of prolly-core against prolly-trees@1.0.4 (see README.md here).
// Usage: node prolly-core.bench.mjs [N] [--rounds=3] [--ours-only]. Each system runs in its own process so
// peak RSS is its own; figures are printed side by side with the ratios and the targets.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as P from "@git-prolly/prolly-core";
import {
  DIFF_CHANGES,
  GETS,
  UPDATES,
  WARMUP_ENTRIES,
  WARMUP_GETS,
  WARMUP_UPDATES,
  diffIndex,
  getIndex,
  keyText,
  updateIndex,
  valText,
} from "./workload.mjs";

const N = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);

if (process.argv.includes("--ours")) {
  console.log(JSON.stringify(await runOurs(N)));
  process.exit(0);
}

function sha1(parts) {
  const h = createHash("sha1");
  for (const p of parts) h.update(p);
  return h.digest();
}

async function runOurs(n) {
  // The build streams its input (prolly-trees needs its whole list in memory; we do not):
  // keys and values are written into reusable buffers, which the tree copies before the next
  // entry. Writing them byte by byte costs far less than formatting strings.
  const enc = new TextEncoder();
  const KEY = keyText(0).length;
  const keyScratch = new Uint8Array(KEY);
  const valScratch = new Uint8Array(64);
  const writeDecimal = (buf, end, i) => {
    let p = end;
    do {
      buf[--p] = 48 + (i % 10);
      i = Math.floor(i / 10);
    } while (i > 0);
    return p;
  };
  const keyPrefix = enc.encode(keyText(0).slice(0, 4));
  const key = (i, out = new Uint8Array(KEY)) => {
    out.set(keyPrefix);
    out.fill(48, keyPrefix.length);
    writeDecimal(out, KEY, i);
    return out;
  };
  const valLength = (i) => 6 + digitsOf(i) + 1 + 40; // valText(i).length, without building the string
  const digitsOf = (i) =>
    i < 10
      ? 1
      : i < 100
        ? 2
        : i < 1e3
          ? 3
          : i < 1e4
            ? 4
            : i < 1e5
              ? 5
              : i < 1e6
                ? 6
                : i < 1e7
                  ? 7
                  : i < 1e8
                    ? 8
                    : i < 1e9
                      ? 9
                      : 10;
  const val = (i) => {
    // "value-" + i + "-" + 40 × "x", as valText(i).
    const digits = digitsOf(i);
    const len = 6 + digits + 1 + 40;
    valScratch.set(VALUE_PREFIX);
    writeDecimal(valScratch, 6 + digits, i);
    valScratch[6 + digits] = 45;
    valScratch.fill(120, 7 + digits, len);
    return valScratch.subarray(0, len);
  };
  const VALUE_PREFIX = enc.encode("value-");
  {
    // The generated entries must be exactly the workload's.
    const dec = new TextDecoder();
    let i = 0;
    for (const [k, v] of entries(1201)) {
      if (i % 97 === 0 || i > 1190)
        if (dec.decode(k) !== keyText(i) || dec.decode(v) !== valText(i)) throw new Error(`workload mismatch at ${i}`);
      i++;
    }
  }
  /**
   * Entries 0…count-1 in key order. The decimal counter is incremented in place in both the key
   * and the value buffer, so producing an entry costs a few byte writes (the peer's list is
   * made before its timer starts; ours is made while the build consumes it).
   */
  function* entries(count) {
    const k = key(0, keyScratch);
    let v = val(0);
    for (let i = 0; i < count; i++) {
      if (i > 0) {
        let p = KEY - 1;
        while (k[p] === 57) k[p--] = 48;
        k[p]++;
        const vd = 6 + digitsOf(i);
        if (vd !== 6 + digitsOf(i - 1)) v = val(i);
        else {
          let q = vd - 1;
          while (valScratch[q] === 57) valScratch[q--] = 48;
          valScratch[q]++;
        }
      }
      yield [k, v];
    }
  }
  // The memory store keeps every object anyway; the cache bound is set above the tree's size
  // because cached leaves share those bytes (it costs their offset tables, not a second copy).
  const newStore = () => P.createMemoryNodeStore({ hash: sha1, cacheBytes: 256 * 1024 * 1024 });
  const gets = async (store, root, count, size) => {
    for (let j = 0; j < count; j++) {
      const i = getIndex(j, size);
      const v = await P.getValue(store, root, key(i));
      if (v === undefined || v.length !== valLength(i)) throw new Error("bad get");
    }
  };
  const updates = async (store, root, count, size) => {
    let r = root;
    for (let j = 0; j < count; j++)
      r = await P.applyEdits(store, r, [{ key: key(updateIndex(j, size)), value: enc.encode("updated-" + j) }]);
    return r;
  };
  // The build is timed cold, as the reference measures it.
  const store = newStore();
  let t = performance.now();
  const root = await P.buildTree(store, entries(n));
  const buildMs = performance.now() - t;
  {
    // JIT warm-up on a scratch tree, dropped before the timed gets and updates. Warm-up updates
    // all start from the scratch root and their nodes are not kept, so they leave no garbage
    // behind to inflate the peak RSS of the measured phases.
    const objects = new P.MemoryObjectDatabase();
    const scratch = new P.ObjectNodeStore(objects, { hash: sha1, cacheBytes: 4 * 1024 * 1024 });
    const r = await P.buildTree(scratch, entries(WARMUP_ENTRIES));
    objects.write = async () => {};
    await gets(scratch, r, WARMUP_GETS, WARMUP_ENTRIES);
    for (let j = 0; j < WARMUP_UPDATES; j++)
      await P.applyEdits(scratch, r, [{ key: key(updateIndex(j, WARMUP_ENTRIES)), value: enc.encode("updated-" + j) }]);
  }
  t = performance.now();
  await gets(store, root, GETS, n);
  const getMs = performance.now() - t;
  t = performance.now();
  await updates(store, root, UPDATES, n);
  const updMs = performance.now() - t;

  // Diff of two versions DIFF_CHANGES keys apart, on a store without a cache so that every node
  // the diff needs is loaded and decoded, against a full scan of both versions on the same store.
  const edits = (tag) =>
    Array.from({ length: DIFF_CHANGES }, (_, j) => ({ key: key(diffIndex(j, n)), value: enc.encode(tag + j) }));
  const other = await P.applyEdits(store, root, edits("changed-"));
  const warm = await P.applyEdits(store, root, edits("warm-"));
  const stats = await P.treeStats(store, root);
  const cold = () => new P.ObjectNodeStore(store.objects, { hash: sha1, cacheBytes: 0 });
  // Warm the diff path up (the full scan below warms itself up over its first leaves).
  for (let k = 0; k < 30; k++) for await (const _ of P.diffTrees(cold(), warm, k % 2 === 0 ? root : other));
  const diffRuns = [];
  let diffLoads = 0;
  let changes = 0;
  for (let k = 0; k < 5; k++) {
    const s = cold();
    changes = 0;
    t = performance.now();
    for await (const _ of P.diffTrees(s, root, other)) changes++;
    diffRuns.push(performance.now() - t);
    diffLoads = s.stats.misses;
  }
  const diffMs = diffRuns.sort((a, b) => a - b)[2];
  const scanStore = cold();
  t = performance.now();
  let scanned = 0;
  for await (const _ of P.scanEntries(scanStore, root)) scanned++;
  for await (const _ of P.scanEntries(scanStore, other)) scanned++;
  const scanMs = performance.now() - t;
  if (changes !== DIFF_CHANGES || scanned !== 2 * n)
    throw new Error(`diff found ${changes} changes, scan ${scanned} entries`);
  return {
    system: "git-prolly prolly-core (in-memory object store)",
    n,
    build_entries_per_s: Math.round((n / buildMs) * 1000),
    get_per_s: Math.round((GETS / getMs) * 1000),
    single_updates_per_s: Math.round((UPDATES / updMs) * 1000),
    depth: stats.depth,
    leaves: stats.leaves,
    internal_nodes: stats.internalNodes,
    objects: store.objects.size,
    diff_changes: changes,
    diff_nodes_loaded: diffLoads,
    diff_node_bound: 2 * DIFF_CHANGES * stats.depth,
    diff_ms: +diffMs.toFixed(2),
    full_scan_both_ms: +scanMs.toFixed(1),
    diff_vs_scan_pct: +((diffMs / scanMs) * 100).toFixed(3),
  };
}

const here = fileURLToPath(new URL(".", import.meta.url));

/** Runs a child Node process and returns its last JSON line plus its peak RSS (MB). */
function run(script, args) {
  const res = spawnSync(process.execPath, ["--import", here + "peak-rss.mjs", script, ...args], {
    encoding: "utf8",
    maxBuffer: 1 << 26,
  });
  if (res.status !== 0) throw new Error(`${script} failed: ${res.stderr}`);
  const figures = JSON.parse(res.stdout.trim().split("\n").pop());
  const peak = /PEAK_RSS_KB=(\d+)/.exec(res.stderr);
  return { ...figures, peak_rss_mb: peak ? Math.round(Number(peak[1]) / 1024) : undefined };
}

// The VM this runs on changes speed from minute to minute, so the two systems are run in
// alternation for several rounds and each figure is the median of its rounds.
const ROUNDS = Number(process.argv.find((a) => a.startsWith("--rounds="))?.slice(9) ?? 3);
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
const mergeRuns = (runs) => {
  const out = { ...runs[0] };
  for (const k of Object.keys(out)) if (typeof out[k] === "number") out[k] = median(runs.map((r) => r[k]));
  return out;
};
const oursRuns = [];
const peerRuns = [];
for (let r = 0; r < ROUNDS; r++) {
  oursRuns.push(run(fileURLToPath(import.meta.url), [String(N), "--ours"]));
  if (process.argv.includes("--ours-only")) continue;
  peerRuns.push(run(here + "prolly-trees.peer.mjs", [String(N)]));
}
const ours = mergeRuns(oursRuns);
if (process.argv.includes("--ours-only")) {
  console.log(JSON.stringify(ours, null, 2));
  process.exit(0);
}
const peer = mergeRuns(peerRuns);
const ratio = (a, b) => +(a / b).toFixed(2);
const roundRatios = oursRuns.map((o, i) => ({
  build_x: ratio(o.build_entries_per_s, peerRuns[i].build_entries_per_s),
  gets_x: ratio(o.get_per_s, peerRuns[i].get_per_s),
  single_updates_x: ratio(o.single_updates_per_s, peerRuns[i].single_updates_per_s),
  peak_rss_fraction: ratio(o.peak_rss_mb, peerRuns[i].peak_rss_mb),
}));
const ratios = mergeRuns(roundRatios);
const met = {
  build_x: ratios.build_x >= 10,
  gets_x: ratios.gets_x >= 10,
  single_updates_x: ratios.single_updates_x >= 20,
  diff_nodes_loaded: ours.diff_nodes_loaded <= ours.diff_node_bound,
  diff_vs_scan_pct: ours.diff_vs_scan_pct < 1,
  peak_rss_fraction: ratios.peak_rss_fraction <= 0.25,
};
console.log(
  JSON.stringify(
    {
      rounds: ROUNDS,
      round_ratios: roundRatios,
      workload: {
        entries: N,
        key_bytes: keyText(0).length,
        value_bytes: "~50",
        gets: GETS,
        single_key_updates: UPDATES,
        diff_changes: DIFF_CHANGES,
        warmup: { gets: WARMUP_GETS, updates: WARMUP_UPDATES },
      },
      ours,
      peer,
      ratios,
      targets: {
        build_x: ">= 10",
        gets_x: ">= 10",
        single_updates_x: ">= 20",
        diff_nodes_loaded: `<= ${ours.diff_node_bound}`,
        diff_vs_scan_pct: "< 1",
        peak_rss_fraction: "<= 0.25",
      },
      met,
    },
    null,
    2,
  ),
);
