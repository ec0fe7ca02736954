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
import { readFile, stat } from "node:fs/promises";
import { join } from "node:path";
import { indexExtensions, walkIndex } from "./git-index.js";
import { takeLock } from "../take-lock.js";
import { type ObjectId, hashObject } from "../objects/object-id.js";

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
    const before = await stat(indexPath, { bigint: true });
    const buf = await readFile(indexPath);
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
    return hashObject("blob", await readFile(file)) === id;
  } catch {
    return false;
  }
}

function emptyStat(buf: Buffer, offset: number): boolean {
  for (const f of FIELD_OFFSETS) if (buf.readUInt32BE(offset + f) !== 0) return false;
  return true;
}
