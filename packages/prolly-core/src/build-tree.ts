import { InternalChunker } from "./internal-chunker.js";
import { LeafChunker } from "./leaf-chunker.js";
import { type ChunkingConfig, DEFAULT_CHUNKING, assertValidChunking } from "./chunking-config.js";
import { PROLLY_ERROR_CODES, ProllyError } from "./errors.js";
import { assertValidKey, assertValidValue } from "./limits.js";
import { type NodeId, leafNode } from "./node.js";
import type { NodeStore } from "./node-store.js";
import { type LevelChunker, type NodeRef, putDone } from "./tree-writer.js";

/** A key and its value. */
export type Entry = readonly [key: Uint8Array, value: Uint8Array];

/** Options of tree-writing operations. */
export interface TreeOptions {
  /** Chunk size bounds (default {@link DEFAULT_CHUNKING}). */
  config?: ChunkingConfig;
}

/** The id of the empty tree (a leaf without entries) in `store`. */
export async function emptyTree(store: NodeStore): Promise<NodeId> {
  return store.put(leafNode([], []));
}

/**
 * Builds a tree from entries in strictly increasing key order, streaming: memory stays
 * proportional to one chunk per level, and an entry's bytes are copied before the next entry
 * is read, so a producer may reuse its buffers. Returns the root id.
 *
 * @throws {ProllyError} PROLLY_UNSORTED_INPUT when keys are not strictly increasing,
 *   PROLLY_INVALID_KEY / PROLLY_INVALID_VALUE for keys or values out of range.
 * @example
 * ```ts
 * const root = await buildTree(store, [[utf8("a"), utf8("1")], [utf8("b"), utf8("2")]]);
 * ```
 */
export async function buildTree(
  store: NodeStore,
  entries: Iterable<Entry> | AsyncIterable<Entry>,
  options: TreeOptions = {},
): Promise<NodeId> {
  const config = options.config ?? DEFAULT_CHUNKING;
  assertValidChunking(config);
  const leaves = new LeafChunker(config);
  const levels: LevelChunker[] = [leaves];
  const written: number[] = [0];
  const lastId: NodeId[] = [];
  const refs: NodeRef[] = [];

  const drain = async (level: number): Promise<void> => {
    const chunker = levels[level]!;
    if (chunker.done.length === 0) return;
    await putDone(store, chunker, refs);
    for (const ref of refs.splice(0)) {
      written[level] = (written[level] ?? 0) + 1;
      lastId[level] = ref.id;
      let up = levels[level + 1] as InternalChunker | undefined;
      if (up === undefined) {
        up = new InternalChunker(level + 1, config);
        levels.push(up);
        written.push(0);
      }
      up.append(ref.key, ref.id);
      if (up.done.length > 0) await drain(level + 1);
    }
  };

  // The previous key is kept as a copy, so producers may reuse their buffers between entries.
  let prev = new Uint8Array(64);
  let prevLength = -1;
  const add = (key: Uint8Array, value: Uint8Array): void => {
    assertValidKey(key);
    assertValidValue(value);
    if (prevLength >= 0 && !isAfter(key, prev, prevLength)) {
      throw new ProllyError(PROLLY_ERROR_CODES.UNSORTED_INPUT, "entries are not in strictly increasing key order", {
        hint: "Sort the entries by key (bytewise) and remove duplicates, or use applyEdits for unsorted changes.",
      });
    }
    if (key.length > prev.length) prev = new Uint8Array(key.length * 2);
    for (let i = 0; i < key.length; i++) prev[i] = key[i] as number;
    prevLength = key.length;
    leaves.append(key, value);
  };
  if (Symbol.iterator in entries) {
    // A synchronous source is read without an await per entry; only finished nodes are awaited.
    for (const [key, value] of entries) {
      add(key, value);
      if (leaves.done.length > 0) await drain(0);
    }
  } else {
    for await (const [key, value] of entries) {
      add(key, value);
      if (leaves.done.length > 0) await drain(0);
    }
  }
  for (let level = 0; level < levels.length; level++) {
    levels[level]!.flush();
    await drain(level);
    levels[level]!.release();
    if (written[level] === 1) return lastId[level]!;
  }
  return emptyTree(store);
}

/** True when `key` sorts strictly after `prev[0, prevLength)`. */
function isAfter(key: Uint8Array, prev: Uint8Array, prevLength: number): boolean {
  const n = key.length < prevLength ? key.length : prevLength;
  for (let i = 0; i < n; i++) {
    const d = (key[i] as number) - (prev[i] as number);
    if (d !== 0) return d > 0;
  }
  return key.length > prevLength;
}
