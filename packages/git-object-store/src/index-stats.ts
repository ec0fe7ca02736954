/**
 * Recording stat data in Git's index for files this process has just written. Entries added by
 * `git update-index --index-info` carry none (all zeros), so Git would read and hash each file
 * again on the next `git status`; `git update-index --refresh` does exactly that once. When the
 * writer already knows every file's stat data (a materialized import), it is written straight
 * into those entries instead: the record `--refresh` would make, without reading the files.
 *
 * The index is rewritten under Git's `index.lock` protocol with only stat fields changed, so
 * entry sizes, extensions (cache tree, untracked cache, end-of-index offsets) and every other
 * entry stay byte for byte as Git wrote them; only the trailer checksum is recomputed. The new
 * index keeps the old one's modification time (set a microsecond earlier, never later): Git
 * re-reads every file whose recorded mtime is not older than the index ("racy Git"), and a file
 * changed in the same second as the old index was written must stay suspect, since this rewrite
 * does not re-check it the way Git's own index writes do.
 */
import { createHash } from "node:crypto";
import { readFile, stat, utimes } from "node:fs/promises";
import { indexExtensions, walkIndex } from "./git-index.js";
import { acquireLock } from "./lock-file.js";
import type { ObjectId } from "./object-id.js";

/** Offsets of the stat fields in an index entry, in {@link STAT_FIELDS} order (the mode at 24 is left alone). */
const FIELD_OFFSETS = [0, 4, 8, 12, 16, 20, 28, 32, 36] as const;

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
export async function recordIndexStats(indexPath: string, files: ReadonlyMap<string, WrittenFile>): Promise<number> {
  if (files.size === 0) return 0;
  const lock = await acquireLock(indexPath, { timeoutMs: 3000 });
  try {
    const before = await stat(indexPath, { bigint: true });
    const buf = await readFile(indexPath);
    const targets: { offset: number; stat: Uint32Array }[] = [];
    const layout = walkIndex(buf, (e) => {
      if ((e.flags & 0x3000) !== 0 || !emptyStat(buf, e.offset)) return;
      const file = files.get(e.path.toString("utf8"));
      if (file !== undefined && file.id === e.id) targets.push({ offset: e.offset, stat: file.stat });
    });
    for (const { sig } of indexExtensions(buf, layout)) if (sig === "link" || sig === "sdir") return 0;
    if (targets.length === 0) return 0;
    for (const t of targets) FIELD_OFFSETS.forEach((f, i) => buf.writeUInt32BE(t.stat[i]!, t.offset + f));
    // `index.skipHash` indexes carry a zero trailer; keep it so.
    if (buf.subarray(layout.trailer).some((b) => b !== 0)) createHash("sha1").update(buf.subarray(0, layout.trailer)).digest().copy(buf, layout.trailer);
    await lock.write(buf);
    await utimes(lock.lockPath, Number(before.atimeNs / 1000n) / 1e6, Number(before.mtimeNs / 1000n - 1n) / 1e6);
    await lock.commit();
    return targets.length;
  } finally {
    await lock.release();
  }
}

function emptyStat(buf: Buffer, offset: number): boolean {
  for (const f of FIELD_OFFSETS) if (buf.readUInt32BE(offset + f) !== 0) return false;
  return true;
}
