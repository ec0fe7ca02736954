/**
 * File-level differences between two trees, walking only the subtrees whose ids differ: the cost
 * follows the number of changed paths, not the size of the trees. Used to bring an index and a
 * working tree from one version of a directory to another.
 */
import { GIT_ERROR_CODES, GitStoreError } from "../errors.js";
import type { ObjectId } from "../objects/object-id.js";
import type { ObjectStore } from "../objects/object-store.js";
import { DIR_MODE, type TreeEntry, type TreeEntryMode, decodeTreeObject } from "../objects/tree-object.js";

/** An entry by mode and id (a file, or a directory when the mode is `40000`). */
export interface EntryRef {
  readonly mode: TreeEntryMode;
  readonly id: ObjectId;
}

/** A file (non-directory entry) that differs; `before`/`after` absent where the path is absent. */
export interface PathChange {
  readonly path: string;
  readonly before?: EntryRef;
  readonly after?: EntryRef;
}

async function entriesOf(objects: ObjectStore, id: ObjectId): Promise<TreeEntry[]> {
  const o = await objects.read(id);
  if (o === undefined || o.type !== "tree") {
    throw new GitStoreError(GIT_ERROR_CODES.OBJECT_NOT_FOUND, `tree ${id} not found`, {
      hint: "The repository is missing objects; fetch them or run `git fsck`.",
      data: { id },
    });
  }
  return decodeTreeObject(id, o.content);
}

/** Every file under `ref` (a directory or a file) at `path`. */
async function* allFiles(
  objects: ObjectStore,
  ref: EntryRef,
  path: string,
): AsyncGenerator<{ path: string; ref: EntryRef }> {
  if (ref.mode !== DIR_MODE) {
    yield { path, ref };
    return;
  }
  for (const e of await entriesOf(objects, ref.id)) yield* allFiles(objects, e, `${path}/${e.name}`);
}

/**
 * The file changes from `before` to `after` at `path` (either may be absent, a file or a
 * directory). Where a file becomes a directory or back, removals come before additions.
 *
 * @example
 * ```ts
 * for await (const c of diffTreePaths(repo.objects, oldRoot, newRoot, "config/root")) apply(c);
 * ```
 */
export async function* diffTreePaths(
  objects: ObjectStore,
  before: EntryRef | undefined,
  after: EntryRef | undefined,
  path: string,
): AsyncGenerator<PathChange> {
  if (before === undefined && after === undefined) return;
  if (before !== undefined && after !== undefined && before.mode === after.mode && before.id === after.id) return;
  const beforeDir = before?.mode === DIR_MODE;
  const afterDir = after?.mode === DIR_MODE;
  if (beforeDir && afterDir) {
    const a = new Map((await entriesOf(objects, before!.id)).map((e) => [e.name, e] as const));
    const b = new Map((await entriesOf(objects, after!.id)).map((e) => [e.name, e] as const));
    const names = [...new Set([...a.keys(), ...b.keys()])].sort();
    for (const name of names) yield* diffTreePaths(objects, a.get(name), b.get(name), `${path}/${name}`);
    return;
  }
  if (before !== undefined) {
    if (beforeDir) for await (const f of allFiles(objects, before, path)) yield { path: f.path, before: f.ref };
    else if (after === undefined || afterDir) yield { path, before };
  }
  if (after !== undefined) {
    if (afterDir) for await (const f of allFiles(objects, after, path)) yield { path: f.path, after: f.ref };
    else if (before === undefined || beforeDir) yield { path, after };
    else yield { path, before, after };
  }
}
