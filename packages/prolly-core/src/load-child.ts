import { malformed } from "./errors.js";
import type { InternalNode, NodeId, ProllyNode } from "./node.js";
import type { NodeStore } from "./node-store.js";

/**
 * @internal Checks that `node`, read as a child of a node at `parentLevel`, sits one level
 * below it: a tree whose nodes disagree about their levels is corrupt, and reading on would give
 * wrong answers rather than an error.
 */
export function checkChildLevel(node: ProllyNode, parentLevel: number, id: NodeId): ProllyNode {
  if (node.level !== parentLevel - 1)
    throw malformed("child at the wrong level", { id, level: node.level, expected: parentLevel - 1 });
  return node;
}

/** @internal Reads child `i` of `parent` (synchronously from the cache when possible), checking its level. */
export async function loadChild(store: NodeStore, parent: InternalNode, i: number): Promise<ProllyNode> {
  const id = parent.child(i);
  return checkChildLevel(store.peek?.(id) ?? (await store.get(id)), parent.level, id);
}
