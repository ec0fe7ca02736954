import type { NodeId, ProllyNode } from "./node.js";
import { loadChild } from "./load-child.js";
import type { NodeStore } from "./node-store.js";

/** Shape of a tree, from a full walk. */
export interface TreeStats {
  /** Levels including the leaves (a single leaf has depth 1). */
  depth: number;
  /** Number of entries. */
  entries: number;
  /** Number of leaves. */
  leaves: number;
  /** Number of internal nodes. */
  internalNodes: number;
}

/** Walks the whole tree `root` and counts its nodes and entries (O(N)). */
export async function treeStats(store: NodeStore, root: NodeId): Promise<TreeStats> {
  const rootNode = await store.get(root);
  const stats: TreeStats = { depth: rootNode.level + 1, entries: 0, leaves: 0, internalNodes: 0 };
  const stack: ProllyNode[] = [rootNode];
  while (stack.length > 0) {
    const node = stack.pop()!;
    if (node.kind === "leaf") {
      stats.leaves++;
      stats.entries += node.count;
    } else {
      stats.internalNodes++;
      for (let i = node.count - 1; i >= 0; i--) stack.push(await loadChild(store, node, i));
    }
  }
  return stats;
}
