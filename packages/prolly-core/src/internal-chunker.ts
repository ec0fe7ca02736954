import { BoundaryRule, CLOSED_AFTER, CLOSED_BEFORE } from "./boundary-rule.js";
import type { ChunkingConfig } from "./chunking-config.js";
import { murmur3 } from "./key-hash.js";
import { type InternalNode, type NodeId, type ProllyNode, internalNode } from "./node.js";
import { internalEntrySize } from "./node-codec.js";

/**
 * @internal Splits a stream of (first key, child id) entries of an internal level into nodes.
 * Finished nodes collect in {@link done} until the caller writes them.
 */
export class InternalChunker {
  keys: Uint8Array[] = [];
  children: NodeId[] = [];
  size = 0;
  readonly done: InternalNode[] = [];
  readonly #rule: BoundaryRule;

  constructor(
    readonly level: number,
    config: ChunkingConfig,
  ) {
    this.#rule = new BoundaryRule(level, config);
  }

  /** Entries in the open chunk. */
  get count(): number {
    return this.keys.length;
  }

  /** Appends entry `i` of an existing node of this level. */
  appendEntry(node: ProllyNode, i: number): number {
    return this.append(node.key(i), (node as InternalNode).child(i));
  }

  /** Appends an entry; returns {@link CLOSED_BEFORE} / {@link CLOSED_AFTER} flags. */
  append(key: Uint8Array, child: NodeId): number {
    const entrySize = internalEntrySize(key);
    let flags = 0;
    if (this.#rule.closesBefore(this.keys.length, this.size, entrySize)) {
      this.#close();
      flags |= CLOSED_BEFORE;
    }
    const before = this.size;
    this.keys.push(key);
    this.children.push(child);
    this.size = before + entrySize;
    const threshold = this.#rule.closeThreshold(this.keys.length, before, this.size);
    if (threshold > 0 && (threshold === Infinity || murmur3(key, this.#rule.seed) < threshold)) {
      this.#close();
      flags |= CLOSED_AFTER;
    }
    return flags;
  }

  /** Nothing to give back (see {@link LeafChunker.release}). */
  release(): void {}

  /** Closes the open chunk, if any (the end of the level). */
  flush(): void {
    if (this.keys.length > 0) this.#close();
  }

  /** Drops the open chunk's entries. */
  discardOpen(): void {
    this.keys = [];
    this.children = [];
    this.size = 0;
  }

  #close(): void {
    this.done.push(internalNode(this.level, this.keys, this.children));
    this.keys = [];
    this.children = [];
    this.size = 0;
  }
}
