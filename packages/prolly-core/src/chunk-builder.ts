/**
 * The content-defined chunker, after Dolt's: whether a chunk ends after an entry depends only on
 * a hash of the entry's key (never its value) and on the chunk's size so far in bytes.
 *
 * - No boundary below `minBytes`. From there on, an entry that grows the chunk from `P` to `S`
 *   bytes ends it when `hash32(key) < 2^32 · ((S/T)^4 − (P/T)^4)`, where T is `targetBytes`: the
 *   cumulative hazard of a Weibull distribution with shape 4, so sizes cluster around T instead
 *   of spreading geometrically. Only `+ − × ÷` on doubles are used, which IEEE 754 rounds the
 *   same way everywhere, so every platform draws the same boundaries.
 * - A chunk is closed before an entry that would take it past `maxBytes`, and right after one
 *   that reaches `maxBytes` alone.
 * - Internal levels never close a chunk with fewer than two entries, so each level has fewer
 *   nodes than the one below and the tree has finite height.
 *
 * The state resets at every boundary, so two chunkers that agree on a boundary agree on every
 * later one: edits re-chunk locally and stop as soon as a boundary falls where one was before.
 */
import type { ChunkingConfig } from "./chunking-config.js";
import { levelSeed, murmur3 } from "./key-hash.js";

/** A finished chunk: its keys and payloads (values at level 0, child ids above). */
export interface Chunk<P> {
  readonly keys: Uint8Array[];
  readonly payloads: P[];
}

/** @internal Splits a stream of entries of one level into chunks. */
export class ChunkBuilder<P> {
  keys: Uint8Array[] = [];
  payloads: P[] = [];
  size = 0;
  /** Finished chunks not yet taken by the caller. */
  readonly done: Chunk<P>[] = [];
  readonly #seed: number;
  readonly #minEntries: number;
  readonly #scale: number;

  constructor(readonly level: number, readonly config: ChunkingConfig) {
    this.#seed = levelSeed(level);
    this.#minEntries = level === 0 ? 1 : 2;
    const t = config.targetBytes;
    this.#scale = 4294967296 / (t * t * t * t);
  }

  /** Number of entries in the open chunk. */
  get count(): number {
    return this.keys.length;
  }

  /** Adds an entry; finished chunks appear in {@link done}. */
  append(key: Uint8Array, payload: P, entrySize: number): void {
    const { maxBytes, minBytes } = this.config;
    if (this.keys.length >= this.#minEntries && this.size + entrySize > maxBytes) this.#close();
    const before = this.size;
    this.keys.push(key);
    this.payloads.push(payload);
    this.size = before + entrySize;
    if (this.keys.length < this.#minEntries) return;
    const s = this.size;
    if (s >= maxBytes) {
      this.#close();
    } else if (s >= minBytes) {
      const threshold = (s * s * s * s - before * before * before * before) * this.#scale;
      if (murmur3(key, this.#seed) < threshold) this.#close();
    }
  }

  /** Closes the open chunk, if any (the end of the level). */
  flush(): void {
    if (this.keys.length > 0) this.#close();
  }

  /** Drops the open chunk's entries (after re-synchronising with an old boundary). */
  discardOpen(): void {
    this.keys = [];
    this.payloads = [];
    this.size = 0;
  }

  #close(): void {
    this.done.push({ keys: this.keys, payloads: this.payloads });
    this.keys = [];
    this.payloads = [];
    this.size = 0;
  }
}
