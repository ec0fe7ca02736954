/**
 * Cross-process lock files shared by git-object-store and db-patches.
 *
 * - Git-protocol locks (`acquireLock(path)`): `<path>.lock` created exclusively, written with the
 *   new content, then renamed over `path` or removed; never broken automatically (like Git's).
 * - Owned locks (`acquireLock(path, { owned: true })`): the lock file names its process; it is
 *   created complete (temporary file, then hard link), so no process ever sees it empty, and one
 *   whose process is gone is broken by exactly one waiter.
 *
 * Held lock files are removed when the process exits or a signal kills it.
 * @packageDocumentation
 */
export {
  LOCK_ERROR_CODES,
  type LockErrorCode,
  LockFileError,
  type LockFileErrorOptions,
  isLockFileError,
} from "./errors.js";
export { LockFile, type LockOptions, acquireLock } from "./lock-file.js";
export { type LockOwner, isRunning } from "./lock-owner.js";
