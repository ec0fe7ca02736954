/**
 * Reading one packfile through its `.idx` (version 2): objects are located by binary search in
 * the index and read with positioned reads, so opening a pack costs one index read and reading
 * an object costs one `pread` plus inflation (isomorphic-git instead loads and checksums the
 * whole pack on first use: 350 ms for a 40 MB pack, then ~11 ms per read; see the README).
 */
import { closeSync, fstatSync, openSync, readFileSync, readSync } from "node:fs";
import { inflateSync } from "node:zlib";
import { applyDelta } from "./delta.js";
import { GIT_ERROR_CODES, GitStoreError, objectCorrupt } from "../errors.js";
import { type ObjectId, PACK_TYPE_NAMES, type StoredObject, objectIdAt } from "../objects/object-id.js";
import type { ObjectLru } from "../objects/object-lru.js";
import { isMissing } from "../is-missing.js";

const IDX_MAGIC = 0xff744f63;
const OFS_DELTA = 6;
const REF_DELTA = 7;

/** Looks up delta bases that live outside this pack (REF_DELTA against another pack or loose object). */
export type BaseLookup = (id: ObjectId) => Promise<StoredObject | undefined>;

/** Lookups answered with small positioned reads of the index before the whole index is read. */
const LAZY_LOOKUPS = 32;

/**
 * An open packfile and its index. The index is not read whole at first: a lookup reads the
 * names of one fan-out bucket and one offset (two `pread`s of a few hundred bytes), which is what
 * a command that reads a handful of objects needs (a 1M-key dataset's index is 430 kB, ~0.7 ms to
 * read in a fresh process); from the {@link LAZY_LOOKUPS}th lookup on, and for whole-index work
 * (prefix search, listing, finding an object's end), it is read once and kept. The index is opened
 * for each of those reads, not held open: an open pack holds one file descriptor, so a repository
 * with hundreds of packs stays under the process's limit.
 */
export class PackFile {
  #idx: Buffer | undefined;
  #lookups = 0;
  readonly #fanout: Uint32Array;
  readonly #namesAt: number;
  readonly #offsetsAt: number;
  readonly #largeAt: number;
  #sortedOffsets: Float64Array | undefined;
  #packSize: number;

  private constructor(
    readonly idxPath: string,
    readonly packPath: string,
    head: Buffer,
    /** The pack's file descriptor (read with positioned synchronous reads). */
    readonly fd: number,
    packSize: number,
    readonly bases: ObjectLru,
  ) {
    if (head.length < 8 + 1024 || head.readUInt32BE(0) !== IDX_MAGIC || head.readUInt32BE(4) !== 2) {
      throw new GitStoreError(GIT_ERROR_CODES.UNSUPPORTED, `unsupported pack index ${idxPath}`, {
        hint: "Only version-2 pack indexes are read; run `git repack -a -d` to rewrite old packs.",
        data: { path: idxPath },
      });
    }
    this.#fanout = new Uint32Array(256);
    for (let i = 0; i < 256; i++) this.#fanout[i] = head.readUInt32BE(8 + 4 * i);
    const n = this.count;
    this.#namesAt = 8 + 1024;
    this.#offsetsAt = this.#namesAt + 24 * n; // names (20·n) then CRCs (4·n)
    this.#largeAt = this.#offsetsAt + 4 * n;
    this.#packSize = packSize;
  }

  /**
   * Opens the pack whose index is `idxPath` (the pack is the same path ending in `.pack`), with
   * synchronous calls (a few system calls, cheaper than trips through libuv's thread pool for
   * the one or two packs a command opens).
   */
  static async open(idxPath: string, bases: ObjectLru): Promise<PackFile> {
    const packPath = idxPath.replace(/\.idx$/, ".pack");
    const head = Buffer.alloc(8 + 1024);
    const idxFd = openSync(idxPath, "r");
    let got: number;
    try {
      got = readSync(idxFd, head, 0, head.length, 0);
    } finally {
      closeSync(idxFd);
    }
    const fd = openSync(packPath, "r");
    try {
      const { size } = fstatSync(fd);
      return new PackFile(idxPath, packPath, head.subarray(0, got), fd, size, bases);
    } catch (e) {
      closeSync(fd);
      throw e;
    }
  }

  /** Number of objects in the pack. */
  get count(): number {
    return this.#fanout[255]!;
  }

  /** The whole index, read once. */
  #whole(): Buffer {
    if (this.#idx === undefined) {
      const idx = readFileSync(this.idxPath);
      if (idx.length < this.#largeAt + 40) throw this.#truncated(); // tables, then two checksums
      this.#idx = idx;
    }
    return this.#idx;
  }

  #truncated(): GitStoreError {
    return new GitStoreError(GIT_ERROR_CODES.OBJECT_CORRUPT, `pack index ${this.idxPath} is truncated`, {
      hint: "Run `git fsck`; rebuild the index with `git index-pack` on its pack, or restore it from a clone.",
      data: { path: this.idxPath },
    });
  }

  /** `length` bytes of the index at `at`: a view of the whole index once read, else a positioned read. */
  #slice(at: number, length: number): Buffer {
    if (this.#idx !== undefined) return this.#idx.subarray(at, at + length);
    const buf = Buffer.allocUnsafe(length);
    const fd = openSync(this.idxPath, "r");
    try {
      if (readSync(fd, buf, 0, length, at) !== length) throw this.#truncated();
    } finally {
      closeSync(fd);
    }
    return buf;
  }

  /** Position of `id` in the sorted name table, or -1. */
  #position(id: ObjectId): number {
    try {
      return this.#find(id);
    } catch (e) {
      // The index went since the pack was opened (a concurrent gc replaced the pack): not here;
      // the object database then sees the pack directory changed and opens the new pack.
      if (isMissing(e)) return -1;
      throw e;
    }
  }

  #find(id: ObjectId): number {
    if (this.#idx === undefined && ++this.#lookups > LAZY_LOOKUPS) this.#whole();
    const key = Buffer.from(id, "hex");
    const first = key[0]!;
    const from = first === 0 ? 0 : this.#fanout[first - 1]!;
    const to = this.#fanout[first]!;
    if (to <= from) return -1;
    const names = this.#slice(this.#namesAt + 20 * from, 20 * (to - from));
    let lo = 0;
    let hi = to - from - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      const c = key.compare(names, 20 * mid, 20 * mid + 20);
      if (c === 0) return from + mid;
      if (c > 0) lo = mid + 1;
      else hi = mid - 1;
    }
    return -1;
  }

  #offsetAt(pos: number): number {
    const small = this.#slice(this.#offsetsAt + 4 * pos, 4).readUInt32BE(0);
    if ((small & 0x80000000) === 0) return small;
    const large = this.#slice(this.#largeAt + 8 * (small & 0x7fffffff), 8);
    return large.readUInt32BE(0) * 2 ** 32 + large.readUInt32BE(4);
  }

  /** True when the pack holds `id`. */
  has(id: ObjectId): boolean {
    return this.#position(id) >= 0;
  }

  /** Ids in the pack starting with the hex `prefix` (at most `limit`). */
  findPrefix(prefix: string, limit: number): ObjectId[] {
    const idx = this.#whole();
    const out: ObjectId[] = [];
    const first = parseInt(prefix.slice(0, 2).padEnd(2, "0"), 16);
    const lo = first === 0 ? 0 : this.#fanout[first - 1]!;
    const hi = prefix.length >= 2 ? this.#fanout[first]! : this.#fanout[Math.min(255, first + 15)]!;
    for (let i = lo; i < hi && out.length < limit; i++) {
      const name = objectIdAt(idx, this.#namesAt + 20 * i);
      if (name.startsWith(prefix)) out.push(name);
    }
    return out;
  }

  /** Every id in the pack, in sorted order. */
  *ids(): Generator<ObjectId> {
    const idx = this.#whole();
    for (let i = 0; i < this.count; i++) yield objectIdAt(idx, this.#namesAt + 20 * i);
  }

  /** Reads `id`, or returns `undefined` when this pack does not hold it. */
  async read(id: ObjectId, external: BaseLookup): Promise<StoredObject | undefined> {
    const pos = this.#position(id);
    if (pos < 0) return undefined;
    return this.#readAt(this.#offsetAt(pos), id, external, 0);
  }

  /** The end of the object starting at `offset` (start of the next object or of the trailer). */
  #endOf(offset: number): number {
    if (this.#sortedOffsets === undefined) {
      this.#whole();
      const offsets = new Float64Array(this.count);
      for (let i = 0; i < this.count; i++) offsets[i] = this.#offsetAt(i);
      this.#sortedOffsets = offsets.sort(); // numeric order for typed arrays
    }
    const offsets = this.#sortedOffsets;
    let lo = 0;
    let hi = offsets.length - 1;
    while (lo <= hi) {
      const mid = (lo + hi) >>> 1;
      if (offsets[mid]! <= offset) lo = mid + 1;
      else hi = mid - 1;
    }
    return lo < offsets.length ? offsets[lo]! : this.#packSize - 20;
  }

  async #readAt(offset: number, label: string, external: BaseLookup, depth: number): Promise<StoredObject> {
    const cacheKey = `${this.packPath}:${offset}`;
    const cached = this.bases.get(cacheKey);
    if (cached !== undefined) return cached;
    if (depth > 10_000) throw objectCorrupt(label, "delta chain too deep");
    // The object's bytes are read without first finding where it ends: a window as long as its
    // header says the compressed data can be (zlib's bound), which inflation stops inside. Only
    // when that window does not hold the whole stream (another compressor's output) is the exact
    // end looked up, which sorts every offset of the pack (milliseconds for a big pack).
    let buf = this.#window(offset, FIRST_READ, label);
    let o = 0;
    let byte = buf[o++]!;
    const type = (byte >> 4) & 7;
    let size = byte & 15;
    let shift = 4;
    while (byte & 0x80) {
      byte = buf[o++]!;
      size += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    }
    const wanted = o + 20 + 10 + zlibBound(size);
    if (wanted > buf.length) buf = this.#window(offset, wanted, label);
    const exact = (): Buffer => this.#window(offset, this.#endOf(offset) - offset, label, true);
    let result: StoredObject;
    if (type === OFS_DELTA || type === REF_DELTA) {
      let base: StoredObject | undefined;
      if (type === OFS_DELTA) {
        byte = buf[o++]!;
        let rel = byte & 0x7f;
        while (byte & 0x80) {
          byte = buf[o++]!;
          rel = (rel + 1) * 128 + (byte & 0x7f);
        }
        base = await this.#readAt(offset - rel, label, external, depth + 1);
      } else {
        const baseId = objectIdAt(buf, o);
        o += 20;
        const pos = this.#position(baseId);
        base = pos >= 0 ? await this.#readAt(this.#offsetAt(pos), label, external, depth + 1) : await external(baseId);
        if (base === undefined) throw objectCorrupt(label, `missing delta base ${baseId}`);
      }
      const at = o;
      const delta = inflateWindow(buf, at, size, label, () => (buf = exact()));
      const content = applyDelta(base.content, delta, (what) => objectCorrupt(label, what));
      result = { type: base.type, content };
    } else {
      const name = PACK_TYPE_NAMES[type];
      if (name === undefined) throw objectCorrupt(label, `unknown pack object type ${type}`);
      const at = o;
      result = { type: name, content: inflateWindow(buf, at, size, label, () => (buf = exact())) };
    }
    // Keep delta bases and delta results: chains share their prefixes.
    if (depth > 0 || type === OFS_DELTA || type === REF_DELTA) this.bases.set(cacheKey, result);
    return result;
  }

  /**
   * Up to `length` bytes of the pack from `offset` (fewer at the end of the pack's objects), read
   * synchronously: from the page cache a positioned read takes microseconds, where a trip through
   * libuv's thread pool costs far more, and a pass over thousands of nodes (a rewrite of most
   * leaves) waited on those trips most of its time. `exact`: `length` must be read in full.
   */
  #window(offset: number, length: number, label: string, exact = false): Buffer {
    const n = Math.max(0, Math.min(length, this.#packSize - 20 - offset));
    const buf = Buffer.allocUnsafe(n);
    const bytesRead = readSync(this.fd, buf, 0, n, offset);
    if (bytesRead !== n || (exact && n !== length) || n === 0) throw objectCorrupt(label, "truncated pack");
    return buf;
  }

  /** Closes the pack file. */
  async close(): Promise<void> {
    closeSync(this.fd);
  }
}

/** Bytes read first for an object: its header, and the whole of a small object. */
const FIRST_READ = 8192;

/** The most bytes zlib's deflate makes of `size` bytes (its `deflateBound`, with the stream's header and trailer). */
function zlibBound(size: number): number {
  return size + Math.ceil(size / 8) + Math.ceil(size / 64) + 5 + 6;
}

/**
 * Inflates the zlib stream at `at` of `buf`, which may run past the stream (inflation stops at
 * its end) or stop short of it: then `whole()` gives the object's exact bytes and inflation is
 * tried once more.
 */
function inflateWindow(buf: Buffer, at: number, size: number, label: string, whole: () => Buffer): Uint8Array {
  let out: Buffer;
  try {
    out = inflateSync(buf.subarray(at));
  } catch (first) {
    const all = whole();
    if (all.length <= buf.length) throw objectCorrupt(label, "cannot inflate packed data", first);
    try {
      out = inflateSync(all.subarray(at));
    } catch (cause) {
      throw objectCorrupt(label, "cannot inflate packed data", cause);
    }
  }
  if (out.length !== size) throw objectCorrupt(label, "packed size mismatch");
  return out;
}
