/**
 * Replacing entries deep inside a tree without touching the rest: only the trees on the edited
 * paths are rewritten, so a dataset commit changes the dataset's subtree and its parents only.
 */
import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";
import { EMPTY_TREE_ID, type ObjectId } from "../objects/object-id.js";
import type { ObjectStore } from "../objects/object-store.js";
import {
  DIR_MODE,
  type TreeEntry,
  type TreeEntryMode,
  decodeTreeObject,
  encodeTreeObject,
} from "../objects/tree-object.js";
import { splitTreePath } from "./tree-path.js";

/** Set `path` to an entry, or remove it (`entry: null`). Parents are created or pruned as needed. */
export interface TreeEdit {
  readonly path: string;
  readonly entry: { readonly mode: TreeEntryMode; readonly id: ObjectId } | null;
}

interface Split {
  readonly parts: readonly string[];
  readonly entry: TreeEdit["entry"];
}

/**
 * Applies edits to the tree `base` (`undefined` = empty) and returns the new tree's id. New trees
 * are written to `objects` (queued; flush to persist). Removing a directory's last entry removes
 * the directory.
 * @throws {GitStoreError} GIT_INVALID_PATH for bad or overlapping paths.
 */
export async function editTree(
  objects: ObjectStore,
  base: ObjectId | undefined,
  edits: readonly TreeEdit[],
): Promise<ObjectId> {
  const split = edits.map((e) => ({ parts: splitTreePath(e.path), entry: e.entry }));
  const seen = new Set<string>();
  for (const s of split) {
    const key = s.parts.join("/");
    for (const other of seen) {
      if (other === key || other.startsWith(`${key}/`) || key.startsWith(`${other}/`)) {
        throw new GitStoreError(GIT_ERROR_CODES.INVALID_PATH, `overlapping tree edits at ${JSON.stringify(key)}`, {
          hint: "Give each path once, and never a path together with a path inside it.",
          data: { path: key },
        });
      }
    }
    seen.add(key);
  }
  return edit(objects, base, split);
}

async function readTreeEntries(objects: ObjectStore, id: ObjectId | undefined): Promise<TreeEntry[]> {
  if (id === undefined || id === EMPTY_TREE_ID) return [];
  const o = await objects.read(id);
  if (o === undefined || o.type !== "tree") {
    throw new GitStoreError(GIT_ERROR_CODES.OBJECT_NOT_FOUND, `tree ${id} not found`, {
      hint: "The repository is missing objects; fetch them or run `git fsck`.",
      data: { id },
    });
  }
  return decodeTreeObject(id, o.content);
}

async function edit(objects: ObjectStore, base: ObjectId | undefined, edits: readonly Split[]): Promise<ObjectId> {
  const entries = new Map<string, TreeEntry>();
  for (const e of await readTreeEntries(objects, base)) entries.set(e.name, e);
  const groups = new Map<string, Split[]>();
  for (const e of edits) {
    const head = e.parts[0]!;
    if (e.parts.length === 1) {
      if (e.entry === null) entries.delete(head);
      else entries.set(head, { mode: e.entry.mode, name: head, id: e.entry.id });
    } else {
      let g = groups.get(head);
      if (g === undefined) groups.set(head, (g = []));
      g.push({ parts: e.parts.slice(1), entry: e.entry });
    }
  }
  for (const [name, group] of groups) {
    const current = entries.get(name);
    const sub = await edit(objects, current?.mode === DIR_MODE ? current.id : undefined, group);
    if (sub === EMPTY_TREE_ID) entries.delete(name);
    else entries.set(name, { mode: DIR_MODE, name, id: sub });
  }
  const [id] = await objects.write([{ type: "tree", content: encodeTreeObject([...entries.values()]) }]);
  return id!;
}
