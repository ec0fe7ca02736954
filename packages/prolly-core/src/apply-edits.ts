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
import { CLOSED_AFTER, CLOSED_BEFORE } from "./boundary-rule.js";
import { LeafChunker } from "./leaf-chunker.js";
import { type ChunkingConfig, DEFAULT_CHUNKING, assertValidChunking } from "./chunking-config.js";
import { assertValidKey, assertValidValue } from "./limits.js";
import { LevelCursor } from "./level-cursor.js";
import { loadChild } from "./load-child.js";
import { type InternalNode, type NodeId, type ProllyNode, internalNode } from "./node.js";
import { PackedInternal } from "./packed-internal.js";
import type { NodeStore } from "./node-store.js";
import type { TreeOptions } from "./build-tree.js";
import { emptyTree } from "./build-tree.js";
import { type LevelChunker, type NodeRef, buildUpperLevels, chunkerFor, putDone } from "./tree-writer.js";

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
export async function applyEdits(
  store: NodeStore,
  root: NodeId,
  edits: Iterable<Edit>,
  options: TreeOptions = {},
): Promise<NodeId> {
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
  while (node.kind === "internal" && node.count === 1) {
    id = node.child(0);
    node = await store.get(id);
  }
  return id;
}

/** Rewrites the root node with `edits`, returning the nodes of its level that replace it. */
async function rewriteTop(
  store: NodeStore,
  rootNode: ProllyNode,
  edits: LevelEdit[],
  config: ChunkingConfig,
): Promise<NodeRef[]> {
  const patched = await replaceChildren(store, rootNode, edits, 0, undefined);
  if (patched !== undefined && patched.next === edits.length) return [{ key: rootNode.key(0), id: patched.id }];
  const chunker = chunkerFor(rootNode.level, config);
  const out: NodeRef[] = [];
  const n = rootNode.count;
  let j = 0;
  let i = 0;
  while (j < n || i < edits.length) {
    const ek = edits[i];
    const c = ek === undefined ? -1 : j >= n ? 1 : compareBytes(rootNode.key(j), ek.key);
    if (c < 0) {
      chunker.appendEntry(rootNode, j);
      j++;
    } else {
      if (c === 0) j++;
      i++;
      if (ek!.payload !== null) appendNew(chunker, ek!.key, ek!.payload);
    }
    if (chunker.done.length > 0) await putDone(store, chunker, out);
  }
  chunker.flush();
  chunker.release();
  await putDone(store, chunker, out);
  return out;
}

function compareKeyAt(node: ProllyNode, i: number, key: Uint8Array): number {
  return node.kind === "leaf" ? node.compareKeyAt(i, key) : compareBytes(node.key(i), key);
}

function appendNew(chunker: LevelChunker, key: Uint8Array, payload: Uint8Array | NodeId): number {
  return chunker instanceof LeafChunker
    ? chunker.append(key, payload as Uint8Array)
    : chunker.append(key, payload as NodeId);
}

/**
 * Applies sorted, unique `edits` to the nodes of `level` (below the root) and returns the edits
 * of the level above: the first keys of replaced nodes (deleted) and of new nodes (set).
 */
async function rewriteLevel(
  store: NodeStore,
  rootId: NodeId,
  rootNode: ProllyNode,
  level: number,
  edits: LevelEdit[],
  config: ChunkingConfig,
): Promise<LevelEdit[]> {
  const parentEdits: LevelEdit[] = [];
  const ahead =
    level === 0 && edits.length >= READ_AHEAD_MIN ? await ReadAhead.plan(store, rootNode, edits) : undefined;
  let i = 0;
  while (i < edits.length) {
    ahead?.reach(i);
    const cursor = await LevelCursor.seek(store, rootId, rootNode, level, edits[i]!.key);
    const patched = await replaceChildren(store, cursor.node, edits, i, cursor.nextFirstKey());
    if (patched !== undefined) {
      mergeRefs(
        parentEdits,
        [{ key: cursor.node.key(0), id: cursor.id }],
        [{ key: cursor.node.key(0), id: patched.id }],
      );
      i = patched.next;
      continue;
    }
    const chunker = chunkerFor(level, config);
    const consumed: NodeRef[] = [];
    const created: NodeRef[] = [];
    let first = true;
    for (;;) {
      const node = cursor.node;
      const n = node.count;
      const limit = cursor.nextFirstKey();
      const iBefore = i;
      let firstAppend = !first;
      let synced = false;
      consumed.push({ key: node.key(0), id: cursor.id });
      let j = 0;
      for (;;) {
        const e = edits[i];
        const eIn = e !== undefined && (limit === undefined || compareBytes(e.key, limit) < 0);
        if (j >= n && !eIn) break;
        const c = j >= n ? 1 : eIn ? compareKeyAt(node, j, e.key) : -1;
        let flags: number;
        if (c < 0) {
          flags = chunker.appendEntry(node, j);
          j++;
        } else {
          if (c === 0) j++;
          i++;
          if (e!.payload === null) continue;
          flags = appendNew(chunker, e!.key, e!.payload);
        }
        if (firstAppend) {
          firstAppend = false;
          if ((flags & CLOSED_BEFORE) !== 0) {
            // The chunk closed right before this node's first entry, on the old boundary: in
            // sync. Keep that chunk, forget this node's entry and the edits read since.
            (chunker.done as ProllyNode[]).length = chunker.done.length - ((flags & CLOSED_AFTER) !== 0 ? 1 : 0);
            chunker.discardOpen();
            i = iBefore;
            consumed.pop();
            synced = true;
            break;
          }
        }
        if (chunker.done.length > 0) await putDone(store, chunker, created);
      }
      await putDone(store, chunker, created);
      if (synced) break;
      if (limit === undefined) {
        chunker.flush();
        await putDone(store, chunker, created);
        break;
      }
      if (chunker.count === 0) break; // a boundary fell on the old one: in sync
      ahead?.reach(i);
      await cursor.next();
      first = false;
    }
    chunker.release();
    mergeRefs(parentEdits, consumed, created);
  }
  return parentEdits;
}

/**
 * The fast path of internal levels: when every edit that falls in `node` (edits from `i` up to
 * `limit`) only gives an existing child a new id, boundaries cannot move (they depend on keys
 * and key sizes alone), so the node keeps its keys and gets the new ids in place. Returns the
 * new node's id and the index of the next edit, or `undefined` when the general path is needed.
 */
async function replaceChildren(
  store: NodeStore,
  node: ProllyNode,
  edits: readonly LevelEdit[],
  i: number,
  limit: Uint8Array | undefined,
): Promise<{ id: NodeId; next: number } | undefined> {
  if (node.kind !== "internal") return undefined;
  const changes: { index: number; id: NodeId }[] = [];
  let k = i;
  for (; k < edits.length; k++) {
    const e = edits[k]!;
    if (limit !== undefined && compareBytes(e.key, limit) >= 0) break;
    if (e.payload === null) return undefined;
    const index = node.floor(e.key);
    if (index < 0 || compareBytes(node.key(index), e.key) !== 0) return undefined;
    changes.push({ index, id: e.payload as NodeId });
  }
  if (changes.length === 0) return undefined;
  const next = node instanceof PackedInternal ? node.withChildren(changes) : replaced(node, changes);
  return { id: await store.put(next), next: k };
}

function replaced(node: InternalNode, changes: readonly { index: number; id: NodeId }[]): InternalNode {
  const children = [...node.children];
  for (const c of changes) children[c.index] = c.id;
  return internalNode(node.level, node.keys, children);
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

/** Edits from which the leaves they fall in are read ahead of the rewrite. */
const READ_AHEAD_MIN = 32;
/** Leaves read ahead of the rewrite's position (reads in flight at most). */
const READ_AHEAD = 48;

/**
 * Reads the leaves a pass of sorted edits will rewrite a bounded number ahead of it, so that
 * their reads (I/O, then decoding) overlap instead of each waiting for the previous one: a pass
 * over thousands of leaves read from a pack one by one spends most of its time waiting.
 */
class ReadAhead {
  #next = 0;

  private constructor(
    readonly store: NodeStore,
    /** The leaves the edits fall in, in key order, each once. */
    readonly ids: readonly NodeId[],
    /** For each edit, the position of its leaf in `ids`. */
    readonly at: Int32Array,
  ) {}

  /** Finds the leaf of every edit (reading the internal nodes above them, siblings concurrently). */
  static async plan(store: NodeStore, root: ProllyNode, edits: readonly LevelEdit[]): Promise<ReadAhead | undefined> {
    if (root.kind !== "internal") return undefined;
    const ids: NodeId[] = [];
    const at = new Int32Array(edits.length);
    const visit = async (node: InternalNode, lo: number, hi: number): Promise<void> => {
      // Edits [lo, hi) grouped by the child they fall in.
      const groups: { index: number; lo: number; hi: number }[] = [];
      for (let k = lo; k < hi; k++) {
        const index = Math.max(0, node.floor(edits[k]!.key));
        const last = groups[groups.length - 1];
        if (last !== undefined && last.index === index) last.hi = k + 1;
        else groups.push({ index, lo: k, hi: k + 1 });
      }
      if (node.level === 1) {
        for (const g of groups) {
          ids.push(node.child(g.index));
          at.fill(ids.length - 1, g.lo, g.hi);
        }
        return;
      }
      const children = await Promise.all(groups.map((g) => loadChild(store, node, g.index)));
      for (let g = 0; g < groups.length; g++) await visit(children[g] as InternalNode, groups[g]!.lo, groups[g]!.hi);
    };
    await visit(root as InternalNode, 0, edits.length);
    return new ReadAhead(store, ids, at);
  }

  /** Starts the reads of the leaves up to {@link READ_AHEAD} past the leaf of edit `i`. */
  reach(i: number): void {
    const until = Math.min(this.ids.length, (this.at[Math.min(i, this.at.length - 1)] ?? 0) + READ_AHEAD);
    while (this.#next < until) {
      const id = this.ids[this.#next++]!;
      if (this.store.peek?.(id) === undefined) void this.store.get(id).catch(() => undefined); // the rewrite reports errors
    }
  }
}
