/**
 * A worker thread that writes files with synchronous calls, off the main thread, and returns
 * each file's stat data as Git's index records it. File creation is bound by the kernel and the
 * disk, not by JavaScript: on its own thread it runs while the main thread builds a tree and the
 * deflate worker compresses it, instead of after them. Two kinds of job: a new directory of files
 * (a materialized import, {@link DirectoryJob}) and changes to files of a working tree
 * ({@link UpdateJob}).
 */
import { WorkerChannel } from "./worker-channel.js";

export { STAT_FIELDS, statFields } from "./stat-fields.js";

/** One directory to create: its files (bytes back to back in `data`) and subdirectories to move in. */
export interface DirectoryJob {
  /** Absolute path of the directory; its parent must exist, it must not. */
  readonly dir: string;
  readonly names: readonly string[];
  /** Creation modes (before the umask), one per file. */
  readonly modes: readonly number[];
  readonly data: Uint8Array;
  readonly lengths: readonly number[];
  /** Existing directories renamed into `dir`: `[absolute source, name]`. */
  readonly moves: readonly (readonly [string, string])[];
}

/**
 * Changes to the files of a working tree, done in this order: `unlink` (files removed; a
 * directory or a missing path there is skipped), then each of `files` (bytes back to back in
 * `data`), then `prune` (directories removed when empty, with their emptied parents up to `root`).
 *
 * A file is written **into the file already at its path** (truncated and rewritten, keeping its
 * inode) when that is a plain file with one link and the right executable bit; else, with a
 * `recycle` path, the file there (one the same change removes) is first renamed to it and then
 * rewritten; else it is created (through a temporary file and a rename when something is in the
 * way). Creating an inode costs many times a rewrite on some file systems (ext4 with online
 * discard: ~1 ms against ~0.05 ms), and Git's own checkout unlinks and creates every file.
 */
export interface UpdateJob {
  /** The working tree's top directory: directories are neither created nor pruned above it. */
  readonly root: string;
  readonly unlink: readonly string[];
  /** Absolute paths, creation modes (before the umask), and optional files to reuse. */
  readonly files: readonly { readonly path: string; readonly mode: number; readonly recycle?: string }[];
  readonly data: Uint8Array;
  readonly lengths: readonly number[];
  readonly prune: readonly string[];
}

const transferable = (data: Uint8Array): ArrayBuffer =>
  (data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice()).buffer as ArrayBuffer;

/** A worker that writes {@link DirectoryJob}s and {@link UpdateJob}s in the order they are given. */
export class FileWriter {
  readonly #channel = new WorkerChannel<{ stats: ArrayBuffer }>(
    "file writer",
    new URL("./file-writer-worker.js", import.meta.url),
  );

  /**
   * Writes one directory; resolves to {@link STAT_FIELDS} values per file. `job.data`'s buffer is
   * transferred to the worker (unusable afterwards).
   */
  async write(job: DirectoryJob): Promise<Uint32Array> {
    const { data, ...rest } = job;
    const buffer = transferable(data);
    return new Uint32Array((await this.#channel.request({ ...rest, op: "dir", data: buffer }, [buffer])).stats);
  }

  /**
   * Applies one {@link UpdateJob}; resolves to {@link STAT_FIELDS} values per file of `job.files`
   * (taken from the open file after its last write). `job.data`'s buffer is transferred.
   */
  async update(job: UpdateJob): Promise<Uint32Array> {
    const { data, ...rest } = job;
    const buffer = transferable(data);
    return new Uint32Array((await this.#channel.request({ ...rest, op: "update", data: buffer }, [buffer])).stats);
  }

  /**
   * Creates empty files at `paths` (temporary names; their directories too) for a later
   * {@link UpdateJob} to reuse as `recycle`: file creation can then run while the caller does
   * other work. A path that cannot be made is skipped (the update creates that file itself).
   */
  async spares(paths: readonly string[]): Promise<void> {
    await this.#channel.request({ op: "spares", paths }, []);
  }
}

/**
 * The process-wide writer: one thread for the process on purpose (file creation is bound by the
 * kernel and the disk, which a second thread would not make faster); it keeps no state between jobs.
 */
export const fileWriter = new FileWriter();
