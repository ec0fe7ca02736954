/**
 * SHA-1 (FIPS 180-4) in plain TypeScript, so prolly-core computes Git object ids with no
 * runtime dependency. Stores on Node pass `node:crypto` instead ({@link HashFunction}) for speed;
 * both give identical digests.
 */

/** A hash over the concatenation of `parts`, returning the 20-byte SHA-1 digest. */
export type HashFunction = (parts: readonly Uint8Array[]) => Uint8Array;

const W = new Int32Array(80);

function processBlock(h: Int32Array, block: Uint8Array, off: number): void {
  for (let i = 0; i < 16; i++) {
    const j = off + 4 * i;
    W[i] =
      ((block[j] as number) << 24) |
      ((block[j + 1] as number) << 16) |
      ((block[j + 2] as number) << 8) |
      (block[j + 3] as number);
  }
  for (let i = 16; i < 80; i++) {
    const x = (W[i - 3] as number) ^ (W[i - 8] as number) ^ (W[i - 14] as number) ^ (W[i - 16] as number);
    W[i] = (x << 1) | (x >>> 31);
  }
  let a = h[0] as number;
  let b = h[1] as number;
  let c = h[2] as number;
  let d = h[3] as number;
  let e = h[4] as number;
  for (let i = 0; i < 80; i++) {
    let f: number;
    let k: number;
    if (i < 20) {
      f = (b & c) | (~b & d);
      k = 0x5a827999;
    } else if (i < 40) {
      f = b ^ c ^ d;
      k = 0x6ed9eba1;
    } else if (i < 60) {
      f = (b & c) | (b & d) | (c & d);
      k = 0x8f1bbcdc;
    } else {
      f = b ^ c ^ d;
      k = 0xca62c1d6;
    }
    const t = (((a << 5) | (a >>> 27)) + f + e + k + (W[i] as number)) | 0;
    e = d;
    d = c;
    c = (b << 30) | (b >>> 2);
    b = a;
    a = t;
  }
  h[0] = ((h[0] as number) + a) | 0;
  h[1] = ((h[1] as number) + b) | 0;
  h[2] = ((h[2] as number) + c) | 0;
  h[3] = ((h[3] as number) + d) | 0;
  h[4] = ((h[4] as number) + e) | 0;
}

/**
 * SHA-1 of the concatenation of `parts`.
 *
 * @example
 * ```ts
 * toHex(sha1([utf8("abc")])); // "a9993e364706816aba3e25717850c26c9cd0d89d"
 * ```
 */
export const sha1: HashFunction = (parts) => {
  const h = new Int32Array([0x67452301, 0xefcdab89 | 0, 0x98badcfe | 0, 0x10325476, 0xc3d2e1f0 | 0]);
  const buf = new Uint8Array(64);
  let fill = 0;
  let total = 0;
  for (const part of parts) {
    total += part.length;
    let i = 0;
    if (fill > 0) {
      const take = Math.min(64 - fill, part.length);
      buf.set(part.subarray(0, take), fill);
      fill += take;
      i = take;
      if (fill === 64) {
        processBlock(h, buf, 0);
        fill = 0;
      }
    }
    for (; i + 64 <= part.length; i += 64) processBlock(h, part, i);
    if (i < part.length) {
      buf.set(part.subarray(i), 0);
      fill = part.length - i;
    }
  }
  buf[fill++] = 0x80;
  if (fill > 56) {
    buf.fill(0, fill);
    processBlock(h, buf, 0);
    fill = 0;
  }
  buf.fill(0, fill, 56);
  // Message length in bits, big-endian 64-bit; exact for inputs below 2^53 bits.
  const bits = total * 8;
  const hi = Math.floor(bits / 0x100000000);
  const lo = bits >>> 0;
  buf[56] = hi >>> 24;
  buf[57] = (hi >>> 16) & 0xff;
  buf[58] = (hi >>> 8) & 0xff;
  buf[59] = hi & 0xff;
  buf[60] = lo >>> 24;
  buf[61] = (lo >>> 16) & 0xff;
  buf[62] = (lo >>> 8) & 0xff;
  buf[63] = lo & 0xff;
  processBlock(h, buf, 0);
  const out = new Uint8Array(20);
  for (let i = 0; i < 5; i++) {
    const v = h[i] as number;
    out[4 * i] = v >>> 24;
    out[4 * i + 1] = (v >>> 16) & 0xff;
    out[4 * i + 2] = (v >>> 8) & 0xff;
    out[4 * i + 3] = v & 0xff;
  }
  return out;
};
