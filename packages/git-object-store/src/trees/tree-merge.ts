/**
 * A three-way merge of Git trees by path, without merging file contents: a path changed on one
 * side takes that side, a path changed the same way on both sides is taken once, directories
 * changed on both sides are merged entry by entry, and anything else is a conflict. Only trees
 * that differ are read, so the cost follows the changes.
 */
import { GIT_ERROR_CODES, GitStoreError, objectNotFound } from "../errors.js";
import { EMPTY_TREE_ID, type ObjectId, hashObject } from "../objects/object-id.js";
import type { ObjectStore } from "../objects/object-store.js";
import { DIR_MODE, type TreeEntry, decodeTreeObject, encodeTreeObject } from "../objects/tree-object.js";

/** Options of {@link mergeTreesByPath}. */
export interface TreeMergeOptions {
  /**
   * Paths the caller merges itself (e.g. a dataset): they never conflict and are left as one of
   * the sides, to be replaced by the caller.
   */
  readonly skip?: (path: string) => boolean;
}

/** Outcome of {@link mergeTreesByPath}: the merged tree, or the conflicting paths (nothing written). */
export type TreeMergeResult =
  { readonly ok: true; readonly tree: ObjectId } | { readonly ok: false; readonly conflicts: readonly string[] };

type Side = TreeEntry | undefined;

function same(a: Side, b: Side): boolean {
  return a === undefined || b === undefined ? a === b : a.mode === b.mode && a.id === b.id;
}

async function entries(objects: ObjectStore, id: ObjectId | undefined): Promise<Map<string, TreeEntry>> {
  if (id === undefined || id === EMPTY_TREE_ID) return new Map();
  const o = await objects.read(id);
  if (o === undefined) throw objectNotFound(id);
  if (o.type !== "tree") {
    throw new GitStoreError(GIT_ERROR_CODES.WRONG_OBJECT_TYPE, `object ${id} is a ${o.type}, not a tree`, {
      hint: "Pass tree ids (or commits resolved to their trees) to mergeTreesByPath.",
      data: { id, type: o.type },
    });
  }
  return new Map(decodeTreeObject(id, o.content).map((e) => [e.name, e]));
}

/**
 * Merges `theirs` into `ours` relative to `base` (any may be `undefined`: the empty tree).
 *
 * @example
 * ```ts
 * const r = await mergeTreesByPath(repo.objects, baseTree, oursTree, theirsTree, { skip: (p) => p === "config" });
 * if (!r.ok) console.log(r.conflicts);
 * ```
 */
export async function mergeTreesByPath(
  objects: ObjectStore,
  base: ObjectId | undefined,
  ours: ObjectId | undefined,
  theirs: ObjectId | undefined,
  options: TreeMergeOptions = {},
): Promise<TreeMergeResult> {
  const conflicts: string[] = [];
  const written: { type: "tree"; content: Uint8Array }[] = [];
  const merge = async (
    b: ObjectId | undefined,
    o: ObjectId | undefined,
    t: ObjectId | undefined,
    path: string,
  ): Promise<ObjectId> => {
    if (o === t || t === b) return o ?? EMPTY_TREE_ID;
    if (o === b) return t ?? EMPTY_TREE_ID;
    const [be, oe, te] = await Promise.all([entries(objects, b), entries(objects, o), entries(objects, t)]);
    const out: TreeEntry[] = [];
    for (const name of new Set([...oe.keys(), ...te.keys(), ...be.keys()])) {
      const p = path === "" ? name : `${path}/${name}`;
      const x = be.get(name);
      const y = oe.get(name);
      const z = te.get(name);
      let pick: Side;
      if (options.skip?.(p) === true || same(y, z) || same(x, z)) pick = y;
      else if (same(x, y)) pick = z;
      else if (y?.mode === DIR_MODE && z?.mode === DIR_MODE) {
        const sub = await merge(x?.mode === DIR_MODE ? x.id : undefined, y.id, z.id, p);
        pick = sub === EMPTY_TREE_ID ? undefined : { ...y, id: sub };
      } else {
        conflicts.push(p);
        continue;
      }
      if (pick !== undefined) out.push(pick);
    }
    if (out.length === 0) return EMPTY_TREE_ID;
    const content = encodeTreeObject(out);
    written.push({ type: "tree", content });
    return hashObject("tree", content);
  };
  const tree = await merge(base, ours, theirs, "");
  if (conflicts.length > 0) return { ok: false, conflicts: conflicts.sort() };
  await objects.write(written);
  if (tree === EMPTY_TREE_ID) await objects.write([{ type: "tree", content: new Uint8Array(0) }]);
  return { ok: true, tree };
}
