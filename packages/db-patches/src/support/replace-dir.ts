import { existsSync, renameSync, rmSync } from "node:fs";
import { basename } from "node:path";

/** Replaces a directory: the old one is moved aside, and put back if filling the new one fails. */
export function replaceDir(dir: string, fill: (dest: string) => void): void {
  const aside = `${dir}.old-${process.pid}-${basename(dir)}`;
  rmSync(aside, { recursive: true, force: true });
  const had = existsSync(dir);
  if (had) renameSync(dir, aside);
  try {
    fill(dir);
  } catch (e) {
    rmSync(dir, { recursive: true, force: true });
    if (had) renameSync(aside, dir);
    throw e;
  }
  rmSync(aside, { recursive: true, force: true });
}

/** Replaces a directory by one that `fill` builds beside it (asynchronously); the old one goes only once the new one is in place. */
export async function replaceDirAsync(dir: string, fill: (dest: string) => Promise<void>): Promise<void> {
  const tmp = `${dir}.restore-${process.pid}`;
  rmSync(tmp, { recursive: true, force: true });
  try {
    await fill(tmp);
    replaceDir(dir, (dest) => renameSync(tmp, dest));
  } finally {
    rmSync(tmp, { recursive: true, force: true });
  }
}
