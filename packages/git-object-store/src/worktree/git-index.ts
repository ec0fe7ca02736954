/**
 * Reading Git's index file (versions 2–4) and its cache-tree extension, enough to know which
 * blob or tree sits at a path of the staging area without running `git`. Split and sparse
 * indexes are reported as unsupported (callers fall back to `git ls-files`).
 */
import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";
import { type ObjectId, objectIdAt } from "../objects/object-id.js";
import type { TreeEntryMode } from "../objects/tree-object.js";

/** One index entry. */
export interface IndexEntry {
  readonly path: string;
  readonly mode: TreeEntryMode;
  readonly id: ObjectId;
  /** 0 for a normal entry, 1–3 for the sides of an unresolved merge conflict. */
  readonly stage: number;
}

/** A directory's tree as recorded by the cache-tree extension (valid entries only). */
export interface CachedTree {
  readonly id: ObjectId;
  readonly entryCount: number;
}

/** A parsed index. */
export interface GitIndex {
  readonly version: number;
  /** Entries in index order (bytewise by path, then stage). */
  readonly entries: readonly IndexEntry[];
  /** Valid cache-tree records by directory path (`""` is the root). */
  readonly cacheTree: ReadonlyMap<string, CachedTree>;
  /** Hex checksum from the index trailer. */
  readonly checksum: string;
}

function modeOf(raw: number): TreeEntryMode {
  switch (raw >>> 12) {
    case 0o10:
      return (raw & 0o111) !== 0 ? "100755" : "100644";
    case 0o12:
      return "120000";
    case 0o16:
      return "160000";
    default:
      return "40000";
  }
}

function unsupported(what: string): GitStoreError {
  return new GitStoreError(GIT_ERROR_CODES.UNSUPPORTED, `unsupported index: ${what}`, {
    hint: "The index uses a format this reader does not parse; callers fall back to `git ls-files`.",
    data: { what },
  });
}

function corrupt(what: string): GitStoreError {
  return new GitStoreError(GIT_ERROR_CODES.OBJECT_CORRUPT, `the index file is corrupt: ${what}`, {
    hint: "Rebuild it with `git reset` (keeps the working tree) after checking `git status`.",
    data: { what },
  });
}

/** What {@link walkIndex} reports of one entry. */
export interface RawIndexEntry {
  /** Offset of the entry (its stat data) in the index bytes. */
  readonly offset: number;
  readonly path: Buffer;
  /** Raw mode bits. */
  readonly mode: number;
  /** Object id, hex. */
  readonly id: ObjectId;
  /** The 16-bit flags (stage in bits 12–13). */
  readonly flags: number;
}

/** Where the extensions start, after {@link walkIndex} visited every entry. */
export interface IndexLayout {
  readonly version: number;
  /** Offset of the first extension (or of the trailer). */
  readonly extensions: number;
  /** Offset of the 20-byte trailer checksum. */
  readonly trailer: number;
}

/**
 * Walks the entries of an index file (versions 2–4) in order.
 * @throws {GitStoreError} GIT_OBJECT_CORRUPT for damaged bytes, GIT_UNSUPPORTED for other versions.
 */
export function walkIndex(buf: Buffer, visit: (entry: RawIndexEntry) => void): IndexLayout {
  if (buf.length < 32 || buf.toString("latin1", 0, 4) !== "DIRC") throw corrupt("bad signature");
  const version = buf.readUInt32BE(4);
  if (version < 2 || version > 4) throw unsupported(`version ${version}`);
  const count = buf.readUInt32BE(8);
  const end = buf.length - 20;
  let o = 12;
  let prev: Buffer = Buffer.alloc(0);
  for (let i = 0; i < count; i++) {
    if (o + 62 > end) throw corrupt("truncated entry");
    const start = o;
    const mode = buf.readUInt32BE(o + 24);
    const id = objectIdAt(buf, o + 40);
    const flags = buf.readUInt16BE(o + 60);
    let p = o + 62;
    if (flags & 0x4000) {
      if (version < 3) throw corrupt("extended flags in a version-2 index");
      p += 2;
    }
    let path: Buffer;
    if (version === 4) {
      let byte = buf[p++]!;
      let strip = byte & 0x7f;
      while (byte & 0x80) {
        byte = buf[p++]!;
        strip = ((strip + 1) << 7) | (byte & 0x7f);
      }
      const nul = buf.indexOf(0, p);
      if (nul < 0 || strip > prev.length) throw corrupt("bad path");
      path = Buffer.concat([prev.subarray(0, prev.length - strip), buf.subarray(p, nul)]);
      o = nul + 1;
    } else {
      const nul = buf.indexOf(0, p);
      if (nul < 0 || nul > end) throw corrupt("bad path");
      path = buf.subarray(p, nul);
      o += (p - o + path.length + 8) & ~7;
    }
    prev = path;
    visit({ offset: start, path, mode, id, flags });
  }
  return { version, extensions: o, trailer: end };
}

/** Parses every entry of an index at once (version 4, whose paths depend on the previous one). */
function parseIndexEagerly(buf: Buffer): GitIndex {
  const entries: IndexEntry[] = [];
  const layout = walkIndex(buf, ({ path, mode, id, flags }) => {
    if (mode >>> 12 === 0o04) throw unsupported("sparse directory entries");
    entries.push({ path: path.toString("utf8"), mode: modeOf(mode), id, stage: (flags >> 12) & 3 });
  });
  return {
    version: layout.version,
    entries,
    cacheTree: readExtensions(buf, layout),
    checksum: buf.toString("hex", layout.trailer, layout.trailer + 20),
  };
}

function readExtensions(buf: Buffer, layout: IndexLayout): Map<string, CachedTree> {
  const cacheTree = new Map<string, CachedTree>();
  for (const { sig, data } of indexExtensions(buf, layout)) {
    if (sig === "link") throw unsupported("split index");
    if (sig === "sdir") throw unsupported("sparse index");
    if (sig === "TREE") parseCacheTree(data, cacheTree);
  }
  return cacheTree;
}

/** @internal The bytes behind an index parsed lazily, and where each entry starts. */
export interface RawIndex {
  readonly buf: Buffer;
  /** Offset of the first extension (or of the trailer). */
  readonly extensions: number;
  /** Entry `i` starts at `offsets[i]`; its path is `pathLengths[i]` bytes at `offsets[i] + pathAt(i)`. */
  readonly offsets: Uint32Array;
  readonly pathLengths: Uint32Array;
  readonly pathStarts: Uint32Array;
  /** The latest mtime second of any entry (for Git's racy-entry rule; 0 without entries). */
  readonly newestMtime: number;
  /** The entries whose mtime second is {@link newestMtime}, in order (usually a few). */
  readonly newest: readonly number[];
  /** How many entries have a conflict stage (1–3). */
  readonly conflicted: number;
}

const RAW = new WeakMap<GitIndex, RawIndex>();

function entryOf(raw: RawIndex, i: number): IndexEntry {
  const { buf, offsets, pathStarts, pathLengths } = raw;
  const o = offsets[i]!;
  return {
    path: buf.toString("utf8", pathStarts[i]!, pathStarts[i]! + pathLengths[i]!),
    mode: modeOf(buf.readUInt32BE(o + 24)),
    id: objectIdAt(buf, o + 40),
    stage: (buf.readUInt16BE(o + 60) >> 12) & 3,
  };
}

/**
 * Parses the bytes of an index file. Versions 2 and 3 are read lazily: parsing finds where each
 * entry starts (from the name length in its flags, without building anything) and reads the
 * extensions; the entries are built on first use of `entries`, and {@link indexEntriesUnder}
 * builds only those below a path (an index of 20,000 entries costs well under a millisecond
 * instead of tens of milliseconds and garbage).
 */
export function parseIndex(buf: Buffer): GitIndex {
  if (buf.length < 32 || buf.toString("latin1", 0, 4) !== "DIRC") throw corrupt("bad signature");
  const version = buf.readUInt32BE(4);
  if (version === 4) return parseIndexEagerly(buf);
  if (version < 2 || version > 4) throw unsupported(`version ${version}`);
  const count = buf.readUInt32BE(8);
  const end = buf.length - 20;
  if (count > end / 62) throw corrupt("truncated entry");
  const offsets = new Uint32Array(count);
  const pathStarts = new Uint32Array(count);
  const pathLengths = new Uint32Array(count);
  // The entries of the latest mtime second, found in this pass: a second pass over every entry
  // (Git's racy check before a write) would cost as much again in a short-lived process.
  let newestMtime = 0;
  const newest: number[] = [];
  let conflicted = 0;
  let o = 12;
  for (let i = 0; i < count; i++) {
    if (o + 62 > end) throw corrupt("truncated entry");
    const flags = (buf[o + 60]! << 8) | buf[o + 61]!;
    if (buf[o + 26]! >>> 4 === 0o04) throw unsupported("sparse directory entries"); // mode bits 12–15
    let p = o + 62;
    if (flags & 0x4000) {
      if (version < 3) throw corrupt("extended flags in a version-2 index");
      p += 2;
    }
    let length = flags & 0xfff;
    if (length === 0xfff) {
      const nul = buf.indexOf(0, p);
      if (nul < 0) throw corrupt("bad path");
      length = nul - p;
    }
    if (p + length >= end || buf[p + length] !== 0) throw corrupt("bad path");
    offsets[i] = o;
    const mtime = ((buf[o + 8]! << 24) | (buf[o + 9]! << 16) | (buf[o + 10]! << 8) | buf[o + 11]!) >>> 0;
    if (mtime >= newestMtime) {
      if (mtime > newestMtime) {
        newestMtime = mtime;
        newest.length = 0;
      }
      newest.push(i);
    }
    if (flags & 0x3000) conflicted++;
    pathStarts[i] = p;
    pathLengths[i] = length;
    o += (p - o + length + 8) & ~7;
  }
  const layout: IndexLayout = { version, extensions: o, trailer: end };
  const cacheTree = readExtensions(buf, layout);
  const raw: RawIndex = { buf, extensions: o, offsets, pathStarts, pathLengths, newestMtime, newest, conflicted };
  let entries: IndexEntry[] | undefined;
  const index: GitIndex = {
    version,
    get entries(): readonly IndexEntry[] {
      if (entries === undefined) {
        entries = new Array<IndexEntry>(count);
        for (let i = 0; i < count; i++) entries[i] = entryOf(raw, i);
      }
      return entries;
    },
    cacheTree,
    checksum: buf.toString("hex", end, end + 20),
  };
  RAW.set(index, raw);
  return index;
}

/** @internal The bytes and entry offsets of an index from {@link parseIndex} (versions 2 and 3). */
export function rawIndex(index: GitIndex): RawIndex | undefined {
  return RAW.get(index);
}

/** The first entry whose path does not sort before `want` (bytewise, Git's order). */
function lowerBound(raw: RawIndex, want: Buffer): number {
  const { buf, pathStarts, pathLengths } = raw;
  let lo = 0;
  let hi = pathStarts.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    const s = pathStarts[mid]!;
    // `compare` < 0: entry `mid` sorts before `want`.
    if (buf.compare(want, 0, want.length, s, s + pathLengths[mid]!) < 0) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}

/**
 * @internal Where the entries at `path` (its stages) and below it (`path/…`) are: `[at, atEnd)` and
 * `[from, to)` (`path-x`, `path.x`… sort between the two and belong to neither).
 */
export function rangeUnder(raw: RawIndex, path: string): { at: number; atEnd: number; from: number; to: number } {
  const want = Buffer.from(`${path}/`, "utf8");
  const n = want.length - 1;
  const at = lowerBound(raw, want.subarray(0, n));
  let atEnd = at;
  while (
    atEnd < raw.pathStarts.length &&
    raw.pathLengths[atEnd] === n &&
    raw.buf.compare(want, 0, n, raw.pathStarts[atEnd]!, raw.pathStarts[atEnd]! + n) === 0
  )
    atEnd++;
  const from = lowerBound(raw, want);
  want[n] = 0x30; // "/" + 1: the first path after every `path/…`
  const to = lowerBound(raw, want);
  return { at, atEnd, from, to };
}

/**
 * The entries of `index` at `path` or below it (`path/…`), in index order, all stages. On an
 * index from {@link parseIndex} only those entries are built (found by binary search).
 */
export function indexEntriesUnder(index: GitIndex, path: string): IndexEntry[] {
  const raw = RAW.get(index);
  if (raw === undefined) {
    const dir = `${path}/`;
    return index.entries.filter((e) => e.path === path || e.path.startsWith(dir));
  }
  const { at, atEnd, from, to } = rangeUnder(raw, path);
  const out: IndexEntry[] = [];
  for (let i = at; i < atEnd; i++) out.push(entryOf(raw, i));
  for (let i = from; i < to; i++) out.push(entryOf(raw, i));
  return out;
}

/** What {@link inspectIndexUnder} finds at a path. */
export interface IndexPathSummary {
  /** Entries at the path or below it (all stages). */
  readonly count: number;
  /** The stage-0 entry at the path itself (a file). */
  readonly own: IndexEntry | undefined;
  /** Entries of unresolved conflicts (stages 1–3) at or below the path. */
  readonly conflicts: readonly IndexEntry[];
}

/**
 * How many entries sit at `path` or below it, the file entry at `path` and the conflicted
 * entries, building no other entry (on an index from {@link parseIndex}).
 */
export function inspectIndexUnder(index: GitIndex, path: string): IndexPathSummary {
  const raw = RAW.get(index);
  if (raw === undefined) {
    const under = indexEntriesUnder(index, path);
    return {
      count: under.length,
      own: under.find((e) => e.path === path && e.stage === 0),
      conflicts: under.filter((e) => e.stage !== 0),
    };
  }
  const { at, atEnd, from, to } = rangeUnder(raw, path);
  const count = atEnd - at + (to - from);
  if (raw.conflicted === 0) return { count, own: at < atEnd ? entryOf(raw, at) : undefined, conflicts: [] };
  let own: IndexEntry | undefined;
  const conflicts: IndexEntry[] = [];
  const { buf, offsets } = raw;
  const visit = (i: number): void => {
    if ((buf[offsets[i]! + 60]! & 0x30) !== 0)
      conflicts.push(entryOf(raw, i)); // stage bits of the flags
    else if (i < atEnd) own = entryOf(raw, i);
  };
  for (let i = at; i < atEnd; i++) visit(i);
  for (let i = from; i < to; i++) visit(i);
  return { count, own, conflicts };
}

/** The extensions of an index: signature and data. */
export function* indexExtensions(buf: Buffer, layout: IndexLayout): Generator<{ sig: string; data: Buffer }> {
  let o = layout.extensions;
  while (o + 8 <= layout.trailer) {
    const size = buf.readUInt32BE(o + 4);
    yield { sig: buf.toString("latin1", o, o + 4), data: buf.subarray(o + 8, o + 8 + size) };
    o += 8 + size;
  }
}

function parseCacheTree(data: Buffer, out: Map<string, CachedTree>): void {
  let o = 0;
  const node = (prefix: string | undefined): void => {
    const nul = data.indexOf(0, o);
    if (nul < 0) return;
    const name = data.toString("utf8", o, nul);
    const lf = data.indexOf(0x0a, nul);
    const [countText, subText] = data.toString("latin1", nul + 1, lf).split(" ");
    o = lf + 1;
    const entryCount = Number(countText);
    const path = prefix === undefined ? "" : prefix === "" ? name : `${prefix}/${name}`;
    if (entryCount >= 0) {
      out.set(path, { id: objectIdAt(data, o), entryCount });
      o += 20;
    }
    const subtrees = Number(subText);
    for (let i = 0; i < subtrees && o < data.length; i++) node(path);
  };
  if (data.length > 0) node(undefined);
}
