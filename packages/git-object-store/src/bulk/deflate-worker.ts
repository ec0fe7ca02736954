/**
 * The deflate worker thread's module (started by {@link DeflatePool}): deflates each object of a
 * batch with `deflateSync`, answering `{ id, data, lengths }` with the compressed batch, or
 * `{ id, error }`.
 */
import { parentPort } from "node:worker_threads";
import { deflateSync } from "node:zlib";
import { deflateOptions } from "./deflate-options.js";

/** One batch: the objects back to back in `data`, their `lengths`, the zlib `level`. */
export interface DeflateRequest {
  readonly id: number;
  readonly data: ArrayBuffer;
  readonly lengths: readonly number[];
  readonly level: number;
}

parentPort?.on("message", ({ id, data, lengths, level }: DeflateRequest) => {
  try {
    const input = new Uint8Array(data);
    const outs: Uint8Array[] = [];
    let o = 0;
    for (const n of lengths) {
      outs.push(deflateSync(input.subarray(o, o + n), deflateOptions(level, n)));
      o += n;
    }
    let total = 0;
    for (const b of outs) total += b.length;
    const out = new Uint8Array(total);
    const outLengths: number[] = [];
    let p = 0;
    for (const b of outs) {
      out.set(b, p);
      p += b.length;
      outLengths.push(b.length);
    }
    parentPort?.postMessage({ id, data: out.buffer, lengths: outLengths }, [out.buffer]);
  } catch (e) {
    parentPort?.postMessage({ id, error: e instanceof Error ? e.message : String(e) });
  }
});
