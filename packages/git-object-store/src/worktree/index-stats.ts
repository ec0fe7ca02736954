/**
 * Recording stat data in Git's index for files this process has just written. Entries added by
 * `git update-index --index-info` carry none (all zeros), so Git would read and hash each file
 * again on the next `git status`; `git update-index --refresh` does exactly that once. When the
 * writer already knows every file's stat data (a materialized import), it is written straight
 * into those entries instead: the record `--refresh` would make, without reading the files.
 *
 * The index is rewritten under Git's `index.lock` protocol with only stat fields changed, so
 * entry sizes, extensions (cache tree, untracked cache, end-of-index offsets) and every other
 * entry stay byte for byte as Git wrote them; only the trailer checksum is recomputed.
 *
 * Racy Git: Git trusts an entry's stat data only if the file's recorded mtime is older than the
 * index file; an entry of the same second (or later) may hide a change made right after it was
 * recorded, so Git re-reads it. The rewritten index is newer than the old one, which would end
 * that suspicion, so — as Git's own index writes do — each entry not filled here whose mtime
 * second is not older than the old index's is checked: when the file's bytes no longer hash to
 * the entry's blob (or cannot be read, or it is a symlink), its recorded size is zeroed
 * ("smudged") and Git compares its content from then on. Files with clean/smudge filters or
 * line-ending conversion hash differently and are smudged too: a re-read, never a missed change.
 */
import { createHash } from "node:crypto";
import { type BigIntStats, closeSync, fstatSync, openSync, readFileSync, readSync, promises as fsp } from "node:fs";
import { join } from "node:path";
import {
  type GitIndex,
  type RawIndex,
  indexExtensions,
  parseIndex,
  rangeUnder,
  rawIndex,
  walkIndex,
} from "./git-index.js";
import { takeLock } from "../take-lock.js";
import { type ObjectId, hashObject, objectIdAt } from "../objects/object-id.js";
import { trailerHex } from "./index-checksum.js";

/** Offsets of the stat fields in an index entry, in {@link STAT_FIELDS} order (the mode at 24 is left alone). */
const FIELD_OFFSETS = [0, 4, 8, 12, 16, 20, 28, 32, 36] as const;
/** Offset of the file size in an index entry. */
const SIZE_OFFSET = 36;

/** The file written for an index entry: the blob it holds and its stat data ({@link STAT_FIELDS} values). */
export interface WrittenFile {
  readonly id: ObjectId;
  readonly stat: Uint32Array;
}

/**
 * Fills in the stat data of the stage-0 entries named in `files` (by path) that hold the same
 * blob and have no stat data yet. Returns how many entries were filled; 0 (and the index
 * untouched) for split or sparse indexes.
 * @throws {GitStoreError} GIT_LOCKED when another process holds `index.lock`.
 */
export async function recordIndexStats(
  indexPath: string,
  worktreeRoot: string,
  files: ReadonlyMap<string, WrittenFile>,
): Promise<number> {
  if (files.size === 0) return 0;
  const lock = await takeLock(indexPath, { timeoutMs: 3000 });
  try {
    const before = await fsp.stat(indexPath, { bigint: true });
    const buf = await fsp.readFile(indexPath);
    const targets: { offset: number; stat: Uint32Array }[] = [];
    const indexSecond = Number(before.mtimeNs / 1_000_000_000n);
    const racy: { offset: number; path: string; id: ObjectId; mode: number }[] = [];
    const layout = walkIndex(buf, (e) => {
      if ((e.flags & 0x3000) !== 0) return;
      const file = emptyStat(buf, e.offset) ? files.get(e.path.toString("utf8")) : undefined;
      if (file !== undefined && file.id === e.id) targets.push({ offset: e.offset, stat: file.stat });
      else if (e.mode >>> 12 !== 0o16 && buf.readUInt32BE(e.offset + 8) >= indexSecond)
        racy.push({ offset: e.offset, path: e.path.toString("utf8"), id: e.id, mode: e.mode }); // not gitlinks
    });
    for (const { sig } of indexExtensions(buf, layout)) if (sig === "link" || sig === "sdir") return 0;
    if (targets.length === 0) return 0;
    for (const t of targets) FIELD_OFFSETS.forEach((f, i) => buf.writeUInt32BE(t.stat[i]!, t.offset + f));
    for (const r of racy)
      if (!(await unchanged(join(worktreeRoot, r.path), r.id, r.mode))) buf.writeUInt32BE(0, r.offset + SIZE_OFFSET);
    // `index.skipHash` indexes carry a zero trailer; keep it so.
    if (buf.subarray(layout.trailer).some((b) => b !== 0))
      createHash("sha1").update(buf.subarray(0, layout.trailer)).digest().copy(buf, layout.trailer);
    await lock.write(buf);
    await lock.commit();
    return targets.length;
  } finally {
    await lock.release();
  }
}

/** True when a regular file still holds the blob `id` (what Git's own racy check compares). */
async function unchanged(file: string, id: ObjectId, mode: number): Promise<boolean> {
  if (mode >>> 12 !== 0o10) return false;
  try {
    return hashObject("blob", readFileSync(file)) === id;
  } catch {
    return false;
  }
}

function emptyStat(buf: Buffer, offset: number): boolean {
  for (const f of FIELD_OFFSETS) if (buf.readUInt32BE(offset + f) !== 0) return false;
  return true;
}

/**
 * Indices of the entries whose mtime is not older than the index file's second (Git's racy
 * rule), in order. Usually the index is at least as new as every entry, and only the entries of
 * the latest second (found while parsing) can be racy; else every entry is looked at.
 */
function racyEntries(raw: RawIndex, indexSecond: number): readonly number[] {
  if (indexSecond === 0 || indexSecond > raw.newestMtime) return [];
  if (indexSecond === raw.newestMtime) return raw.newest;
  const out: number[] = [];
  const { buf, offsets } = raw;
  for (let i = 0; i < offsets.length; i++) if (buf.readUInt32BE(offsets[i]! + 8) >= indexSecond) out.push(i);
  return out;
}

/** The same bytes as `part` (a view of `from`) in `to`, a copy of `from`. */
function retarget(part: Buffer, from: Buffer, to: Buffer): Buffer {
  const start = part.byteOffset - from.byteOffset;
  return to.subarray(start, start + part.length);
}

/**
 * The index bytes and entry offsets, under the lock: `cached` (the caller's parse) when the file
 * still ends with its checksum, else read and parsed now. `undefined` when there is no index, it
 * cannot be parsed, or its version is 4.
 */
function readLocked(
  indexPath: string,
  cached: GitIndex | undefined,
): { buf: Buffer; raw: RawIndex; before: BigIntStats; shared: boolean } | undefined {
  // Synchronous calls: a few system calls on the path of every `set`, each cheaper than a trip
  // through libuv's thread pool.
  let fd: number;
  try {
    fd = openSync(indexPath, "r");
  } catch {
    return undefined;
  }
  try {
    const before = fstatSync(fd, { bigint: true });
    const size = Number(before.size);
    const known = cached === undefined ? undefined : rawIndex(cached);
    if (known !== undefined && known.buf.length === size && size >= 32 && !/^0+$/.test(cached!.checksum)) {
      if (trailerHex(fd, size) === cached!.checksum) return { buf: known.buf, raw: known, before, shared: true };
    }
    const buf = Buffer.allocUnsafe(size);
    let got = 0;
    while (got < size) {
      const bytesRead = readSync(fd, buf, got, size - got, got);
      if (bytesRead === 0) return undefined;
      got += bytesRead;
    }
    const raw = rawIndex(parseIndex(buf));
    return raw === undefined ? undefined : { buf, raw, before, shared: false };
  } catch {
    return undefined;
  } finally {
    closeSync(fd);
  }
}

/** One entry change of {@link updateIndexEntries}: a blob (or gitlink) at a path, or its removal. */
export interface IndexEntryChange {
  readonly path: string;
  /** `undefined`: remove the path. */
  readonly after?: { readonly mode: string; readonly id: ObjectId };
}

/** A node of the cache-tree extension. */
interface CacheTreeNode {
  readonly name: Buffer;
  entryCount: number;
  readonly id: Buffer | undefined;
  readonly subtrees: CacheTreeNode[];
}

function readCacheTree(data: Buffer): CacheTreeNode | undefined {
  let o = 0;
  const node = (): CacheTreeNode => {
    const nul = data.indexOf(0, o);
    const lf = data.indexOf(0x0a, nul);
    if (nul < 0 || lf < 0) throw new Error("bad cache tree");
    const name = data.subarray(o, nul);
    const [countText, subText] = data.toString("latin1", nul + 1, lf).split(" ");
    o = lf + 1;
    const entryCount = Number(countText);
    const subtreeCount = Number(subText);
    if (!Number.isInteger(entryCount) || !Number.isInteger(subtreeCount) || subtreeCount < 0)
      throw new Error("bad cache tree");
    let id: Buffer | undefined;
    if (entryCount >= 0) {
      id = data.subarray(o, o + 20);
      o += 20;
    }
    const subtrees: CacheTreeNode[] = [];
    for (let i = 0; i < subtreeCount; i++) subtrees.push(node());
    return { name, entryCount, id, subtrees };
  };
  if (data.length === 0) return undefined;
  const root = node();
  if (o !== data.length) throw new Error("bad cache tree");
  return root;
}

function writeCacheTree(node: CacheTreeNode, out: Buffer[]): void {
  out.push(node.name, Buffer.from(`\0${node.entryCount} ${node.subtrees.length}\n`, "latin1"));
  if (node.entryCount >= 0) out.push(node.id!);
  for (const s of node.subtrees) writeCacheTree(s, out);
}

/** Git's `cache_tree_invalidate_path`: every tree on the way turns invalid, a subtree named like the path goes. */
function invalidateCacheTree(root: CacheTreeNode, path: string): void {
  let node: CacheTreeNode | undefined = root;
  const parts = path.split("/");
  for (let i = 0; node !== undefined; i++) {
    node.entryCount = -1;
    const name = Buffer.from(parts[i]!, "utf8");
    const at: number = node.subtrees.findIndex((s) => s.name.equals(name));
    if (i === parts.length - 1) {
      if (at >= 0) node.subtrees.splice(at, 1);
      return;
    }
    node = at < 0 ? undefined : node.subtrees[at];
  }
}

/** The bytes of a new index entry as `git update-index --index-info` writes it: no stat data, stage 0. */
function newEntry(path: Buffer, mode: number, id: ObjectId): Buffer {
  const e = Buffer.alloc((62 + path.length + 8) & ~7);
  e.writeUInt32BE(mode, 24);
  e.write(id, 40, 20, "hex");
  e.writeUInt16BE(Math.min(path.length, 0xfff), 60);
  path.copy(e, 62);
  return e;
}

/** The mode bits Git stores for a tree-entry mode. */
const MODES: Record<string, number> = {
  "100644": 0o100644,
  "100755": 0o100755,
  "120000": 0o120000,
  "160000": 0o160000,
};

/** Most changes written in process; more go through `git update-index`. */
export const IN_PROCESS_MAX = 256;

/**
 * Applies entry changes to Git's index in process, as `git update-index -z --index-info` would:
 * a changed or new path gets an entry without stat data at stage 0, a removed one loses its
 * entry, every other entry keeps its bytes; the cache-tree extension is invalidated along each
 * changed path (Git's `cache_tree_invalidate_path`); racily clean entries are smudged as Git's
 * index writes do (see the top of this file); the index is replaced under `index.lock`. The
 * result is byte for byte what Git writes (checked by the tests).
 *
 * Returns false, changing nothing, whenever Git's own command is the safer writer: no index yet,
 * index version 4, extensions other than the cache tree (untracked cache, fsmonitor, split or
 * sparse index, resolve-undo, end-of-index…), conflicted or flagged (skip-worktree,
 * intent-to-add) entries at a changed path, a file/directory clash, a path changed twice, more
 * than {@link IN_PROCESS_MAX} changes, a damaged index, a held lock.
 */
export async function updateIndexEntries(
  indexPath: string,
  worktreeRoot: string,
  changes: readonly IndexEntryChange[],
  cached?: GitIndex,
): Promise<boolean> {
  if (changes.length === 0) return true;
  if (changes.length > IN_PROCESS_MAX) return false;
  let lock;
  try {
    lock = await takeLock(indexPath, { timeoutMs: 0 });
  } catch {
    return false; // git update-index waits for it and reports
  }
  try {
    const read = readLocked(indexPath, cached);
    if (read === undefined) return false;
    const { buf, raw, before } = read;
    let shared = read.shared;
    const trailer = buf.length - 20;
    let cacheTree: CacheTreeNode | undefined;
    const layout = { version: buf.readUInt32BE(4), extensions: raw.extensions, trailer };
    for (const { sig, data } of indexExtensions(buf, layout)) {
      if (sig !== "TREE") return false;
      try {
        cacheTree = readCacheTree(data);
      } catch {
        return false;
      }
    }
    const count = raw.offsets.length;
    const removed = new Set<number>();
    const added: { path: Buffer; bytes: Buffer; at: number }[] = [];
    const seen = new Set<string>();
    const addedPaths = new Set(changes.filter((c) => c.after !== undefined).map((c) => c.path));
    for (const c of changes) {
      if (seen.has(c.path) || c.path === "" || c.path.startsWith("/") || c.path.endsWith("/")) return false;
      seen.add(c.path);
      const { at, atEnd, from, to } = rangeUnder(raw, c.path);
      if (to > from) return false; // a directory there
      if (atEnd - at > 1) return false; // conflict stages
      if (atEnd > at) {
        if ((buf[raw.offsets[at]! + 60]! & 0x70) !== 0) return false; // a stage or extended flags
        removed.add(at);
      }
      if (c.after === undefined) continue;
      const mode = MODES[c.after.mode];
      if (mode === undefined || !/^[0-9a-f]{40}$/.test(c.after.id)) return false;
      const parts = c.path.split("/");
      for (let i = 1; i < parts.length; i++) {
        const dir = parts.slice(0, i).join("/");
        if (addedPaths.has(dir)) return false;
        const r = rangeUnder(raw, dir);
        if (r.atEnd > r.at) return false; // a file where a directory must go
      }
      const path = Buffer.from(c.path, "utf8");
      added.push({ path, bytes: newEntry(path, mode, c.after.id), at });
    }
    added.sort((a, b) => Buffer.compare(a.path, b.path));
    // The kept entries (their bytes as they are, in runs) merged with the new ones, in Git's path order.
    const header = Buffer.from(buf.subarray(0, 12));
    const parts: Buffer[] = [header];
    /** The parts that are views of `buf` (kept entries). */
    const runs = new Set<Buffer>();
    const racy: { offset: number; path: string; id: ObjectId; mode: number }[] = [];
    const candidates = racyEntries(raw, Number(before.mtimeNs / 1_000_000_000n));
    const { offsets, pathStarts, pathLengths } = raw;
    let entries = 0;
    let cursor = 0;
    let c = 0;
    /** Copies the kept entries `[cursor, until)`, noting the racily clean ones. */
    const copyTo = (until: number): void => {
      if (until <= cursor) return;
      const start = offsets[cursor]!;
      const end = until < count ? offsets[until]! : raw.extensions;
      while (c < candidates.length && candidates[c]! < cursor) c++;
      for (; c < candidates.length && candidates[c]! < until; c++) {
        const i = candidates[c]!;
        const o = offsets[i]!;
        const mode = buf.readUInt32BE(o + 24);
        if (mode >>> 12 === 0o16) continue; // gitlinks have no file content to compare
        const path = buf.toString("utf8", pathStarts[i]!, pathStarts[i]! + pathLengths[i]!);
        racy.push({ offset: o, path, id: objectIdAt(buf, o + 40), mode });
      }
      const run = buf.subarray(start, end);
      runs.add(run);
      parts.push(run);
      entries += until - cursor;
      cursor = until;
    };
    let k = 0;
    for (const r of [...removed, count].sort((x, y) => x - y)) {
      while (k < added.length && added[k]!.at <= r) {
        copyTo(added[k]!.at);
        parts.push(added[k]!.bytes);
        entries++;
        k++;
      }
      copyTo(r);
      cursor = r + 1; // removed (or the end)
    }
    if (cacheTree !== undefined) {
      for (const c of changes) invalidateCacheTree(cacheTree, c.path);
      const tree: Buffer[] = [];
      writeCacheTree(cacheTree, tree);
      const data = Buffer.concat(tree);
      const head = Buffer.alloc(8);
      head.write("TREE", 0, "latin1");
      head.writeUInt32BE(data.length, 4);
      parts.push(head, data);
    }
    header.writeUInt32BE(entries, 8);
    // Racily clean entries whose files changed lose their size (in a private copy of shared bytes).
    let smudged: Buffer | undefined;
    for (const r of racy) {
      if (await unchanged(join(worktreeRoot, r.path), r.id, r.mode)) continue;
      if (shared) {
        smudged = Buffer.from(buf);
        shared = false;
      }
      (smudged ?? buf).writeUInt32BE(0, r.offset + SIZE_OFFSET);
    }
    const out = smudged === undefined ? parts : parts.map((p) => (runs.has(p) ? retarget(p, buf, smudged!) : p));
    // `index.skipHash` indexes carry a zero trailer; keep it so.
    const hash = createHash("sha1");
    const skipHash = !buf.subarray(trailer).some((b) => b !== 0);
    for (const p of out) {
      if (!skipHash) hash.update(p);
      await lock.write(p);
    }
    await lock.write(skipHash ? Buffer.alloc(20) : hash.digest());
    await lock.commit();
    return true;
  } finally {
    await lock.release();
  }
}
