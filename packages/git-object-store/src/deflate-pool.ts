/**
 * Compression off the main thread for bulk writes: one worker thread deflates batches of
 * objects (passed as one transferred buffer each way), so building a tree and compressing its
 * nodes run on two cores. zlib's own async API was measured 5× slower than `deflateSync` for
 * thousands of 4 KB objects (it sets up a zlib context on the thread pool per call), so the
 * worker runs `deflateSync` in a loop.
 */
import { Worker } from "node:worker_threads";

// Plain CommonJS, evaluated by the worker: no file to locate at run time.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { deflateSync } = require("node:zlib");
parentPort.on("message", ({ id, data, lengths, level }) => {
  try {
    const input = new Uint8Array(data);
    const outs = [];
    let o = 0;
    for (const n of lengths) { outs.push(deflateSync(input.subarray(o, o + n), { level })); o += n; }
    let total = 0;
    for (const b of outs) total += b.length;
    const out = new Uint8Array(total);
    const outLengths = [];
    let p = 0;
    for (const b of outs) { out.set(b, p); p += b.length; outLengths.push(b.length); }
    parentPort.postMessage({ id, data: out.buffer, lengths: outLengths }, [out.buffer]);
  } catch (e) {
    parentPort.postMessage({ id, error: String(e && e.message || e) });
  }
});
`;

interface Reply {
  readonly id: number;
  readonly data?: ArrayBuffer;
  readonly lengths?: number[];
  readonly error?: string;
}

/** A single deflate worker, started on first use and idle-unreferenced. */
export class DeflatePool {
  #worker: Worker | undefined;
  #seq = 0;
  readonly #waiting = new Map<number, { resolve: (r: Uint8Array[]) => void; reject: (e: Error) => void }>();

  #start(): Worker {
    if (this.#worker !== undefined) return this.#worker;
    const worker = new Worker(WORKER_SOURCE, { eval: true });
    worker.on("message", (r: Reply) => {
      const w = this.#waiting.get(r.id);
      if (w === undefined) return;
      this.#waiting.delete(r.id);
      if (this.#waiting.size === 0) worker.unref();
      if (r.error !== undefined || r.data === undefined || r.lengths === undefined) {
        w.reject(new Error(`deflate worker: ${r.error ?? "no data"}`));
        return;
      }
      const out: Uint8Array[] = [];
      let o = 0;
      for (const n of r.lengths) {
        out.push(new Uint8Array(r.data, o, n));
        o += n;
      }
      w.resolve(out);
    });
    const fail = (e: Error): void => {
      for (const w of this.#waiting.values()) w.reject(e);
      this.#waiting.clear();
      this.#worker = undefined;
    };
    worker.on("error", fail);
    worker.on("exit", (code) => fail(new Error(`deflate worker exited with code ${code}`)));
    worker.unref();
    this.#worker = worker;
    return worker;
  }

  /** Deflates each buffer (zlib format) at `level`; results come back in order. */
  deflate(contents: readonly Uint8Array[], level: number): Promise<Uint8Array[]> {
    const worker = this.#start();
    let total = 0;
    for (const c of contents) total += c.length;
    const data = new Uint8Array(total);
    const lengths: number[] = [];
    let o = 0;
    for (const c of contents) {
      data.set(c, o);
      o += c.length;
      lengths.push(c.length);
    }
    const id = this.#seq++;
    return new Promise<Uint8Array[]>((resolve, reject) => {
      this.#waiting.set(id, { resolve, reject });
      worker.ref();
      worker.postMessage({ id, data: data.buffer, lengths, level }, [data.buffer]);
    });
  }
}

/** The process-wide pool. */
export const deflatePool = new DeflatePool();
