/**
 * Git-style lock files: `<path>.lock` created with O_CREAT|O_EXCL, written, then renamed over
 * `<path>` to commit or removed to roll back. A lock held by another process is retried for a
 * short while, then reported as GIT_LOCKED (a stale lock left by a killed process must be
 * removed by hand, exactly as with Git's own `index.lock`).
 */
import { unlinkSync } from "node:fs";
import { type FileHandle, link, mkdir, open, readFile, rename, rm, stat, writeFile } from "node:fs/promises";
import { hostname } from "node:os";
import { dirname } from "node:path";
import { isMainThread } from "node:worker_threads";
import { onExit } from "signal-exit";
import { GIT_ERROR_CODES, GitStoreError } from "./errors.js";

/** Options of {@link acquireLock}. */
export interface LockOptions {
  /** How long to retry a lock held by someone else, in ms (default 2000). */
  timeoutMs?: number;
  /** Create missing parent directories of the locked path. */
  createParents?: boolean;
  /**
   * Record this process (`pid host`) in the lock file and break locks whose owner process is
   * gone (same host only). For this package's own locks; ref and index locks follow Git's
   * protocol, where the lock file holds the new content instead.
   */
  owned?: boolean;
}

/**
 * Lock files held by this process, removed when it exits or a signal kills it (Ctrl-C), as Git
 * removes its own: a lock left behind stops every later command until removed by hand.
 * signal-exit decides when a signal ends the process (no other handler takes it) and plays well
 * with the other libraries that use it; a handler is installed only while a lock is held.
 */
const held = new Set<string>();
let stopWatching: (() => void) | undefined;

function removeHeld(): void {
  for (const p of held) {
    try {
      unlinkSync(p);
    } catch {
      // already gone
    }
  }
  held.clear();
}

function track(lockPath: string): void {
  held.add(lockPath);
  if (stopWatching === undefined && isMainThread) stopWatching = onExit(removeHeld);
}

/** Called before a lock file is renamed or removed, so a signal meanwhile never removes a successor's lock. */
function untrack(lockPath: string): void {
  held.delete(lockPath);
  if (held.size > 0 || stopWatching === undefined) return;
  stopWatching();
  stopWatching = undefined;
}

/** A held lock on `path`. */
export class LockFile {
  #handle: FileHandle | undefined;

  constructor(readonly path: string, handle: FileHandle) {
    this.#handle = handle;
    track(this.lockPath);
  }

  /** The lock file's own path (`<path>.lock`). */
  get lockPath(): string {
    return `${this.path}.lock`;
  }

  /** Writes the new content of `path` into the lock file. */
  async write(data: string | Uint8Array): Promise<void> {
    if (this.#handle === undefined) throw new Error(`lock on ${this.path} already released`);
    await this.#handle.write(typeof data === "string" ? Buffer.from(data, "utf8") : data);
  }

  /** Renames the lock file over `path`, publishing what was written. */
  async commit(): Promise<void> {
    const handle = this.#handle;
    if (handle === undefined) throw new Error(`lock on ${this.path} already released`);
    this.#handle = undefined;
    await handle.close();
    untrack(this.lockPath);
    try {
      await rename(this.lockPath, this.path);
    } catch (e) {
      await rm(this.lockPath, { force: true });
      throw e;
    }
  }

  /** Removes the lock file, leaving `path` as it was. Safe to call twice. */
  async release(): Promise<void> {
    const handle = this.#handle;
    if (handle === undefined) return;
    this.#handle = undefined;
    await handle.close().catch(() => undefined);
    untrack(this.lockPath);
    await rm(this.lockPath, { force: true });
  }
}

/**
 * Takes the lock `<path>.lock`.
 * @throws {GitStoreError} GIT_LOCKED when another process holds it past the timeout.
 */
export async function acquireLock(path: string, options: LockOptions = {}): Promise<LockFile> {
  const timeoutMs = options.timeoutMs ?? 2000;
  const deadline = Date.now() + timeoutMs;
  let wait = 5;
  if (options.createParents === true) await mkdir(dirname(path), { recursive: true });
  for (;;) {
    try {
      if (options.owned === true) return new LockFile(path, await createOwnedLock(`${path}.lock`));
      return new LockFile(path, await open(`${path}.lock`, "wx", 0o644));
    } catch (e) {
      if (options.owned === true && (e as { code?: unknown }).code === "EEXIST" && (await breakIfStale(`${path}.lock`))) continue;
      if ((e as { code?: unknown }).code !== "EEXIST" || Date.now() >= deadline) {
        if ((e as { code?: unknown }).code !== "EEXIST") throw e;
        throw new GitStoreError(GIT_ERROR_CODES.LOCKED, `${path}.lock exists: another process is updating ${path}`, {
          hint: `Wait for the other process to finish; if none is running (it was killed), remove ${path}.lock.`,
          data: { path: `${path}.lock` },
          cause: e,
        });
      }
      await new Promise((r) => setTimeout(r, Math.min(wait, Math.max(1, deadline - Date.now()))));
      wait = Math.min(wait * 2, 100);
    }
  }
}

/**
 * Creates an owned lock that is never seen empty: the owner line goes into a temporary file that
 * is then hard-linked to the lock's name (atomic, and failing with EEXIST when the lock is held),
 * so a process killed at any point leaves either no lock or one that names it.
 */
async function createOwnedLock(lockPath: string): Promise<FileHandle> {
  const temp = `${lockPath}.${process.pid}.${Math.random().toString(36).slice(2)}`;
  await writeFile(temp, `${process.pid} ${hostname()}\n`, { flag: "wx", mode: 0o644 });
  try {
    await link(temp, lockPath);
  } finally {
    await rm(temp, { force: true });
  }
  return open(lockPath, "r");
}

/** Removes an owned lock whose process no longer runs on this host; true when it did. */
async function breakIfStale(lockPath: string): Promise<boolean> {
  let text: string;
  try {
    text = await readFile(lockPath, "utf8");
  } catch {
    return true; // released meanwhile: retry at once
  }
  const m = /^(\d+) (\S+)\n$/.exec(text);
  if (m === null) {
    // Not written by createOwnedLock (an older or foreign lock): stale once it is old.
    const age = await stat(lockPath).then((s) => Date.now() - s.mtimeMs, () => 0);
    if (age < 10_000) return false;
    await rm(lockPath, { force: true });
    return true;
  }
  if (m[2] !== hostname() || isRunning(Number(m[1]))) return false;
  await rm(lockPath, { force: true });
  return true;
}

/** True unless no process of this host has `pid` (a process we may not signal counts as running). */
export function isRunning(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (e) {
    return (e as { code?: unknown }).code !== "ESRCH";
  }
}
