import { ChunkBuilder, type Chunk } from "./chunk-builder.js";
import type { ChunkingConfig } from "./chunking-config.js";
import { type NodeId, internalNode, leafNode } from "./node.js";
import { internalEntrySize } from "./node-codec.js";
import type { NodeStore } from "./node-store.js";

/** @internal A node just written: its first key and id. */
export interface NodeRef {
  readonly key: Uint8Array;
  readonly id: NodeId;
}

/** @internal Writes a finished chunk of `level` as a node. */
export async function putChunk(store: NodeStore, level: number, chunk: Chunk<Uint8Array> | Chunk<NodeId>): Promise<NodeRef> {
  const node =
    level === 0
      ? leafNode(chunk.keys, chunk.payloads as Uint8Array[])
      : internalNode(level, chunk.keys, chunk.payloads as NodeId[]);
  return { key: chunk.keys[0]!, id: await store.put(node) };
}

/**
 * @internal Builds the levels above a sequence of nodes of `level` and returns the root: each
 * level is chunked from the refs of the one below until a level has a single node.
 */
export async function buildUpperLevels(store: NodeStore, level: number, refs: readonly NodeRef[], config: ChunkingConfig): Promise<NodeId> {
  let current = refs;
  let l = level;
  while (current.length > 1) {
    const builder = new ChunkBuilder<NodeId>(l + 1, config);
    const next: NodeRef[] = [];
    for (const r of current) {
      builder.append(r.key, r.id, internalEntrySize(r.key));
      for (const c of builder.done.splice(0)) next.push(await putChunk(store, l + 1, c));
    }
    builder.flush();
    for (const c of builder.done.splice(0)) next.push(await putChunk(store, l + 1, c));
    current = next;
    l++;
  }
  return current[0]!.id;
}
