/**
 * Writing a tree's files while the tree is being built (bulk imports into a working tree). The
 * materializer watches an object store's writes: blobs are held until the tree that names them
 * is written, then that tree becomes a directory in a temporary folder of the Git directory,
 * written by the {@link fileWriter} thread with the blobs as files and its subtrees' directories
 * renamed into it. A tree built bottom-up (children before parents, as prolly-core builds) thus
 * ends as one directory holding every file, which a single rename puts in place, and the stat
 * data of every file is known for Git's index — no second pass reads or writes them.
 *
 * Anything the materializer cannot vouch for (a tree naming an object it did not see written, a
 * symlink, a name that is unsafe on disk, a failed write) makes that tree, and every tree above
 * it, incomplete: {@link TreeMaterializer.finish} then answers `undefined` and the caller writes
 * the files the ordinary way.
 */
import { createHash } from "node:crypto";
import { promises as fsp } from "node:fs";
import { hostname } from "node:os";
import { dirname, join } from "node:path";
import { concatBytes } from "@git-prolly/prolly-core";
import { type DirectoryJob, STAT_FIELDS, fileWriter } from "../bulk/file-writer.js";
import { isRunning } from "@git-prolly/lock-file";
import type { ObjectId, ObjectType } from "../objects/object-id.js";
import type { ObjectStore } from "../objects/object-store.js";
import { type TreeEntry, type TreeEntryMode, decodeTreeObject } from "../objects/tree-object.js";

/** A file of a materialized tree. */
export interface MaterializedFile {
  /** Path relative to the tree's directory. */
  readonly path: string;
  readonly mode: TreeEntryMode;
  readonly id: ObjectId;
  /** Its stat data: {@link STAT_FIELDS} 32-bit values as Git's index keeps them. */
  readonly stat: Uint32Array;
}

/** A tree written out as a directory. */
export interface MaterializedTree {
  /** Absolute path of the directory (inside the Git directory) that holds the tree's files. */
  readonly dir: string;
  /** Every file of the tree, depth first in tree order. */
  readonly files: readonly MaterializedFile[];
}

const PREFIX = "materialize-";
/** This host, in folder names: a folder is only ever judged stale by a process of its own host. */
const HOST = createHash("sha1").update(hostname()).digest("hex").slice(0, 8);
/**
 * The folders of this process's live materializers. Process-wide on purpose: the stale-folder
 * sweep judges a folder by the process that named it, so every materializer of the process (of
 * any store, and of a second copy of this module loaded by another package, hence `globalThis`)
 * must know the others' live folders, or one would remove another's folder as stale.
 */
const OWN: Set<string> = ((globalThis as Record<symbol, unknown>)[Symbol.for("git-prolly.materializer-folders")] ??=
  new Set<string>()) as Set<string>;
/**
 * A folder untouched this long is stale whoever named it: a live materializer changes its folder
 * every few milliseconds (a pid can be reused, also across containers sharing a host name).
 */
const IDLE_MS = 60 * 60 * 1000;
/** How far the builder may run ahead of the writer thread (bytes of files not written yet). */
const MAX_QUEUED_BYTES = 64 * 1024 * 1024;
const FILE_MODES: Readonly<Record<string, number>> = { "100644": 0o666, "100755": 0o777 };

/** True for a tree entry name that is safe as a file name (no traversal, no `.git`). */
function safeName(name: string): boolean {
  return (
    name !== "" &&
    name !== "." &&
    name !== ".." &&
    !name.includes("/") &&
    !name.includes("\0") &&
    name.toLowerCase() !== ".git"
  );
}

/** Writes the trees an {@link ObjectStore} receives as directories (see the file comment). */
export class TreeMaterializer {
  readonly #blobs = new Map<ObjectId, Uint8Array>();
  /** Trees seen: their entries when their directory is (being) written with every one, else null. */
  readonly #trees = new Map<ObjectId, readonly TreeEntry[] | null>();
  /** Trees whose directory was already moved into a parent. */
  readonly #moved = new Set<ObjectId>();
  /** Stat data of each written tree's files, by name. */
  readonly #stats = new Map<ObjectId, Map<string, Uint32Array>>();
  readonly #jobs: Promise<void>[] = [];
  /** Bytes handed to the writer thread and not written yet; past {@link MAX_QUEUED_BYTES} the builder waits. */
  #queued = 0;
  #failed = false;
  #stop: (() => void) | undefined;

  private constructor(
    readonly tempDir: string,
    objects: ObjectStore,
  ) {
    this.#stop = objects.observeWrites((id, type, content) => this.#observe(id, type, content));
  }

  /**
   * Starts watching `objects`. Returns `undefined` when `gitDir` and `worktreeRoot` are on
   * different file systems (a rename could not move the result into place).
   */
  static async start(
    gitDir: string,
    worktreeRoot: string,
    objects: ObjectStore,
  ): Promise<TreeMaterializer | undefined> {
    const dir = await scratchDir(gitDir, worktreeRoot);
    return dir === undefined ? undefined : new TreeMaterializer(dir, objects);
  }

  #observe(id: ObjectId, type: ObjectType, content: Uint8Array): Promise<void> | undefined {
    if (type === "blob") {
      if (!this.#blobs.has(id)) this.#blobs.set(id, content);
      return undefined;
    }
    if (type !== "tree" || this.#trees.has(id)) return undefined;
    const job = this.#jobFor(id, content);
    this.#trees.set(id, job?.entries ?? null);
    if (job === undefined) return undefined;
    const bytes = job.dir.data.length;
    this.#queued += bytes;
    const done = fileWriter.write(job.dir).then(
      (stats) => {
        const byName = new Map<string, Uint32Array>();
        job.dir.names.forEach((name, i) => byName.set(name, stats.subarray(i * STAT_FIELDS, (i + 1) * STAT_FIELDS)));
        this.#stats.set(id, byName);
      },
      () => {
        this.#failed = true;
      },
    );
    const counted = done.then(() => {
      this.#queued -= bytes;
    });
    this.#jobs.push(counted);
    // Bounded memory when the disk is slower than the build: wait for this job past the bound.
    return this.#queued > MAX_QUEUED_BYTES ? counted : undefined;
  }

  /** The directory job for a tree, or `undefined` when it cannot be materialized completely. */
  #jobFor(id: ObjectId, content: Uint8Array): { dir: DirectoryJob; entries: readonly TreeEntry[] } | undefined {
    let entries;
    try {
      entries = decodeTreeObject(id, content);
    } catch {
      return undefined;
    }
    const names: string[] = [];
    const modes: number[] = [];
    const blobs: ObjectId[] = [];
    const contents: Uint8Array[] = [];
    const moves: [string, string][] = [];
    const subtrees = new Set<ObjectId>();
    for (const e of entries) {
      if (!safeName(e.name) || e.rawName !== undefined) return undefined;
      if (e.mode === "40000") {
        if (!this.#complete(e.id) || this.#moved.has(e.id) || subtrees.has(e.id)) return undefined;
        subtrees.add(e.id);
        moves.push([join(this.tempDir, e.id), e.name]);
        continue;
      }
      const mode = FILE_MODES[e.mode];
      const bytes = this.#blobs.get(e.id);
      if (mode === undefined || bytes === undefined) return undefined;
      names.push(e.name);
      modes.push(mode);
      blobs.push(e.id);
      contents.push(bytes);
    }
    for (const t of subtrees) this.#moved.add(t);
    for (const b of blobs) this.#blobs.delete(b);
    const data = concatBytes(contents);
    return {
      dir: { dir: join(this.tempDir, id), names, modes, data, lengths: contents.map((c) => c.length), moves },
      entries,
    };
  }

  #complete(id: ObjectId): boolean {
    return (this.#trees.get(id) ?? null) !== null;
  }

  /** The files under a complete, written tree, with paths relative to it. */
  #files(id: ObjectId, prefix: string, out: MaterializedFile[]): MaterializedFile[] {
    const stats = this.#stats.get(id);
    for (const e of this.#trees.get(id) ?? []) {
      if (e.mode === "40000") this.#files(e.id, `${prefix}${e.name}/`, out);
      else out.push({ path: `${prefix}${e.name}`, mode: e.mode, id: e.id, stat: stats!.get(e.name)! });
    }
    return out;
  }

  /**
   * Stops watching and waits for the writes. Returns the directory of tree `rootId` when every
   * file under it was written, else `undefined`.
   */
  async finish(rootId: ObjectId): Promise<MaterializedTree | undefined> {
    this.#stop?.();
    this.#stop = undefined;
    await Promise.all(this.#jobs);
    this.#blobs.clear();
    if (this.#failed || !this.#complete(rootId) || this.#moved.has(rootId)) return undefined;
    return { dir: join(this.tempDir, rootId), files: this.#files(rootId, "", []) };
  }

  /**
   * Stops watching and removes the temporary folder with whatever is still in it, then the
   * folders that killed imports left. Never throws: cleaning up must not fail an import. (Not before an import: deleting many files first would
   * slow down creating them on some file systems, ext4 without a journal among them.)
   */
  async close(): Promise<void> {
    this.#stop?.();
    this.#stop = undefined;
    await Promise.all(this.#jobs);
    this.#blobs.clear();
    // Best effort: a folder that cannot be removed now is stale for the next import to remove.
    await fsp.rm(this.tempDir, { recursive: true, force: true }).catch(() => undefined);
    OWN.delete(this.tempDir);
    await removeStale(dirname(this.tempDir)).catch(() => undefined);
  }
}

/**
 * @internal A new folder of this process in `<git dir>/prolly/tmp` (removed by {@link dropScratchDir},
 * or as stale once the process is gone), or `undefined` when it is on another file system than
 * `worktreeRoot` (a rename could not move files from it into the working tree).
 */
export async function scratchDir(gitDir: string, worktreeRoot: string): Promise<string | undefined> {
  const root = join(gitDir, "prolly", "tmp");
  await fsp.mkdir(root, { recursive: true });
  const dir = await fsp.mkdtemp(join(root, `${PREFIX}${process.pid}-${HOST}-`));
  const [a, b] = await Promise.all([fsp.stat(dir), fsp.stat(worktreeRoot)]);
  if (a.dev !== b.dev) {
    await fsp.rm(dir, { recursive: true, force: true });
    return undefined;
  }
  OWN.add(dir);
  return dir;
}

/**
 * @internal Removes a {@link scratchDir} and whatever is in it, then the folders that killed
 * processes left (never throws).
 */
export async function dropScratchDir(dir: string): Promise<void> {
  await fsp.rm(dir, { recursive: true, force: true }).catch(() => undefined);
  OWN.delete(dir);
  await removeStale(dirname(dir)).catch(() => undefined);
}

/**
 * Removes the folders of this host's materializers whose process no longer runs (killed
 * mid-import) or that nothing has touched for {@link IDLE_MS}; never one of this process.
 */
async function removeStale(root: string): Promise<void> {
  const pattern = new RegExp(`^${PREFIX}(\\d+)-([0-9a-f]{8})-`);
  for (const name of await fsp.readdir(root).catch(() => [] as string[])) {
    const m = pattern.exec(name);
    const path = join(root, name);
    if (m === null || m[2] !== HOST || OWN.has(path)) continue;
    const pid = Number(m[1]);
    if (pid === process.pid || isRunning(pid)) {
      const touched = await fsp.stat(path).then(
        (s) => s.mtimeMs,
        () => Date.now(),
      );
      if (Date.now() - touched < IDLE_MS) continue;
    }
    await fsp.rm(path, { recursive: true, force: true });
  }
}
