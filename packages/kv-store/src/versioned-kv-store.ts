/**
 * VersionedKvStore: a key-value store that lives in Git. Each dataset is a directory holding
 * `prolly.json` and the prolly tree under `root` (nodes are Git objects, checked out as files),
 * staged changes live in Git's index, commits change nothing but the dataset, and branches,
 * checkouts and merges are Git's own.
 */
import type { Repository, ObjectId } from "@git-prolly/git-object-store";
import { fromUtf8, getValue, scanEntries, treeStats, type TreeStats } from "@git-prolly/prolly-core";
import { type Bytes, keyBytes, plainBytes, toBytes, valueBytes } from "./bytes.js";
import { describeFollowing } from "./dataset-follow.js";
import { checkoutRevision, createBranch, deleteBranch, listBranches } from "./checkout-dataset.js";
import { commitState } from "./commit-dataset.js";
import type { Dataset } from "./dataset.js";
import { sameState } from "./dataset-state.js";
import { diffStates, keyHistory, logCommits, showCommit } from "./dataset-history.js";
import { KvStoreError, toKvError } from "./errors.js";
import { type LocateOptions, datasetAt, locateForInit, locateForOpen, normalizePrefix } from "./locate-dataset.js";
import type { DatasetManifest } from "./manifest.js";
import { createDataset } from "./create-dataset.js";
import { importEntries } from "./import-entries.js";
import { mergeRevision } from "./merge-dataset.js";
import { revertCommit } from "./revert-dataset.js";
import type {
  AtRef,
  BranchInfo,
  CheckoutOptions,
  CheckoutResult,
  CommitInfo,
  CommitOptions,
  Following,
  KeyHistoryEntry,
  KvChange,
  KvEdit,
  KvEntry,
  ListOptions,
  LogOptions,
  MergeOptions,
  MergeOutcome,
  RevertOutcome,
  ShowResult,
  StatusEntry,
} from "./types.js";
import type { ChunkingConfig } from "@git-prolly/prolly-core";

/** Options of {@link VersionedKvStore.init}. */
export interface InitOptions extends LocateOptions {
  /** Chunking parameters of a new dataset (default: prolly-core's). */
  readonly chunking?: ChunkingConfig;
  /** Commit the new, empty dataset (default true). */
  readonly commit?: boolean;
  /** Message of that commit. */
  readonly message?: string;
  /** When no repository exists yet: create a bare one. */
  readonly bare?: boolean;
  /** When no repository exists yet: its first branch (default Git's `init.defaultBranch`, else main). */
  readonly initialBranch?: string;
}

/** Options of {@link VersionedKvStore.import}. */
export interface ImportOptions {
  /** The entries come in strictly increasing key order (lets an empty dataset be built in one pass). */
  readonly sorted?: boolean;
}

/**
 * Bytes the write buffer may keep: strings were encoded into fresh buffers already; a caller's
 * `Uint8Array` is copied, since the caller may reuse it after the call returns.
 */
function owned(bytes: Uint8Array, input: Bytes): Uint8Array {
  return typeof input === "string" ? bytes : new Uint8Array(bytes);
}

async function guard<T>(run: () => Promise<T>): Promise<T> {
  try {
    return await run();
  } catch (e) {
    throw toKvError(e);
  }
}

async function* guardIterator<T>(it: AsyncGenerator<T>): AsyncGenerator<T> {
  try {
    yield* it;
  } catch (e) {
    throw toKvError(e);
  }
}

/**
 * A versioned key-value dataset in a Git repository.
 *
 * @example
 * ```ts
 * const store = await VersionedKvStore.init("myapp/config");
 * await store.set("app:name", "MyApp");
 * await store.commit("Initial app configuration");
 * console.log(await store.getString("app:name")); // "MyApp"
 * ```
 */
export class VersionedKvStore {
  private constructor(readonly ds: Dataset) {}

  /**
   * Creates a dataset in `path` (a directory of a working tree, or a bare repository) and returns
   * it; opens it when it exists already. Outside any repository, one is created at `path`.
   * @throws {KvStoreError} KV_PATH_IN_USE, KV_UNKNOWN_FORMAT
   */
  static async init(path: string, options: InitOptions = {}): Promise<VersionedKvStore> {
    return guard(async () => VersionedKvStore.#create(await locateForInit(path, options), options));
  }

  /**
   * Opens the dataset containing `path` (any directory at or below the dataset's).
   * @throws {KvStoreError} KV_NOT_A_DATASET, KV_UNKNOWN_FORMAT
   */
  static async open(path: string, options: LocateOptions = {}): Promise<VersionedKvStore> {
    return guard(async () => {
      const ds = await locateForOpen(path, options);
      await ds.manifest();
      return new VersionedKvStore(ds);
    });
  }

  /** A dataset at `dataset` (a directory path, `""` for the root) of an open repository, created if absent. */
  static async fromRepository(repo: Repository, dataset = "", options: InitOptions = {}): Promise<VersionedKvStore> {
    return guard(async () => VersionedKvStore.#create(datasetAt(repo, normalizePrefix(dataset), options), options));
  }

  static async #create(ds: Dataset, options: InitOptions): Promise<VersionedKvStore> {
    await createDataset(ds, options);
    return new VersionedKvStore(ds);
  }

  /** The repository the dataset lives in. */
  get repository(): Repository {
    return this.ds.repo;
  }

  /** The dataset's directory inside the repository (`""` for the root). */
  get dataset(): string {
    return this.ds.paths.prefix.replace(/\/$/, "");
  }

  /** The dataset's manifest. */
  manifest(): Promise<DatasetManifest> {
    return guard(() => this.ds.manifest());
  }

  /** Node-store counters (reads, cache misses, writes), for cost measurements. */
  get nodeStats(): { reads: number; misses: number; writes: number } {
    return this.ds.store.stats;
  }

  // ---- reading -------------------------------------------------------------------------

  /** The value of `key` (staged state, or at `options.ref`), or `undefined`. */
  get(key: Bytes, options: AtRef = {}): Promise<Uint8Array | undefined> {
    return guard(async () => {
      const k = keyBytes(key);
      if (options.ref === undefined) return this.ds.staging.lookup(k);
      return getValue(this.ds.store, (await this.ds.stateAt(options.ref)).root.id, k);
    });
  }

  /** The value of `key` as UTF-8 text, or `undefined`. */
  async getString(key: Bytes, options: AtRef = {}): Promise<string | undefined> {
    const v = await this.get(key, options);
    return v === undefined ? undefined : fromUtf8(v);
  }

  /** The value of `key`. @throws {KvStoreError} KV_KEY_NOT_FOUND */
  async getOrThrow(key: Bytes, options: AtRef = {}): Promise<Uint8Array> {
    const v = await this.get(key, options);
    if (v === undefined) {
      const k = toBytes(key);
      throw new KvStoreError("KV_KEY_NOT_FOUND", `key ${JSON.stringify(fromUtf8(k).slice(0, 200))} not found`, {
        hint: "List keys with `git-prolly list` (add --ref to look at another version).",
        data: { key: fromUtf8(k).slice(0, 200), ref: options.ref ?? null },
      });
    }
    return v;
  }

  /** True when `key` is present. */
  async has(key: Bytes, options: AtRef = {}): Promise<boolean> {
    return (await this.get(key, options)) !== undefined;
  }

  /** Entries in key order within the bounds (staged state, or at `options.ref`). */
  list(options: ListOptions = {}): AsyncGenerator<KvEntry> {
    const ds = this.ds;
    return guardIterator(
      (async function* () {
        const state = await ds.stateFor(options.ref);
        let n = 0;
        const scan = {
          ...(options.prefix === undefined ? {} : { prefix: plainBytes(options.prefix) }),
          ...(options.start === undefined ? {} : { start: plainBytes(options.start) }),
          ...(options.end === undefined ? {} : { end: plainBytes(options.end) }),
          ...(options.reverse === undefined ? {} : { reverse: options.reverse }),
        };
        for await (const [key, value] of scanEntries(ds.store, state.root.id, scan)) {
          if (options.limit !== undefined && n++ >= options.limit) return;
          yield { key, value };
        }
      })(),
    );
  }

  /** Alias of {@link VersionedKvStore.list}. */
  scan(options: ListOptions = {}): AsyncGenerator<KvEntry> {
    return this.list(options);
  }

  /** Tree shape of the staged state (or at `ref`): depth, entries, leaves, internal nodes (O(N)). */
  stats(options: AtRef = {}): Promise<TreeStats> {
    return guard(async () => treeStats(this.ds.store, (await this.ds.stateFor(options.ref)).root.id));
  }

  // ---- staging ---------------------------------------------------------------------------

  /**
   * Stages `key` = `value` (insert or update), in the dataset's write buffer: no re-chunking, no
   * index write, so a loop of sets runs at memory speed. `get`, `list`, `diff`, `status` and
   * `isClean` of this store see it at once; Git (`git status`, `git stash`, a plain
   * `git commit`) and other processes see it once it is flushed: by {@link flush}, `commit`,
   * `checkout`, `merge`, `revert`, `apply`, `import`, {@link close}, or the normal end of the
   * process (Node's `beforeExit`: the event loop ran dry), whichever comes first.
   *
   * **If the process is killed before that flush** (SIGKILL, a crash, `process.exit()`, an
   * uncaught exception): a `set` that returned is not lost. Before returning it appended the
   * edit to a journal in the Git directory (`<git dir>/prolly/datasets/…/journal/`) with one
   * `write(2)`, and the next `open` of the dataset (any process, or the next flush of a store
   * still open) stages every journal whose process no longer runs, onto the staged state of that
   * moment. The journal is not fsynced: a crash of the operating system or a power loss can lose
   * edits back to the last flush (never corrupt the dataset: a damaged journal tail is ignored).
   * A `set` still running when the process dies is either replayed or absent, never half-applied.
   * Edits are staged key by key: a flush never drops what another process staged meanwhile, and
   * the later flush wins for a key both changed.
   */
  set(key: Bytes, value: Bytes): Promise<void> {
    return guard(async () => {
      await this.ds.staging.put([{ key: owned(keyBytes(key), key), value: owned(valueBytes(value), value) }]);
    });
  }

  /** Alias of {@link VersionedKvStore.set}. */
  insert(key: Bytes, value: Bytes): Promise<void> {
    return this.set(key, value);
  }

  /**
   * Buffers a new value for an existing key (like {@link set}); returns false (and changes
   * nothing) when it is absent from what this store sees (staged state and its buffer).
   */
  update(key: Bytes, value: Bytes): Promise<boolean> {
    return this.#editIf(key, value);
  }

  /** Buffers the deletion of `key` (like {@link set}); returns false (and changes nothing) when it is absent. */
  delete(key: Bytes): Promise<boolean> {
    return this.#editIf(key, null);
  }

  #editIf(key: Bytes, value: Bytes | null): Promise<boolean> {
    return guard(async () => {
      const k = owned(keyBytes(key), key);
      const v = value === null ? null : owned(valueBytes(value), value);
      if ((await this.ds.staging.lookup(k)) === undefined) return false;
      await this.ds.staging.put([{ key: k, value: v }]);
      return true;
    });
  }

  /**
   * Stages many sets and deletes at once (`value: null` deletes), with whatever the write buffer
   * holds, as one batch: Git sees them when it returns. All are checked before any is written.
   */
  apply(edits: Iterable<KvEdit>): Promise<void> {
    return guard(async () => {
      const list = [...edits].map((e) => ({
        key: keyBytes(e.key),
        value: e.value === null ? null : valueBytes(e.value),
      }));
      await this.ds.staging.flush(list);
    });
  }

  /**
   * Stages the write buffer's edits (see {@link set}) in the staging area — Git's index and the
   * dataset's files, or the state file of a bare repository — as one batch, and removes their
   * journal. Afterwards `git status`, `git stash`, other processes and `git commit` see them.
   */
  flush(): Promise<void> {
    return guard(() => this.ds.staging.flush());
  }

  /** Edits in the write buffer, not yet flushed (one per key). */
  get unflushed(): number {
    return this.ds.staging.buffered;
  }

  /**
   * Stages many entries (bulk import). Objects go into one packfile; sorted input into an empty
   * dataset is built in a single streaming pass. Returns the number of entries read.
   */
  import(
    entries: Iterable<readonly [Bytes, Bytes]> | AsyncIterable<readonly [Bytes, Bytes]>,
    options: ImportOptions = {},
  ): Promise<number> {
    return guard(() => importEntries(this.ds, entries, options.sorted === true));
  }

  /** Staged changes of the dataset against its commit (the followed ref's, else HEAD's), sorted by key. */
  status(): Promise<StatusEntry[]> {
    return guard(async () => {
      const [{ state }, staged] = await Promise.all([this.ds.head(), this.ds.staged()]);
      return (await diffStates(this.ds, state, staged)).map((c) => ({ key: c.key, change: c.change }));
    });
  }

  /** True when the dataset has no staged changes and its files match the staging area. */
  isClean(): Promise<boolean> {
    return guard(async () => {
      const u = await this.ds.uncommitted();
      return !u.staged && u.unstaged.length === 0;
    });
  }

  // ---- committing and history ------------------------------------------------------------

  /**
   * Commits the staged dataset changes on the branch the dataset follows (nothing else of the
   * repository): HEAD's, or the one checked out for the dataset, whose tree gets the dataset
   * replaced and which moves by compare-and-swap while HEAD stays. Returns `undefined` when
   * there is nothing to commit.
   * @throws {KvStoreError} KV_BRANCH_MOVED when another writer moved the branch meanwhile (nothing
   *   is lost), KV_READ_ONLY when the dataset follows a tag or commit.
   */
  commit(message: string, options: CommitOptions = {}): Promise<CommitInfo | undefined> {
    return guard(async () => {
      await this.ds.staging.flush();
      return commitState(this.ds, message, options);
    });
  }

  /** Commits reachable from the dataset's commit (or `options.ref`), newest first, uncapped unless `limit`. */
  log(options: LogOptions = {}): AsyncGenerator<CommitInfo> {
    return guardIterator(logCommits(this.ds, options));
  }

  /** The commits that changed `key`, newest first, with its value after each (`null`: deleted). */
  history(key: Bytes, options: LogOptions = {}): AsyncGenerator<KeyHistoryEntry> {
    return guardIterator(keyHistory(this.ds, keyBytes(key), options));
  }

  /** Key changes from `from` to `to` (default: the staged state), sorted by key. */
  diff(from: string, to?: string, options: { prefix?: Bytes } = {}): Promise<KvChange[]> {
    return guard(async () =>
      diffStates(
        this.ds,
        await this.ds.stateAt(from),
        await this.ds.stateFor(to),
        options.prefix === undefined ? undefined : plainBytes(options.prefix),
      ),
    );
  }

  /** A commit and the dataset changes it made. */
  show(rev = "HEAD"): Promise<ShowResult> {
    return guard(() => showCommit(this.ds, rev));
  }

  /** Reverts the dataset changes of a commit with a new commit. */
  revert(rev: string, options: CommitOptions & { message?: string } = {}): Promise<RevertOutcome> {
    return guard(async () => {
      await this.ds.staging.flush();
      return revertCommit(this.ds, rev, options);
    });
  }

  // ---- branches --------------------------------------------------------------------------

  /** Creates a branch at HEAD (or `from`). @throws {KvStoreError} KV_BRANCH_EXISTS, KV_INVALID_REF_NAME */
  branch(name: string, options: { from?: string } = {}): Promise<ObjectId> {
    return guard(() => createBranch(this.ds, name, options.from));
  }

  /** Local branches. */
  branches(): Promise<BranchInfo[]> {
    return guard(() => listBranches(this.ds));
  }

  /** Deletes a branch. @throws {KvStoreError} KV_CURRENT_BRANCH, KV_BRANCH_NOT_FOUND, KV_BRANCH_NOT_MERGED */
  deleteBranch(name: string, options: { force?: boolean } = {}): Promise<void> {
    return guard(() => deleteBranch(this.ds, name, options.force === true));
  }

  /**
   * The branch the dataset follows: the one checked out for it alone (see {@link checkout}), else
   * HEAD's; `undefined` when it follows a tag or a commit, or HEAD is detached.
   */
  currentBranch(): Promise<string | undefined> {
    return guard(async () => {
      const f = await this.following();
      return f.kind === "branch" || f.kind === "head" ? f.ref : undefined;
    });
  }

  /** The commit the dataset is at (the followed ref's, else HEAD's), or `undefined` before the first commit. */
  currentCommit(): Promise<ObjectId | undefined> {
    return guard(async () => (await this.following()).commit);
  }

  /**
   * What the dataset follows, with the repository's own branch beside it, e.g. "dataset config
   * follows production; repository on hotfix/x". A follow record Git made stale (a whole-repository
   * `git checkout`, `git reset --hard`, `git stash` replaced the dataset's files) is dropped first:
   * the dataset then follows HEAD again.
   */
  following(): Promise<Following> {
    return guard(() => describeFollowing(this.ds));
  }

  /**
   * Checks out a branch, tag or commit.
   *
   * In a dataset that is a sub-directory of a working tree, only the dataset switches: its index
   * entries and files become exactly the target's (`git checkout <ref> -- <dir>`, files absent
   * there removed), HEAD, code (committed or not) and other datasets stay, and the dataset follows
   * the ref (recorded per worktree in `<git dir>/prolly/datasets/<dir>/follow`): `commit` and
   * `merge` then write onto that branch, and a tag or commit is read-only. Checking out HEAD's
   * own branch (or `"HEAD"`) returns to the default, following HEAD. With `create`, a branch is
   * made at the commit the dataset is at and followed, keeping staged changes.
   *
   * In a dataset at the repository root, or in a bare or in-memory repository, the whole
   * repository checks out, like `git checkout` (HEAD moves).
   * @throws {KvStoreError} KV_UNCOMMITTED_CHANGES when dataset changes would be lost (unless `force`).
   */
  checkout(ref: string, options: CheckoutOptions = {}): Promise<CheckoutResult> {
    return guard(async () => {
      await this.ds.staging.flush();
      return checkoutRevision(this.ds, ref, options);
    });
  }

  /**
   * Merges a branch (or any revision) into the branch the dataset follows (HEAD's by default).
   * Key conflicts are returned; nothing is written then.
   * @throws {KvStoreError} KV_READ_ONLY when the dataset follows a tag or commit.
   */
  merge(ref: string, options: MergeOptions = {}): Promise<MergeOutcome> {
    return guard(async () => {
      await this.ds.staging.flush();
      return mergeRevision(this.ds, ref, options);
    });
  }

  /** True when the staged dataset equals the one at `ref`. */
  async sameAs(ref: string): Promise<boolean> {
    return guard(async () => sameState(await this.ds.staged(), await this.ds.stateAt(ref)));
  }

  /**
   * Flushes the write buffer (see {@link flush}), then releases open files. When the flush fails
   * the files are released all the same and the error is thrown; the buffered edits stay in
   * their journal, which the next `open` of the dataset stages.
   */
  async close(): Promise<void> {
    try {
      await guard(() => this.ds.staging.close());
    } finally {
      await this.ds.repo.close();
    }
  }
}
