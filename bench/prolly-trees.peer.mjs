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
import { GETS, UPDATES, WARMUP_GETS, WARMUP_UPDATES, getIndex, keyText, updateIndex, valText } from "./workload.mjs";

const N = Number(process.argv[2] ?? 1_000_000);
const blocks = new Map();
const get = async (cid) => {
  const b = blocks.get(cid.toString());
  if (!b) throw new Error("missing");
  return b;
};
const opts = { get, compare, cache, chunker: bf(30), codec, hasher };
const list = Array.from({ length: N }, (_, i) => ({ key: keyText(i), value: valText(i) }));

let t = performance.now();
let root;
for await (const node of create({ list, ...opts })) {
  const block = await node.block;
  blocks.set(block.cid.toString(), block);
  root = node;
}
const buildMs = performance.now() - t;

for (let j = 0; j < WARMUP_GETS; j++) await root.get(keyText(getIndex(j + GETS, N)));
t = performance.now();
for (let j = 0; j < GETS; j++) {
  const i = getIndex(j, N);
  const { result } = await root.get(keyText(i));
  if (result !== valText(i)) throw new Error("bad get");
}
const getMs = performance.now() - t;

let r = root;
const update = async (j) => {
  const { blocks: nb, root: nr } = await r.bulk([{ key: keyText(updateIndex(j, N)), value: "updated-" + j }]);
  for (const b of nb) blocks.set(b.cid.toString(), b);
  r = nr;
};
for (let j = 0; j < WARMUP_UPDATES; j++) await update(UPDATES + j);
t = performance.now();
for (let j = 0; j < UPDATES; j++) await update(j);
const updMs = performance.now() - t;

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
