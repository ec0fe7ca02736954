/**
 * Many working-tree files at once, written by the file writer thread (bulk/file-writer.ts) in
 * jobs, with empty "spare" files made ahead for new paths to reuse: what {@link Worktree} does
 * for changes of {@link WORKER_MIN} paths or more (an import, a checkout, a large merge).
 */
import { promises as fsp } from "node:fs";
import { dirname, join } from "node:path";
import { randomBytes } from "node:crypto";
import { concatBytes } from "@git-prolly/prolly-core";
import { STAT_FIELDS, fileWriter } from "../bulk/file-writer.js";
import type { ObjectId } from "../objects/object-id.js";
import { DIR_MODE } from "../objects/tree-object.js";
import type { PathChange } from "../trees/tree-diff.js";
import type { WrittenFile } from "./index-stats.js";
import { dropScratchDir, scratchDir } from "./tree-materializer.js";

/** How many files are written (or their bytes read) at once. */
export const WRITE_CONCURRENCY = 32;
/** From this many files written or removed on, the file writer thread does it (below, a thread start costs more). */
export const WORKER_MIN = 128;
/** Spare files made at most, and per job of the writer thread. */
const MAX_SPARES = 4096;
const SPARE_BATCH = 64;
/** Files per job of the file writer thread (their bytes are read while the previous job is written). */
const WORKER_JOB_FILES = 2048;

/** How the writer thread will do a set of changes: files to write (each maybe reusing a file), to remove, directories to prune (see `UpdateJob` in bulk/file-writer.ts). */
export interface WritePlan {
  readonly changes: readonly PathChange[];
  readonly files: readonly {
    readonly change: PathChange;
    readonly path: string;
    readonly mode: number;
    readonly recycle?: string;
  }[];
  readonly unlink: readonly string[];
  readonly prune: readonly string[];
}

/** What {@link Worktree.prepareChanges} started; pass it to {@link Worktree.applyChanges} with the same changes. */
export interface PreparedChanges {
  readonly plan: WritePlan;
  /** Settles when the spare files are made (never rejects). */
  readonly ready: Promise<void>;
  /** The spare files' absolute paths. */
  readonly spares: readonly string[];
}

/** Removes the spare files of a preparation that will not be used. */
export async function discardPrepared(prepared: PreparedChanges): Promise<void> {
  await prepared.ready;
  await Promise.all(prepared.spares.map((p) => fsp.rm(p, { force: true }).catch(() => undefined)));
}

/** @internal The bulk writes of one {@link Worktree}: its spare files and its jobs for the writer thread. */
export class BulkWrites {
  /** Empty files made ahead (see {@link reserveSpares}), for new paths to reuse. */
  readonly #spares: string[] = [];
  #spareDir: Promise<string | undefined> | undefined;
  /** Spares asked for and not yet made; 0 stops the making. */
  #wanted = 0;
  #making: Promise<void> = Promise.resolve();
  #spareSeq = 0;

  constructor(
    /** Absolute path of the working tree's top directory. */
    readonly root: string,
    /** The worktree's Git directory (the spares' scratch folder goes under it). */
    readonly gitDir: string,
  ) {}

  /**
   * {@link Worktree.writeFiles} for many files: the {@link fileWriter} thread writes them with synchronous
   * calls, in jobs of {@link WORKER_JOB_FILES} while the next job's bytes are read. A file already
   * at its path is rewritten in place, and each new path reuses, by a rename, the file of a path
   * that the same changes remove (see {@link UpdateJob}): on a file system where creating a file
   * costs ~20 rewrites, a change that moves or splits subtrees costs about what rewriting costs.
   */
  /** How {@link Worktree.writeFiles} will do `changes` on the writer thread (see {@link prepare}). */
  plan(changes: readonly PathChange[]): WritePlan {
    const abs = (path: string): string => join(this.root, path);
    const writes = changes.filter((c) => c.after !== undefined);
    const targets = new Set(writes.map((c) => c.path));
    // Directories the writes need: a removed file there must go first, not be reused.
    const needed = new Set<string>();
    for (const c of writes) for (let d = dirname(c.path); d !== "." && !needed.has(d); d = dirname(d)) needed.add(d);
    const unlink: string[] = [];
    const spare: string[] = [];
    const prune = new Set<string>();
    for (const c of changes) {
      if (c.before === undefined || (c.after !== undefined && c.after.mode !== DIR_MODE)) continue;
      prune.add(abs(dirname(c.path)));
      let under = false; // below a path that becomes a file
      for (let d = dirname(c.path); d !== "." && !under; d = dirname(d)) under = targets.has(d);
      if (under || needed.has(c.path)) unlink.push(abs(c.path));
      else spare.push(abs(c.path));
    }
    this.#wanted = 0; // the spares made so far are used now
    const files = writes.map((c) => {
      const recycle = c.before !== undefined ? undefined : (spare.pop() ?? this.#spares.pop());
      return {
        change: c,
        path: abs(c.path),
        mode: c.after!.mode === "100755" ? 0o755 : 0o644,
        ...(recycle === undefined ? {} : { recycle }),
      };
    });
    unlink.push(...spare); // removed paths no new file reuses
    return { changes, files, unlink, prune: [...prune] };
  }

  /**
   * Makes up to `count` empty files (at most {@link MAX_SPARES}) in the background, on the writer
   * thread, in a folder of the Git directory: the next {@link Worktree.applyChanges} moves them to the new
   * paths it writes instead of creating files then. A caller that will soon write many new files
   * (the write buffer, while edits come in) calls it while it has time to spare; files creation
   * is what costs most on some file systems. Unused spares stay for the next change, and go at
   * {@link close} (or as a stale folder once the process is gone).
   */
  reserveSpares(count: number): void {
    const target = Math.min(count, MAX_SPARES) - this.#spares.length;
    if (target - this.#wanted < SPARE_BATCH) return;
    const start = this.#wanted === 0;
    this.#wanted = target;
    if (!start) return;
    this.#making = this.#making.then(async () => {
      try {
        this.#spareDir ??= scratchDir(this.gitDir, this.root).catch(() => undefined);
        const dir = await this.#spareDir;
        while (dir !== undefined && this.#wanted > 0) {
          const n = Math.min(SPARE_BATCH, this.#wanted);
          const paths = Array.from({ length: n }, () => join(dir, `spare-${this.#spareSeq++}`));
          await fileWriter.spares(paths);
          this.#spares.push(...paths);
          this.#wanted = Math.max(0, this.#wanted - n);
        }
      } catch {
        // No spares: files are created when written.
      } finally {
        this.#wanted = 0;
      }
    });
  }

  /** Stops making spares and removes those left. */
  async close(): Promise<void> {
    this.#wanted = 0;
    await this.#making;
    this.#spares.length = 0;
    const dir = await this.#spareDir;
    this.#spareDir = undefined;
    if (dir !== undefined) await dropScratchDir(dir);
  }

  /**
   * Starts, on the writer thread, what {@link Worktree.applyChanges} of the same `changes` will need
   * before it can change the index: the files of the paths they add that no removed file can be
   * reused for are created empty under temporary names beside them (`<path>.tmp-<8 hex>`, which
   * is what an interrupted write leaves and a repair removes), while the caller writes objects.
   * Creating files is what costs most on some file systems. `undefined` when `changes` are too
   * few for the writer thread.
   */
  prepare(changes: readonly PathChange[]): PreparedChanges | undefined {
    if (changes.length < WORKER_MIN) return undefined;
    const plan = this.plan(changes);
    const spares: string[] = [];
    const files = plan.files.map((f) => {
      if (f.change.before !== undefined || f.recycle !== undefined) return f;
      const recycle = `${f.path}.tmp-${randomBytes(4).toString("hex")}`;
      spares.push(recycle);
      return { ...f, recycle };
    });
    const ready = spares.length === 0 ? Promise.resolve() : fileWriter.spares(spares).catch(() => undefined);
    return { plan: { ...plan, files }, ready, spares };
  }

  async write(plan: WritePlan, content: (id: ObjectId) => Promise<Uint8Array>): Promise<Map<string, WrittenFile>> {
    const { files, unlink, prune } = plan;
    const read = async (from: number): Promise<Uint8Array[]> => {
      const slice = files.slice(from, from + WORKER_JOB_FILES);
      const out: Uint8Array[] = new Array<Uint8Array>(slice.length);
      for (let i = 0; i < slice.length; i += WRITE_CONCURRENCY) {
        await Promise.all(
          slice.slice(i, i + WRITE_CONCURRENCY).map(async (f, k) => {
            out[i + k] = await content(f.change.after!.id);
          }),
        );
      }
      return out;
    };
    const written = new Map<string, WrittenFile>();
    let next = read(0);
    for (let from = 0; from === 0 || from < files.length; from += WORKER_JOB_FILES) {
      const bytes = await next;
      const slice = files.slice(from, from + WORKER_JOB_FILES);
      const last = from + WORKER_JOB_FILES >= files.length;
      const job = fileWriter.update({
        root: this.root,
        unlink: from === 0 ? unlink : [],
        files: slice.map(({ path, mode, recycle }) => ({ path, mode, ...(recycle === undefined ? {} : { recycle }) })),
        data: concatBytes(bytes),
        lengths: bytes.map((b) => b.length),
        prune: last ? prune : [],
      });
      if (!last) next = read(from + WORKER_JOB_FILES);
      const stats = await job;
      slice.forEach((f, i) =>
        written.set(f.change.path, {
          id: f.change.after!.id,
          stat: stats.slice(i * STAT_FIELDS, (i + 1) * STAT_FIELDS),
        }),
      );
    }
    return written;
  }
}
