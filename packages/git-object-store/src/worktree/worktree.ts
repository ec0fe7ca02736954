/**
 * A repository's working tree and index, changed the way Git would change them: index entries
 * through `git update-index --index-info` (exact ids and modes, so no clean/smudge filter or
 * line-ending rule can alter the bytes), files written directly, and whole-tree moves through
 * `git read-tree -m -u` and `git checkout`, which keep Git's refusal to overwrite local changes.
 */
import { closeSync, fstatSync, mkdirSync, openSync, readSync, rmSync, statSync, promises as fsp } from "node:fs";
import { dirname, join } from "node:path";
import { GIT_ERROR_CODES, GitStoreError, isGitStoreError } from "../errors.js";
import { runGit, type GitResult } from "../repository/git-cli.js";
import { type GitIndex, type IndexEntry, indexEntriesUnder, inspectIndexUnder, parseIndex } from "./git-index.js";
import { BulkWrites, type PreparedChanges, WORKER_MIN, WRITE_CONCURRENCY, discardPrepared } from "./bulk-writes.js";
import { type WrittenFile, recordIndexStats, updateIndexEntries } from "./index-stats.js";
import { writeWorktreeFile, writeWorktreeFileSync } from "./worktree-file.js";
import { indexChecksumSync, trailerHex } from "./index-checksum.js";
import { isMissing } from "../is-missing.js";
import { type ObjectId, ZERO_ID, hashObject } from "../objects/object-id.js";
import type { ObjectStore } from "../objects/object-store.js";
import type { EntryRef, PathChange } from "../trees/tree-diff.js";
import { type MaterializedTree, TreeMaterializer } from "./tree-materializer.js";
import { DIR_MODE, type TreeEntry, encodeTreeObject } from "../objects/tree-object.js";

/** One line of `git status --porcelain`: index (X) and working-tree (Y) states of a path. */
export interface StatusLine {
  readonly x: string;
  readonly y: string;
  readonly path: string;
}

/** Up to this many files are written with synchronous calls (a `set` writes a leaf or a few). */
const SYNC_WRITE_MAX = 16;
/** From this many files written on, their stat data goes into the index (below, Git re-reads them). */
const RECORD_STATS_MIN = 64;

const MODE_BITS: Record<string, string> = {
  "100644": "100644",
  "100755": "100755",
  "120000": "120000",
  "160000": "160000",
};

/** The working tree and index of a non-bare repository (or a linked worktree). */
export class Worktree {
  #cached: GitIndex | undefined;
  readonly #bulk: BulkWrites;

  constructor(
    /** Absolute path of the working tree's top directory. */
    readonly root: string,
    /** The worktree's Git directory (holds `index` and `HEAD`). */
    readonly gitDir: string,
    readonly objects: ObjectStore,
  ) {
    this.#bulk = new BulkWrites(root, gitDir);
  }

  /** Runs `git` on this worktree. */
  git(
    args: readonly string[],
    options: { input?: string | Uint8Array; okCodes?: readonly number[] } = {},
  ): Promise<GitResult> {
    return runGit({ args, cwd: this.root, gitDir: this.gitDir, workTree: this.root, ...options });
  }

  /** The checksum in the index file's trailer (cheap: reads 20 bytes), or `""` without an index. */
  async indexChecksum(): Promise<string> {
    return indexChecksumSync(join(this.gitDir, "index"));
  }

  /**
   * The index, parsed (re-read only when its checksum changed). The file is read with
   * synchronous calls: a few system calls, where each promise-based one is a trip through
   * libuv's thread pool, and a command reads the index several times (each time only its
   * trailer, while it is unchanged).
   */
  async readIndex(): Promise<GitIndex> {
    const path = join(this.gitDir, "index");
    let fd: number;
    try {
      fd = openSync(path, "r");
    } catch (e) {
      if (isMissing(e)) return { version: 2, entries: [], cacheTree: new Map(), checksum: "" };
      throw e;
    }
    let buf: Buffer;
    let checksum: string;
    try {
      const { size } = fstatSync(fd);
      checksum = trailerHex(fd, size);
      if (this.#cached !== undefined && checksum === this.#cached.checksum && !/^0+$/.test(checksum))
        return this.#cached;
      buf = Buffer.allocUnsafe(size);
      for (let got = 0; got < size;) {
        const n = readSync(fd, buf, got, size - got, got);
        if (n === 0) {
          throw new GitStoreError(GIT_ERROR_CODES.OBJECT_CORRUPT, "the index file shrank while being read", {
            hint: "Another program truncated .git/index in place; check it with `git status`, then retry.",
            data: { path },
          });
        }
        got += n;
      }
    } finally {
      closeSync(fd);
    }
    try {
      this.#cached = parseIndex(buf);
    } catch (e) {
      if (!isGitStoreError(e, GIT_ERROR_CODES.UNSUPPORTED)) throw e;
      this.#cached = await this.#indexFromGit(checksum);
    }
    return this.#cached;
  }

  /** Fallback for index formats the parser does not read: `git ls-files --stage`. */
  async #indexFromGit(checksum: string): Promise<GitIndex> {
    const { stdout } = await this.git(["ls-files", "--stage", "-z"]);
    const entries: IndexEntry[] = [];
    for (const rec of stdout.split("\0")) {
      if (rec === "") continue;
      const m = /^(\d+) ([0-9a-f]{40}) (\d)\t(.*)$/s.exec(rec);
      if (m === null) continue;
      entries.push({
        mode: (MODE_BITS[m[1]!] ?? "100644") as IndexEntry["mode"],
        id: m[2]! as ObjectId,
        stage: Number(m[3]),
        path: m[4]!,
      });
    }
    return { version: 0, entries, cacheTree: new Map(), checksum };
  }

  /** Index entries at `path` or below it (stage 0 and conflicts alike). */
  async entriesUnder(path: string): Promise<IndexEntry[]> {
    return indexEntriesUnder(await this.readIndex(), path);
  }

  /**
   * What the index holds at `path`: a file entry, a directory as a tree (from the cache-tree
   * extension, else computed from the entries and written to `objects`), or `undefined`.
   * @throws {GitStoreError} GIT_UNSUPPORTED when the path has unresolved merge conflicts.
   */
  async entryAt(path: string): Promise<EntryRef | undefined> {
    const index = await this.readIndex();
    const { count, own, conflicts: conflicted } = inspectIndexUnder(index, path);
    if (count === 0) return undefined;
    if (conflicted.length > 0) {
      throw new GitStoreError(GIT_ERROR_CODES.UNSUPPORTED, `${path} has unresolved merge conflicts in the index`, {
        hint: `Resolve them (e.g. \`git checkout --ours -- ${path}\` or \`git merge --abort\`), then retry.`,
        data: { path, conflicts: conflicted.slice(0, 10).map((e) => e.path) },
      });
    }
    if (own !== undefined) return { mode: own.mode, id: own.id };
    const cached = index.cacheTree.get(path);
    if (cached !== undefined) return { mode: DIR_MODE, id: cached.id };
    return { mode: DIR_MODE, id: await this.#writeTrees(path, indexEntriesUnder(index, path)) };
  }

  /** Builds (and queues for writing) the trees of the index entries below `path`. */
  async #writeTrees(path: string, entries: readonly IndexEntry[]): Promise<ObjectId> {
    interface Dir {
      files: TreeEntry[];
      dirs: Map<string, Dir>;
    }
    const top: Dir = { files: [], dirs: new Map() };
    for (const e of entries) {
      const parts = e.path.slice(path.length + 1).split("/");
      let d = top;
      for (const p of parts.slice(0, -1)) {
        let next = d.dirs.get(p);
        if (next === undefined) d.dirs.set(p, (next = { files: [], dirs: new Map() }));
        d = next;
      }
      d.files.push({ mode: e.mode, name: parts[parts.length - 1]!, id: e.id });
    }
    const objects: { type: "tree"; content: Uint8Array; id: ObjectId }[] = [];
    const build = (d: Dir): ObjectId => {
      const list = [...d.files];
      for (const [name, sub] of d.dirs) list.push({ mode: DIR_MODE, name, id: build(sub) });
      const content = encodeTreeObject(list);
      const id = hashObject("tree", content);
      objects.push({ type: "tree", content, id });
      return id;
    };
    const id = build(top);
    if (!(await this.objects.has(id))) await this.objects.write(objects);
    return id;
  }

  /**
   * Starts writing the files of trees as their objects are written to this worktree's object
   * store (see {@link TreeMaterializer}); pass the result to {@link applyChanges}. `undefined`
   * when the Git directory is on another file system than the working tree.
   */
  materializer(): Promise<TreeMaterializer | undefined> {
    return TreeMaterializer.start(this.gitDir, this.root, this.objects);
  }

  /**
   * Applies file changes to the index, then to the working tree. The index is updated first (one
   * atomic `index.lock` rename), so an interrupted call leaves the staging area at the new state
   * and at most some working-tree files behind it (`git checkout -- <path>` restores them).
   * `content` returns the bytes of a blob to write. With `prebuilt` (the whole new tree at
   * `prebuilt.path`, already written as a directory) the files are moved into place with one
   * rename; if the rename cannot be made, they are written one by one as without it. When many
   * files are written, the index records their stat data, as `git checkout` would, so Git need
   * not read them again to see that they are clean.
   */
  async applyChanges(
    changes: readonly PathChange[],
    content: (id: ObjectId) => Promise<Uint8Array>,
    prebuilt?: { readonly path: string; readonly tree: MaterializedTree },
    prepared?: PreparedChanges,
  ): Promise<void> {
    if (changes.length === 0) return;
    try {
      // A few entries (one `set`): written in process, as Git would, when that is safe.
      if (!(await updateIndexEntries(join(this.gitDir, "index"), this.root, changes, this.#cached))) {
        let info = "";
        for (const c of changes) {
          info += c.after === undefined ? `0 ${ZERO_ID}\t${c.path}\0` : `${c.after.mode} ${c.after.id}\t${c.path}\0`;
        }
        await this.git(["update-index", "-z", "--index-info"], { input: info });
      }
    } catch (e) {
      if (prepared !== undefined) await discardPrepared(prepared);
      throw e;
    }
    let written: Map<string, WrittenFile>;
    if (prebuilt !== undefined && (await this.#place(prebuilt.path, prebuilt.tree.dir))) {
      // Changes beside the tree (none from an import, but the contract allows them) are written as usual.
      const under = `${prebuilt.path}/`;
      written = await this.writeFiles(
        changes.filter((c) => c.path !== prebuilt.path && !c.path.startsWith(under)),
        content,
      );
      for (const f of prebuilt.tree.files) written.set(`${under}${f.path}`, { id: f.id, stat: f.stat });
    } else written = await this.writeFiles(changes, content, prepared);
    // Stat data is a cache: for a few files, re-reading them on the next `git status` is cheaper
    // than a pass over a big index; when the index is busy, `git status` reads them instead.
    if (written.size >= RECORD_STATS_MIN)
      await recordIndexStats(join(this.gitDir, "index"), this.root, written).catch(() => 0);
  }

  /**
   * Renames directory `dir` to `path`, where at most a file or an empty directory may stand.
   * False (nothing moved) when something else is in the way or the rename fails.
   */
  async #place(path: string, dir: string): Promise<boolean> {
    const target = join(this.root, path);
    try {
      const existing = await fsp.lstat(target).catch((e: unknown) => {
        if (isMissing(e)) return undefined;
        throw e;
      });
      if (existing?.isDirectory() === true) await fsp.rmdir(target);
      else if (existing !== undefined) await fsp.unlink(target);
      await this.#makeParents(target);
      await fsp.rename(dir, target);
      return true;
    } catch {
      return false;
    }
  }

  /**
   * Writes the working-tree side of `changes` (removals first, then files); the index must
   * already hold the new entries. Returns the stat data of the files it wrote, by path.
   */
  async writeFiles(
    changes: readonly PathChange[],
    content: (id: ObjectId) => Promise<Uint8Array>,
    prepared?: PreparedChanges,
  ): Promise<Map<string, WrittenFile>> {
    if (prepared !== undefined && prepared.plan.changes === changes) {
      await prepared.ready;
      return this.#bulk.write(prepared.plan, content);
    }
    if (changes.length >= WORKER_MIN) return this.#bulk.write(this.#bulk.plan(changes), content);
    const writes = changes.filter((c) => c.after !== undefined);
    const dirs = new Set<string>();
    const written = new Map<string, WrittenFile>();
    for (const c of changes) {
      if (c.before !== undefined && (c.after === undefined || c.after.mode === DIR_MODE)) {
        await fsp.rm(join(this.root, c.path), { force: true, recursive: false }).catch((e: unknown) => {
          // A directory where the file was (untracked files in the way): left to the writes below.
          const code = (e as { code?: unknown }).code;
          if (code !== "EISDIR" && code !== "ERR_FS_EISDIR" && !isMissing(e)) throw e;
        });
        dirs.add(dirname(c.path));
      }
    }
    for (const d of [...dirs].sort((a, b) => b.length - a.length)) await this.#pruneEmpty(d);
    // Directories first (each once), then the files, many at a time.
    const parents = [...new Set(writes.map((c) => dirname(join(this.root, c.path))))].sort();
    for (const d of parents) await this.#makeParents(join(d, "x"));
    const sync = writes.length <= SYNC_WRITE_MAX;
    for (let i = 0; i < writes.length; i += WRITE_CONCURRENCY) {
      await Promise.all(
        writes.slice(i, i + WRITE_CONCURRENCY).map(async (c) => {
          written.set(c.path, { id: c.after!.id, stat: await this.#writeOne(c, content, sync) });
        }),
      );
    }
    return written;
  }

  /**
   * Makes up to `count` empty files in the background, on the writer thread, for the next
   * {@link applyChanges} to move to the new paths it writes (see {@link BulkWrites.reserveSpares}).
   */
  reserveSpares(count: number): void {
    this.#bulk.reserveSpares(count);
  }

  /** Stops making spares and removes those left. */
  close(): Promise<void> {
    return this.#bulk.close();
  }

  /**
   * Starts, on the writer thread, what {@link applyChanges} of the same `changes` will need before
   * it can change the index (see {@link BulkWrites.prepare}); `undefined` when `changes` are too
   * few for the writer thread.
   */
  prepareChanges(changes: readonly PathChange[]): PreparedChanges | undefined {
    return this.#bulk.prepare(changes);
  }

  /** Writes one file (see {@link writeWorktreeFile}); synchronously when `sync`. */
  async #writeOne(c: PathChange, content: (id: ObjectId) => Promise<Uint8Array>, sync: boolean): Promise<Uint32Array> {
    const file = join(this.root, c.path);
    const bytes = await content(c.after!.id);
    const mode = c.after!.mode === "100755" ? 0o755 : 0o644;
    return sync
      ? writeWorktreeFileSync(file, bytes, mode, c.before === undefined)
      : writeWorktreeFile(file, bytes, mode, c.before === undefined);
  }

  /** Makes the directories above `file` (synchronous calls: usually one `mkdir` of an existing directory). */
  async #makeParents(file: string): Promise<void> {
    try {
      mkdirSync(dirname(file), { recursive: true });
    } catch (e) {
      if ((e as { code?: unknown }).code !== "EEXIST" && (e as { code?: unknown }).code !== "ENOTDIR") throw e;
      // A file sits where a directory must go (a leaf that became an internal node).
      let d = dirname(file);
      while (d.startsWith(this.root) && d !== this.root) {
        let s;
        try {
          s = statSync(d);
        } catch {
          s = undefined;
        }
        if (s !== undefined && !s.isDirectory()) {
          rmSync(d, { force: true });
          break;
        }
        d = dirname(d);
      }
      mkdirSync(dirname(file), { recursive: true });
    }
  }

  async #pruneEmpty(relDir: string): Promise<void> {
    let d = relDir;
    while (d !== "." && d !== "" && d !== "/") {
      try {
        await fsp.rmdir(join(this.root, d));
      } catch {
        return;
      }
      d = dirname(d);
    }
  }

  /** `git status --porcelain` limited to `paths` (tracked files only). Refreshes stat data. */
  async status(paths: readonly string[]): Promise<StatusLine[]> {
    // --no-optional-locks: compare in memory but never rewrite the index (a read must change nothing).
    const { stdout } = await this.git([
      "--no-optional-locks",
      "status",
      "--porcelain=v1",
      "-z",
      "--untracked-files=no",
      "--ignore-submodules=all",
      "--",
      ...paths,
    ]);
    const out: StatusLine[] = [];
    const recs = stdout.split("\0");
    for (let i = 0; i < recs.length; i++) {
      const r = recs[i]!;
      if (r.length < 4) continue;
      out.push({ x: r[0]!, y: r[1]!, path: r.slice(3) });
      if (r[0] === "R" || r[0] === "C") i++; // the rename source follows
    }
    return out;
  }

  /** Refreshes the index's stat data (`git update-index -q --refresh`). */
  async refresh(): Promise<void> {
    await this.git(["update-index", "-q", "--refresh"], { okCodes: [0, 1] });
  }

  /**
   * Moves index and working tree from tree `from` to tree `to` like a checkout would (two-tree
   * `git read-tree -m -u`), refusing when local changes would be overwritten.
   */
  async moveTree(from: ObjectId, to: ObjectId): Promise<void> {
    await this.refresh();
    await this.git(["read-tree", "-m", "-u", from, to]);
  }

  /** The content of a working-tree file, or `undefined`. */
  async readFile(path: string): Promise<Uint8Array | undefined> {
    try {
      return await fsp.readFile(join(this.root, path));
    } catch (e) {
      if (isMissing(e)) return undefined;
      throw e;
    }
  }
}
