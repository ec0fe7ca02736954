/**
 * The content-defined boundary rule, after Dolt's: whether a chunk ends after an entry depends
 * only on a hash of the entry's key (never its value) and on the chunk's size so far in bytes.
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
import { levelSeed } from "./key-hash.js";

/** `append` flag: the open chunk was closed before the new entry. */
export const CLOSED_BEFORE = 1;
/** `append` flag: a chunk was closed right after the new entry. */
export const CLOSED_AFTER = 2;

/** @internal The boundary rule of one level. */
export class BoundaryRule {
  /** Seed of the level's key hash. */
  readonly seed: number;
  /** Fewest entries a chunk of this level may be closed with. */
  readonly minEntries: number;
  readonly minBytes: number;
  readonly maxBytes: number;
  readonly #scale: number;

  constructor(level: number, config: ChunkingConfig) {
    this.seed = levelSeed(level);
    this.minEntries = level === 0 ? 1 : 2;
    this.minBytes = config.minBytes;
    this.maxBytes = config.maxBytes;
    const t = config.targetBytes;
    this.#scale = 4294967296 / (t * t * t * t);
  }

  /** True when a chunk of `count` entries and `size` bytes must close before an entry of `entrySize`. */
  closesBefore(count: number, size: number, entrySize: number): boolean {
    return count >= this.minEntries && size + entrySize > this.maxBytes;
  }

  /**
   * After an entry took the chunk from `before` to `after` bytes and `count` entries: the chunk
   * closes when the key's hash is below the returned threshold. 0 means it stays open whatever
   * the hash (so callers skip hashing), `Infinity` that it closes whatever the hash.
   */
  closeThreshold(count: number, before: number, after: number): number {
    if (count < this.minEntries || after < this.minBytes) return 0;
    if (after >= this.maxBytes) return Infinity;
    return (after * after * after * after - before * before * before * before) * this.#scale;
  }
}
