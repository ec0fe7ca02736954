import { linkSync, rmSync, writeFileSync, promises as fsp } from "node:fs";

/**
 * Creates `path` holding `content`, failing with EEXIST when it exists, such that no reader ever
 * sees it empty or half-written: the content goes into a temporary file first, which is then
 * hard-linked to `path` (atomic, and exclusive like O_CREAT|O_EXCL). A process killed at any
 * point leaves either no file or a complete one (and at worst a stray temporary file).
 */
export async function createExclusiveFile(path: string, content: string): Promise<void> {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  await fsp.writeFile(temp, content, { flag: "wx", mode: 0o644 });
  try {
    await fsp.link(temp, path);
  } finally {
    await fsp.rm(temp, { force: true });
  }
}

/** {@link createExclusiveFile} with synchronous calls (a lock taken on a command's hot path). */
export function createExclusiveFileSync(path: string, content: string): void {
  const temp = `${path}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  writeFileSync(temp, content, { flag: "wx", mode: 0o644 });
  try {
    linkSync(temp, path);
  } finally {
    rmSync(temp, { force: true });
  }
}
