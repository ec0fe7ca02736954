import type { BigIntStats } from "node:fs";

/** Stat fields per file in {@link DirectoryJob} replies, in index order (all 32-bit). */
export const STAT_FIELDS = 9;

/**
 * Writes a file's stat data as Git's index records it into `out` at `at`: ctime s, ctime ns,
 * mtime s, mtime ns, dev, ino, uid, gid, size, each truncated to 32 bits (a size that truncates
 * to 0 but is not 0 becomes 2^31, as Git does).
 */
export function statFields(s: BigIntStats, out: Uint32Array, at: number): void {
  const u32 = (x: bigint): number => Number(x & 0xffffffffn);
  out[at] = u32(s.ctimeNs / 1000000000n);
  out[at + 1] = u32(s.ctimeNs % 1000000000n);
  out[at + 2] = u32(s.mtimeNs / 1000000000n);
  out[at + 3] = u32(s.mtimeNs % 1000000000n);
  out[at + 4] = u32(s.dev);
  out[at + 5] = u32(s.ino);
  out[at + 6] = u32(s.uid);
  out[at + 7] = u32(s.gid);
  const size = u32(s.size);
  out[at + 8] = size === 0 && s.size !== 0n ? 0x80000000 : size;
}
