/**
 * Compression off the main thread for bulk writes: one worker thread deflates batches of
 * objects (passed as one transferred buffer each way), so building a tree and compressing its
 * nodes run on two cores. zlib's own async API was measured 5× slower than `deflateSync` for
 * thousands of 4 KB objects (it sets up a zlib context on the thread pool per call), so the
 * worker runs `deflateSync` in a loop.
 */
import { concatBytes } from "@git-prolly/prolly-core";
import { WorkerChannel } from "./worker-channel.js";

/**
 * zlib options for an object of `size` bytes: the smallest window that still covers it (zlib's
 * reach is the window less 262 bytes). zlib sets up a window of that size on every call, so 4 KiB
 * nodes deflate about 10% faster than with the default 32 KiB, to the same size. Self-contained:
 * the worker runs its source too.
 */
export function deflateOptions(level: number, size: number): { level: number; windowBits: number } {
  let windowBits = 9;
  while (windowBits < 15 && 1 << windowBits < size + 262) windowBits++;
  return { level, windowBits };
}

// Plain CommonJS, evaluated by the worker: no file to locate at run time. `deflateOptions` is
// bound to its own name, so a bundler that renames it keeps the worker working.
const WORKER_SOURCE = `
const { parentPort } = require("node:worker_threads");
const { deflateSync } = require("node:zlib");
const deflateOptions = (${deflateOptions.toString()});
parentPort.on("message", ({ id, data, lengths, level }) => {
  try {
    const input = new Uint8Array(data);
    const outs = [];
    let o = 0;
    for (const n of lengths) { outs.push(deflateSync(input.subarray(o, o + n), deflateOptions(level, n))); o += n; }
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

/** A single deflate worker, started on first use and idle-unreferenced. */
export class DeflatePool {
  readonly #channel = new WorkerChannel<{ data: ArrayBuffer; lengths: number[] }>("deflate worker", WORKER_SOURCE);

  /** Deflates each buffer (zlib format) at `level`; results come back in order. */
  async deflate(contents: readonly Uint8Array[], level: number): Promise<Uint8Array[]> {
    const data = concatBytes(contents).buffer as ArrayBuffer;
    const r = await this.#channel.request({ data, lengths: contents.map((c) => c.length), level }, [data]);
    const out: Uint8Array[] = [];
    let o = 0;
    for (const n of r.lengths) {
      out.push(new Uint8Array(r.data, o, n));
      o += n;
    }
    return out;
  }
}

/** The process-wide pool. */
export const deflatePool = new DeflatePool();
