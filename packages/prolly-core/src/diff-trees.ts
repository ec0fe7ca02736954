/**
 * Structural diff of two trees. Each side is a frontier of pending subtrees and entries in key
 * order; subtrees with equal ids are skipped without being loaded. Because chunking is
 * canonical, the subtrees after a change line up again on both sides, so the work grows with
 * the number of differences, not with the size of the trees.
 */
import { compareBytes, equalBytes } from "./bytes.js";
import type { NodeId } from "./node.js";
import type { NodeStore } from "./node-store.js";

/** One difference between two trees. */
export type DiffEntry =
  | { readonly kind: "added"; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly kind: "removed"; readonly key: Uint8Array; readonly value: Uint8Array }
  | { readonly kind: "modified"; readonly key: Uint8Array; readonly oldValue: Uint8Array; readonly newValue: Uint8Array };

type Item =
  | { readonly node: true; readonly id: NodeId; readonly level: number; readonly key: Uint8Array | undefined }
  | { readonly node: false; readonly key: Uint8Array; readonly value: Uint8Array };

/** A stack whose top is the next item in key order. */
class Frontier {
  readonly items: Item[];
  constructor(root: NodeId, level: number) {
    this.items = [{ node: true, id: root, level, key: undefined }];
  }
  get top(): Item | undefined {
    return this.items[this.items.length - 1];
  }
  async expand(store: NodeStore): Promise<void> {
    const item = this.items.pop() as Item & { node: true };
    const node = store.peek?.(item.id) ?? (await store.get(item.id));
    if (node.kind === "leaf") {
      for (let i = node.count - 1; i >= 0; i--) this.items.push({ node: false, key: node.key(i), value: node.value(i) });
    } else {
      for (let i = node.keys.length - 1; i >= 0; i--) this.items.push({ node: true, id: node.children[i]!, level: node.level - 1, key: node.keys[i]! });
    }
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
  const [a0, b0] = await Promise.all([store.get(from), store.get(to)]);
  const a = new Frontier(from, a0.level);
  const b = new Frontier(to, b0.level);
  for (;;) {
    const x = a.top;
    const y = b.top;
    if (x === undefined && y === undefined) return;
    if (x === undefined) {
      if (y!.node) await b.expand(store);
      else yield { kind: "added", key: y!.key, value: (b.items.pop() as Item & { node: false }).value };
      continue;
    }
    if (y === undefined) {
      if (x.node) await a.expand(store);
      else yield { kind: "removed", key: x.key, value: (a.items.pop() as Item & { node: false }).value };
      continue;
    }
    if (x.node && y.node) {
      if (x.id === y.id) {
        a.items.pop();
        b.items.pop();
        continue;
      }
      const c = x.key === undefined || y.key === undefined ? 0 : compareBytes(x.key, y.key);
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
    if (x.node) {
      // y is an entry: it is absent from `from` when it sorts before everything x still covers.
      const ye = y as Item & { node: false };
      if (x.key !== undefined && compareBytes(ye.key, x.key) < 0) {
        b.items.pop();
        yield { kind: "added", key: ye.key, value: ye.value };
      } else await a.expand(store);
      continue;
    }
    if (y.node) {
      if (y.key !== undefined && compareBytes(x.key, y.key) < 0) {
        a.items.pop();
        yield { kind: "removed", key: x.key, value: x.value };
      } else await b.expand(store);
      continue;
    }
    const c = compareBytes(x.key, y.key);
    if (c < 0) {
      a.items.pop();
      yield { kind: "removed", key: x.key, value: x.value };
    } else if (c > 0) {
      b.items.pop();
      yield { kind: "added", key: y.key, value: y.value };
    } else {
      a.items.pop();
      b.items.pop();
      if (!equalBytes(x.value, y.value)) yield { kind: "modified", key: x.key, oldValue: x.value, newValue: y.value };
    }
  }
}
