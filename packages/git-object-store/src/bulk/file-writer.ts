/**
 * A worker thread that writes directories of files with synchronous calls, off the main thread,
 * and returns each file's stat data as Git's index records it. File creation is bound by the
 * kernel and the disk, not by JavaScript: on its own thread it runs while the main thread builds
 * a tree and the deflate worker compresses it, instead of after them.
 */
import type { BigIntStats } from "node:fs";
import { WorkerChannel } from "./worker-channel.js";

/** Stat fields per file in {@link DirectoryJob} replies, in index order (all 32-bit). */
export const STAT_FIELDS = 9;

/**
 * Writes a file's stat data as Git's index records it into `out` at `at`: ctime s, ctime ns,
 * mtime s, mtime ns, dev, ino, uid, gid, size, each truncated to 32 bits (a size that truncates
 * to 0 but is not 0 becomes 2^31, as Git does). Self-contained: the worker runs its source too.
 */
export function statFields(s: BigIntStats, out: Uint32Array, at: number): void {
  const u32 = (x: bigint): number => Number(x & 0xffffffffn);
  out[at] = u32(s.ctimeNs / 1000000000n);
  out[at + 1] = u32(s.ctimeNs % 1000000000n);
  out[at + 2] = u32(s.mtimeNs / 1000000000n);
  out[at + 3] = u32(s.mtimeNs % 1000000000n);
  out[at + 4] = u32(s.dev);
  out[at + 5] = u32(s.ino);
  out[at + 6] = u32(s.uid);
  out[at + 7] = u32(s.gid);
  const size = u32(s.size);
  out[at + 8] = size === 0 && s.size !== 0n ? 0x80000000 : size;
}

// Plain CommonJS, evaluated by the worker: no file to locate at run time. Shared functions are
// bound to their own names, so a bundler that renames them keeps the worker working.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const fs = require("node:fs");
const statFields = (${statFields.toString()});
parentPort.on("message", ({ id, dir, names, modes, data, lengths, moves }) => {
  try {
    fs.mkdirSync(dir);
    const input = new Uint8Array(data);
    const stats = new Uint32Array(names.length * ${STAT_FIELDS});
    let o = 0;
    for (let i = 0; i < names.length; i++) {
      const n = lengths[i];
      const fd = fs.openSync(dir + "/" + names[i], "wx", modes[i]);
      try {
        for (let w = 0; w < n; ) w += fs.writeSync(fd, input, o + w, n - w);
        statFields(fs.fstatSync(fd, { bigint: true }), stats, i * ${STAT_FIELDS});
      } finally {
        fs.closeSync(fd);
      }
      o += n;
    }
    for (const [from, name] of moves) fs.renameSync(from, dir + "/" + name);
    parentPort.postMessage({ id, stats: stats.buffer }, [stats.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: String((e && e.message) || e) });
  }
});
`;

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
  readonly #channel = new WorkerChannel<{ stats: ArrayBuffer }>("file writer", WORKER_SOURCE);

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

/** The process-wide writer. */
export const fileWriter = new FileWriter();
