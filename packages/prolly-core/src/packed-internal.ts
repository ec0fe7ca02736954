import { INDEX_ENTRY_NAME } from "./child-name.js";
import { copyBytes, toHex } from "./bytes.js";
import { fillProbes, materialize, searchTable } from "./key-table.js";
import { type InternalEncoding, type InternalNode, type NodeId, internalNode } from "./node.js";

/**
 * @internal An internal node over its index blob's bytes, with a key table (see key-table.ts)
 * whose per-key words are key start and key end, and its tree's bytes when known. Child ids are
 * read from the tree bytes on demand: a diff compares most of them byte for byte and never
 * needs their hex spelling.
 */
export class PackedInternal implements InternalNode {
  readonly kind = "internal";
  readonly count: number;
  readonly #shared: number;
  readonly #ids: (NodeId | undefined)[];
  #keys: Uint8Array[] | undefined;
  /** Offset of each child's 20-byte id in the tree bytes; null when the layout is not hex-named. */
  #idOffsets: Uint32Array | null | undefined;

  /**
   * @param table room for n probes, then the 2n key offsets (filled by the decoder)
   * @param ids child ids known so far (missing ones are read from `encoding.tree`)
   * @param shared the shared-prefix length when `table`'s probes are already filled
   */
  constructor(
    readonly level: number,
    private readonly bytes: Uint8Array,
    private readonly table: Uint32Array,
    ids: (NodeId | undefined)[] | undefined,
    readonly encoding: InternalEncoding | undefined,
    shared?: number,
    idOffsets?: Uint32Array | null,
  ) {
    this.count = table.length / 3;
    this.#shared = shared ?? fillProbes(bytes, table, this.count, 2);
    this.#ids = ids ?? new Array<NodeId | undefined>(this.count);
    this.#idOffsets = idOffsets;
  }

  key(i: number): Uint8Array {
    const o = this.count + 2 * i;
    return this.bytes.subarray(this.table[o]!, this.table[o + 1]!);
  }

  get keys(): readonly Uint8Array[] {
    return (this.#keys ??= materialize(this.count, (i) => this.key(i)));
  }

  child(i: number): NodeId {
    let id = this.#ids[i];
    if (id === undefined) {
      const o = this.idOffsets()![i]!;
      id = toHex(this.encoding!.tree.subarray(o, o + 20)) as NodeId;
      this.#ids[i] = id;
    }
    return id;
  }

  get children(): readonly NodeId[] {
    return materialize(this.count, (i) => this.child(i));
  }

  floor(key: Uint8Array): number {
    const i = searchTable(this.bytes, this.table, this.count, 2, this.#shared, key);
    return i >= 0 ? i : -i - 2;
  }

  /**
   * Where each child's id sits in the tree bytes, for the layout every tree we write has when
   * all keys are at most 40 bytes (`.node` first, then children in key order named by hex).
   */
  idOffsets(): Uint32Array | null {
    if (this.#idOffsets !== undefined) return this.#idOffsets;
    if (this.encoding === undefined || !this.#hexNamed()) return (this.#idOffsets = null);
    const offsets = new Uint32Array(this.count);
    const modeLength = this.level === 1 ? 6 : 5;
    let offset = 6 + 1 + INDEX_ENTRY_NAME.length + 1 + 20;
    for (let i = 0; i < this.count; i++) {
      const o = this.count + 2 * i;
      const entryLength = modeLength + 1 + 2 * (this.table[o + 1]! - this.table[o]!) + 1 + 20;
      offset += entryLength;
      offsets[i] = offset - 20;
    }
    return (this.#idOffsets = offsets);
  }

  /** True when child `i` of this node and child `j` of `other` have the same id. */
  sameChild(i: number, other: InternalNode, j: number): boolean {
    if (other instanceof PackedInternal) {
      const a = this.idOffsets();
      const b = other.idOffsets();
      if (a !== null && b !== null) {
        const x = this.encoding!.tree;
        const y = other.encoding!.tree;
        const p = a[i]!;
        const q = b[j]!;
        for (let k = 0; k < 20; k++) if (x[p + k] !== y[q + k]) return false;
        return true;
      }
    }
    return this.child(i) === other.child(j);
  }

  /**
   * This node with some children replaced. Keys (and so the index blob and every name in the
   * tree) stay, so when the tree's bytes are at hand the new tree is a copy with 20-byte ids
   * overwritten: no re-encoding of the other entries.
   */
  withChildren(changes: readonly { readonly index: number; readonly id: NodeId }[]): InternalNode {
    const offsets = this.idOffsets();
    const enc = this.encoding;
    if (offsets === null || enc === undefined) {
      const children = [...this.children];
      for (const c of changes) children[c.index] = c.id;
      return internalNode(this.level, this.keys, children);
    }
    const tree = copyBytes(enc.tree);
    const ids = this.#ids.slice();
    for (const c of changes) {
      writeHexId(tree, offsets[c.index]!, c.id);
      ids[c.index] = c.id;
    }
    return new PackedInternal(
      this.level,
      this.bytes,
      this.table,
      ids,
      { indexId: enc.indexId, index: enc.index, tree },
      this.#shared,
      offsets,
    );
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
