import type { ChunkingConfig } from "./chunking-config.js";
import { InternalChunker } from "./internal-chunker.js";
import { LeafChunker } from "./leaf-chunker.js";
import type { NodeId, ProllyNode } from "./node.js";
import type { NodeStore } from "./node-store.js";

/** @internal A node just written: its first key and id. */
export interface NodeRef {
  readonly key: Uint8Array;
  readonly id: NodeId;
}

/** @internal The chunker of one level: leaves or internal nodes. */
export type LevelChunker = LeafChunker | InternalChunker;

/** @internal A chunker for `level`. */
export function chunkerFor(level: number, config: ChunkingConfig): LevelChunker {
  return level === 0 ? new LeafChunker(config) : new InternalChunker(level, config);
}

/** @internal Writes the chunker's finished nodes and returns their refs. */
export async function putDone(store: NodeStore, chunker: LevelChunker, out: NodeRef[]): Promise<void> {
  const done = chunker.done as ProllyNode[];
  if (done.length === 0) return;
  const nodes = done.splice(0);
  for (const node of nodes) out.push({ key: node.key(0), id: await store.put(node) });
}

/**
 * @internal Builds the levels above a sequence of nodes of `level` and returns the root: each
 * level is chunked from the refs of the one below until a level has a single node.
 */
export async function buildUpperLevels(
  store: NodeStore,
  level: number,
  refs: readonly NodeRef[],
  config: ChunkingConfig,
): Promise<NodeId> {
  let current = refs;
  let l = level;
  while (current.length > 1) {
    const chunker = new InternalChunker(l + 1, config);
    const next: NodeRef[] = [];
    for (const r of current) {
      chunker.append(r.key, r.id);
      if (chunker.done.length > 0) await putDone(store, chunker, next);
    }
    chunker.flush();
    await putDone(store, chunker, next);
    current = next;
    l++;
  }
  return current[0]!.id;
}
