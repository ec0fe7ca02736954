/**
 * Merge bases as Git computes them (`paint_down_to_common` + `remove_redundant` in Git's
 * commit-reach.c): the best common ancestors, i.e. common ancestors that are not ancestors of
 * another common ancestor. Criss-cross histories have several.
 */
import type { Commit } from "../objects/commit-object.js";
import { CommitQueue } from "./commit-queue.js";
import type { ObjectId } from "../objects/object-id.js";

const P1 = 1;
const P2 = 2;
const STALE = 4;
const RESULT = 8;

/** Reads a commit by id. */
export type CommitReader = (id: ObjectId) => Promise<Commit>;

interface Painted {
  readonly flags: Map<ObjectId, number>;
  /** Common ancestors found, newest first, before stale ones are dropped. */
  readonly found: ObjectId[];
}

async function paintDownToCommon(read: CommitReader, one: ObjectId, twos: readonly ObjectId[]): Promise<Painted> {
  const flags = new Map<ObjectId, number>();
  const queue = new CommitQueue();
  const found: ObjectId[] = [];
  flags.set(one, P1);
  queue.push(await read(one));
  for (const two of twos) {
    flags.set(two, (flags.get(two) ?? 0) | P2);
    if (two !== one) queue.push(await read(two));
  }
  const hasNonStale = (): boolean => {
    for (const c of queue.commits()) if (((flags.get(c.id) ?? 0) & STALE) === 0) return true;
    return false;
  };
  while (hasNonStale()) {
    const commit = queue.pop()!;
    const own = flags.get(commit.id) ?? 0;
    let f = own & (P1 | P2 | STALE);
    if (f === (P1 | P2)) {
      if ((own & RESULT) === 0) {
        flags.set(commit.id, own | RESULT);
        found.push(commit.id);
      }
      f |= STALE; // parents of a common ancestor are not best
    }
    for (const p of commit.parents) {
      const pf = flags.get(p) ?? 0;
      if ((pf & f) === f) continue;
      flags.set(p, pf | f);
      queue.push(await read(p));
    }
  }
  return { flags, found };
}

/**
 * The best common ancestors of `a` and `b`, newest first (empty when they share no history).
 *
 * @example
 * ```ts
 * const [base] = await mergeBases((id) => repo.readCommit(id), ours, theirs);
 * ```
 */
export async function mergeBases(read: CommitReader, a: ObjectId, b: ObjectId): Promise<ObjectId[]> {
  if (a === b) return [a];
  const { flags, found } = await paintDownToCommon(read, a, [b]);
  const candidates = found.filter((id) => ((flags.get(id) ?? 0) & STALE) === 0);
  if (candidates.length <= 1) return candidates;
  const redundant = new Set<ObjectId>();
  for (const c of candidates) {
    if (redundant.has(c)) continue;
    const others = candidates.filter((o) => o !== c && !redundant.has(o));
    if (others.length === 0) continue;
    const painted = await paintDownToCommon(read, c, others);
    if (((painted.flags.get(c) ?? 0) & P2) !== 0) redundant.add(c);
    for (const o of others) if (((painted.flags.get(o) ?? 0) & P1) !== 0) redundant.add(o);
  }
  return candidates.filter((c) => !redundant.has(c));
}

/** True when `ancestor` is reachable from `descendant` (a commit is its own ancestor). */
export async function isAncestor(read: CommitReader, ancestor: ObjectId, descendant: ObjectId): Promise<boolean> {
  if (ancestor === descendant) return true;
  const { flags } = await paintDownToCommon(read, ancestor, [descendant]);
  return ((flags.get(ancestor) ?? 0) & P2) !== 0;
}
