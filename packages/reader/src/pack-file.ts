/**
 * One packfile read through its version-2 `.idx`: an object is found by binary search in the
 * index and read with one positioned read plus inflation; deltas (OFS_DELTA against an earlier
 * object of the pack, REF_DELTA against any object) are resolved recursively.
 */
import { closeSync, fstatSync, openSync, readSync } from "node:fs";
import { toHex } from "@git-prolly/prolly-core";
import { applyDelta } from "./delta.js";
import { corrupt } from "./errors.js";
import { type GitObject, type ObjectType, inflate } from "./git-object.js";

const TYPES: readonly (ObjectType | undefined)[] = [undefined, "commit", "tree", "blob", "tag"];
const OFS_DELTA = 6;
const REF_DELTA = 7;
const NAMES = 8 + 1024;

/** @internal An open packfile and its index. */
export class PackFile {
  readonly #idx: Uint8Array;
  readonly #view: DataView;
  readonly count: number;
  readonly #pack: string;
  #fd: number | undefined;
  #size = 0;
  /** A few inflated delta bases by offset: neighbours in a chain share them. */
  readonly #bases = new Map<number, GitObject>();

  constructor(readonly idxPath: string, idx: Uint8Array) {
    this.#idx = idx;
    this.#view = new DataView(idx.buffer, idx.byteOffset, idx.length);
    this.#pack = idxPath.replace(/idx$/, "pack");
    const ok = idx.length >= NAMES && this.#view.getUint32(0) === 0xff744f63 && this.#view.getUint32(4) === 2;
    this.count = ok ? this.#view.getUint32(NAMES - 4) : 0;
    if (!ok || idx.length < NAMES + 28 * this.count + 40) throw corrupt("READER_OBJECT_CORRUPT", `pack index ${idxPath} is not a valid version-2 index`, { path: idxPath });
  }

  /** Position of the 20-byte id in the index, or -1. */
  find(id: Uint8Array): number {
    let lo = id[0] === 0 ? 0 : this.#view.getUint32(8 + 4 * (id[0]! - 1));
    let hi = this.#view.getUint32(8 + 4 * id[0]!) - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const at = NAMES + 20 * mid;
      let c = 0;
      for (let j = 0; j < 20 && c === 0; j++) c = this.#idx[at + j]! - id[j]!;
      if (c === 0) return mid;
      if (c < 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  /** Ids in the index that start with the hex `prefix` (at least two digits). */
  withPrefix(prefix: string): string[] {
    const first = parseInt(prefix.slice(0, 2), 16);
    const end = this.#view.getUint32(8 + 4 * first);
    const out: string[] = [];
    for (let i = first === 0 ? 0 : this.#view.getUint32(8 + 4 * (first - 1)); i < end; i++) {
      const id = toHex(this.#idx.subarray(NAMES + 20 * i, NAMES + 20 * i + 20));
      if (id.startsWith(prefix)) out.push(id);
    }
    return out;
  }

  /** Reads the object at index position `pos`; `lookup` finds REF_DELTA bases by id. */
  read(pos: number, lookup: (id: string) => GitObject | undefined): GitObject {
    const offsets = NAMES + 24 * this.count;
    let offset = this.#view.getUint32(offsets + 4 * pos);
    if (offset & 0x80000000) {
      const at = offsets + 4 * this.count + 8 * (offset & 0x7fffffff);
      if (at + 8 > this.#idx.length) this.#bad(offset);
      offset = this.#view.getUint32(at) * 2 ** 32 + this.#view.getUint32(at + 4);
    }
    return this.#readAt(offset, lookup, 0);
  }

  #readAt(offset: number, lookup: (id: string) => GitObject | undefined, depth: number): GitObject {
    const cached = this.#bases.get(offset);
    if (cached !== undefined) return cached;
    if (depth > 10_000) this.#bad(offset);
    const head = this.#pread(offset, 32);
    let p = 0;
    const next = (): number => head[p++] ?? this.#bad(offset);
    let c = next();
    const type = (c >> 4) & 7;
    let size = c & 15;
    for (let scale = 16; c & 0x80; scale *= 128) size += ((c = next()) & 0x7f) * scale;
    let base: GitObject | undefined;
    if (type === OFS_DELTA) {
      c = next();
      let back = c & 0x7f;
      while (c & 0x80) back = (back + 1) * 128 + ((c = next()) & 0x7f);
      if (back === 0 || back > offset) this.#bad(offset);
      base = this.#readAt(offset - back, lookup, depth + 1);
    } else if (type === REF_DELTA) {
      base = p + 20 > head.length ? undefined : lookup(toHex(head.subarray(p, p + 20)));
      if (base === undefined) this.#bad(offset);
      p += 20;
    } else if (TYPES[type] === undefined) this.#bad(offset);
    const data = inflate(this.#pread(offset + p, size + (size >> 10) + 64), size, this.idxPath);
    const obj = base === undefined ? { type: TYPES[type]!, content: data } : { type: base.type, content: applyDelta(base.content, data, this.idxPath) };
    if (depth > 0 && obj.content.length < 1 << 20) {
      if (this.#bases.size >= 64) this.#bases.delete(this.#bases.keys().next().value!);
      this.#bases.set(offset, obj);
    }
    return obj;
  }

  /** Up to `n` bytes of the pack at `offset` (fewer at its end). */
  #pread(offset: number, n: number): Uint8Array {
    if (this.#fd === undefined) {
      try {
        this.#fd = openSync(this.#pack, "r");
        this.#size = fstatSync(this.#fd).size;
      } catch (e) {
        throw corrupt("READER_OBJECT_CORRUPT", `cannot open ${this.#pack}`, { path: this.#pack }, e);
      }
    }
    const len = Math.max(0, Math.min(n, this.#size - 20 - offset));
    const buf = Buffer.allocUnsafe(len);
    return buf.subarray(0, readSync(this.#fd, buf, 0, len, offset));
  }

  #bad(offset: number): never {
    throw corrupt("READER_OBJECT_CORRUPT", `bad object at offset ${offset} of ${this.#pack}`, { path: this.#pack, offset });
  }

  /** Closes the pack file. */
  close(): void {
    if (this.#fd !== undefined) closeSync(this.#fd);
    this.#fd = undefined;
  }
}
