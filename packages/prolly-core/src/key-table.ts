/**
 * @internal Key lookup over encoded bytes without allocation. A table is a `Uint32Array` that
 * holds, for n keys, first n "probes" (the four key bytes after the prefix all keys share,
 * big-endian, zero-padded), then `stride` words per key starting with the key's start and end
 * offsets in the bytes. Binary search reads the probes, which sit in a few adjacent cache lines,
 * and touches key bytes only when two probes tie: random lookups in a large tree are bound by
 * memory latency, not by comparisons.
 */

/** An array of `count` items made by `at`, for the lazily materialised `keys`/`values` of packed nodes. */
export function materialize<T>(count: number, at: (i: number) => T): T[] {
  const out = new Array<T>(count);
  for (let i = 0; i < count; i++) out[i] = at(i);
  return out;
}

/** Fills the probes of `table` and returns the length of the prefix every key shares. */
export function fillProbes(bytes: Uint8Array, table: Uint32Array, n: number, stride: number): number {
  let shared = 0;
  if (n > 1) {
    const fs = table[n]!;
    const fe = table[n + 1]!;
    const ls = table[n + stride * (n - 1)]!;
    const le = table[n + stride * (n - 1) + 1]!;
    const max = Math.min(fe - fs, le - ls);
    while (shared < max && bytes[fs + shared] === bytes[ls + shared]) shared++;
  }
  for (let i = 0; i < n; i++) table[i] = probe(bytes, table[n + stride * i]! + shared, table[n + stride * i + 1]!);
  return shared;
}

/** Index of `key` among the table's keys when present, else `-(insertion point) - 1`. */
export function searchTable(
  bytes: Uint8Array,
  table: Uint32Array,
  n: number,
  stride: number,
  shared: number,
  key: Uint8Array,
): number {
  if (n === 0) return -1;
  // Outside the shared prefix, the key sorts before or after every key.
  const fs = table[n]!;
  const m = shared < key.length ? shared : key.length;
  for (let j = 0; j < m; j++) {
    const d = (key[j] as number) - (bytes[fs + j] as number);
    if (d !== 0) return d < 0 ? -1 : -n - 1;
  }
  if (key.length < shared) return -1;
  return probeSearch(bytes, table, n, stride, shared, key, shared);
}

/**
 * Index of `key` among the table's keys, or -1 when absent. Skips the shared-prefix check of
 * {@link searchTable}: a key outside the prefix cannot match, and the final byte comparison
 * (from byte 0) rejects it wherever the probes lead, so an exact lookup touches one fewer
 * cache line.
 */
export function indexInTable(
  bytes: Uint8Array,
  table: Uint32Array,
  n: number,
  stride: number,
  shared: number,
  key: Uint8Array,
): number {
  if (key.length < shared) return -1;
  const i = probeSearch(bytes, table, n, stride, shared, key, 0);
  return i < 0 ? -1 : i;
}

/**
 * Binary search on the probes; equal probes fall back to comparing the keys from byte `from`
 * (`shared` when the prefix is known to match, 0 otherwise). Returns the index or
 * `-(insertion point) - 1`.
 */
function probeSearch(
  bytes: Uint8Array,
  table: Uint32Array,
  n: number,
  stride: number,
  shared: number,
  key: Uint8Array,
  from: number,
): number {
  const p = probe(key, shared, key.length);
  let lo = 0;
  let hi = n - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >>> 1;
    const q = table[mid]!;
    let c = q < p ? -1 : q > p ? 1 : 0;
    if (c === 0) {
      const o = n + stride * mid;
      const s = table[o]! + from;
      const kl = table[o + 1]! - s;
      const tl = key.length - from;
      const len = kl < tl ? kl : tl;
      for (let j = 0; j < len; j++) {
        c = (bytes[s + j] as number) - (key[from + j] as number);
        if (c !== 0) break;
      }
      if (c === 0) c = kl - tl;
    }
    if (c === 0) return mid;
    if (c < 0) lo = mid + 1;
    else hi = mid - 1;
  }
  return -lo - 1;
}

/** Four bytes of `b[s, e)` as a big-endian integer, zero-padded (order-consistent; ties are rechecked). */
function probe(b: Uint8Array, s: number, e: number): number {
  const n = e - s;
  return (
    ((n > 0 ? (b[s] as number) : 0) * 0x1000000 +
      ((n > 1 ? (b[s + 1] as number) : 0) << 16) +
      ((n > 2 ? (b[s + 2] as number) : 0) << 8) +
      (n > 3 ? (b[s + 3] as number) : 0)) >>>
    0
  );
}
