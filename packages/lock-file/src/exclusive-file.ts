import { linkSync, rmSync, writeFileSync } from "node:fs";

/**
 * Creates `path` holding `content`, failing with EEXIST when it exists, such that no reader ever
 * sees it empty or half-written: the content goes into a temporary file first, which is then
 * hard-linked to `path` (atomic, and exclusive like O_CREAT|O_EXCL). A process killed at any
 * point leaves either no file or a complete one (and at worst a stray temporary file).
 * Synchronous calls: a few microseconds each on a local disk, less than a trip through libuv's
 * thread pool, and a lock is taken on every command's hot path.
 */
export function createExclusiveFileSync(path: string, content: string): void {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, content, { flag: "wx", mode: 0o644 });
  try {
    linkSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}
