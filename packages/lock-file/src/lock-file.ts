import { closeSync, mkdirSync, openSync, renameSync, rmSync, writeSync, promises as fsp } from "node:fs";
import { dirname } from "node:path";
import { LOCK_ERROR_CODES, LockFileError } from "./errors.js";
import { createExclusiveFileSync } from "./exclusive-file.js";
import { markBusy, track, untrack } from "./held-locks.js";
import { currentOwner, formatOwner, parseOwner } from "./lock-owner.js";
import { breakIfStale } from "./stale-lock.js";

/** Options of {@link acquireLock}. */
export interface LockOptions {
  /** How long to retry a lock held by someone else, in ms (default 2000; 0: one attempt). */
  timeoutMs?: number;
  /** Create missing parent directories of the locked path. */
  createParents?: boolean;
  /**
   * Record this process (`pid host thread`) in the lock file and break locks whose owner is
   * gone (same host only). Without it the lock follows Git's protocol (refs, the index): the
   * lock file receives the new content of `path` and is never broken automatically.
   */
  owned?: boolean;
}

/**
 * A held lock on `path`: the file `<path>.lock`.
 *
 * Its file operations are synchronous system calls behind the promise-returning methods: each
 * is a few microseconds on a local disk, where a trip through libuv's thread pool costs more
 * than the call itself, and short-lived processes (a CLI command) take several locks.
 */
export class LockFile {
  #fd: number | undefined;
  #held = true;

  /** @internal Use {@link acquireLock}. */
  constructor(
    readonly path: string,
    fd: number | undefined,
  ) {
    this.#fd = fd;
    track(this.lockPath);
  }

  /** The lock file's own path (`<path>.lock`). */
  get lockPath(): string {
    return `${this.path}.lock`;
  }

  /**
   * Writes the new content of `path` into the lock file (Git-protocol locks only).
   * @throws {LockFileError} LOCK_RELEASED after {@link commit} or {@link release}, or on an owned lock.
   */
  async write(data: string | Uint8Array): Promise<void> {
    const fd = this.#fd;
    if (!this.#held || fd === undefined) throw this.#notWritable("write to");
    const bytes = typeof data === "string" ? Buffer.from(data, "utf8") : data;
    for (let done = 0; done < bytes.length;) done += writeSync(fd, bytes, done, bytes.length - done);
  }

  /**
   * Renames the lock file over `path`, publishing what was written (Git-protocol locks only).
   * @throws {LockFileError} LOCK_RELEASED when already committed or released, or on an owned lock.
   */
  async commit(): Promise<void> {
    const fd = this.#fd;
    if (!this.#held || fd === undefined) throw this.#notWritable("commit");
    this.#held = false;
    this.#fd = undefined;
    closeSync(fd);
    untrack(this.lockPath);
    try {
      renameSync(this.lockPath, this.path);
    } catch (e) {
      rmSync(this.lockPath, { force: true });
      throw e;
    }
  }

  /** Removes the lock file, leaving `path` as it was. Safe to call twice. */
  async release(): Promise<void> {
    if (!this.#held) return;
    this.#held = false;
    const fd = this.#fd;
    this.#fd = undefined;
    try {
      if (fd !== undefined) closeSync(fd);
    } catch {
      // already closed
    }
    const done = markBusy(this.lockPath);
    try {
      untrack(this.lockPath);
      rmSync(this.lockPath, { force: true });
    } finally {
      done();
    }
  }

  #notWritable(what: string): LockFileError {
    const why = this.#held ? "an owned lock holds its owner, not new content" : "the lock was already released";
    return new LockFileError(LOCK_ERROR_CODES.RELEASED, `cannot ${what} ${this.lockPath}: ${why}`, {
      hint: "Take the lock again with acquireLock (without `owned` to write content).",
      data: { lockPath: this.lockPath },
    });
  }
}

/**
 * Takes the lock `<path>.lock`, retrying while another process holds it.
 * @throws {LockFileError} LOCK_HELD when it is still held when `timeoutMs` has passed.
 */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<LockFile> {
  const lockPath = `${path}.lock`;
  const deadline = Date.now() + (options.timeoutMs ?? 2000);
  let wait = 5;
  if (options.createParents === true) mkdirSync(dirname(path), { recursive: true });
  for (;;) {
    try {
      if (options.owned !== true) return new LockFile(path, openSync(lockPath, "wx", 0o644));
      const done = markBusy(lockPath);
      try {
        createExclusiveFileSync(lockPath, formatOwner(currentOwner()));
        return new LockFile(path, undefined);
      } finally {
        done();
      }
    } catch (e) {
      if ((e as { code?: unknown }).code !== "EEXIST") throw e;
      if (options.owned === true && (await breakIfStale(lockPath))) continue;
      if (Date.now() >= deadline) throw await lockHeld(path, lockPath, options.owned === true, e);
      await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(1, deadline - Date.now()))));
      wait = Math.min(wait * 2, 100);
    }
  }
}

async function lockHeld(path: string, lockPath: string, owned: boolean, cause: unknown): Promise<LockFileError> {
  const owner = owned ? parseOwner(await fsp.readFile(lockPath, "utf8").catch(() => "")) : undefined;
  const by = owner === undefined ? "another process" : `process ${owner.pid} on ${owner.hostname}`;
  return new LockFileError(LOCK_ERROR_CODES.HELD, `${lockPath} exists: ${by} is updating ${path}`, {
    hint: `Wait for the other process to finish; if none is running (it was killed), remove ${lockPath}.`,
    data: { lockPath, ...(owner === undefined ? {} : { owner }) },
    cause,
  });
}
