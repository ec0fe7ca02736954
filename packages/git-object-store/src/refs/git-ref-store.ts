/**
 * Refs in a Git directory, updated the way Git does it so that concurrent writers (this package
 * or Git itself, in any process) never lose an update: take `<ref>.lock` exclusively, re-read
 * the current value (loose, else packed-refs), compare, write the new value into the lock file,
 * rename it over the ref. Per-worktree refs (`HEAD`, pseudo-refs, `refs/worktree/`, …) live in
 * the worktree's Git directory, shared refs in the common directory.
 */
import { appendFileSync, mkdirSync, readFileSync, statSync, promises as fsp } from "node:fs";
import { dirname, join } from "node:path";
import { type Signature, formatSignature } from "../objects/commit-object.js";
import { isMissing } from "../is-missing.js";
import { takeLock } from "../take-lock.js";
import { type ObjectId, ZERO_ID, isObjectId } from "../objects/object-id.js";
import { parsePackedRefs, formatPackedRefs, type PackedRefs } from "./packed-refs.js";
import { refMoved, refNotFound } from "./ref-errors.js";
import { assertValidRefName } from "./ref-name.js";
import { assertNoNameConflict, refNameConflict } from "./ref-conflict.js";
import type { RefDeleteOptions, RefEntry, RefStore, RefUpdateOptions, RefValue } from "./ref-store.js";

/** Options of {@link GitRefStore}. */
export interface GitRefStoreOptions {
  /** The worktree's Git directory (holds `HEAD`). */
  readonly gitDir: string;
  /** The common directory (shared refs, packed-refs); equals `gitDir` outside linked worktrees. */
  readonly commonDir: string;
  /** Write reflogs for branches and `HEAD` (Git's `core.logAllRefUpdates`, on in non-bare repos). */
  readonly logAllRefUpdates: boolean;
  /** Who is updating refs, for reflog lines when the caller gives no committer. */
  readonly identity: () => Promise<Signature>;
  /** How long to wait for a lock held by another process (ms). */
  readonly lockTimeoutMs?: number;
}

const PER_WORKTREE = /^(refs\/(worktree|bisect|rewritten)\/|[^/]+$)/;
const MAX_SYMREF_DEPTH = 5;

/** A {@link RefStore} on a Git directory. */
export class GitRefStore implements RefStore {
  constructor(readonly options: GitRefStoreOptions) {}

  #path(name: string): string {
    return join(PER_WORKTREE.test(name) ? this.options.gitDir : this.options.commonDir, name);
  }

  async #readPacked(): Promise<PackedRefs> {
    try {
      return parsePackedRefs(readFileSync(join(this.options.commonDir, "packed-refs"), "utf8"));
    } catch (e) {
      if (isMissing(e)) return { header: undefined, refs: new Map() };
      throw e;
    }
  }

  /** Synchronous: a ref is a tiny file, and a trip through libuv's thread pool costs more than reading it. */
  async #readLoose(name: string): Promise<RefValue | undefined> {
    let text: string;
    try {
      text = readFileSync(this.#path(name), "utf8");
    } catch (e) {
      const code = (e as { code?: unknown }).code;
      if (isMissing(e) || code === "EISDIR") return undefined;
      throw e;
    }
    const line = text.trim();
    if (line.startsWith("ref:")) return { kind: "symbolic", target: line.slice(4).trim() };
    const id = line.slice(0, 40);
    return isObjectId(id) ? { kind: "direct", id } : undefined;
  }

  async read(name: string): Promise<RefValue | undefined> {
    const loose = await this.#readLoose(name);
    if (loose !== undefined || !name.startsWith("refs/")) return loose;
    const packed = (await this.#readPacked()).refs.get(name);
    return packed === undefined ? undefined : { kind: "direct", id: packed.id };
  }

  async resolve(name: string): Promise<ObjectId | undefined> {
    let current = name;
    for (let depth = 0; depth <= MAX_SYMREF_DEPTH; depth++) {
      const v = await this.read(current);
      if (v === undefined) return undefined;
      if (v.kind === "direct") return v.id;
      current = v.target;
    }
    return undefined;
  }

  async list(prefix: string): Promise<RefEntry[]> {
    const found = new Map<string, ObjectId>();
    for (const r of (await this.#readPacked()).refs.values()) if (r.name.startsWith(prefix)) found.set(r.name, r.id);
    const walk = async (base: string, rel: string): Promise<void> => {
      let names: string[];
      try {
        names = await fsp.readdir(join(base, rel));
      } catch (e) {
        if (isMissing(e)) return;
        throw e;
      }
      for (const n of names) {
        const name = `${rel}/${n}`;
        if (n.endsWith(".lock")) continue;
        const v = await this.#readLoose(name);
        if (v === undefined) await walk(base, name);
        else if (name.startsWith(prefix)) {
          const id = v.kind === "direct" ? v.id : await this.resolve(v.target);
          if (id !== undefined) found.set(name, id);
        }
      }
    };
    await walk(this.options.commonDir, "refs");
    return [...found]
      .map(([name, id]) => ({ name, id }))
      .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
  }

  async update(name: string, next: ObjectId, options: RefUpdateOptions = {}): Promise<void> {
    assertValidRefName(name);
    const path = this.#path(name);
    if ((await this.read(name)) === undefined) await assertNoNameConflict(this, name);
    const lock = await takeLock(path, { createParents: true, timeoutMs: this.options.lockTimeoutMs ?? 2000 }).catch(
      (e: unknown) => {
        const code = (e as { code?: unknown }).code;
        if (code === "ENOTDIR" || code === "EEXIST") throw refNameConflict(name, e);
        throw e;
      },
    );
    let current: RefValue | undefined;
    try {
      current = await this.read(name);
      const old =
        current?.kind === "direct" ? current.id : current === undefined ? undefined : await this.resolve(name);
      if (
        options.expected !== undefined &&
        (options.expected === null ? current !== undefined : old !== options.expected)
      ) {
        throw refMoved(name, options.expected, old);
      }
      await lock.write(`${next}\n`);
      await lock.commit();
    } finally {
      await lock.release();
    }
    await this.#log(name, current?.kind === "direct" ? current.id : undefined, next, options);
  }

  async setSymbolic(
    name: string,
    target: string,
    options: Pick<RefUpdateOptions, "message" | "committer"> = {},
  ): Promise<void> {
    assertValidRefName(name);
    assertValidRefName(target);
    const path = this.#path(name);
    const lock = await takeLock(path, { createParents: true, timeoutMs: this.options.lockTimeoutMs ?? 2000 });
    let before: ObjectId | undefined;
    try {
      before = await this.resolve(name);
      await lock.write(`ref: ${target}\n`);
      await lock.commit();
    } finally {
      await lock.release();
    }
    const after = await this.resolve(target);
    if (name === "HEAD" && before !== undefined && after !== undefined) {
      await this.#append("HEAD", before, after, options);
    }
  }

  async delete(name: string, options: RefDeleteOptions = {}): Promise<void> {
    assertValidRefName(name);
    const path = this.#path(name);
    if ((await this.resolve(name)) === undefined) throw refNotFound(name);
    const lock = await takeLock(path, { createParents: true, timeoutMs: this.options.lockTimeoutMs ?? 2000 });
    try {
      const current = await this.resolve(name);
      if (current === undefined) throw refNotFound(name);
      if (options.expected !== undefined && current !== options.expected)
        throw refMoved(name, options.expected, current);
      const packed = await this.#readPacked();
      if (packed.refs.has(name)) {
        const packedLock = await takeLock(join(this.options.commonDir, "packed-refs"), {
          timeoutMs: this.options.lockTimeoutMs ?? 2000,
        });
        try {
          const fresh = await this.#readPacked();
          fresh.refs.delete(name);
          await packedLock.write(formatPackedRefs(fresh));
          await packedLock.commit();
        } finally {
          await packedLock.release();
        }
      }
      await fsp.rm(path, { force: true });
      await fsp.rm(join(this.options.commonDir, "logs", name), { force: true });
    } finally {
      await lock.release();
    }
    await this.#pruneEmptyDirs(dirname(path));
  }

  async #pruneEmptyDirs(dir: string): Promise<void> {
    const stop = new Set([
      join(this.options.commonDir, "refs"),
      join(this.options.commonDir, "refs", "heads"),
      join(this.options.commonDir, "refs", "tags"),
    ]);
    let d = dir;
    while (!stop.has(d) && d.startsWith(join(this.options.commonDir, "refs"))) {
      try {
        await fsp.rmdir(d);
      } catch {
        return;
      }
      d = dirname(d);
    }
  }

  /** Appends reflog lines for `name` (and for `HEAD` when it points at `name`), as Git would. */
  async #log(name: string, old: ObjectId | undefined, next: ObjectId, options: RefUpdateOptions): Promise<void> {
    await this.#append(name, old, next, options);
    if (name !== "HEAD") {
      const head = await this.#readLoose("HEAD");
      if (head?.kind === "symbolic" && head.target === name) await this.#append("HEAD", old, next, options);
    }
  }

  async #append(
    name: string,
    old: ObjectId | undefined,
    next: ObjectId,
    options: Pick<RefUpdateOptions, "message" | "committer">,
  ): Promise<void> {
    const logPath = join(PER_WORKTREE.test(name) ? this.options.gitDir : this.options.commonDir, "logs", name);
    const wanted = this.options.logAllRefUpdates && (name === "HEAD" || /^refs\/(heads|remotes|notes)\//.test(name));
    if (!wanted) {
      try {
        if (!statSync(logPath).isFile()) return; // log anyway when the reflog already exists, as Git does
      } catch {
        return;
      }
    }
    const who = options.committer ?? (await this.options.identity());
    const message = (options.message ?? "git-prolly: update").replace(/\n/g, " ");
    mkdirSync(dirname(logPath), { recursive: true });
    appendFileSync(logPath, `${old ?? ZERO_ID} ${next} ${formatSignature(who)}\t${message}\n`);
  }
}
