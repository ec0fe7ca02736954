/**
 * Compression off the main thread for bulk writes: one worker thread deflates batches of
 * objects (passed as one transferred buffer each way), so building a tree and compressing its
 * nodes run on two cores. zlib's own async API was measured 5× slower than `deflateSync` for
 * thousands of 4 KB objects (it sets up a zlib context on the thread pool per call), so the
 * worker runs `deflateSync` in a loop.
 */
import { concatBytes } from "@git-prolly/prolly-core";
import { WorkerChannel } from "./worker-channel.js";

export { deflateOptions } from "./deflate-options.js";

/** A single deflate worker, started on first use and idle-unreferenced. */
export class DeflatePool {
  readonly #channel = new WorkerChannel<{ data: ArrayBuffer; lengths: number[] }>(
    "deflate worker",
    new URL("./deflate-worker.js", import.meta.url),
  );

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

/**
 * The process-wide pool: one worker for every store of the process on purpose (a second pool
 * would only add a thread competing for the same two cores); it holds no state between requests.
 */
export const deflatePool = new DeflatePool();
