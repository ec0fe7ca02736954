/**
 * Writes a packfile and its version-2 index directly (node:zlib + node:crypto), for bulk writes:
 * one sequential file instead of one small file per object. Objects stream into a temporary
 * file; `finish` fixes up the header, appends the checksum, writes the `.idx` and renames both
 * into `objects/pack/` (pack first, index last: readers only see packs that have an index).
 * No deltas are computed, so packs are larger than `git gc` makes them; `git gc` repacks later.
 */
import { createHash, randomBytes } from "node:crypto";
import { promises as fsp } from "node:fs";
import type { FileHandle } from "node:fs/promises";
import { join } from "node:path";
import { crc32, deflateSync, inflateSync } from "node:zlib";
import { deflateOptions, deflatePool } from "../bulk/deflate-pool.js";
import { GIT_ERROR_CODES, GitStoreError, objectCorrupt } from "../errors.js";
import {
  type ObjectId,
  type ObjectInput,
  PACK_TYPE_CODES,
  type StoredObject,
  hashObject,
} from "../objects/object-id.js";

/** Result of {@link PackWriter.finish}. */
export interface WrittenPack {
  /** Checksum of the pack, which names both files. */
  readonly checksum: string;
  readonly packPath: string;
  readonly idxPath: string;
  readonly count: number;
}

interface Placed {
  readonly id: ObjectId;
  readonly offset: number;
  readonly length: number;
  readonly crc: number;
  readonly type: StoredObject["type"];
  readonly size: number;
}

const FLUSH_BYTES = 4 * 1024 * 1024;
/** Objects per batch sent to the deflate worker. */
const DEFLATE_BATCH = 256;
/** Below this many objects, compression stays on the calling thread. */
const WORKER_MIN_OBJECTS = 512;

/** A packfile being written. */
export class PackWriter {
  readonly #placed = new Map<ObjectId, Placed>();
  #chunks: Uint8Array[] = [];
  #chunkBytes = 0;
  #offset = 12;
  #done = false;

  private constructor(
    readonly packDir: string,
    readonly tempPath: string,
    readonly handle: FileHandle,
    readonly level: number,
  ) {}

  /** Starts a pack in `packDir` (`objects/pack`). `level` is the zlib level (default 1: fast). */
  static async create(packDir: string, level = 1): Promise<PackWriter> {
    const tempPath = join(packDir, `tmp_pack_${randomBytes(6).toString("hex")}`);
    const handle = await fsp.open(tempPath, "wx+", 0o644);
    const writer = new PackWriter(packDir, tempPath, handle, level);
    writer.#chunks.push(Buffer.alloc(12)); // header, fixed up in finish()
    writer.#chunkBytes = 12;
    return writer;
  }

  /** Number of objects added so far. */
  get count(): number {
    return this.#placed.size;
  }

  /** True when the pack already holds `id`. */
  has(id: ObjectId): boolean {
    return this.#placed.has(id);
  }

  /** Appends objects (duplicates are skipped). Returns their ids. Not re-entrant: await each call. */
  async add(objects: readonly ObjectInput[]): Promise<ObjectId[]> {
    const ids: ObjectId[] = [];
    const fresh: { id: ObjectId; o: ObjectInput }[] = [];
    const seen = new Set<ObjectId>();
    for (const o of objects) {
      const id = o.id ?? hashObject(o.type, o.content);
      ids.push(id);
      if (this.#placed.has(id) || seen.has(id)) continue;
      seen.add(id);
      fresh.push({ id, o });
    }
    // Big batches go to the deflate worker (all batches in flight at once, placed in order), so
    // the caller's thread keeps building while another core compresses; small ones stay here.
    const groups: { id: ObjectId; o: ObjectInput }[][] = [];
    for (let i = 0; i < fresh.length; i += DEFLATE_BATCH) groups.push(fresh.slice(i, i + DEFLATE_BATCH));
    const useWorker = fresh.length >= WORKER_MIN_OBJECTS;
    const jobs = useWorker
      ? groups.map((g) =>
          deflatePool.deflate(
            g.map((x) => x.o.content),
            this.level,
          ),
        )
      : [];
    for (let gi = 0; gi < groups.length; gi++) {
      const group = groups[gi]!;
      const compressed = useWorker
        ? await jobs[gi]!
        : group.map((g) => deflateSync(g.o.content, deflateOptions(this.level, g.o.content.length)));
      for (let j = 0; j < group.length; j++) {
        const { id, o } = group[j]!;
        const data = compressed[j]!;
        const header = entryHeader(PACK_TYPE_CODES[o.type], o.content.length);
        const crc = crc32(data, crc32(header));
        this.#placed.set(id, {
          id,
          offset: this.#offset,
          length: header.length + data.length,
          crc,
          type: o.type,
          size: o.content.length,
        });
        this.#chunks.push(header, data);
        this.#chunkBytes += header.length + data.length;
        this.#offset += header.length + data.length;
      }
      if (this.#chunkBytes >= FLUSH_BYTES) await this.#flushChunks();
    }
    return ids;
  }

  async #flushChunks(): Promise<void> {
    if (this.#chunkBytes === 0) return;
    const buf = Buffer.concat(this.#chunks, this.#chunkBytes);
    const at = this.#offset - this.#chunkBytes;
    this.#chunks = [];
    this.#chunkBytes = 0;
    await this.handle.write(buf, 0, buf.length, at);
  }

  /** Reads back an object added to this pack, or `undefined`. */
  async read(id: ObjectId): Promise<StoredObject | undefined> {
    const p = this.#placed.get(id);
    if (p === undefined) return undefined;
    await this.#flushChunks();
    const buf = Buffer.allocUnsafe(p.length);
    await this.handle.read(buf, 0, p.length, p.offset);
    let o = 0;
    while (buf[o++]! & 0x80);
    try {
      return { type: p.type, content: inflateSync(buf.subarray(o)) };
    } catch (cause) {
      throw objectCorrupt(id, "cannot read back pending pack object", cause);
    }
  }

  /** Completes the pack and its index and moves them into place. */
  async finish(): Promise<WrittenPack> {
    if (this.#done) {
      throw new GitStoreError(GIT_ERROR_CODES.INVALID_STATE, "pack already finished", {
        hint: "Start a new PackWriter for more objects: a finished pack cannot take more.",
      });
    }
    this.#done = true;
    await this.#flushChunks();
    const header = Buffer.alloc(12);
    header.write("PACK", 0, "latin1");
    header.writeUInt32BE(2, 4);
    header.writeUInt32BE(this.#placed.size, 8);
    await this.handle.write(header, 0, 12, 0);
    // Checksum the whole file as written (re-read: the header changed after the objects).
    const hash = createHash("sha1");
    const block = Buffer.allocUnsafe(8 * 1024 * 1024);
    for (let at = 0; at < this.#offset;) {
      const { bytesRead } = await this.handle.read(block, 0, Math.min(block.length, this.#offset - at), at);
      if (bytesRead === 0) {
        throw new GitStoreError(GIT_ERROR_CODES.WRITE_FAILED, "short read while checksumming pack", {
          hint: "The temporary pack file was truncated by something else: check the disk and write again.",
          data: { offset: at },
        });
      }
      hash.update(block.subarray(0, bytesRead));
      at += bytesRead;
    }
    const checksum = hash.digest();
    await this.handle.write(checksum, 0, 20, this.#offset);
    await this.handle.sync();
    await this.handle.close();
    const name = checksum.toString("hex");
    const packPath = join(this.packDir, `pack-${name}.pack`);
    const idxPath = join(this.packDir, `pack-${name}.idx`);
    const idxTemp = `${this.tempPath}.idx`;
    const idx = encodeIndex([...this.#placed.values()], checksum);
    const idxHandle = await fsp.open(idxTemp, "wx", 0o644);
    try {
      await idxHandle.write(idx);
      await idxHandle.sync();
    } finally {
      await idxHandle.close();
    }
    await fsp.chmod(this.tempPath, 0o444);
    await fsp.chmod(idxTemp, 0o444);
    await fsp.rename(this.tempPath, packPath);
    await fsp.rename(idxTemp, idxPath);
    return { checksum: name, packPath, idxPath, count: this.#placed.size };
  }

  /** Drops the unfinished pack. */
  async abort(): Promise<void> {
    if (this.#done) return;
    this.#done = true;
    await this.handle.close().catch(() => undefined);
    await fsp.rm(this.tempPath, { force: true });
  }
}

/** The type-and-size header of a pack entry. */
function entryHeader(type: number, size: number): Buffer {
  const bytes: number[] = [];
  let byte = (type << 4) | (size & 15);
  let rest = Math.floor(size / 16);
  while (rest > 0) {
    bytes.push(byte | 0x80);
    byte = rest & 0x7f;
    rest = Math.floor(rest / 128);
  }
  bytes.push(byte);
  return Buffer.from(bytes);
}

/** The version-2 `.idx` of a pack. */
function encodeIndex(placed: Placed[], packChecksum: Buffer): Buffer {
  placed.sort((a, b) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
  const n = placed.length;
  const large = placed.filter((p) => p.offset >= 0x80000000);
  const out = Buffer.alloc(8 + 1024 + 28 * n + 8 * large.length + 40);
  out.writeUInt32BE(0xff744f63, 0);
  out.writeUInt32BE(2, 4);
  const fanout = new Uint32Array(256);
  for (const p of placed) fanout[parseInt(p.id.slice(0, 2), 16)]!++;
  let sum = 0;
  for (let i = 0; i < 256; i++) {
    sum += fanout[i]!;
    out.writeUInt32BE(sum, 8 + 4 * i);
  }
  let o = 8 + 1024;
  for (const p of placed) o += out.write(p.id, o, "hex");
  for (const p of placed) o = out.writeUInt32BE(p.crc >>> 0, o);
  let li = 0;
  for (const p of placed) {
    if (p.offset < 0x80000000) o = out.writeUInt32BE(p.offset, o);
    else o = out.writeUInt32BE((0x80000000 | li++) >>> 0, o);
  }
  for (const p of large) {
    o = out.writeUInt32BE(Math.floor(p.offset / 2 ** 32), o);
    o = out.writeUInt32BE(p.offset % 2 ** 32, o);
  }
  packChecksum.copy(out, o);
  o += 20;
  createHash("sha1").update(out.subarray(0, o)).digest().copy(out, o);
  return out;
}
