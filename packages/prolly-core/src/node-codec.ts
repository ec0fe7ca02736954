/**
 * The byte format of prolly nodes (see docs/formats/prolly-node.md). Version 1:
 *
 * ```
 * leaf blob   = "PL" version(1) kind(0) varint(count) { varint(klen) key varint(vlen) value }*
 * index blob  = "PL" version(1) kind(1) varint(level) varint(count) { varint(klen) key }*
 * ```
 *
 * Integers are unsigned LEB128 in minimal form; keys are strictly increasing. The bytes are the
 * same on every platform, and decoding rejects anything else with a typed error.
 */
import { PROLLY_ERROR_CODES, ProllyError, malformed } from "./errors.js";
import { MAX_KEY_BYTES, MAX_VALUE_BYTES } from "./limits.js";
import type { LeafNode } from "./node.js";
import { PackedLeaf } from "./packed-leaf.js";
import { ByteReader, varintSize, writeVarint } from "./varint.js";

/** The node format version written by this build. */
export const NODE_FORMAT_VERSION = 1;
/** Highest tree level the format accepts (a tree of 2^40 keys is 10 levels deep). */
export const MAX_LEVEL = 64;

const MAGIC_0 = 0x50; // "P"
const MAGIC_1 = 0x4c; // "L"
const KIND_LEAF = 0;
/** @internal The four header bytes of a leaf blob. */
export const LEAF_HEADER = Uint8Array.of(MAGIC_0, MAGIC_1, NODE_FORMAT_VERSION, KIND_LEAF);
const KIND_INDEX = 1;

/** Encoded size of one leaf entry; the chunker measures chunks with it. */
export function leafEntrySize(key: Uint8Array, value: Uint8Array): number {
  return varintSize(key.length) + key.length + varintSize(value.length) + value.length;
}

/** Encoded size of one internal entry: its key in the index blob plus a 20-byte child id. */
export function internalEntrySize(key: Uint8Array): number {
  return varintSize(key.length) + key.length + 20;
}

/** Encodes a leaf's entries as the content of its blob. */
export function encodeLeaf(keys: readonly Uint8Array[], values: readonly Uint8Array[]): Uint8Array {
  let size = 4 + varintSize(keys.length);
  for (let i = 0; i < keys.length; i++) size += leafEntrySize(keys[i]!, values[i]!);
  const out = new Uint8Array(size);
  out[0] = MAGIC_0;
  out[1] = MAGIC_1;
  out[2] = NODE_FORMAT_VERSION;
  out[3] = KIND_LEAF;
  let o = writeVarint(out, 4, keys.length);
  for (let i = 0; i < keys.length; i++) {
    const k = keys[i]!;
    const v = values[i]!;
    o = writeVarint(out, o, k.length);
    o = copyInto(out, o, k);
    o = writeVarint(out, o, v.length);
    o = copyInto(out, o, v);
  }
  return out;
}

/** Copies `src` into `out` at `o`; a plain loop beats `set` for the short keys and values of most entries. */
function copyInto(out: Uint8Array, o: number, src: Uint8Array): number {
  const n = src.length;
  if (n > 64) {
    out.set(src, o);
    return o + n;
  }
  for (let i = 0; i < n; i++) out[o + i] = src[i] as number;
  return o + n;
}

/** Encodes an internal node's level and separator keys as the content of its index blob. */
export function encodeIndex(level: number, keys: readonly Uint8Array[]): Uint8Array {
  let size = 4 + varintSize(level) + varintSize(keys.length);
  for (const k of keys) size += varintSize(k.length) + k.length;
  const out = new Uint8Array(size);
  out[0] = MAGIC_0;
  out[1] = MAGIC_1;
  out[2] = NODE_FORMAT_VERSION;
  out[3] = KIND_INDEX;
  let o = writeVarint(out, 4, level);
  o = writeVarint(out, o, keys.length);
  for (const k of keys) {
    o = writeVarint(out, o, k.length);
    out.set(k, o);
    o += k.length;
  }
  return out;
}

/** What kind of prolly blob `bytes` holds, after checking its header. */
export function blobKind(bytes: Uint8Array): "leaf" | "index" {
  if (bytes.length < 4 || bytes[0] !== MAGIC_0 || bytes[1] !== MAGIC_1) throw malformed("bad magic");
  if (bytes[2] !== NODE_FORMAT_VERSION) {
    throw new ProllyError(PROLLY_ERROR_CODES.UNSUPPORTED_FORMAT, `node format version ${bytes[2]} is not supported`, {
      hint: `This build reads format ${NODE_FORMAT_VERSION}; upgrade git-prolly to read newer data.`,
      data: { version: bytes[2], supported: NODE_FORMAT_VERSION },
    });
  }
  if (bytes[3] === KIND_LEAF) return "leaf";
  if (bytes[3] === KIND_INDEX) return "index";
  throw malformed("unknown node kind", { kind: bytes[3] });
}

/**
 * Decodes and validates a leaf blob. The leaf reads its keys and values from `bytes` in place
 * (views, no copies).
 */
export function decodeLeaf(bytes: Uint8Array): LeafNode {
  if (blobKind(bytes) !== "leaf") throw malformed("expected a leaf blob");
  const r = new ByteReader(bytes);
  r.off = 4;
  const count = r.varint();
  // Each entry takes at least 3 bytes: a count beyond that is a lie, not a reason to allocate.
  if (count > (bytes.length - r.off) / 3) throw malformed("entry count past end", { count });
  const table = new Uint32Array(5 * count);
  let prevStart = 0;
  let prevEnd = 0;
  for (let i = 0; i < count; i++) {
    const ks = readSortedKey(r, i, prevStart, prevEnd);
    const klen = r.off - ks;
    const vlen = r.varint();
    if (vlen > MAX_VALUE_BYTES) throw malformed("value length out of range", { index: i, length: vlen });
    const vs = r.off;
    r.skip(vlen);
    const o = count + 4 * i;
    table[o] = ks;
    table[o + 1] = ks + klen;
    table[o + 2] = vs;
    table[o + 3] = vs + vlen;
    prevStart = ks;
    prevEnd = ks + klen;
  }
  if (!r.done) throw malformed("trailing bytes", { offset: r.off });
  return new PackedLeaf(bytes, table);
}

/**
 * Reads the length-prefixed key at the reader's position, checking its length and that it sorts
 * after the previous key (`prevStart`..`prevEnd`, ignored for the first key); returns its start.
 */
function readSortedKey(r: ByteReader, index: number, prevStart: number, prevEnd: number): number {
  const klen = r.varint();
  if (klen === 0 || klen > MAX_KEY_BYTES) throw malformed("key length out of range", { index, length: klen });
  const ks = r.off;
  r.skip(klen);
  if (index > 0 && compareRanges(r.bytes, prevStart, prevEnd, ks, ks + klen) >= 0)
    throw malformed("keys not strictly increasing", { index });
  return ks;
}

function compareRanges(b: Uint8Array, as: number, ae: number, bs: number, be: number): number {
  const al = ae - as;
  const bl = be - bs;
  const n = al < bl ? al : bl;
  for (let j = 0; j < n; j++) {
    const d = (b[as + j] as number) - (b[bs + j] as number);
    if (d !== 0) return d;
  }
  return al - bl;
}

/** Decodes an index blob: the level and separator keys of an internal node. */
export function decodeIndex(bytes: Uint8Array): { level: number; keys: Uint8Array[] } {
  const { level, count, table } = decodeIndexTable(bytes);
  const keys = new Array<Uint8Array>(count);
  for (let i = 0; i < count; i++) keys[i] = bytes.subarray(table[count + 2 * i]!, table[count + 2 * i + 1]!);
  return { level, keys };
}

/**
 * @internal Decodes and validates an index blob into a key table: room for `count` probes, then
 * each key's start and end offsets in `bytes`.
 */
export function decodeIndexTable(bytes: Uint8Array): { level: number; count: number; table: Uint32Array } {
  if (blobKind(bytes) !== "index") throw malformed("expected an index blob");
  const r = new ByteReader(bytes);
  r.off = 4;
  const level = r.varint();
  if (level < 1 || level > MAX_LEVEL) throw malformed("level out of range", { level });
  const count = r.varint();
  if (count < 1 || count > (bytes.length - r.off) / 2) throw malformed("key count out of range", { count });
  const table = new Uint32Array(3 * count);
  let prevStart = 0;
  let prevEnd = 0;
  for (let i = 0; i < count; i++) {
    const ks = readSortedKey(r, i, prevStart, prevEnd);
    const klen = r.off - ks;
    table[count + 2 * i] = ks;
    table[count + 2 * i + 1] = ks + klen;
    prevStart = ks;
    prevEnd = ks + klen;
  }
  if (!r.done) throw malformed("trailing bytes", { offset: r.off });
  return { level, count, table };
}
