/** Git's delta format (pack OFS_DELTA / REF_DELTA objects): sizes, then copy and insert ops. */
import { fail } from "./errors.js";

const bad = (where: string): never => { throw fail("READER_OBJECT_CORRUPT", `bad delta in ${where}`, { pack: where }) };

/** Applies `delta` to `base`. @throws {ReaderError} READER_OBJECT_CORRUPT */
export function applyDelta(base: Uint8Array, delta: Uint8Array, where: string): Uint8Array {
  let p = 0;
  const size = (): number => {
    let n = 0;
    let scale = 1;
    for (let c = 0x80; c & 0x80; scale *= 128) {
      if (p >= delta.length) bad(where);
      c = delta[p++]!;
      n += (c & 0x7f) * scale;
    }
    return n;
  };
  if (size() !== base.length) bad(where);
  const out = new Uint8Array(size());
  let o = 0;
  while (p < delta.length) {
    const c = delta[p++]!;
    if (c & 0x80) {
      let off = 0;
      let n = 0;
      for (let b = 0; b < 4; b++) if (c & (1 << b)) off += (delta[p++] ?? bad(where)) * 2 ** (8 * b);
      for (let b = 0; b < 3; b++) if (c & (0x10 << b)) n += (delta[p++] ?? bad(where)) << (8 * b);
      if (n === 0) n = 0x10000;
      if (off + n > base.length || o + n > out.length) bad(where);
      out.set(base.subarray(off, off + n), o);
      o += n;
    } else if (c !== 0) {
      if (p + c > delta.length || o + c > out.length) bad(where);
      out.set(delta.subarray(p, p + c), o);
      o += c;
      p += c;
    } else bad(where);
  }
  if (o !== out.length) bad(where);
  return out;
}
