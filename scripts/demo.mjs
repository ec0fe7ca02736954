// `pnpm demo`: the main job on the embedded default, no server needed. Builds a versioned
// key-value tree in memory, edits it, diffs, merges and proves a key — the prolly-core layer
// every later command stands on.
import * as P from "../packages/prolly-core/dist/index.js";

const s = (b) => (b === undefined ? "∅" : P.fromUtf8(b));
const store = P.createMemoryNodeStore();

const entries = [];
for (let i = 0; i < 50_000; i++) entries.push([P.utf8(`user:${String(i).padStart(6, "0")}`), P.utf8(JSON.stringify({ id: i, plan: i % 7 === 0 ? "pro" : "free" }))]);
let t = performance.now();
const base = await P.buildTree(store, entries);
const stats = await P.treeStats(store, base);
console.log(`built ${stats.entries} entries in ${(performance.now() - t).toFixed(0)} ms: ${stats.leaves} leaves, depth ${stats.depth}, root ${base}`);

const ours = await P.applyEdits(store, base, [
  { key: P.utf8("config:app:name"), value: P.utf8("MyApp") },
  { key: P.utf8("user:000007"), value: P.utf8('{"id":7,"plan":"enterprise"}') },
]);
const theirs = await P.applyEdits(store, base, [
  { key: P.utf8("user:000014"), value: null },
  { key: P.utf8("user:000007"), value: P.utf8('{"id":7,"plan":"team"}') },
]);
console.log("\nours vs base:");
for await (const d of P.diffTrees(store, base, ours)) console.log(`  ${d.kind.padEnd(8)} ${s(d.key)}`);

const conflicted = await P.mergeTrees(store, base, ours, theirs);
if (!conflicted.ok) {
  console.log("\nmerge without a resolver reports conflicts as data:");
  for (const c of conflicted.conflicts) console.log(`  ${c.kind} ${s(c.key)}: base ${s(c.base)} | ours ${s(c.ours)} | theirs ${s(c.theirs)}`);
}
const merged = await P.mergeTrees(store, base, ours, theirs, { resolve: "theirs" });
if (!merged.ok) throw new Error("resolver left conflicts");
console.log(`\nmerged with resolve=theirs: user:000007 = ${s(await P.getValue(store, merged.root, P.utf8("user:000007")))}, user:000014 = ${s(await P.getValue(store, merged.root, P.utf8("user:000014")))}`);

// History independence: the same entries reached another way give the same root.
const again = await P.applyEdits(store, await P.emptyTree(store), [...entries].reverse().map(([key, value]) => ({ key, value })));
console.log(`\nsame entries inserted in reverse order give the same root: ${again === base}`);

const proof = P.encodeProof(await P.proveKey(store, merged.root, P.utf8("config:app:name")));
const verdict = P.verifyProof(P.decodeProof(proof), merged.root);
console.log(`proof of config:app:name: ${proof.length} bytes, verified without the store: ${JSON.stringify({ ...verdict, value: verdict.valid && verdict.present ? s(verdict.value) : undefined })}`);
