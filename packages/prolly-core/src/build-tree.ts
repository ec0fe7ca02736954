import { compareBytes } from "./bytes.js";
import { ChunkBuilder } from "./chunk-builder.js";
import { type ChunkingConfig, DEFAULT_CHUNKING, assertValidChunking } from "./chunking-config.js";
import { PROLLY_ERROR_CODES, ProllyError } from "./errors.js";
import { assertValidKey, assertValidValue } from "./limits.js";
import { type NodeId, leafNode } from "./node.js";
import { internalEntrySize, leafEntrySize } from "./node-codec.js";
import type { NodeStore } from "./node-store.js";
import { putChunk } from "./tree-writer.js";

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
 * proportional to one chunk per level. Returns the root id.
 *
 * @throws {ProllyError} PROLLY_UNSORTED_INPUT when keys are not strictly increasing,
 *   PROLLY_INVALID_KEY / PROLLY_INVALID_VALUE for keys or values out of range.
 * @example
 * ```ts
 * const root = await buildTree(store, [[utf8("a"), utf8("1")], [utf8("b"), utf8("2")]]);
 * ```
 */
export async function buildTree(store: NodeStore, entries: Iterable<Entry> | AsyncIterable<Entry>, options: TreeOptions = {}): Promise<NodeId> {
  const config = options.config ?? DEFAULT_CHUNKING;
  assertValidChunking(config);
  const levels: ChunkBuilder<Uint8Array | NodeId>[] = [new ChunkBuilder(0, config)];
  const written: number[] = [0];
  const lastId: NodeId[] = [];

  const drain = async (level: number): Promise<void> => {
    const builder = levels[level]!;
    for (const chunk of builder.done.splice(0)) {
      const ref = await putChunk(store, level, chunk as never);
      written[level] = (written[level] ?? 0) + 1;
      lastId[level] = ref.id;
      let up = levels[level + 1];
      if (up === undefined) {
        up = new ChunkBuilder(level + 1, config);
        levels.push(up);
        written.push(0);
      }
      up.append(ref.key, ref.id, internalEntrySize(ref.key));
      if (up.done.length > 0) await drain(level + 1);
    }
  };

  let prev: Uint8Array | undefined;
  const leaf = levels[0]!;
  for await (const [key, value] of entries) {
    assertValidKey(key);
    assertValidValue(value);
    if (prev !== undefined && compareBytes(prev, key) >= 0) {
      throw new ProllyError(PROLLY_ERROR_CODES.UNSORTED_INPUT, "entries are not in strictly increasing key order", {
        hint: "Sort the entries by key (bytewise) and remove duplicates, or use applyEdits for unsorted changes.",
      });
    }
    prev = key;
    leaf.append(key, value, leafEntrySize(key, value));
    if (leaf.done.length > 0) await drain(0);
  }
  for (let level = 0; level < levels.length; level++) {
    levels[level]!.flush();
    await drain(level);
    if (written[level] === 1) return lastId[level]!;
  }
  return emptyTree(store);
}
