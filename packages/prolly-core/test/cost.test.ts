/**
 * Costs that must stay proportional to the change: nodes written by edits, nodes loaded by a
 * diff, and boundary stability of value updates.
 */
import { describe, expect, it } from "vitest";
import { DEFAULT_CHUNKING, ObjectNodeStore, applyEdits, buildTree, diffTrees, treeStats, utf8 } from "../src/index.js";
import { collect, key, newStore, nodeSha1, value } from "./helpers.js";

const N = 20_000;
const entries = () => Array.from({ length: N }, (_, i) => [key(i), value(i, "-".repeat(40))] as const);

describe("proportional cost", () => {
  it("K edits write O(K · depth) nodes", async () => {
    const store = newStore();
    const root = await buildTree(store, entries());
    const { depth } = await treeStats(store, root);
    expect(depth).toBeGreaterThanOrEqual(3);
    for (const k of [1, 10, 100]) {
      const before = store.stats.writes;
      const edits = Array.from({ length: k }, (_, j) => ({ key: key((j * 7919 + 13) % N), value: utf8(`new-${j}`) }));
      await applyEdits(store, root, edits);
      const written = store.stats.writes - before;
      // Each edit rewrites at most its path plus a neighbour per level while re-synchronising.
      expect(written).toBeLessThanOrEqual(k * 2 * depth + depth);
    }
  });

  it("a diff of d changes loads at most 2 · d · depth nodes, whatever the tree's size", async () => {
    const store = newStore();
    const root = await buildTree(store, entries());
    const { depth } = await treeStats(store, root);
    for (const d of [1, 5, 50]) {
      const other = await applyEdits(
        store,
        root,
        Array.from({ length: d }, (_, j) => ({ key: key((j * 104729 + 7) % N), value: utf8(`changed-${j}`) })),
      );
      const cold = new ObjectNodeStore(store.objects, { hash: nodeSha1, cacheBytes: 0 });
      const changes = await collect(diffTrees(cold, root, other));
      expect(changes).toHaveLength(d);
      // Each change loads its path on both sides; a value whose size changes may also re-chunk
      // one neighbouring leaf, hence the +1 that only matters for tiny d.
      expect(cold.stats.misses).toBeLessThanOrEqual(2 * (d + 1) * depth);
      if (d >= 50) expect(cold.stats.misses).toBeLessThanOrEqual(2 * d * depth);
    }
  });

  it("updating values to others of the same size never moves a chunk boundary", async () => {
    const store = newStore();
    const root = await buildTree(store, entries());
    const leafFirstKeys = async (r: string) => {
      const out: string[] = [];
      const walk = async (id: string): Promise<void> => {
        const n = await store.get(id as never);
        if (n.kind === "leaf") out.push(Buffer.from(n.key(0)).toString());
        else for (const c of n.children) await walk(c);
      };
      await walk(r);
      return out;
    };
    const before = await leafFirstKeys(root);
    // Same length as value(i, "-"*40), different bytes: the hash never sees values.
    const edits = Array.from({ length: 2000 }, (_, j) => ({
      key: key(j * 10),
      value: utf8(`VALUE-${j * 10}${"#".repeat(40)}`),
    }));
    const updated = await applyEdits(store, root, edits);
    expect(updated).not.toBe(root);
    expect(await leafFirstKeys(updated)).toEqual(before);
  });

  it("chunk sizes stay within bounds and cluster around the target", async () => {
    const store = newStore();
    const root = await buildTree(store, entries());
    const sizes: number[] = [];
    const walk = async (id: string): Promise<void> => {
      const n = await store.get(id as never);
      if (n.kind === "leaf") sizes.push(n.encoded!.length);
      else for (const c of n.children) await walk(c);
    };
    await walk(root);
    const inner = sizes.slice(0, -1);
    expect(Math.max(...sizes)).toBeLessThanOrEqual(DEFAULT_CHUNKING.maxBytes + 8);
    expect(Math.min(...inner)).toBeGreaterThanOrEqual(DEFAULT_CHUNKING.minBytes);
    const mean = inner.reduce((a, b) => a + b, 0) / inner.length;
    expect(mean).toBeGreaterThan(2500);
    expect(mean).toBeLessThan(5000);
  });
});
