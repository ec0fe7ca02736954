import { DIR_MODE, type EntryRef, type Repository } from "@git-prolly/git-object-store";
import { INDEX_ENTRY_NAME, decodeLeaf } from "@git-prolly/prolly-core";

/** Sizes of a dataset's nodes, from a walk of its Git objects. */
export interface TreeShape {
  keys: number;
  depth: number;
  nodes: { leaves: number; internal: number; total: number };
  /** Bytes of the stored objects (before compression): leaf blobs, internal trees + index blobs. */
  bytes: { leaves: number; internal: number; total: number; keysAndValues: number };
  /** Leaf (chunk) sizes in bytes. */
  chunks: {
    min: number;
    p10: number;
    median: number;
    p90: number;
    max: number;
    mean: number;
    histogram: { upTo: number; count: number }[];
  };
}

function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.floor(q * sorted.length))]!;
}

/** Walks every node of the tree at `root` (O(N)). */
export async function treeShape(repo: Repository, root: EntryRef): Promise<TreeShape> {
  const leafSizes: number[] = [];
  let keys = 0;
  let internal = 0;
  let internalBytes = 0;
  let payload = 0;
  let depth = 0;
  const visit = async (entry: EntryRef, level: number): Promise<void> => {
    depth = Math.max(depth, level);
    if (entry.mode !== DIR_MODE) {
      const content = await repo.readBlob(entry.id);
      const leaf = decodeLeaf(content);
      keys += leaf.count;
      for (let i = 0; i < leaf.count; i++) payload += leaf.key(i).length + leaf.value(i).length;
      leafSizes.push(content.length);
      return;
    }
    internal++;
    const { content } = await repo.readObject(entry.id, "tree");
    internalBytes += content.length;
    for (const child of await repo.readTree(entry.id)) {
      if (child.name === INDEX_ENTRY_NAME) internalBytes += (await repo.readBlob(child.id)).length;
      else await visit(child, level + 1);
    }
  };
  await visit(root, 1);
  const sorted = [...leafSizes].sort((a, b) => a - b);
  const leafBytes = sorted.reduce((a, b) => a + b, 0);
  const histogram: { upTo: number; count: number }[] = [];
  for (const size of sorted) {
    const upTo = 2 ** Math.max(6, Math.ceil(Math.log2(Math.max(1, size))));
    const last = histogram[histogram.length - 1];
    if (last !== undefined && last.upTo === upTo) last.count++;
    else histogram.push({ upTo, count: 1 });
  }
  return {
    keys,
    depth,
    nodes: { leaves: sorted.length, internal, total: sorted.length + internal },
    bytes: { leaves: leafBytes, internal: internalBytes, total: leafBytes + internalBytes, keysAndValues: payload },
    chunks: {
      min: sorted[0] ?? 0,
      p10: quantile(sorted, 0.1),
      median: quantile(sorted, 0.5),
      p90: quantile(sorted, 0.9),
      max: sorted[sorted.length - 1] ?? 0,
      mean: sorted.length === 0 ? 0 : Math.round(leafBytes / sorted.length),
      histogram,
    },
  };
}
