import type { NodeId } from "./node.js";
import type { NodeStore } from "./node-store.js";

/**
 * The value of `key` in the tree `root`, or `undefined` when absent. Loads one node per level;
 * when the store has every node on the path at hand, no `await` happens on the way down.
 *
 * @example
 * ```ts
 * const v = await getValue(store, root, utf8("config:app:name"));
 * ```
 */
export function getValue(store: NodeStore, root: NodeId, key: Uint8Array): Promise<Uint8Array | undefined> {
  if (store.peek !== undefined) {
    let node = store.peek(root);
    while (node !== undefined && node.kind === "internal") {
      const i = node.floor(key);
      if (i < 0) return Promise.resolve(undefined);
      node = store.peek(node.child(i));
    }
    if (node !== undefined) {
      const i = node.find(key);
      return Promise.resolve(i < 0 ? undefined : node.value(i));
    }
  }
  return getValueLoading(store, root, key);
}

async function getValueLoading(store: NodeStore, root: NodeId, key: Uint8Array): Promise<Uint8Array | undefined> {
  let node = store.peek?.(root) ?? (await store.get(root));
  while (node.kind === "internal") {
    const i = node.floor(key);
    if (i < 0) return undefined;
    const id = node.child(i);
    node = store.peek?.(id) ?? (await store.get(id));
  }
  const i = node.find(key);
  return i < 0 ? undefined : node.value(i);
}
