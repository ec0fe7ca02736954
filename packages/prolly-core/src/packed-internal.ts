import { INDEX_ENTRY_NAME } from "./child-name.js";
import { fillProbes, searchTable } from "./key-table.js";
import { type InternalEncoding, type InternalNode, type NodeId, internalNode } from "./node.js";

/**
 * @internal An internal node over its index blob's bytes, with a key table (see key-table.ts)
 * whose per-key words are key start and key end, and its tree's bytes when known.
 */
export class PackedInternal implements InternalNode {
  readonly kind = "internal";
  readonly count: number;
  readonly #shared: number;
  #keys: Uint8Array[] | undefined;

  /**
   * @param table room for n probes, then the 2n key offsets (filled by the decoder)
   * @param shared the shared-prefix length when `table`'s probes are already filled
   */
  constructor(
    readonly level: number,
    private readonly bytes: Uint8Array,
    private readonly table: Uint32Array,
    readonly children: readonly NodeId[],
    readonly encoding: InternalEncoding | undefined,
    shared?: number,
  ) {
    this.count = table.length / 3;
    this.#shared = shared ?? fillProbes(bytes, table, this.count, 2);
  }

  key(i: number): Uint8Array {
    const o = this.count + 2 * i;
    return this.bytes.subarray(this.table[o]!, this.table[o + 1]!);
  }

  get keys(): readonly Uint8Array[] {
    if (this.#keys === undefined) {
      const keys = new Array<Uint8Array>(this.count);
      for (let i = 0; i < this.count; i++) keys[i] = this.key(i);
      this.#keys = keys;
    }
    return this.#keys;
  }

  floor(key: Uint8Array): number {
    const i = searchTable(this.bytes, this.table, this.count, 2, this.#shared, key);
    return i >= 0 ? i : -i - 2;
  }

  /**
   * This node with some children replaced. Keys (and so the index blob and every name in the
   * tree) stay, so when the tree's bytes are at hand the new tree is a copy with 20-byte ids
   * overwritten: no re-encoding of the other entries.
   */
  withChildren(changes: readonly { readonly index: number; readonly id: NodeId }[]): InternalNode {
    const children = [...this.children];
    for (const c of changes) children[c.index] = c.id;
    const enc = this.encoding;
    if (enc === undefined || !this.#hexNamed()) return internalNode(this.level, this.keys, children);
    const tree = enc.tree.slice();
    const modeLength = this.level === 1 ? 6 : 5;
    // Layout of a hex-named tree: the index entry, then one entry per child in key order.
    let offset = 6 + 1 + INDEX_ENTRY_NAME.length + 1 + 20;
    let next = 0;
    const sorted = [...changes].sort((a, b) => a.index - b.index);
    for (let i = 0; i < this.count && next < sorted.length; i++) {
      const o = this.count + 2 * i;
      const entryLength = modeLength + 1 + 2 * (this.table[o + 1]! - this.table[o]!) + 1 + 20;
      if (sorted[next]!.index === i) {
        writeHexId(tree, offset + entryLength - 20, children[i]!);
        while (next < sorted.length && sorted[next]!.index === i) next++;
      }
      offset += entryLength;
    }
    return new PackedInternal(this.level, this.bytes, this.table, children, { indexId: enc.indexId, index: enc.index, tree }, this.#shared);
  }

  /** True when every child is named by the hex spelling of its key (keys of at most 40 bytes). */
  #hexNamed(): boolean {
    for (let i = 0; i < this.count; i++) {
      const o = this.count + 2 * i;
      if (this.table[o + 1]! - this.table[o]! > 40) return false;
    }
    return true;
  }
}

function writeHexId(out: Uint8Array, o: number, id: NodeId): void {
  for (let j = 0; j < 40; j += 2) out[o++] = (nibble(id.charCodeAt(j)) << 4) | nibble(id.charCodeAt(j + 1));
}

function nibble(c: number): number {
  return c <= 57 ? c - 48 : c - 87;
}
