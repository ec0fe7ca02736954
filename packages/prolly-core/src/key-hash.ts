/**
 * The 32-bit key hash behind chunk boundaries: MurmurHash3 (x86, 32-bit) of the key bytes,
 * seeded per tree level so that a key that closes a chunk at one level is not more likely to
 * close one at the next (a per-level salt, as Dolt uses, against towers of one-entry nodes).
 */

const C1 = 0xcc9e2d51;
const C2 = 0x1b873593;

function fmix32(h: number): number {
  h ^= h >>> 16;
  h = Math.imul(h, 0x85ebca6b);
  h ^= h >>> 13;
  h = Math.imul(h, 0xc2b2ae35);
  h ^= h >>> 16;
  return h >>> 0;
}

/** The seed of `level`'s key hash. */
export function levelSeed(level: number): number {
  return fmix32(Math.imul(level + 1, 0x9e3779b9) ^ 0x70726f6c);
}

/** MurmurHash3 x86 32-bit of `key` with `seed`, as an unsigned 32-bit integer. */
export function murmur3(key: Uint8Array, seed: number): number {
  return murmur3Range(key, 0, key.length, seed);
}

/** {@link murmur3} of `bytes[start, end)`, without making a view. */
export function murmur3Range(bytes: Uint8Array, start: number, end: number, seed: number): number {
  let h = seed | 0;
  const n = end - start;
  const key = bytes;
  const blocks = start + (n & ~3);
  for (let i = start; i < blocks; i += 4) {
    let k =
      (key[i] as number) |
      ((key[i + 1] as number) << 8) |
      ((key[i + 2] as number) << 16) |
      ((key[i + 3] as number) << 24);
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
    h = (h << 13) | (h >>> 19);
    h = (Math.imul(h, 5) + 0xe6546b64) | 0;
  }
  const tail = n & 3;
  if (tail > 0) {
    let k = 0;
    if (tail === 3) k ^= (key[blocks + 2] as number) << 16;
    if (tail >= 2) k ^= (key[blocks + 1] as number) << 8;
    k ^= key[blocks] as number;
    k = Math.imul(k, C1);
    k = (k << 15) | (k >>> 17);
    k = Math.imul(k, C2);
    h ^= k;
  }
  h ^= n;
  return fmix32(h);
}
