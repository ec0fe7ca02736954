import { type LockOwner, acquireLock, isLockFileError } from "@git-prolly/lock-file";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";

/** The process that holds a data-directory lock, as its lock file names it. */
export type DataDirLockOwner = LockOwner;

/** A held lock on a PGlite data directory. */
export interface DataDirLock {
  /** The lock file (`<dataDir>.lock`). */
  readonly path: string;
  /** Removes the lock file; idempotent. */
  release(): Promise<void>;
}

/**
 * Takes the lock of a PGlite data directory: `<dataDir>.lock`, an owned lock of
 * `@git-prolly/lock-file` (created complete with its owner's pid and host, so no second process
 * ever sees it empty and takes it too). PGlite itself does not lock (toolchain.md G17): two
 * instances on one directory silently diverge. A lock left by a dead process on this host is
 * taken over; a second handle in one process is refused like another process.
 *
 * @throws {@link DbPatchError} `DB_PGLITE_LOCKED` when a live process holds it.
 */
export async function lockDataDir(dataDir: string): Promise<DataDirLock> {
  try {
    const lock = await acquireLock(dataDir, { owned: true, timeoutMs: 0 });
    return { path: lock.lockPath, release: () => lock.release() };
  } catch (e) {
    if (!isLockFileError(e, "LOCK_HELD")) throw e;
    const owner = e.data["owner"] as DataDirLockOwner | undefined;
    const path = `${dataDir}.lock`;
    throw new DbPatchError(
      DB_PATCH_ERROR_CODES.PGLITE_LOCKED,
      `the PGlite data directory ${dataDir} is in use${owner ? ` by process ${owner.pid} on ${owner.hostname}` : ""}`,
      {
        hint: `Close the other git-prolly process (or handle) using it. If no such process exists, delete ${path}.`,
        data: { dataDir, lockFile: path, ...(owner ? { owner } : {}) },
        cause: e,
      },
    );
  }
}
