/**
 * Staging in Git's index: a staged change is written as the node files it changes, into the
 * index (exact ids through `git update-index --index-info`) and the working tree. So `git status`
 * shows staged data like any `git add`, `git stash` and `git checkout` handle it natively, and
 * the staged state is simply what the index holds under the dataset directory.
 *
 * The index is parsed only when its checksum changed since the last call of any process: the
 * staged state is cached in `<git dir>/prolly/datasets/<key>/index-cache` next to the checksum
 * of the index it was read from, and in memory: a read whose index checksum (20 bytes at the end
 * of the index, read synchronously) matches the last one costs a few system calls, so the write
 * buffer can check on every `get`/`delete` that Git did not change the index underneath.
 */
import { closeSync, fstatSync, openSync, readSync, promises as fsp } from "node:fs";
import { join } from "node:path";
import {
  type EntryRef,
  type MaterializedTree,
  type PathChange,
  type Repository,
  type TreeMaterializer,
  type Worktree,
  discardPrepared,
} from "@git-prolly/git-object-store";
import type { ObjectNodeStore } from "@git-prolly/prolly-core";
import { type DatasetPaths, type DatasetState, sameState } from "./dataset-state.js";
import { KvStoreError } from "./errors.js";
import type { MutateOptions, StagingArea, StagingChange } from "./staging.js";

interface CacheRecord {
  readonly checksum: string;
  readonly state: DatasetState | null;
}

function decodeCache(bytes: Uint8Array | undefined): CacheRecord | undefined {
  if (bytes === undefined) return undefined;
  try {
    const r = JSON.parse(Buffer.from(bytes).toString("utf8")) as CacheRecord;
    return typeof r.checksum === "string" ? r : undefined;
  } catch {
    return undefined;
  }
}

function encodeCache(r: CacheRecord): Uint8Array {
  return Buffer.from(JSON.stringify(r), "utf8");
}

const TAIL = Buffer.alloc(20);
/** Bytes of blobs a staging change writes that are kept in memory for writing their files. */
const FRESH_BYTES = 256 * 1024 * 1024;
/** About the size of a leaf (the default chunking's target). */
const CHUNK_BYTES = 4096;

/**
 * The checksum in the trailer of the index at `path`, or `""` without one (no index, or
 * `index.skipHash`). Synchronous: four system calls, no trip through libuv's thread pool.
 */
function indexChecksumSync(path: string): string {
  let fd: number;
  try {
    fd = openSync(path, "r");
  } catch (e) {
    if ((e as { code?: unknown }).code === "ENOENT") return "";
    throw e;
  }
  try {
    const { size } = fstatSync(fd);
    if (size < 32 || readSync(fd, TAIL, 0, 20, size - 20) !== 20) return "";
    const hex = TAIL.toString("hex");
    return /^0+$/.test(hex) ? "" : hex;
  } finally {
    closeSync(fd);
  }
}

/** {@link StagingArea} in the index and working tree of a non-bare repository. */
export class IndexStaging implements StagingArea {
  readonly kind = "index";
  readonly #cacheName: string;
  readonly #indexPath: string;
  /** The last state read or staged by this object, with the checksum of its index. */
  #memo: CacheRecord | undefined;

  constructor(
    readonly repo: Repository,
    readonly worktree: Worktree,
    readonly paths: DatasetPaths,
    key: string,
    readonly store?: ObjectNodeStore,
  ) {
    this.#cacheName = `datasets/${key}/index-cache`;
    this.#indexPath = join(worktree.gitDir, "index");
  }

  async #fromIndex(): Promise<DatasetState | undefined> {
    const manifest = await this.worktree.entryAt(this.paths.manifest);
    const root = await this.worktree.entryAt(this.paths.root);
    if (manifest === undefined || manifest.mode === "40000" || root === undefined) return undefined;
    return { manifest: manifest.id, root };
  }

  async #read(cached: CacheRecord | undefined): Promise<{ state: DatasetState | undefined; checksum: string }> {
    const checksum = await this.worktree.indexChecksum();
    if (cached !== undefined && checksum !== "" && cached.checksum === checksum)
      return { state: cached.state ?? undefined, checksum };
    return { state: await this.#fromIndex(), checksum };
  }

  async read(): Promise<DatasetState | undefined> {
    const memo = this.#memo;
    if (memo !== undefined && memo.checksum !== "" && memo.checksum === indexChecksumSync(this.#indexPath))
      return memo.state ?? undefined;
    const { state, checksum } = await this.#read(decodeCache(await this.repo.state.read(this.#cacheName)));
    this.#memo = { checksum, state: state ?? null };
    return state;
  }

  async mutate<T>(
    change: (current: DatasetState | undefined) => Promise<StagingChange<T>>,
    options: MutateOptions = {},
  ): Promise<T> {
    let result: T | undefined;
    await this.repo.state.update(this.#cacheName, async (bytes) => {
      const { state: current } = await this.#read(decodeCache(bytes));
      const materializer = options.bulk === true ? await this.worktree.materializer() : undefined;
      // The blobs the change writes, kept for writing their files (instead of reading them back).
      const fresh = new Map<string, Uint8Array>();
      let freshBytes = 0;
      const stop =
        materializer === undefined
          ? this.repo.objects.observeWrites((id, type, content) => {
              if (type === "blob" && freshBytes < FRESH_BYTES) {
                fresh.set(id, content);
                freshBytes += content.length;
              }
              return undefined;
            })
          : undefined;
      try {
        let outcome;
        try {
          outcome = await change(current);
        } finally {
          stop?.();
        }
        result = outcome.result;
        if (!sameState(current, outcome.next)) await this.#write(current, outcome.next, materializer, fresh);
        const record: CacheRecord = { checksum: await this.worktree.indexChecksum(), state: outcome.next ?? null };
        this.#memo = record;
        await options.afterWrite?.();
        return encodeCache(record);
      } finally {
        await materializer?.close();
      }
    });
    return result as T;
  }

  /**
   * Writes the file changes from `from` to `to` into the index, then the working tree (moved in
   * from `materializer`'s directory when it holds the whole new root).
   */
  async #write(
    from: DatasetState | undefined,
    to: DatasetState | undefined,
    materializer?: TreeMaterializer,
    fresh?: ReadonlyMap<string, Uint8Array>,
  ): Promise<void> {
    let tree: MaterializedTree | undefined;
    const bulk =
      materializer !== undefined && to !== undefined && to.root.mode === "40000" && from?.root.mode !== "40000";
    if (bulk) [tree] = await Promise.all([materializer.finish(to.root.id), this.repo.objects.flush()]);
    const changes: PathChange[] = [];
    const manifestBefore: EntryRef | undefined = from === undefined ? undefined : { mode: "100644", id: from.manifest };
    const manifestAfter: EntryRef | undefined = to === undefined ? undefined : { mode: "100644", id: to.manifest };
    if (manifestBefore?.id !== manifestAfter?.id) {
      changes.push({
        path: this.paths.manifest,
        ...(manifestBefore === undefined ? {} : { before: manifestBefore }),
        ...(manifestAfter === undefined ? {} : { after: manifestAfter }),
      });
    }
    if (tree !== undefined) {
      // The materializer knows every file of the new root: no walk over the trees just written.
      if (from !== undefined) changes.push({ path: this.paths.root, before: from.root });
      for (const f of tree.files)
        changes.push({ path: `${this.paths.root}/${f.path}`, after: { mode: f.mode, id: f.id } });
    } else for await (const c of this.repo.diffTreePaths(from?.root, to?.root, this.paths.root)) changes.push(c);
    // The files to create are started while the objects are written (they must be durable
    // before the index names them).
    const prepared = bulk ? undefined : this.worktree.prepareChanges(changes);
    if (!bulk) {
      try {
        await this.repo.objects.flush();
      } catch (e) {
        if (prepared !== undefined) await discardPrepared(prepared);
        throw e;
      }
    }
    await this.worktree.applyChanges(
      changes,
      (id) => this.#content(id, fresh),
      tree === undefined ? undefined : { path: this.paths.root, tree },
      prepared,
    );
  }

  /** A blob's bytes: one just written, or a leaf still in the node cache, has them at hand; anything else is read. */
  async #content(id: string, fresh?: ReadonlyMap<string, Uint8Array>): Promise<Uint8Array> {
    const bytes = fresh?.get(id);
    if (bytes !== undefined) return bytes;
    const node = this.store?.peek(id);
    if (node?.kind === "leaf" && node.encoded !== undefined) return node.encoded;
    return this.repo.readBlob(id);
  }

  anticipate(bytes: number): void {
    // About one node file per chunk of new bytes (the most a batch of new keys can add).
    this.worktree.reserveSpares(Math.floor(bytes / CHUNK_BYTES));
  }

  async unstaged(): Promise<string[]> {
    const lines = await this.worktree.status([this.paths.manifest, this.paths.root]);
    return lines.filter((l) => l.y !== " ").map((l) => l.path);
  }

  async settle(): Promise<void> {
    // The index already holds the committed state.
  }

  async headMoved(): Promise<void> {
    // `git checkout` / `git read-tree -m -u` already moved the index and the files.
  }

  async reset(state: DatasetState | undefined): Promise<void> {
    await this.mutate(async () => ({ next: state, result: undefined }));
    await this.#restoreFiles();
  }

  /** Brings back working-tree files that differ from the index (local edits, interrupted writes). */
  async #restoreFiles(): Promise<void> {
    const unstaged = await this.unstaged();
    if (unstaged.length === 0) return;
    await this.worktree.git(["checkout-index", "-f", "-q", "--", ...unstaged]).catch((cause: unknown) => {
      throw new KvStoreError("KV_GIT_FAILED", "cannot restore the dataset's working-tree files", {
        hint: "Run `git checkout -- <dataset>` by hand.",
        cause,
      });
    });
  }

  /**
   * A writer killed while writing node files leaves the index at the new state and some files
   * behind it: new nodes not yet written, temporary files (`<node>.tmp-<8 hex>`, prepared or
   * spare files) of the writes it was doing, and old nodes not yet removed. Restores the files
   * from the index and removes every file Git does not track under the dataset's `root/`: that
   * directory holds nothing but node files, so an untracked one is a leftover of the dead writer.
   * Runs under the staging lock, so no live flush of git-prolly is writing there.
   */
  async repair(): Promise<void> {
    await this.#restoreFiles();
    const { stdout } = await this.worktree.git(["ls-files", "-z", "--others", "--", this.paths.root]);
    const leftovers = stdout.split("\0").filter((p) => p !== "");
    await Promise.all(leftovers.map((p) => fsp.rm(join(this.worktree.root, p), { force: true })));
  }
}
