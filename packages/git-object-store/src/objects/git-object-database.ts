/**
 * The object database of a repository on disk: loose objects and packs (read with positioned
 * reads through the pack index), alternates, and a write buffer that lands small batches as
 * loose objects and large ones as a packfile.
 */
import { promises as fsp, readdirSync, statSync } from "node:fs";
import { isAbsolute, join, resolve } from "node:path";
import { isMissing } from "../is-missing.js";
import {
  type ObjectId,
  type ObjectInput,
  type StoredObject,
  EMPTY_TREE_ID,
  hashObject,
  isObjectId,
} from "./object-id.js";
import { objectCorrupt } from "../errors.js";
import type { ObjectStore, WriteObserver } from "./object-store.js";
import { WriteObservers } from "./write-observers.js";
import { PackFile } from "../packs/pack-file.js";
import { ObjectLru } from "./object-lru.js";
import { hasLooseObject, readLooseObject, writeLooseObject, writeLooseObjectSync } from "./loose-objects.js";
import { PackWriter } from "../packs/pack-writer.js";

/** Options of {@link GitObjectDatabase}. */
export interface GitObjectDatabaseOptions {
  /** A flush of at least this many objects writes a pack instead of loose objects (default 256). */
  packThreshold?: number;
  /** Pending bytes above which objects stream into a pack before the flush (default 8 MiB: small batches keep the compression right behind the writer, so little is left for the flush). */
  spillBytes?: number;
  /** Bound of the cache of inflated delta bases (default 32 MiB). */
  deltaCacheBytes?: number;
  /** Bound of the cache of objects read recently (default 4 MiB; 0 turns it off). */
  recentCacheBytes?: number;
}

const EMPTY_TREE: StoredObject = { type: "tree", content: new Uint8Array(0) };
const LOOSE_CONCURRENCY = 16;
/**
 * Batches up to this many objects are written as loose objects with synchronous calls: a few
 * system calls each, where every promise-based call is a trip through libuv's thread pool that
 * costs more than the call itself (a `set` writes a leaf and the trees above it).
 */
const LOOSE_SYNC_MAX = 32;

/** The object database under an `objects/` directory. */
export class GitObjectDatabase implements ObjectStore {
  readonly #packs = new Map<string, PackFile>();
  #refreshing: Promise<boolean> | undefined;
  #packDirStamp = "";
  #alternates: GitObjectDatabase[] | undefined;
  readonly #pending = new Map<ObjectId, StoredObject>();
  #pendingBytes = 0;
  /** Objects handed to the spill pack whose compression has not finished yet (still readable). */
  readonly #inflight = new Map<ObjectId, StoredObject>();
  #inflightBytes = 0;
  #spilling: Promise<void> = Promise.resolve();
  #spillError: unknown;
  #spill: PackWriter | undefined;
  readonly #bases: ObjectLru;
  readonly #packThreshold: number;
  readonly #spillBytes: number;
  #flushing: Promise<void> = Promise.resolve();
  readonly #observers = new WriteObservers();
  /** Objects read lately (by id, so never stale): an edit reads a path, then diffs it. */
  readonly #recent: ObjectLru;

  constructor(
    readonly objectsDir: string,
    readonly options: GitObjectDatabaseOptions = {},
  ) {
    this.#bases = new ObjectLru(options.deltaCacheBytes ?? 32 * 1024 * 1024, 4);
    this.#packThreshold = options.packThreshold ?? 256;
    this.#spillBytes = options.spillBytes ?? 8 * 1024 * 1024;
    this.#recent = new ObjectLru(options.recentCacheBytes ?? 4 * 1024 * 1024, 8);
  }

  /** Reads an object, or returns `undefined` when it is absent. Contents are checked against ids. */
  async read(id: ObjectId): Promise<StoredObject | undefined> {
    const pending = this.#pending.get(id) ?? this.#inflight.get(id);
    if (pending !== undefined) return pending;
    if (this.#spill?.has(id) === true) {
      await this.#spilling; // the pack writer is not re-entrant
      const spilled = await this.#spill?.read(id);
      if (spilled !== undefined) return spilled;
    }
    const recent = this.#recent.get(id);
    if (recent !== undefined) return recent;
    const stored = await this.#readStored(id);
    if (stored !== undefined) this.#recent.set(id, stored);
    return stored;
  }

  async #readStored(id: ObjectId): Promise<StoredObject | undefined> {
    // Known packs first (an in-memory index lookup), then loose objects, then packs that
    // appeared since (git gc, fetch, a bulk write of another process).
    const packed = await this.#readPacked(id, false);
    if (packed !== undefined) return packed;
    const loose = readLooseObject(this.objectsDir, id);
    if (loose !== undefined) return loose;
    const fresh = await this.#readPacked(id, true);
    if (fresh !== undefined) return fresh;
    for (const alt of await this.#loadAlternates()) {
      const found = await alt.read(id);
      if (found !== undefined) return found;
    }
    return id === EMPTY_TREE_ID ? EMPTY_TREE : undefined;
  }

  /** True when the object exists (pending, loose, packed or in an alternate). */
  async has(id: ObjectId): Promise<boolean> {
    if (this.#pending.has(id) || this.#inflight.has(id) || this.#spill?.has(id) === true) return true;
    if (hasLooseObject(this.objectsDir, id)) return true; // not the cache of objects read: `has` says what is on disk
    for (let refresh = 0; refresh < 2; refresh++) {
      if (refresh === 1 && !(await this.#refreshPacks())) break;
      for (const p of this.#packs.values()) if (p.has(id)) return true;
    }
    for (const alt of await this.#loadAlternates()) if (await alt.has(id)) return true;
    return id === EMPTY_TREE_ID;
  }

  /**
   * Queues objects for writing and returns their ids. They are readable at once and reach the
   * disk on {@link flush} (or earlier, streamed into a pack, when many bytes are pending).
   */
  async write(objects: readonly ObjectInput[]): Promise<ObjectId[]> {
    const ids: ObjectId[] = [];
    for (const o of objects) {
      const id = o.id ?? hashObject(o.type, o.content);
      ids.push(id);
      if (this.#pending.has(id) || this.#inflight.has(id)) continue;
      this.#observers.notify(id, o.type, o.content);
      this.#pending.set(id, { type: o.type, content: o.content });
      this.#pendingBytes += o.content.length;
    }
    const wait = this.#observers.settle();
    if (wait !== undefined) await wait;
    if (this.#pendingBytes >= this.#spillBytes) {
      // Compress and write in the background while the caller keeps producing objects; wait
      // only when too much is in flight.
      if (this.#inflightBytes >= this.#spillBytes) await this.#spilling;
      this.#startSpill();
    }
    return ids;
  }

  /** Moves the pending objects into the spill pack (in the background). */
  #startSpill(): void {
    const batch = [...this.#pending].map(([id, o]) => ({ id, type: o.type, content: o.content }));
    for (const b of batch) this.#inflight.set(b.id, b);
    this.#inflightBytes += this.#pendingBytes;
    this.#pending.clear();
    this.#pendingBytes = 0;
    this.#spilling = this.#spilling.then(async () => {
      if (this.#spillError !== undefined) return;
      try {
        this.#spill ??= await PackWriter.create(await this.#packDir());
        await this.#spill.add(batch);
      } catch (e) {
        this.#spillError = e;
      } finally {
        for (const b of batch) {
          this.#inflight.delete(b.id);
          this.#inflightBytes -= b.content.length;
        }
      }
    });
  }

  async #spillPending(): Promise<void> {
    if (this.#pending.size > 0) this.#startSpill();
    await this.#settleSpills();
  }

  /** Waits for background spills and rethrows (once) an error one of them hit. */
  async #settleSpills(): Promise<void> {
    await this.#spilling;
    if (this.#spillError !== undefined) {
      const e = this.#spillError;
      this.#spillError = undefined;
      await this.#spill?.abort();
      this.#spill = undefined;
      throw e;
    }
  }

  observeWrites(observer: WriteObserver): () => void {
    return this.#observers.add(observer);
  }

  /** Number of objects waiting for {@link flush}. */
  get pendingCount(): number {
    return this.#pending.size + this.#inflight.size + (this.#spill?.count ?? 0);
  }

  /** Writes every pending object to disk: a pack when there are many, else loose objects. */
  async flush(): Promise<void> {
    const run = this.#flushing.then(() => this.#flushNow());
    this.#flushing = run.catch(() => undefined);
    return run;
  }

  async #flushNow(): Promise<void> {
    await this.#settleSpills();
    if (this.#spill === undefined && this.#pending.size >= this.#packThreshold) await this.#spillPending();
    if (this.#spill !== undefined) {
      await this.#spillPending();
      const writer = this.#spill;
      try {
        await writer.finish();
      } catch (e) {
        await writer.abort();
        throw e;
      } finally {
        this.#spill = undefined;
      }
      this.#packDirStamp = "";
      return;
    }
    const batch = [...this.#pending];
    if (batch.length <= LOOSE_SYNC_MAX) for (const [id, o] of batch) writeLooseObjectSync(this.objectsDir, id, o);
    else
      for (let i = 0; i < batch.length; i += LOOSE_CONCURRENCY) {
        await Promise.all(
          batch.slice(i, i + LOOSE_CONCURRENCY).map(([id, o]) => writeLooseObject(this.objectsDir, id, o)),
        );
      }
    for (const [id] of batch) this.#pending.delete(id);
    this.#pendingBytes = 0;
  }

  /** Drops pending objects without writing them. */
  async discard(): Promise<void> {
    await this.#spilling;
    this.#spillError = undefined;
    this.#pending.clear();
    this.#pendingBytes = 0;
    const spill = this.#spill;
    this.#spill = undefined;
    await spill?.abort();
  }

  /** Writes objects straight into one new pack (bulk imports); returns their ids. */
  async writePack(objects: Iterable<ObjectInput>): Promise<ObjectId[]> {
    const writer = await PackWriter.create(await this.#packDir());
    try {
      const list = [...objects];
      if (this.#observers.active)
        for (const o of list) this.#observers.notify(o.id ?? hashObject(o.type, o.content), o.type, o.content);
      const wait = this.#observers.settle();
      if (wait !== undefined) await wait;
      const ids = await writer.add(list);
      await writer.finish();
      this.#packDirStamp = "";
      return ids;
    } catch (e) {
      await writer.abort();
      throw e;
    }
  }

  /** Ids of stored objects whose hex spelling starts with `prefix` (at most `limit`). */
  async findByPrefix(prefix: string, limit = 2): Promise<ObjectId[]> {
    const found = new Set<ObjectId>();
    for (const id of this.#pending.keys()) if (id.startsWith(prefix)) found.add(id);
    if (prefix.length >= 2) {
      const dir = join(this.objectsDir, prefix.slice(0, 2));
      const names = await fsp.readdir(dir).catch(() => [] as string[]);
      for (const n of names) {
        const id = prefix.slice(0, 2) + n;
        if (isObjectId(id) && id.startsWith(prefix)) found.add(id);
      }
    }
    await this.#refreshPacks();
    for (const p of this.#packs.values()) for (const id of p.findPrefix(prefix, limit)) found.add(id);
    for (const alt of await this.#loadAlternates())
      for (const id of await alt.findByPrefix(prefix, limit)) found.add(id);
    return [...found].sort().slice(0, Math.max(limit, 0));
  }

  /** Closes open pack files and drops pending objects. */
  async close(): Promise<void> {
    await this.discard();
    for (const p of this.#packs.values()) await p.close();
    this.#packs.clear();
    for (const alt of this.#alternates ?? []) await alt.close();
  }

  async #readPacked(id: ObjectId, refresh: boolean): Promise<StoredObject | undefined> {
    if (refresh && !(await this.#refreshPacks())) return undefined;
    for (const p of this.#packs.values()) {
      if (!p.has(id)) continue;
      const obj = await p.read(id, (base) => this.#readStored(base));
      if (obj === undefined) continue;
      if (hashObject(obj.type, obj.content) !== id) throw objectCorrupt(id, "packed content does not match its id");
      return obj;
    }
    return undefined;
  }

  async #packDir(): Promise<string> {
    const dir = join(this.objectsDir, "pack");
    await fsp.mkdir(dir, { recursive: true });
    return dir;
  }

  /**
   * Re-reads the pack directory when it changed; true when the set of packs changed. One refresh
   * runs at a time and callers arriving meanwhile share it: the directory's stamp is recorded
   * before the packs are opened, so a caller that went its own way then saw the new stamp, an
   * empty pack list and reported present objects missing (many concurrent reads in a fresh process).
   */
  #refreshPacks(): Promise<boolean> {
    this.#refreshing ??= this.#refreshPacksNow().finally(() => {
      this.#refreshing = undefined;
    });
    return this.#refreshing;
  }

  async #refreshPacksNow(): Promise<boolean> {
    const dir = join(this.objectsDir, "pack");
    // Synchronous calls: a stat and, when the directory changed, a listing (every command
    // looks once, and a trip through libuv's thread pool costs more than either).
    let stamp: string;
    try {
      const s = statSync(dir);
      stamp = `${s.mtimeMs}:${s.ino}:${s.size}`;
    } catch (e) {
      if (isMissing(e)) return false;
      throw e;
    }
    if (stamp === this.#packDirStamp) return false;
    const names = new Set(readdirSync(dir).filter((n) => n.startsWith("pack-") && n.endsWith(".idx")));
    let changed = false;
    for (const [name, pack] of this.#packs) {
      if (!names.has(name)) {
        this.#packs.delete(name);
        await pack.close();
        changed = true;
      }
    }
    for (const name of names) {
      if (this.#packs.has(name)) continue;
      try {
        this.#packs.set(name, await PackFile.open(join(dir, name), this.#bases));
        changed = true;
      } catch (e) {
        if (!isMissing(e)) throw e; // a pack removed by a concurrent gc
      }
    }
    // Only now: a refresh that failed (EMFILE, EACCES…) is tried again by the next one, instead
    // of leaving the packs it did not open unseen.
    this.#packDirStamp = stamp;
    return changed;
  }

  async #loadAlternates(): Promise<GitObjectDatabase[]> {
    if (this.#alternates !== undefined) return this.#alternates;
    const alternates: GitObjectDatabase[] = [];
    try {
      const text = await fsp.readFile(join(this.objectsDir, "info", "alternates"), "utf8");
      for (const line of text.split("\n")) {
        const path = line.trim();
        if (path === "" || path.startsWith("#")) continue;
        alternates.push(new GitObjectDatabase(isAbsolute(path) ? path : resolve(this.objectsDir, path), this.options));
      }
    } catch (e) {
      if (!isMissing(e)) throw e;
    }
    this.#alternates = alternates;
    return alternates;
  }
}
