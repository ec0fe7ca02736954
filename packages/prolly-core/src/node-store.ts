import type { NodeId, ProllyNode } from "./node.js";

/**
 * Where nodes live. The store assigns ids (content addresses), so equal nodes get equal ids.
 *
 * @example
 * ```ts
 * const store = createMemoryNodeStore();
 * const id = await store.put(leafNode([utf8("k")], [utf8("v")]));
 * const node = await store.get(id);
 * ```
 */
export interface NodeStore {
  /**
   * Reads a node.
   * @throws {ProllyError} PROLLY_NODE_NOT_FOUND when the id is unknown, PROLLY_MALFORMED_NODE when its bytes are corrupt.
   */
  get(id: NodeId): Promise<ProllyNode>;
  /** Writes a node and returns its id. */
  put(node: ProllyNode): Promise<NodeId>;
  /**
   * The node when it is at hand without I/O (a cache hit), else `undefined`. Optional: readers
   * use it to skip an `await` per level on hot paths.
   */
  peek?(id: NodeId): ProllyNode | undefined;
}

/** Counters a store may keep, for benchmarks and tests of proportional cost. */
export interface NodeStoreStats {
  /** Calls of `get`. */
  reads: number;
  /** Reads that missed the decoded-node cache and decoded objects. */
  misses: number;
  /** Calls of `put`. */
  writes: number;
}
