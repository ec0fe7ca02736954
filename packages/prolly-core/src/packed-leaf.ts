import { fillProbes, indexInTable, materialize, searchTable } from "./key-table.js";
import type { LeafNode } from "./node.js";

/**
 * @internal A leaf over its encoded bytes, with a key table (see key-table.ts) whose per-key
 * words are key start, key end, value start and value end. A cached leaf costs little more than
 * its bytes, and a lookup allocates nothing but its result.
 */
export class PackedLeaf implements LeafNode {
  readonly kind = "leaf";
  readonly level = 0;
  readonly count: number;
  readonly #shared: number;
  #keys: Uint8Array[] | undefined;
  #values: Uint8Array[] | undefined;

  /**
   * @param table room for n probes, then the 4n offsets (filled by the decoder); read by the
   *   leaf chunker to copy entries without views
   */
  constructor(
    readonly encoded: Uint8Array,
    readonly table: Uint32Array,
  ) {
    this.count = table.length / 5;
    this.#shared = fillProbes(encoded, table, this.count, 4);
  }

  key(i: number): Uint8Array {
    const o = this.count + 4 * i;
    return this.encoded.subarray(this.table[o]!, this.table[o + 1]!);
  }

  value(i: number): Uint8Array {
    const o = this.count + 4 * i;
    return this.encoded.subarray(this.table[o + 2]!, this.table[o + 3]!);
  }

  get keys(): readonly Uint8Array[] {
    return (this.#keys ??= materialize(this.count, (i) => this.key(i)));
  }

  get values(): readonly Uint8Array[] {
    return (this.#values ??= materialize(this.count, (i) => this.value(i)));
  }

  compareKeyAt(i: number, key: Uint8Array): number {
    const o = this.count + 4 * i;
    const s = this.table[o]!;
    const len = this.table[o + 1]! - s;
    const bytes = this.encoded;
    const n = len < key.length ? len : key.length;
    for (let j = 0; j < n; j++) {
      const d = (bytes[s + j] as number) - (key[j] as number);
      if (d !== 0) return d;
    }
    return len - key.length;
  }

  indexOf(key: Uint8Array): number {
    return indexInTable(this.encoded, this.table, this.count, 4, this.#shared, key);
  }

  find(key: Uint8Array): number {
    return searchTable(this.encoded, this.table, this.count, 4, this.#shared, key);
  }
}
