import type { InternalNode, NodeId, ProllyNode } from "./node.js";
import type { NodeStore } from "./node-store.js";
import { loadChild } from "./load-child.js";

interface Frame {
  readonly node: InternalNode;
  index: number;
}

/**
 * @internal A position on one level of a tree: the node there and its ancestors back to the root.
 * Moving to a neighbour loads only the nodes on the changed part of the path.
 */
export class LevelCursor {
  private constructor(
    private readonly store: NodeStore,
    /** Ancestors, root first; `path[i].index` is the child taken at that node. */
    private readonly path: Frame[],
    /** The node at the cursor's level. */
    public node: ProllyNode,
    /** Its id. */
    public id: NodeId,
  ) {}

  /** The node at `level` whose key range holds `key` (the first node when `key` is below all). */
  static async seek(
    store: NodeStore,
    rootId: NodeId,
    root: ProllyNode,
    level: number,
    key: Uint8Array,
  ): Promise<LevelCursor> {
    const path: Frame[] = [];
    let node = root;
    let id = rootId;
    while (node.level > level) {
      const inner = node as InternalNode;
      const index = Math.max(0, inner.floor(key));
      path.push({ node: inner, index });
      id = inner.child(index);
      node = await loadChild(store, inner, index);
    }
    return new LevelCursor(store, path, node, id);
  }

  /** The first node of `level` (or the last with `last`). */
  static async edge(
    store: NodeStore,
    rootId: NodeId,
    root: ProllyNode,
    level: number,
    last: boolean,
  ): Promise<LevelCursor> {
    const path: Frame[] = [];
    let node = root;
    let id = rootId;
    while (node.level > level) {
      const inner = node as InternalNode;
      const index = last ? inner.count - 1 : 0;
      path.push({ node: inner, index });
      id = inner.child(index);
      node = await loadChild(store, inner, index);
    }
    return new LevelCursor(store, path, node, id);
  }

  /** First key of the next node on this level, read from the ancestors (no load). */
  nextFirstKey(): Uint8Array | undefined {
    for (let i = this.path.length - 1; i >= 0; i--) {
      const f = this.path[i]!;
      if (f.index + 1 < f.node.count) return f.node.key(f.index + 1);
    }
    return undefined;
  }

  /** Moves to the next node on this level; false at the end. */
  async next(): Promise<boolean> {
    return this.#step(1);
  }

  /** Moves to the previous node on this level; false at the start. */
  async prev(): Promise<boolean> {
    return this.#step(-1);
  }

  async #step(dir: 1 | -1): Promise<boolean> {
    let i = this.path.length - 1;
    while (i >= 0) {
      const f = this.path[i]!;
      const j = f.index + dir;
      if (j >= 0 && j < f.node.count) break;
      i--;
    }
    if (i < 0) return false;
    const f = this.path[i]!;
    f.index += dir;
    let id = f.node.child(f.index);
    let node = await loadChild(this.store, f.node, f.index);
    for (let k = i + 1; k < this.path.length; k++) {
      const inner = node as InternalNode;
      const index = dir === 1 ? 0 : inner.count - 1;
      this.path[k] = { node: inner, index };
      id = inner.child(index);
      node = await loadChild(this.store, inner, index);
    }
    this.node = node;
    this.id = id;
    return true;
  }
}
