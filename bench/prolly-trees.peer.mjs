// The peer of prolly-core's benchmark: mikeal/prolly-trees (npm prolly-trees@1.0.4) configured
// as its main user (Fireproof) configures it — bf(30) chunker, sha256, dag-cbor, in-memory
// blocks — exactly as ../../shared/reference/prolly-trees-peer.mjs does. The workload and the
// untimed warm-up phases mirror prolly-core.bench.mjs, so both sides are measured alike.
// Usage: node prolly-trees.peer.mjs [N] — prints one JSON line of figures.
import { create } from "prolly-trees/map";
import { bf, simpleCompare as compare } from "prolly-trees/utils";
import { nocache as cache } from "prolly-trees/cache";
import * as codec from "@ipld/dag-cbor";
import { sha256 as hasher } from "multiformats/hashes/sha2";
import {
  GETS,
  UPDATES,
  WARMUP_ENTRIES,
  WARMUP_GETS,
  WARMUP_UPDATES,
  getIndex,
  keyText,
  updateIndex,
  valText,
} from "./workload.mjs";

const N = Number(process.argv[2] ?? 1_000_000);

/** Builds a tree of n entries; returns its root and the block map. */
async function build(n) {
  const blocks = new Map();
  const get = async (cid) => {
    const b = blocks.get(cid.toString());
    if (!b) throw new Error("missing");
    return b;
  };
  const opts = { get, compare, cache, chunker: bf(30), codec, hasher };
  const list = Array.from({ length: n }, (_, i) => ({ key: keyText(i), value: valText(i) }));
  let root;
  for await (const node of create({ list, ...opts })) {
    const block = await node.block;
    blocks.set(block.cid.toString(), block);
    root = node;
  }
  return { root, blocks };
}

async function gets(root, n, count, offset) {
  for (let j = 0; j < count; j++) {
    const i = getIndex(j + offset, n);
    const { result } = await root.get(keyText(i));
    if (result !== valText(i)) throw new Error("bad get");
  }
}

async function updates(tree, n, count, offset) {
  let r = tree.root;
  for (let j = 0; j < count; j++) {
    const { blocks: nb, root: nr } = await r.bulk([
      { key: keyText(updateIndex(j + offset, n)), value: "updated-" + j },
    ]);
    for (const b of nb) tree.blocks.set(b.cid.toString(), b);
    r = nr;
  }
  tree.root = r;
}

// The build is timed cold, as the reference measures it.
let t = performance.now();
const tree = await build(N);
const buildMs = performance.now() - t;
{
  // JIT warm-up on a scratch tree, dropped before the timed gets and updates.
  // Warm-up updates all start from the scratch root and their blocks are not kept (as on our side).
  const scratch = await build(WARMUP_ENTRIES);
  await gets(scratch.root, WARMUP_ENTRIES, WARMUP_GETS, 0);
  for (let j = 0; j < WARMUP_UPDATES; j++)
    await scratch.root.bulk([{ key: keyText(updateIndex(j, WARMUP_ENTRIES)), value: "updated-" + j }]);
}
t = performance.now();
await gets(tree.root, N, GETS, 0);
const getMs = performance.now() - t;
t = performance.now();
await updates(tree, N, UPDATES, 0);
const updMs = performance.now() - t;
const blocks = tree.blocks;

console.log(
  JSON.stringify({
    system: "prolly-trees@1.0.4 (bf(30), sha256, dag-cbor, in-memory blocks)",
    n: N,
    build_entries_per_s: Math.round((N / buildMs) * 1000),
    get_per_s: Math.round((GETS / getMs) * 1000),
    single_updates_per_s: Math.round((UPDATES / updMs) * 1000),
    blocks: blocks.size,
  }),
);
