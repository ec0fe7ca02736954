/** Git's delta format (packfile OFS_DELTA / REF_DELTA payloads). */

/** Applies a Git delta to `base`; `fail` builds the error thrown on a malformed delta. */
export function applyDelta(base: Uint8Array, delta: Uint8Array, fail: (what: string) => Error): Uint8Array {
  let o = 0;
  const varint = (): number => {
    let value = 0;
    let shift = 0;
    let byte: number;
    do {
      if (o >= delta.length) throw fail("truncated delta header");
      byte = delta[o++] as number;
      value += (byte & 0x7f) * 2 ** shift;
      shift += 7;
    } while (byte & 0x80);
    return value;
  };
  const baseSize = varint();
  const targetSize = varint();
  if (baseSize !== base.length) throw fail("delta base size mismatch");
  const out = new Uint8Array(targetSize);
  let w = 0;
  while (o < delta.length) {
    const cmd = delta[o++] as number;
    if (cmd & 0x80) {
      let offset = 0;
      let size = 0;
      for (let i = 0; i < 4; i++) if (cmd & (1 << i)) offset += (delta[o++] as number) * 2 ** (8 * i);
      for (let i = 0; i < 3; i++) if (cmd & (0x10 << i)) size += (delta[o++] as number) << (8 * i);
      if (size === 0) size = 0x10000;
      if (offset + size > base.length || w + size > targetSize) throw fail("delta copy out of range");
      out.set(base.subarray(offset, offset + size), w);
      w += size;
    } else if (cmd !== 0) {
      if (o + cmd > delta.length || w + cmd > targetSize) throw fail("delta insert out of range");
      out.set(delta.subarray(o, o + cmd), w);
      o += cmd;
      w += cmd;
    } else throw fail("reserved delta opcode");
  }
  if (w !== targetSize) throw fail("delta target size mismatch");
  return out;
}
