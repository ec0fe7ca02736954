/**
 * A worker thread that writes directories of files with synchronous calls, off the main thread,
 * and returns each file's stat data as Git's index records it. File creation is bound by the
 * kernel and the disk, not by JavaScript: on its own thread it runs while the main thread builds
 * a tree and the deflate worker compresses it, instead of after them.
 */
import type { BigIntStats } from "node:fs";
import { Worker } from "node:worker_threads";

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

// Plain CommonJS, evaluated by the worker: no file to locate at run time.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const fs = require("node:fs");
${statFields.toString()}
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

interface Reply {
  readonly id: number;
  readonly stats?: ArrayBuffer;
  readonly error?: string;
}

/** A worker that writes {@link DirectoryJob}s in the order they are given. */
export class FileWriter {
  #worker: Worker | undefined;
  #seq = 0;
  readonly #waiting = new Map<number, { resolve: (r: Uint32Array) => void; reject: (e: Error) => void }>();

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on("message", (r: Reply) => {
      const w = this.#waiting.get(r.id);
      if (w === undefined) return;
      this.#waiting.delete(r.id);
      if (this.#waiting.size === 0) worker.unref();
      if (r.error !== undefined || r.stats === undefined) w.reject(new Error(`file writer: ${r.error ?? "no reply"}`));
      else w.resolve(new Uint32Array(r.stats));
    });
    const fail = (e: Error): void => {
      for (const w of this.#waiting.values()) w.reject(e);
      this.#waiting.clear();
      this.#worker = undefined;
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`file writer exited with code ${code}`)));
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  /**
   * Writes one directory; resolves to {@link STAT_FIELDS} values per file. `job.data`'s buffer is
   * transferred to the worker (unusable afterwards).
   */
  write(job: DirectoryJob): Promise<Uint32Array> {
    const worker = this.#start();
    const id = this.#seq++;
    const { data, ...rest } = job;
    const buffer = data.byteOffset === 0 && data.byteLength === data.buffer.byteLength ? data.buffer : data.slice().buffer;
    return new Promise<Uint32Array>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, ...rest, data: buffer }, [buffer as ArrayBuffer]);
    });
  }
}

/** The process-wide writer. */
export const fileWriter = new FileWriter();
