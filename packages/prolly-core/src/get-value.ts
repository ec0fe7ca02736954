import { compareBytes } from "./bytes.js";
import type { NodeId } from "./node.js";
import type { NodeStore } from "./node-store.js";
import { floorIndex } from "./search.js";

/**
 * The value of `key` in the tree `root`, or `undefined` when absent. Loads one node per level.
 *
 * @example
 * ```ts
 * const v = await getValue(store, root, utf8("config:app:name"));
 * ```
 */
export async function getValue(store: NodeStore, root: NodeId, key: Uint8Array): Promise<Uint8Array | undefined> {
  let node = await store.get(root);
  while (node.kind === "internal") {
    const i = floorIndex(node.keys, key);
    if (i < 0) return undefined;
    node = await store.get(node.children[i]!);
  }
  const i = floorIndex(node.keys, key);
  if (i < 0 || compareBytes(node.keys[i]!, key) !== 0) return undefined;
  return node.values[i];
}
