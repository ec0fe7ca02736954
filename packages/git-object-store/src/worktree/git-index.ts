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

/** Parses the bytes of an index file. */
export function parseIndex(buf: Buffer): GitIndex {
  const entries: IndexEntry[] = [];
  const layout = walkIndex(buf, ({ path, mode, id, flags }) => {
    if (mode >>> 12 === 0o04) throw unsupported("sparse directory entries");
    entries.push({ path: path.toString("utf8"), mode: modeOf(mode), id, stage: (flags >> 12) & 3 });
  });
  const cacheTree = new Map<string, CachedTree>();
  for (const { sig, data } of indexExtensions(buf, layout)) {
    if (sig === "link") throw unsupported("split index");
    if (sig === "sdir") throw unsupported("sparse index");
    if (sig === "TREE") parseCacheTree(data, cacheTree);
  }
  return {
    version: layout.version,
    entries,
    cacheTree,
    checksum: buf.toString("hex", layout.trailer, layout.trailer + 20),
  };
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
