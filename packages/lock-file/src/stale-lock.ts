import { promises as fsp } from "node:fs";
import { createExclusiveFileSync } from "./exclusive-file.js";
import { isHeldHere } from "./held-locks.js";
import { currentOwner, formatOwner, ownerIsGone, parseOwner } from "./lock-owner.js";

/** A lock file whose text names no owner (an older or foreign lock) is stale once this old, in ms. */
export const FOREIGN_LOCK_STALE_MS = 10_000;
/** A breaker (`<lock>.break`) left by a process killed while breaking a lock is removed once this old, in ms. */
const BREAKER_STALE_MS = 10_000;

interface SeenLock {
  text: string;
  ino: number;
  ageMs: number;
}

/** The lock file's text and inode, read through one descriptor; undefined when it is gone. */
async function readLock(lockPath: string): Promise<SeenLock | undefined> {
  let handle;
  try {
    handle = await fsp.open(lockPath, "r");
  } catch (e) {
    if ((e as { code?: unknown }).code === "ENOENT") return undefined;
    throw e;
  }
  try {
    const s = await handle.stat();
    return { text: await handle.readFile("utf8"), ino: s.ino, ageMs: Date.now() - s.mtimeMs };
  } finally {
    await handle.close();
  }
}

function isStale(lockPath: string, seen: SeenLock): boolean {
  const owner = parseOwner(seen.text);
  if (owner === undefined) return seen.ageMs >= FOREIGN_LOCK_STALE_MS;
  return ownerIsGone(owner, isHeldHere(lockPath));
}

/**
 * Removes an owned lock whose owner is gone. Returns true when the caller should try to take the
 * lock again at once (the lock was removed, or was released or replaced meanwhile), false when
 * it is held (or being broken by another process) and the caller should wait.
 *
 * Two processes that both find the same stale lock must not both remove "it": the second would
 * remove the lock the first has just taken. So a lock is removed only under a breaker file
 * (`<lock>.break`, created exclusively), and only when it is still the very file (inode and
 * text) that was judged stale.
 */
export async function breakIfStale(lockPath: string): Promise<boolean> {
  const seen = await readLock(lockPath);
  if (seen === undefined) return true;
  if (!isStale(lockPath, seen)) return false;
  const breaker = `${lockPath}.break`;
  try {
    createExclusiveFileSync(breaker, formatOwner(currentOwner()));
  } catch (e) {
    if ((e as { code?: unknown }).code !== "EEXIST") throw e;
    // Another process is breaking it; a breaker whose process was killed meanwhile goes once old.
    const age = await fsp.stat(breaker).then(
      (s) => Date.now() - s.mtimeMs,
      () => 0,
    );
    if (age >= BREAKER_STALE_MS) await fsp.rm(breaker, { force: true });
    return false;
  }
  try {
    const now = await readLock(lockPath);
    if (now !== undefined && now.ino === seen.ino && now.text === seen.text) await fsp.rm(lockPath, { force: true });
    return true;
  } finally {
    await fsp.rm(breaker, { force: true });
  }
}
