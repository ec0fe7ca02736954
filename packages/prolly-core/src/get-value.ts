import type { NodeId } from "./node.js";
import type { NodeStore } from "./node-store.js";
import { checkChildLevel, loadChild } from "./load-child.js";

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
  try {
    return getValueCached(store, root, key) ?? getValueLoading(store, root, key);
  } catch (e) {
    // Errors of the synchronous path are reported as a rejection, like those of the async one.
    return Promise.reject(e);
  }
}

function getValueCached(store: NodeStore, root: NodeId, key: Uint8Array): Promise<Uint8Array | undefined> | undefined {
  if (store.peek !== undefined) {
    let node = store.peek(root);
    while (node !== undefined && node.kind === "internal") {
      const i = node.floor(key);
      if (i < 0) return Promise.resolve(undefined);
      const id = node.child(i);
      const child = store.peek(id);
      node = child === undefined ? undefined : checkChildLevel(child, node.level, id);
    }
    if (node !== undefined) {
      const i = node.indexOf(key);
      return Promise.resolve(i < 0 ? undefined : node.value(i));
    }
  }
  return undefined;
}

async function getValueLoading(store: NodeStore, root: NodeId, key: Uint8Array): Promise<Uint8Array | undefined> {
  let node = store.peek?.(root) ?? (await store.get(root));
  while (node.kind === "internal") {
    const i = node.floor(key);
    if (i < 0) return undefined;
    node = await loadChild(store, node, i);
  }
  const i = node.indexOf(key);
  return i < 0 ? undefined : node.value(i);
}
