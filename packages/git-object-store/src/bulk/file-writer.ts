/**
 * A worker thread that writes directories of files with synchronous calls, off the main thread,
 * and returns each file's stat data as Git's index records it. File creation is bound by the
 * kernel and the disk, not by JavaScript: on its own thread it runs while the main thread builds
 * a tree and the deflate worker compresses it, instead of after them.
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

/** A worker that writes {@link DirectoryJob}s in the order they are given. */
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
    const whole = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data : data.slice();
    const buffer = whole.buffer as ArrayBuffer;
    return new Uint32Array((await this.#channel.request({ ...rest, data: buffer }, [buffer])).stats);
  }
}

/**
 * The process-wide writer: one thread for the process on purpose (file creation is bound by the
 * kernel and the disk, which a second thread would not make faster); it keeps no state between jobs.
 */
export const fileWriter = new FileWriter();
