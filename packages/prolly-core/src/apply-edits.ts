/**
 * Batch edits by local re-chunking, level by level. For each run of edits, the chunker restarts
 * at the first node the run touches (a boundary always precedes a node, so a fresh chunker is
 * exact there), replays that node's entries merged with the edits, and stops as soon as one of
 * its boundaries falls on an old node boundary past the edits: from there on old and new trees
 * agree. The replaced nodes and their replacements become the edits of the level above.
 *
 * The result is the tree {@link buildTree} would build from the same entries (history
 * independence), and K edits load and write O(K · depth) nodes.
 */
import { compareBytes } from "./bytes.js";
import { ChunkBuilder } from "./chunk-builder.js";
import { type ChunkingConfig, DEFAULT_CHUNKING, assertValidChunking } from "./chunking-config.js";
import { assertValidKey, assertValidValue } from "./limits.js";
import { LevelCursor } from "./level-cursor.js";
import type { NodeId, ProllyNode } from "./node.js";
import { internalEntrySize, leafEntrySize } from "./node-codec.js";
import type { NodeStore } from "./node-store.js";
import type { TreeOptions } from "./build-tree.js";
import { emptyTree } from "./build-tree.js";
import { type NodeRef, buildUpperLevels, putChunk } from "./tree-writer.js";

/** An edit: set `key` to `value`, or delete it when `value` is `null`. */
export interface Edit {
  readonly key: Uint8Array;
  readonly value: Uint8Array | null;
}

interface LevelEdit {
  readonly key: Uint8Array;
  /** Value (level 0), child id (above), or null to delete. */
  readonly payload: Uint8Array | NodeId | null;
}

/** Sorts edits by key; for a key given twice the last edit wins. */
export function normalizeEdits(edits: Iterable<Edit>): Edit[] {
  const list: { e: Edit; i: number }[] = [];
  let i = 0;
  for (const e of edits) {
    assertValidKey(e.key);
    if (e.value !== null) assertValidValue(e.value);
    list.push({ e, i: i++ });
  }
  list.sort((a, b) => compareBytes(a.e.key, b.e.key) || a.i - b.i);
  const out: Edit[] = [];
  for (const { e } of list) {
    const last = out[out.length - 1];
    if (last !== undefined && compareBytes(last.key, e.key) === 0) out[out.length - 1] = e;
    else out.push(e);
  }
  return out;
}

/**
 * Applies inserts, updates and deletes to the tree `root` and returns the new root. Edits may
 * come in any order; deleting an absent key is a no-op.
 *
 * @example
 * ```ts
 * const next = await applyEdits(store, root, [{ key: utf8("a"), value: utf8("2") }, { key: utf8("b"), value: null }]);
 * ```
 */
export async function applyEdits(store: NodeStore, root: NodeId, edits: Iterable<Edit>, options: TreeOptions = {}): Promise<NodeId> {
  const config = options.config ?? DEFAULT_CHUNKING;
  assertValidChunking(config);
  let levelEdits: LevelEdit[] = normalizeEdits(edits).map((e) => ({ key: e.key, payload: e.value }));
  if (levelEdits.length === 0) return root;
  const rootNode = await store.get(root);
  for (let level = 0; level < rootNode.level; level++) {
    levelEdits = await rewriteLevel(store, root, rootNode, level, levelEdits, config);
    if (levelEdits.length === 0) return root;
  }
  // The root's own level: its replacement may be empty, one node, or several.
  const top = await rewriteTop(store, rootNode, levelEdits, config);
  if (top.length === 0) return emptyTree(store);
  let id = top.length === 1 ? top[0]!.id : await buildUpperLevels(store, rootNode.level, top, config);
  if (id === root) return root;
  // A root with a single child is not canonical: the child is the root.
  let node = await store.get(id);
  while (node.kind === "internal" && node.children.length === 1) {
    id = node.children[0]!;
    node = await store.get(id);
  }
  return id;
}

/** Rewrites the root node with `edits`, returning the nodes of its level that replace it. */
async function rewriteTop(store: NodeStore, rootNode: ProllyNode, edits: LevelEdit[], config: ChunkingConfig): Promise<NodeRef[]> {
  const builder = new ChunkBuilder<Uint8Array | NodeId>(rootNode.level, config);
  const out: NodeRef[] = [];
  const payloads = payloadsOf(rootNode);
  let j = 0;
  let i = 0;
  const sizeOf = entrySizer(rootNode.level);
  while (j < rootNode.keys.length || i < edits.length) {
    const ek = edits[i];
    const c = ek === undefined ? -1 : j >= rootNode.keys.length ? 1 : compareBytes(rootNode.keys[j]!, ek.key);
    if (c < 0) {
      builder.append(rootNode.keys[j]!, payloads[j]!, sizeOf(rootNode.keys[j]!, payloads[j]!));
      j++;
    } else {
      if (c === 0) j++;
      i++;
      if (ek!.payload !== null) builder.append(ek!.key, ek!.payload, sizeOf(ek!.key, ek!.payload));
    }
    for (const chunk of builder.done.splice(0)) out.push(await putChunk(store, rootNode.level, chunk as never));
  }
  builder.flush();
  for (const chunk of builder.done.splice(0)) out.push(await putChunk(store, rootNode.level, chunk as never));
  return out;
}

function payloadsOf(node: ProllyNode): readonly (Uint8Array | NodeId)[] {
  return node.kind === "leaf" ? node.values : node.children;
}

function entrySizer(level: number): (key: Uint8Array, payload: Uint8Array | NodeId) => number {
  return level === 0 ? (k, p) => leafEntrySize(k, p as Uint8Array) : (k) => internalEntrySize(k);
}

/**
 * Applies sorted, unique `edits` to the nodes of `level` (below the root) and returns the edits
 * of the level above: the first keys of replaced nodes (deleted) and of new nodes (set).
 */
async function rewriteLevel(store: NodeStore, rootId: NodeId, rootNode: ProllyNode, level: number, edits: LevelEdit[], config: ChunkingConfig): Promise<LevelEdit[]> {
  const parentEdits: LevelEdit[] = [];
  const sizeOf = entrySizer(level);
  let i = 0;
  while (i < edits.length) {
    const cursor = await LevelCursor.seek(store, rootId, rootNode, level, edits[i]!.key);
    const builder = new ChunkBuilder<Uint8Array | NodeId>(level, config);
    const consumed: NodeRef[] = [];
    const created: NodeRef[] = [];
    const take = async (): Promise<void> => {
      for (const chunk of builder.done.splice(0)) created.push(await putChunk(store, level, chunk as never));
    };
    let first = true;
    for (;;) {
      const node = cursor.node;
      const limit = cursor.nextFirstKey();
      const payloads = payloadsOf(node);
      const iBefore = i;
      let firstAppend = !first;
      let synced = false;
      consumed.push({ key: node.keys[0]!, id: cursor.id });
      let j = 0;
      for (;;) {
        const e = edits[i];
        const eIn = e !== undefined && (limit === undefined || compareBytes(e.key, limit) < 0);
        if (j >= node.keys.length && !eIn) break;
        let key: Uint8Array;
        let payload: Uint8Array | NodeId | null;
        if (!eIn || (j < node.keys.length && compareBytes(node.keys[j]!, e.key) < 0)) {
          key = node.keys[j]!;
          payload = payloads[j]!;
          j++;
        } else {
          if (j < node.keys.length && compareBytes(node.keys[j]!, e.key) === 0) j++;
          key = e.key;
          payload = e.payload;
          i++;
        }
        if (payload === null) continue;
        const doneBefore = builder.done.length;
        builder.append(key, payload, sizeOf(key, payload));
        if (firstAppend) {
          firstAppend = false;
          const closed = builder.done[doneBefore];
          if (closed !== undefined && closed.keys[closed.keys.length - 1] !== key) {
            // The chunk closed right before this node's first entry, on the old boundary: in sync.
            builder.done.length = doneBefore + 1;
            builder.discardOpen();
            i = iBefore;
            consumed.pop();
            synced = true;
            break;
          }
        }
        await take();
      }
      await take();
      if (synced) break;
      if (limit === undefined) {
        builder.flush();
        await take();
        break;
      }
      if (builder.count === 0) break; // a boundary fell on the old one: in sync
      await cursor.next();
      first = false;
    }
    mergeRefs(parentEdits, consumed, created);
  }
  return parentEdits;
}

/** Appends to `out` the parent-level edits for old nodes replaced by new ones, dropping no-ops. */
function mergeRefs(out: LevelEdit[], consumed: NodeRef[], created: NodeRef[]): void {
  let a = 0;
  let b = 0;
  while (a < consumed.length || b < created.length) {
    const o = consumed[a];
    const n = created[b];
    const c = o === undefined ? 1 : n === undefined ? -1 : compareBytes(o.key, n.key);
    if (c < 0) {
      out.push({ key: o!.key, payload: null });
      a++;
    } else if (c > 0) {
      out.push({ key: n!.key, payload: n!.id });
      b++;
    } else {
      if (o!.id !== n!.id) out.push({ key: n!.key, payload: n!.id });
      a++;
      b++;
    }
  }
}

