import type { NodeId, ProllyNode } from "./node.js";

/** Approximate memory held by a decoded node, in bytes. */
export function nodeWeight(node: ProllyNode): number {
  if (node.kind === "leaf") {
    if (node.encoded !== undefined) return 160 + node.encoded.length + 20 * node.count;
    let w = 160;
    for (let i = 0; i < node.count; i++) w += node.key(i).length + node.value(i).length + 160;
    return w;
  }
  const enc = node.encoding;
  if (enc !== undefined) return 160 + enc.index.length + enc.tree.length + 72 * node.count;
  let w = 160;
  for (let i = 0; i < node.count; i++) w += node.key(i).length + 200;
  return w;
}

/**
 * A cache of decoded nodes bounded by their approximate size in bytes, with two generations:
 * new and recently used nodes live in the young map; when it fills half the budget it becomes
 * the old map and the previous old map is dropped. A hit in the old map moves the node back to
 * the young one. This approximates LRU at the cost of two map lookups, without reordering a map
 * on every hit. Nodes are immutable and content-addressed, so a cached node never goes stale.
 */
export class NodeCache {
  #young = new Map<NodeId, ProllyNode>();
  #old = new Map<NodeId, ProllyNode>();
  #youngWeight = 0;
  #oldWeight = 0;

  /** @param maxBytes upper bound of the cached nodes' total {@link nodeWeight} */
  constructor(readonly maxBytes: number = 64 * 1024 * 1024) {}

  /** The cached node, or `undefined`. */
  get(id: NodeId): ProllyNode | undefined {
    const hit = this.#young.get(id);
    if (hit !== undefined) return hit;
    const old = this.#old.get(id);
    if (old !== undefined) {
      this.#old.delete(id);
      const w = nodeWeight(old);
      this.#oldWeight -= w;
      this.#admit(id, old, w);
    }
    return old;
  }

  /** Caches a node. */
  set(id: NodeId, node: ProllyNode): void {
    if (this.#young.has(id)) return;
    const weight = nodeWeight(node);
    if (weight > this.maxBytes / 2) return;
    const old = this.#old.get(id);
    if (old !== undefined) {
      this.#old.delete(id);
      this.#oldWeight -= weight;
    }
    this.#admit(id, node, weight);
  }

  #admit(id: NodeId, node: ProllyNode, weight: number): void {
    if (this.#youngWeight + weight > this.maxBytes / 2) {
      this.#old = this.#young;
      this.#oldWeight = this.#youngWeight;
      this.#young = new Map();
      this.#youngWeight = 0;
    }
    this.#young.set(id, node);
    this.#youngWeight += weight;
  }

  /** Number of cached nodes. */
  get size(): number {
    return this.#young.size + this.#old.size;
  }

  /** Total weight of the cached nodes (never above `maxBytes`). */
  get bytes(): number {
    return this.#youngWeight + this.#oldWeight;
  }
}
