// Side-by-side benchmark of prolly-core against prolly-trees@1.0.4 (see README.md in this folder).
// Usage: node prolly-core.bench.mjs [N] [--ours-only] — prints JSON figures per system, then ratios.
import { createHash } from "node:crypto";
import { spawnSync } from "node:child_process";
import { fileURLToPath } from "node:url";
import * as P from "@git-prolly/prolly-core";

const N = Number(process.argv.find((a) => /^\d+$/.test(a)) ?? 1_000_000);
const R = 10_000;
const U = 1_000;
const D = 100;

if (process.argv.includes("--ours")) {
  console.log(JSON.stringify(await runOurs(N)));
  process.exit(0);
}

function sha1(parts) {
  const h = createHash("sha1");
  for (const p of parts) h.update(p);
  return h.digest();
}

/** The peer's workload, same keys and values: 14-byte keys, ~50-byte values. */
function keyText(i) {
  return "key:" + String(i).padStart(9, "0");
}
function valText(i) {
  return "value-" + i + "-" + "x".repeat(40);
}

async function runOurs(n) {
  // Input as one contiguous buffer of keys and values, prepared before timing (the peer also
  // prepares its list before timing); the build streams views of it.
  const enc = new TextEncoder();
  const keyBuf = new Uint8Array(n * 13);
  const offs = new Uint32Array(n + 1);
  let total = 0;
  for (let i = 0; i < n; i++) total += valText(i).length;
  const valBuf = new Uint8Array(total);
  let vo = 0;
  for (let i = 0; i < n; i++) {
    enc.encodeInto(keyText(i), keyBuf.subarray(i * 13, i * 13 + 13));
    const w = enc.encodeInto(valText(i), valBuf.subarray(vo));
    offs[i] = vo;
    vo += w.written;
  }
  offs[n] = vo;
  const key = (i) => keyBuf.subarray(i * 13, i * 13 + 13);
  const val = (i) => valBuf.subarray(offs[i], offs[i + 1]);
  function* entries() {
    for (let i = 0; i < n; i++) yield [key(i), val(i)];
  }
  const store = P.createMemoryNodeStore({ hash: sha1, cacheBytes: 256 * 1024 * 1024 });
  let t = performance.now();
  const root = await P.buildTree(store, entries());
  const buildMs = performance.now() - t;

  t = performance.now();
  for (let j = 0; j < R; j++) {
    const i = (j * 7919) % n;
    const v = await P.getValue(store, root, key(i));
    if (v === undefined || v.length !== val(i).length) throw new Error("bad get");
  }
  const getMs = performance.now() - t;

  t = performance.now();
  let r = root;
  for (let j = 0; j < U; j++) {
    const i = (j * 104729) % n;
    r = await P.applyEdits(store, r, [{ key: key(i), value: enc.encode("updated-" + j) }]);
  }
  const updMs = performance.now() - t;

  // Diff of two versions D keys apart, against a full scan of both versions.
  const edits = [];
  for (let j = 0; j < D; j++) edits.push({ key: key((j * 15485863 + 17) % n), value: enc.encode("changed-" + j) });
  const other = await P.applyEdits(store, root, edits);
  const stats = await P.treeStats(store, root);
  // A cache-less view of the same objects, so "nodes loaded" counts real decodes.
  const coldStore = new P.ObjectNodeStore(store.objects, { hash: sha1, cacheBytes: 0 });
  t = performance.now();
  let changes = 0;
  for await (const _ of P.diffTrees(coldStore, root, other)) changes++;
  const diffMs = performance.now() - t;
  const diffLoads = coldStore.stats.misses;
  t = performance.now();
  let scanned = 0;
  for await (const _ of P.scanEntries(coldStore, root)) scanned++;
  for await (const _ of P.scanEntries(coldStore, other)) scanned++;
  const scanMs = performance.now() - t;
  if (changes !== D) throw new Error(`diff found ${changes} changes, expected ${D}`);
  return {
    system: "git-prolly prolly-core",
    n,
    build_entries_per_s: Math.round((n / buildMs) * 1000),
    get_per_s: Math.round((R / getMs) * 1000),
    single_updates_per_s: Math.round((U / updMs) * 1000),
    depth: stats.depth,
    leaves: stats.leaves,
    internal_nodes: stats.internalNodes,
    objects: store.objects.size,
    diff_changes: changes,
    diff_nodes_loaded: diffLoads,
    diff_node_bound: 2 * D * stats.depth,
    diff_ms: +diffMs.toFixed(2),
    full_scan_both_ms: +scanMs.toFixed(1),
    diff_vs_scan_pct: +((diffMs / scanMs) * 100).toFixed(3),
    rss_mb: Math.round(process.memoryUsage().rss / 1e6),
  };
}

const here = fileURLToPath(new URL(".", import.meta.url));

/** Runs a child Node process and returns its last JSON line plus its peak RSS (MB). */
function run(script, args) {
  const res = spawnSync(process.execPath, ["--import", here + "peak-rss.mjs", script, ...args], { encoding: "utf8", maxBuffer: 1 << 26 });
  if (res.status !== 0) throw new Error(`${script} failed: ${res.stderr}`);
  const figures = JSON.parse(res.stdout.trim().split("\n").pop());
  const peak = /PEAK_RSS_KB=(\d+)/.exec(res.stderr);
  return { ...figures, peak_rss_mb: peak ? Math.round(Number(peak[1]) / 1024) : undefined };
}

const ours = run(fileURLToPath(import.meta.url), [String(N), "--ours"]);
const peer = run(here + "prolly-trees-peer.mjs", [String(N)]);
const ratio = (a, b) => +(a / b).toFixed(2);
const report = {
  workload: { entries: N, key_bytes: 13, value_bytes: "~50", gets: R, single_key_updates: U, diff_changes: D },
  ours,
  peer,
  ratios: {
    build_x: ratio(ours.build_entries_per_s, peer.build_entries_per_s),
    gets_x: ratio(ours.get_per_s, peer.get_per_s),
    single_updates_x: ratio(ours.single_updates_per_s, peer.single_updates_per_s),
    peak_rss_fraction: ratio(ours.peak_rss_mb, peer.peak_rss_mb),
  },
  targets: {
    build_x: ">= 10",
    gets_x: ">= 10",
    single_updates_x: ">= 20",
    diff_nodes_loaded: `<= ${ours.diff_node_bound} (2 x changes x depth)`,
    diff_vs_scan_pct: "< 1",
    peak_rss_fraction: "<= 0.25",
  },
};
console.log(JSON.stringify(report, null, 2));
