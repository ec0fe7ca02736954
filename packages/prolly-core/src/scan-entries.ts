import { compareBytes, prefixEnd } from "./bytes.js";
import type { Entry } from "./build-tree.js";
import { LevelCursor } from "./level-cursor.js";
import type { LeafNode, NodeId } from "./node.js";
import type { NodeStore } from "./node-store.js";

/** Bounds of a scan. `start` is inclusive, `end` exclusive; `prefix` narrows both. */
export interface ScanOptions {
  /** Smallest key returned (inclusive). */
  start?: Uint8Array;
  /** Keys returned are below this (exclusive). */
  end?: Uint8Array;
  /** Only keys that start with these bytes. */
  prefix?: Uint8Array;
  /** Descending key order. */
  reverse?: boolean;
}

/**
 * Entries of the tree `root` in key order within the bounds, as an async iterator. Memory stays
 * at one path of nodes; each leaf is loaded once.
 *
 * @example
 * ```ts
 * for await (const [key, value] of scanEntries(store, root, { prefix: utf8("user:") })) …
 * ```
 */
export async function* scanEntries(store: NodeStore, root: NodeId, options: ScanOptions = {}): AsyncGenerator<Entry> {
  let start = options.start;
  let end = options.end;
  if (options.prefix !== undefined) {
    const p = options.prefix;
    if (start === undefined || compareBytes(start, p) < 0) start = p;
    const pe = prefixEnd(p);
    if (pe !== undefined && (end === undefined || compareBytes(pe, end) < 0)) end = pe;
  }
  if (start !== undefined && end !== undefined && compareBytes(start, end) >= 0) return;
  const rootNode = await store.get(root);
  if (options.reverse === true) {
    const cursor =
      end === undefined
        ? await LevelCursor.edge(store, root, rootNode, 0, true)
        : await LevelCursor.seek(store, root, rootNode, 0, end);
    for (;;) {
      const leaf = cursor.node;
      if (leaf.kind !== "leaf") return;
      let i = end === undefined ? leaf.count - 1 : ceil(leaf, end) - 1;
      for (; i >= 0; i--) {
        const k = leaf.key(i);
        if (start !== undefined && compareBytes(k, start) < 0) return;
        yield [k, leaf.value(i)];
      }
      if (!(await cursor.prev())) return;
    }
  }
  const cursor =
    start === undefined
      ? await LevelCursor.edge(store, root, rootNode, 0, false)
      : await LevelCursor.seek(store, root, rootNode, 0, start);
  for (;;) {
    const leaf = cursor.node;
    if (leaf.kind !== "leaf") return;
    const n = leaf.count;
    for (let i = start === undefined ? 0 : ceil(leaf, start); i < n; i++) {
      const k = leaf.key(i);
      if (end !== undefined && compareBytes(k, end) >= 0) return;
      yield [k, leaf.value(i)];
    }
    if (!(await cursor.next())) return;
  }
}

/** Index of the first key ≥ `key` in `leaf`. */
function ceil(leaf: LeafNode, key: Uint8Array): number {
  const i = leaf.find(key);
  return i >= 0 ? i : -i - 1;
}
