import { type LockFile, type LockOptions, acquireLock, isLockFileError } from "@git-prolly/lock-file";
import { GIT_ERROR_CODES, GitStoreError } from "./errors.js";

/**
 * @internal Takes `<path>.lock` (see `@git-prolly/lock-file`), reporting a lock held past the
 * timeout as this package's GIT_LOCKED.
 * @throws {GitStoreError} GIT_LOCKED when another process holds it past the timeout.
 */
export async function takeLock(path: string, options: LockOptions = {}): Promise<LockFile> {
  try {
    return await acquireLock(path, options);
  } catch (e) {
    if (!isLockFileError(e, "LOCK_HELD")) throw e;
    throw new GitStoreError(GIT_ERROR_CODES.LOCKED, e.message, {
      hint: e.hint,
      data: { path: e.data["lockPath"], ...e.data },
      cause: e,
    });
  }
}
