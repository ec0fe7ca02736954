import type { NodeId } from "./node.js";
import type { NodeStore } from "./node-store.js";

/**
 * The value of `key` in the tree `root`, or `undefined` when absent. Loads one node per level.
 *
 * @example
 * ```ts
 * const v = await getValue(store, root, utf8("config:app:name"));
 * ```
 */
export async function getValue(store: NodeStore, root: NodeId, key: Uint8Array): Promise<Uint8Array | undefined> {
  let node = store.peek?.(root) ?? (await store.get(root));
  while (node.kind === "internal") {
    const i = node.floor(key);
    if (i < 0) return undefined;
    const id = node.children[i]!;
    node = store.peek?.(id) ?? (await store.get(id));
  }
  const i = node.find(key);
  return i < 0 ? undefined : node.value(i);
}
