/**
 * The write buffer in front of a dataset's staging area. `set`, `update` and `delete` put their
 * edit into an in-memory overlay (one entry per key, the last edit wins) and append it to a
 * journal in the Git directory ({@link EditJournal}); nothing is re-chunked and Git's index is
 * not touched. `flush` (and `commit`, `checkout`, `merge`, `revert`, `import`, `apply`, `close`,
 * the end of the process) stages the overlay as one `applyEdits` batch and one index write.
 *
 * Reads see the buffer at once: `lookup` checks the overlay, then the staged tree; `read` is the
 * staged state with the overlay applied (computed when asked, incrementally, and cached until
 * the next edit), so `list`, `diff`, `status` and `isClean` work on it unchanged.
 *
 * The overlay holds edits, not a tree: each flush applies them to the staged state as it is
 * under the lock *then* — after another process's flush, a `git checkout`, `git stash` or
 * `git reset` — exactly as if this process had written them at that moment. So no flush ever
 * drops what another writer staged (only a later edit of the same key replaces an earlier one),
 * and a staged state changed by Git underneath is picked up by the next read (the index checksum
 * is checked on every read).
 */
import type { Repository } from "@git-prolly/git-object-store";
import { type ChunkingConfig, type Edit, type ObjectNodeStore, applyEdits, getValue } from "@git-prolly/prolly-core";
import { type DatasetState, rootEntry, rootId, sameState } from "./dataset-state.js";
import { EditJournal, orphanJournals, removeJournals } from "./edit-journal.js";
import { KvStoreError } from "./errors.js";
import { unwatchExit, watchExit } from "./exit-flush.js";
import { parseManifest } from "./manifest.js";
import type { MutateOptions, Staging, StagingArea, StagingChange } from "./staging.js";

/** Buffered bytes (keys, values and ~100 bytes of bookkeeping per key) past which a write flushes. */
const FLUSH_BYTES = 64 * 1024 * 1024;
const OVERHEAD = 100;

/** Options of {@link BufferedStaging}. */
export interface BufferedStagingOptions {
  readonly repo: Repository;
  readonly store: ObjectNodeStore;
  /** The dataset's directory, for messages. */
  readonly label: string;
  /** Where the journal lives; none (an in-memory repository): buffered edits die with the process. */
  readonly journalDir?: string;
}

interface Virtual {
  /** The staged state it was computed on. */
  readonly base: DatasetState;
  /** `#version` it covers. */
  readonly version: number;
  /** The `#epoch` of `#recent` it was computed in, and how many of its edits it covers. */
  readonly epoch: number;
  readonly recent: number;
  readonly state: DatasetState;
}

const keyOf = (key: Uint8Array): string => Buffer.from(key.buffer, key.byteOffset, key.byteLength).toString("latin1");
const sizeOf = (e: Edit): number => e.key.length + (e.value?.length ?? 0) + OVERHEAD;

/** A {@link StagingArea} with a write buffer in front of it. */
export class BufferedStaging implements Staging {
  readonly label: string;
  #overlay = new Map<string, Edit>();
  #bytes = 0;
  /** The overlay being staged by the running flush (reads still see it). */
  #flushing: Map<string, Edit> | undefined;
  /** Counts edits; the virtual state records the count it covers. */
  #version = 0;
  /** Edits since the last flush started, in order (a virtual state catches up from here). */
  #recent: Edit[] = [];
  /** Counts resets of `#recent` (a flush starting or ending, a reset). */
  #epoch = 0;
  #virtual: Virtual | undefined;
  #chain: Promise<void> = Promise.resolve();
  #ready: Promise<void> | undefined;
  #chunking: { readonly manifest: string; readonly config: ChunkingConfig } | undefined;
  readonly #journal: EditJournal | undefined;

  constructor(
    readonly inner: StagingArea,
    readonly options: BufferedStagingOptions,
  ) {
    this.label = options.label;
    this.#journal = options.journalDir === undefined ? undefined : new EditJournal(options.journalDir);
  }

  get kind(): StagingArea["kind"] {
    return this.inner.kind;
  }

  get buffered(): number {
    return this.#overlay.size + (this.#flushing?.size ?? 0);
  }

  /** Journal files holding buffered edits. */
  get journalFiles(): readonly string[] {
    return this.#journal?.files ?? [];
  }

  // ---- reading -------------------------------------------------------------------------

  async read(): Promise<DatasetState | undefined> {
    await this.#recoverOnce();
    const base = await this.inner.read();
    if (base === undefined || this.buffered === 0) return base;
    return this.#virtualState(base);
  }

  async lookup(key: Uint8Array): Promise<Uint8Array | undefined> {
    await this.#recoverOnce();
    const k = keyOf(key);
    const e = this.#overlay.get(k) ?? this.#flushing?.get(k);
    if (e !== undefined) return e.value ?? undefined;
    const base = await this.inner.read();
    if (base === undefined) throw this.#notADataset();
    return getValue(this.options.store, rootId(base), key);
  }

  /** The staged state `base` with every buffered edit applied, computed from the last one asked. */
  async #virtualState(base: DatasetState): Promise<DatasetState> {
    const version = this.#version;
    const epoch = this.#epoch;
    const recent = this.#recent.length;
    const v = this.#virtual;
    const same = v !== undefined && v.epoch === epoch && sameState(v.base, base);
    if (same && v.version === version) return v.state;
    const config = await this.#config(base);
    const root = same
      ? await applyEdits(this.options.store, rootId(v.state), this.#recent.slice(v.recent, recent), { config })
      : await applyEdits(this.options.store, rootId(base), this.#edits(), { config });
    const state: DatasetState = { manifest: base.manifest, root: await rootEntry(this.options.store, root) };
    // Kept unless the buffer was reset meanwhile (a flush started or ended), and only if newer.
    if (
      this.#epoch === epoch &&
      (this.#virtual === undefined || this.#virtual.epoch !== epoch || this.#virtual.version < version)
    ) {
      this.#virtual = { base, version, epoch, recent, state };
    }
    return state;
  }

  /** Every buffered edit, the older layer first (the last edit of a key wins in `applyEdits`). */
  #edits(): Edit[] {
    return this.#flushing === undefined
      ? [...this.#overlay.values()]
      : [...this.#flushing.values(), ...this.#overlay.values()];
  }

  async #config(state: DatasetState): Promise<ChunkingConfig> {
    if (this.#chunking?.manifest !== state.manifest) {
      const m = parseManifest(await this.options.repo.readBlob(state.manifest), this.label);
      this.#chunking = { manifest: state.manifest, config: m.chunking };
    }
    return this.#chunking.config;
  }

  /** Forgets the virtual state: the next read computes it from the staged state and every buffered edit. */
  #resetRecent(): void {
    this.#virtual = undefined;
    this.#recent = [];
    this.#epoch++;
  }

  // ---- writing -------------------------------------------------------------------------

  async put(edits: readonly Edit[]): Promise<void> {
    await this.#recoverOnce();
    this.#journal?.append(edits);
    for (const e of edits) {
      const k = keyOf(e.key);
      const before = this.#overlay.get(k);
      if (before !== undefined) this.#bytes -= sizeOf(before);
      this.#overlay.set(k, e);
      this.#bytes += sizeOf(e);
      this.#recent.push(e);
    }
    this.#version++;
    if (this.#journal !== undefined) watchExit(this);
    this.inner.anticipate?.(this.#bytes - OVERHEAD * this.#overlay.size);
    if (this.#bytes > FLUSH_BYTES) await this.flush();
  }

  flush(extra?: readonly Edit[]): Promise<void> {
    const run = this.#chain.then(() => this.#flush(extra));
    this.#chain = run.catch(() => undefined);
    return run;
  }

  async #flush(extra: readonly Edit[] | undefined): Promise<void> {
    await this.#recoverOnce();
    await this.#recover(); // journals of writers that died since
    if (this.#overlay.size === 0 && (extra === undefined || extra.length === 0)) return;
    const snapshot = this.#overlay;
    const v = this.#virtual;
    const reuse =
      v !== undefined && v.epoch === this.#epoch && v.version === this.#version && extra === undefined ? v : undefined;
    this.#overlay = new Map();
    this.#bytes = 0;
    this.#flushing = snapshot;
    this.#resetRecent();
    const sealed = this.#journal?.seal() ?? [];
    try {
      await this.inner.mutate(
        async (current) => {
          if (current === undefined) throw this.#notADataset();
          if (reuse !== undefined && sameState(reuse.base, current)) return { next: reuse.state, result: undefined };
          const edits = extra === undefined ? [...snapshot.values()] : [...snapshot.values(), ...extra];
          const root = await applyEdits(this.options.store, rootId(current), edits, {
            config: await this.#config(current),
          });
          return {
            next: { manifest: current.manifest, root: await rootEntry(this.options.store, root) },
            result: undefined,
          };
        },
        { afterWrite: async () => this.#journal?.remove(sealed) },
      );
    } catch (e) {
      // Nothing staged: the edits go back under the ones made meanwhile (their journal files stay).
      for (const [k, edit] of this.#overlay) snapshot.set(k, edit);
      this.#overlay = snapshot;
      this.#bytes = [...snapshot.values()].reduce((n, edit) => n + sizeOf(edit), 0);
      throw e;
    } finally {
      this.#flushing = undefined;
      this.#resetRecent();
    }
    if (this.buffered === 0) unwatchExit(this);
  }

  async close(): Promise<void> {
    try {
      await this.flush();
    } finally {
      // After a failed flush the journal files stay and become an orphan's: the next open replays them.
      this.#journal?.release();
      unwatchExit(this);
    }
  }

  // ---- recovery ------------------------------------------------------------------------

  #recoverOnce(): Promise<void> {
    this.#ready ??= this.#recover().catch((e: unknown) => {
      this.#ready = undefined;
      throw e;
    });
    return this.#ready;
  }

  /**
   * Stages the edits of journals whose writer died before flushing (oldest journal first), in
   * one batch, and removes the journals under the same lock.
   */
  async #recover(): Promise<void> {
    const dir = this.options.journalDir;
    if (dir === undefined || (await orphanJournals(dir)).length === 0) return;
    let replayed: string[] = [];
    await this.inner.mutate(
      async (current) => {
        // Again under the lock: another process may have replayed some meanwhile.
        const orphans = await orphanJournals(dir);
        if (current === undefined) return { next: current, result: undefined }; // no dataset to replay into: kept
        replayed = orphans.map((j) => j.path);
        const edits = orphans.flatMap((j) => j.edits);
        if (edits.length === 0) return { next: current, result: undefined };
        const root = await applyEdits(this.options.store, rootId(current), edits, {
          config: await this.#config(current),
        });
        return {
          next: { manifest: current.manifest, root: await rootEntry(this.options.store, root) },
          result: undefined,
        };
      },
      {
        afterWrite: async () => {
          if (replayed.length === 0) return;
          await this.inner.repair(); // its writer may have died while writing the files of a flush
          await removeJournals(replayed);
        },
      },
    );
  }

  // ---- the rest of the staging area ------------------------------------------------------

  async mutate<T>(
    change: (current: DatasetState | undefined) => Promise<StagingChange<T>>,
    options?: MutateOptions,
  ): Promise<T> {
    await this.flush();
    return this.inner.mutate(change, options);
  }

  unstaged(): Promise<string[]> {
    return this.inner.unstaged();
  }

  settle(committed: DatasetState | undefined): Promise<void> {
    return this.inner.settle(committed);
  }

  /** Discards the buffered edits with the staged ones. */
  async reset(state: DatasetState | undefined): Promise<void> {
    await this.#chain;
    this.#overlay = new Map();
    this.#bytes = 0;
    this.#resetRecent();
    await this.#journal?.discard();
    unwatchExit(this);
    await this.inner.reset(state);
  }

  headMoved(state: DatasetState | undefined): Promise<void> {
    return this.inner.headMoved(state);
  }

  repair(): Promise<void> {
    return this.inner.repair();
  }

  #notADataset(): KvStoreError {
    return new KvStoreError("KV_NOT_A_DATASET", `no git-prolly dataset at ${this.label} (not in the staging area)`, {
      hint: "Create one with `git-prolly init` in that directory, or open the directory that holds prolly.json.",
      data: { dataset: this.label },
    });
  }
}
