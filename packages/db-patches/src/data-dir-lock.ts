import { closeSync, openSync, readFileSync, rmSync, writeSync } from "node:fs";
import { hostname } from "node:os";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "./errors.js";

/** What a lock file records about its owner. */
export interface DataDirLockOwner {
  pid: number;
  hostname: string;
  createdAt: string;
}

/** A held lock on a PGlite data directory. */
export interface DataDirLock {
  /** The lock file (`<dataDir>.lock`). */
  readonly path: string;
  /** Removes the lock file; idempotent. */
  release(): void;
}

/** Data directories locked by this process (a second handle in one process is refused too). */
const heldHere = new Set<string>();

/**
 * Takes the lock of a PGlite data directory: exclusive creation of `<dataDir>.lock`, holding the
 * owner's pid and host. PGlite itself does not lock (toolchain.md G17): two instances on one
 * directory silently diverge. A lock left by a dead process on this host is taken over.
 *
 * @throws {@link DbPatchError} `DB_PGLITE_LOCKED` when a live process holds it.
 */
export function lockDataDir(dataDir: string): DataDirLock {
  const path = `${dataDir}.lock`;
  for (let attempt = 0; attempt < 3; attempt++) {
    if (heldHere.has(path)) throw lockedError(dataDir, path, ownerOf(path));
    let fd: number;
    try {
      fd = openSync(path, "wx", 0o644);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== "EEXIST") throw e;
      const owner = ownerOf(path);
      if (owner !== undefined && isAlive(owner)) throw lockedError(dataDir, path, owner);
      // Stale (dead owner or unreadable half-written file): remove and race again for 'wx'.
      rmSync(path, { force: true });
      continue;
    }
    const owner: DataDirLockOwner = { pid: process.pid, hostname: hostname(), createdAt: new Date().toISOString() };
    writeSync(fd, JSON.stringify(owner));
    closeSync(fd);
    heldHere.add(path);
    let released = false;
    return {
      path,
      release() {
        if (released) return;
        released = true;
        heldHere.delete(path);
        rmSync(path, { force: true });
      },
    };
  }
  throw lockedError(dataDir, path, ownerOf(path));
}

function ownerOf(path: string): DataDirLockOwner | undefined {
  try {
    const v = JSON.parse(readFileSync(path, "utf8")) as Partial<DataDirLockOwner>;
    if (typeof v.pid === "number" && typeof v.hostname === "string") {
      return { pid: v.pid, hostname: v.hostname, createdAt: String(v.createdAt ?? "") };
    }
  } catch {
    // unreadable or half-written: treated as stale
  }
  return undefined;
}

function isAlive(owner: DataDirLockOwner): boolean {
  // A lock from another host (shared disk) cannot be checked: assume it is alive.
  if (owner.hostname !== hostname()) return true;
  // Our own pid without an entry in `heldHere`: left behind by this process, so stale.
  if (owner.pid === process.pid) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === "EPERM";
  }
}

function lockedError(dataDir: string, path: string, owner: DataDirLockOwner | undefined): DbPatchError {
  return new DbPatchError(
    DB_PATCH_ERROR_CODES.PGLITE_LOCKED,
    `the PGlite data directory ${dataDir} is in use${owner ? ` by process ${owner.pid} on ${owner.hostname}` : ""}`,
    {
      hint: `Close the other git-prolly process (or handle) using it. If no such process exists, delete ${path}.`,
      data: { dataDir, lockFile: path, ...(owner ? { owner } : {}) },
    },
  );
}
