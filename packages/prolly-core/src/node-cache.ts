import type { NodeId, ProllyNode } from "./node.js";

/** Approximate memory held by a decoded node, in bytes. */
export function nodeWeight(node: ProllyNode): number {
  let w = 64;
  for (const k of node.keys) w += k.length + 80;
  if (node.kind === "leaf") for (const v of node.values) w += v.length;
  return w;
}

/**
 * A least-recently-used cache of decoded nodes, bounded by their approximate size in bytes.
 * Nodes are immutable and content-addressed, so a cached node never goes stale.
 */
export class NodeCache {
  readonly #map = new Map<NodeId, { node: ProllyNode; weight: number }>();
  #weight = 0;

  /** @param maxBytes upper bound of the cached nodes' total {@link nodeWeight} */
  constructor(readonly maxBytes: number = 64 * 1024 * 1024) {}

  /** The cached node, or `undefined`; a hit makes the node most recently used. */
  get(id: NodeId): ProllyNode | undefined {
    const hit = this.#map.get(id);
    if (hit === undefined) return undefined;
    this.#map.delete(id);
    this.#map.set(id, hit);
    return hit.node;
  }

  /** Caches a node, evicting the least recently used ones beyond the bound. */
  set(id: NodeId, node: ProllyNode): void {
    const weight = nodeWeight(node);
    if (weight > this.maxBytes) return;
    const old = this.#map.get(id);
    if (old !== undefined) {
      this.#map.delete(id);
      this.#weight -= old.weight;
    }
    this.#map.set(id, { node, weight });
    this.#weight += weight;
    while (this.#weight > this.maxBytes) {
      const first = this.#map.keys().next();
      if (first.done === true) break;
      const entry = this.#map.get(first.value)!;
      this.#map.delete(first.value);
      this.#weight -= entry.weight;
    }
  }

  /** Number of cached nodes. */
  get size(): number {
    return this.#map.size;
  }

  /** Total weight of the cached nodes. */
  get bytes(): number {
    return this.#weight;
  }
}
