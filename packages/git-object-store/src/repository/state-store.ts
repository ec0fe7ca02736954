/**
 * Small named files a layer above keeps next to the repository (for instance the staged root of
 * a dataset in a bare repository, which has no index). On disk they live under
 * `<git dir>/prolly/`, per worktree; updates are atomic and serialised by a lock file.
 */
import { randomBytes } from "node:crypto";
import { mkdirSync, readFileSync, renameSync, rmSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";
import { isMissing } from "../is-missing.js";
import { takeLock } from "../take-lock.js";

/** Named state blobs with atomic, serialised updates. */
export interface StateStore {
  /** The state's bytes, or `undefined`. */
  read(name: string): Promise<Uint8Array | undefined>;
  /**
   * Replaces a state under a lock: `change` gets the current bytes and returns the new bytes,
   * or `null` to delete the state. Returns what `change` returned.
   */
  update(
    name: string,
    change: (current: Uint8Array | undefined) => Promise<Uint8Array | null> | Uint8Array | null,
  ): Promise<Uint8Array | null>;
}

const NAME = /^[A-Za-z0-9._-]+(\/[A-Za-z0-9._-]+)*$/;

function checkName(name: string): void {
  if (!NAME.test(name) || name.split("/").some((p) => p === "." || p === "..")) {
    throw new GitStoreError(GIT_ERROR_CODES.INVALID_PATH, `invalid state name ${JSON.stringify(name)}`, {
      hint: "State names are relative paths of letters, digits, '.', '_' and '-'.",
      data: { name },
    });
  }
}

/**
 * A {@link StateStore} in a directory. States are small files, read and written with synchronous
 * calls: a few system calls each, where every promise-based call is a trip through libuv's
 * thread pool that costs more than the call itself.
 */
export class FileStateStore implements StateStore {
  constructor(readonly dir: string) {}

  async read(name: string): Promise<Uint8Array | undefined> {
    checkName(name);
    try {
      return readFileSync(join(this.dir, name));
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }

  async update(
    name: string,
    change: (current: Uint8Array | undefined) => Promise<Uint8Array | null> | Uint8Array | null,
  ): Promise<Uint8Array | null> {
    checkName(name);
    const path = join(this.dir, name);
    // The lock records its owner so that one left by a killed process is broken, not waited on.
    const lock = await takeLock(path, { createParents: true, timeoutMs: 10_000, owned: true });
    try {
      const next = await change(await this.read(name));
      if (next === null) rmSync(path, { force: true });
      else writeFileAtomic(path, next);
      return next;
    } finally {
      await lock.release();
    }
  }
}

/** A {@link StateStore} in memory; updates are serialised like the on-disk ones. */
export class MemoryStateStore implements StateStore {
  readonly #states = new Map<string, Uint8Array>();
  #queue: Promise<unknown> = Promise.resolve();

  async read(name: string): Promise<Uint8Array | undefined> {
    checkName(name);
    return this.#states.get(name);
  }

  async update(
    name: string,
    change: (current: Uint8Array | undefined) => Promise<Uint8Array | null> | Uint8Array | null,
  ): Promise<Uint8Array | null> {
    checkName(name);
    const run = this.#queue.then(async () => {
      const next = await change(this.#states.get(name));
      if (next === null) this.#states.delete(name);
      else this.#states.set(name, next);
      return next;
    });
    this.#queue = run.catch(() => undefined);
    return run;
  }
}

/** @internal Writes a small file atomically (temp file + rename). */
export function writeFileAtomic(path: string, data: Uint8Array | string): void {
  mkdirSync(dirname(path), { recursive: true });
  const temp = `${path}.tmp-${randomBytes(4).toString("hex")}`;
  writeFileSync(temp, data);
  renameSync(temp, path);
}
