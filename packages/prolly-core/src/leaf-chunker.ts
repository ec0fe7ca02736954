import { BoundaryRule, CLOSED_AFTER, CLOSED_BEFORE } from "./boundary-rule.js";
import type { ChunkingConfig } from "./chunking-config.js";
import { murmur3Range } from "./key-hash.js";
import type { LeafNode, ProllyNode } from "./node.js";
import { LEAF_HEADER } from "./node-codec.js";
import { PackedLeaf } from "./packed-leaf.js";
import { varintSize, writeVarint } from "./varint.js";

const POOL: { scratch: Uint8Array; offsets: Uint32Array }[] = [];
const EMPTY_BYTES = new Uint8Array(0);
const EMPTY_WORDS = new Uint32Array(0);

/**
 * @internal Splits a stream of leaf entries into leaves, encoding as it goes: entries are copied
 * into a scratch buffer (an entry of an existing packed leaf in one copy of its encoded bytes),
 * and a finished leaf is its final bytes plus the offset table, ready to hash and store. No
 * per-entry views or arrays are made.
 */
export class LeafChunker {
  readonly done: LeafNode[] = [];
  readonly #rule: BoundaryRule;
  #scratch: Uint8Array;
  /** Per entry: key start, key end, value start, value end, relative to the scratch buffer. */
  #offsets: Uint32Array;
  #count = 0;
  #size = 0;

  constructor(config: ChunkingConfig) {
    this.#rule = new BoundaryRule(0, config);
    // A chunker is made per edited region; allocating (and zeroing) fresh buffers each time
    // costs more than a small edit, so buffers are recycled through a pool.
    const pooled = POOL.pop();
    this.#scratch = pooled?.scratch ?? new Uint8Array(32 * 1024);
    this.#offsets = pooled?.offsets ?? new Uint32Array(4 * 1024);
  }

  /** Returns the buffers to the pool; the chunker must not be used afterwards. */
  release(): void {
    if (POOL.length < 8) POOL.push({ scratch: this.#scratch, offsets: this.#offsets });
    this.#scratch = EMPTY_BYTES;
    this.#offsets = EMPTY_WORDS;
  }

  /** Entries in the open chunk. */
  get count(): number {
    return this.#count;
  }

  /** Appends entry `i` of an existing leaf. */
  appendEntry(node: ProllyNode, i: number): number {
    const leaf = node as LeafNode;
    if (leaf instanceof PackedLeaf) {
      const t = leaf.table;
      const o = leaf.count + 4 * i;
      const ks = t[o]!;
      const ke = t[o + 1]!;
      const ve = t[o + 3]!;
      return this.#append(leaf.encoded, ks - varintSize(ke - ks), ks, ke, t[o + 2]!, ve);
    }
    return this.append(leaf.key(i), leaf.value(i));
  }

  /** Appends a new entry; returns {@link CLOSED_BEFORE} / {@link CLOSED_AFTER} flags. */
  append(key: Uint8Array, value: Uint8Array): number {
    const entrySize = varintSize(key.length) + key.length + varintSize(value.length) + value.length;
    let flags = 0;
    if (this.#rule.closesBefore(this.#count, this.#size, entrySize)) {
      this.#close();
      flags |= CLOSED_BEFORE;
    }
    this.#reserve(entrySize);
    const buf = this.#scratch;
    let p = writeVarint(buf, this.#size, key.length);
    const ks = p;
    buf.set(key, p);
    p += key.length;
    p = writeVarint(buf, p, value.length);
    const vs = p;
    buf.set(value, p);
    return flags | this.#added(key, 0, key.length, ks, vs, p + value.length);
  }

  /** Appends an encoded entry found in `src`: its bytes run from `start` to `ve`. */
  #append(src: Uint8Array, start: number, ks: number, ke: number, vs: number, ve: number): number {
    const entrySize = ve - start;
    let flags = 0;
    if (this.#rule.closesBefore(this.#count, this.#size, entrySize)) {
      this.#close();
      flags |= CLOSED_BEFORE;
    }
    this.#reserve(entrySize);
    const at = this.#size;
    const buf = this.#scratch;
    if (entrySize > 256) buf.set(src.subarray(start, ve), at);
    else for (let j = 0; j < entrySize; j++) buf[at + j] = src[start + j] as number;
    const shift = at - start;
    return flags | this.#added(src, ks, ke, ks + shift, vs + shift, ve + shift);
  }

  /** Records the entry just written at the end of the scratch buffer and applies the rule after it. */
  #added(keySrc: Uint8Array, ksSrc: number, keSrc: number, ks: number, vs: number, end: number): number {
    const n = this.#count;
    if (4 * n + 4 > this.#offsets.length) {
      const grown = new Uint32Array(this.#offsets.length * 2);
      grown.set(this.#offsets);
      this.#offsets = grown;
    }
    const o = this.#offsets;
    o[4 * n] = ks;
    o[4 * n + 1] = ks + (keSrc - ksSrc);
    o[4 * n + 2] = vs;
    o[4 * n + 3] = end;
    this.#count = n + 1;
    const before = this.#size;
    this.#size = end;
    const threshold = this.#rule.closeThreshold(this.#count, before, end);
    if (threshold > 0 && (threshold === Infinity || murmur3Range(keySrc, ksSrc, keSrc, this.#rule.seed) < threshold)) {
      this.#close();
      return CLOSED_AFTER;
    }
    return 0;
  }

  #reserve(extra: number): void {
    const need = this.#size + extra;
    if (need <= this.#scratch.length) return;
    const grown = new Uint8Array(Math.max(need, this.#scratch.length * 2));
    grown.set(this.#scratch.subarray(0, this.#size));
    this.#scratch = grown;
  }

  /** Closes the open chunk, if any (the end of the level). */
  flush(): void {
    if (this.#count > 0) this.#close();
  }

  /** Drops the open chunk's entries. */
  discardOpen(): void {
    this.#count = 0;
    this.#size = 0;
  }

  #close(): void {
    const n = this.#count;
    const head = LEAF_HEADER.length + varintSize(n);
    const bytes = new Uint8Array(head + this.#size);
    bytes.set(LEAF_HEADER, 0);
    writeVarint(bytes, LEAF_HEADER.length, n);
    bytes.set(this.#scratch.subarray(0, this.#size), head);
    const table = new Uint32Array(5 * n);
    const o = this.#offsets;
    for (let i = 0; i < 4 * n; i++) table[n + i] = o[i]! + head;
    this.done.push(new PackedLeaf(bytes, table));
    this.#count = 0;
    this.#size = 0;
  }
}
