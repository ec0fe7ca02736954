/**
 * Structural diff of two trees. Each side is a frontier of pending subtrees and leaf positions
 * in key order; subtrees with equal ids are skipped without being loaded. Because chunking is
 * canonical, the subtrees after a change line up again on both sides, so the work grows with
 * the number of differences, not with the size of the trees.
 */
import { compareBytes, equalBytes } from "./bytes.js";
import type { InternalNode, LeafNode, NodeId, ProllyNode } from "./node.js";
import type { NodeStore } from "./node-store.js";
import { loadChild } from "./load-child.js";
import { PackedInternal } from "./packed-internal.js";
import { PackedLeaf } from "./packed-leaf.js";
import { varintSize } from "./varint.js";

/** One difference between two trees. */
export type DiffEntry =
  | { readonly kind: "added"; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly kind: "removed"; readonly key: Uint8Array; readonly value: Uint8Array }
  | {
      readonly kind: "modified";
      readonly key: Uint8Array;
      readonly oldValue: Uint8Array;
      readonly newValue: Uint8Array;
    };

/**
 * The next subtree not yet loaded: child `index` of `parent` (or the root, with no parent).
 * One item walks all children of a parent, so expanding a node allocates one object.
 */
interface SubtreeItem {
  readonly leaf: false;
  readonly parent: InternalNode | undefined;
  index: number;
  readonly rootId: NodeId | undefined;
  readonly level: number;
}

/** The next entry of a loaded leaf. */
interface LeafItem {
  readonly leaf: true;
  readonly node: LeafNode;
  i: number;
}

type Item = SubtreeItem | LeafItem;

function idOf(x: SubtreeItem): NodeId {
  return x.parent === undefined ? x.rootId! : x.parent.child(x.index);
}

function firstKey(x: SubtreeItem): Uint8Array | undefined {
  return x.parent === undefined ? undefined : x.parent.key(x.index);
}

function sameSubtree(x: SubtreeItem, y: SubtreeItem): boolean {
  if (x.parent instanceof PackedInternal && y.parent !== undefined)
    return x.parent.sameChild(x.index, y.parent, y.index);
  return idOf(x) === idOf(y);
}

/**
 * How many whole entries, from both positions on, are identical. Packed leaves are compared as
 * raw bytes in one pass (an entry's encoding is its length-prefixed key and value, so equal
 * bytes mean equal entries); a run usually ends at the one changed entry of a leaf.
 */
function commonRun(x: LeafItem, y: LeafItem): number {
  const p = x.node;
  const q = y.node;
  if (!(p instanceof PackedLeaf && q instanceof PackedLeaf)) {
    return equalBytes(p.key(x.i), q.key(y.i)) && equalBytes(p.value(x.i), q.value(y.i)) ? 1 : 0;
  }
  const ta = p.table;
  const tb = q.table;
  const start = (t: Uint32Array, n: number, i: number): number => {
    const ks = t[n + 4 * i]!;
    return ks - varintSize(t[n + 4 * i + 1]! - ks);
  };
  const sa = start(ta, p.count, x.i);
  const sb = start(tb, q.count, y.i);
  const a = p.encoded;
  const b = q.encoded;
  const max = Math.min(a.length - sa, b.length - sb);
  let len = 0;
  while (len < max && a[sa + len] === b[sb + len]) len++;
  // Whole entries of x inside the matching bytes.
  let k = 0;
  while (x.i + k < p.count && ta[p.count + 4 * (x.i + k) + 3]! - sa <= len) k++;
  return Math.min(k, q.count - y.i);
}

/** A stack whose top is the next subtree or entry in key order. */
class Frontier {
  readonly items: Item[] = [];
  constructor(root: NodeId, node: ProllyNode) {
    this.items.push({ leaf: false, parent: undefined, index: 0, rootId: root, level: node.level });
  }
  get top(): Item | undefined {
    return this.items[this.items.length - 1];
  }
  /** Replaces the subtree on top by its children, or by its first entry when it is a leaf. */
  async expand(store: NodeStore): Promise<void> {
    const item = this.items[this.items.length - 1] as SubtreeItem;
    const parent = item.parent;
    const index = item.index;
    this.skip(item);
    const node = parent === undefined ? await store.get(item.rootId!) : await loadChild(store, parent, index);
    if (node.kind === "leaf") {
      if (node.count > 0) this.items.push({ leaf: true, node, i: 0 });
      return;
    }
    this.items.push({ leaf: false, parent: node, index: 0, rootId: undefined, level: node.level - 1 });
  }
  /** Moves past the subtree on top without loading it. */
  skip(item: SubtreeItem): void {
    item.index++;
    if (item.parent === undefined || item.index >= item.parent.count) this.items.pop();
  }
  /** Moves past the entry on top (or the next `n` entries of its leaf). */
  advance(item: LeafItem, n = 1): void {
    item.i += n;
    if (item.i >= item.node.count) this.items.pop();
  }
}

/**
 * The differences from tree `from` to tree `to`, sorted by key, as an async iterator.
 *
 * @example
 * ```ts
 * for await (const d of diffTrees(store, before, after)) console.log(d.kind, fromUtf8(d.key));
 * ```
 */
export async function* diffTrees(store: NodeStore, from: NodeId, to: NodeId): AsyncGenerator<DiffEntry> {
  if (from === to) return;
  const a = new Frontier(from, await store.get(from));
  const b = new Frontier(to, await store.get(to));
  for (;;) {
    const x = a.top;
    const y = b.top;
    if (x === undefined && y === undefined) return;
    if (x === undefined || y === undefined) {
      const side = x === undefined ? b : a;
      const item = (x ?? y)!;
      if (!item.leaf) await side.expand(store);
      else {
        const key = item.node.key(item.i);
        const value = item.node.value(item.i);
        side.advance(item);
        yield x === undefined ? { kind: "added", key, value } : { kind: "removed", key, value };
      }
      continue;
    }
    if (!x.leaf && !y.leaf) {
      if (sameSubtree(x, y)) {
        a.skip(x);
        b.skip(y);
        continue;
      }
      const kx = firstKey(x);
      const ky = firstKey(y);
      const c = kx === undefined || ky === undefined ? 0 : compareBytes(kx, ky);
      if (c < 0) await a.expand(store);
      else if (c > 0) await b.expand(store);
      else if (x.level > y.level) await a.expand(store);
      else if (y.level > x.level) await b.expand(store);
      else {
        await a.expand(store);
        await b.expand(store);
      }
      continue;
    }
    if (!x.leaf) {
      // y is an entry: it is absent from `from` when it sorts before everything x still covers.
      const kx = firstKey(x);
      const ly = y as LeafItem;
      if (kx !== undefined && ly.node.compareKeyAt(ly.i, kx) < 0) {
        const key = ly.node.key(ly.i);
        const value = ly.node.value(ly.i);
        b.advance(ly);
        yield { kind: "added", key, value };
      } else await a.expand(store);
      continue;
    }
    if (!y.leaf) {
      const ky = firstKey(y);
      if (ky !== undefined && x.node.compareKeyAt(x.i, ky) < 0) {
        const key = x.node.key(x.i);
        const value = x.node.value(x.i);
        a.advance(x);
        yield { kind: "removed", key, value };
      } else await b.expand(store);
      continue;
    }
    // Two leaf positions: skip the run of entries they share without making views.
    const common = commonRun(x, y);
    if (common > 0) {
      a.advance(x, common);
      b.advance(y, common);
      continue;
    }
    const kx = x.node.key(x.i);
    const c = y.node.compareKeyAt(y.i, kx);
    if (c > 0) {
      const value = x.node.value(x.i);
      a.advance(x);
      yield { kind: "removed", key: kx, value };
    } else if (c < 0) {
      const key = y.node.key(y.i);
      const value = y.node.value(y.i);
      b.advance(y);
      yield { kind: "added", key, value };
    } else {
      const ox = x.node.value(x.i);
      const ny = y.node.value(y.i);
      a.advance(x);
      b.advance(y);
      if (!equalBytes(ox, ny)) yield { kind: "modified", key: kx, oldValue: ox, newValue: ny };
    }
  }
}
