/**
 * Three-way merge on trees: the changes base→ours and base→theirs are walked together in key
 * order (each a structural diff, so cost follows the number of changes). A key changed on one
 * side takes that change; a key changed the same way on both sides is taken once; anything else
 * is a conflict, returned as data for a resolver to settle.
 */
import { compareBytes, equalBytes } from "./bytes.js";
import { type Edit, applyEdits } from "./apply-edits.js";
import type { TreeOptions } from "./build-tree.js";
import { type DiffEntry, diffTrees } from "./diff-trees.js";
import type { NodeId } from "./node.js";
import type { NodeStore } from "./node-store.js";

/** How a key conflicts. */
export type ConflictKind = "modify/modify" | "add/add" | "delete/modify" | "modify/delete";

/** A key both sides changed differently. Values are `null` where the key is absent. */
export interface MergeConflict {
  readonly kind: ConflictKind;
  readonly key: Uint8Array;
  readonly base: Uint8Array | null;
  readonly ours: Uint8Array | null;
  readonly theirs: Uint8Array | null;
}

/**
 * Settles conflicts: `"ours"` or `"theirs"` take that side, a function returns the value to
 * keep, `null` to delete the key, or `undefined` to leave the conflict unresolved.
 */
export type ConflictResolver = "ours" | "theirs" | ((conflict: MergeConflict) => Uint8Array | null | undefined);

/** Options of {@link mergeTrees}. */
export interface MergeOptions extends TreeOptions {
  /** Resolver of conflicts; without one every conflict is returned unresolved. */
  resolve?: ConflictResolver;
}

/** Outcome of {@link mergeTrees}. */
export type MergeResult =
  | { readonly ok: true; readonly root: NodeId; readonly resolved: readonly MergeConflict[] }
  | { readonly ok: false; readonly conflicts: readonly MergeConflict[]; readonly resolved: readonly MergeConflict[] };

function after(d: DiffEntry): Uint8Array | null {
  return d.kind === "removed" ? null : d.kind === "added" ? d.value : d.newValue;
}

function before(d: DiffEntry): Uint8Array | null {
  return d.kind === "added" ? null : d.kind === "removed" ? d.value : d.oldValue;
}

function sameValue(a: Uint8Array | null, b: Uint8Array | null): boolean {
  return a === null || b === null ? a === b : equalBytes(a, b);
}

function conflictKind(o: DiffEntry, t: DiffEntry): ConflictKind {
  if (o.kind === "added" && t.kind === "added") return "add/add";
  if (o.kind === "removed") return "delete/modify";
  if (t.kind === "removed") return "modify/delete";
  return "modify/modify";
}

/**
 * Merges `theirs` into `ours` relative to their common ancestor `base`. When every conflict is
 * settled (or there are none) the merged tree is written and returned; otherwise nothing is
 * written and the unresolved conflicts are returned.
 *
 * @example
 * ```ts
 * const r = await mergeTrees(store, base, ours, theirs, { resolve: "theirs" });
 * if (r.ok) use(r.root); else report(r.conflicts);
 * ```
 */
export async function mergeTrees(
  store: NodeStore,
  base: NodeId,
  ours: NodeId,
  theirs: NodeId,
  options: MergeOptions = {},
): Promise<MergeResult> {
  if (ours === theirs || theirs === base) return { ok: true, root: ours, resolved: [] };
  if (ours === base) return { ok: true, root: theirs, resolved: [] };
  const edits: Edit[] = [];
  const conflicts: MergeConflict[] = [];
  const resolved: MergeConflict[] = [];
  const oIt = diffTrees(store, base, ours);
  const tIt = diffTrees(store, base, theirs);
  let o = await oIt.next();
  let t = await tIt.next();
  while (!t.done) {
    const c = o.done ? 1 : compareBytes(o.value.key, t.value.key);
    if (c < 0) {
      o = await oIt.next();
      continue;
    }
    if (c > 0) {
      edits.push({ key: t.value.key, value: after(t.value) });
      t = await tIt.next();
      continue;
    }
    const od = o.value as DiffEntry;
    const td = t.value;
    const ov = after(od);
    const tv = after(td);
    if (!sameValue(ov, tv)) {
      const conflict: MergeConflict = {
        kind: conflictKind(od, td),
        key: td.key,
        base: before(td),
        ours: ov,
        theirs: tv,
      };
      const r = options.resolve;
      const choice = r === undefined ? undefined : r === "ours" ? ov : r === "theirs" ? tv : r(conflict);
      if (choice === undefined) conflicts.push(conflict);
      else {
        resolved.push(conflict);
        if (!sameValue(choice, ov)) edits.push({ key: td.key, value: choice });
      }
    }
    o = await oIt.next();
    t = await tIt.next();
  }
  if (conflicts.length > 0) return { ok: false, conflicts, resolved };
  const root = await applyEdits(store, ours, edits, options);
  return { ok: true, root, resolved };
}
