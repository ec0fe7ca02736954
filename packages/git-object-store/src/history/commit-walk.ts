import type { Commit } from "../objects/commit-object.js";
import { CommitQueue } from "./commit-queue.js";
import type { CommitReader } from "./merge-base.js";
import type { ObjectId } from "../objects/object-id.js";

/** Options of {@link walkCommits}. */
export interface WalkOptions {
  /** Follow only first parents (the mainline of merges). */
  readonly firstParent?: boolean;
  /** Commits (and their ancestors) to leave out, like `git log A ^B`. */
  readonly exclude?: readonly ObjectId[];
}

/**
 * Every commit reachable from `starts`, newest first by committer date (Git's default log
 * order), each once. Uncapped: stop iterating to stop walking.
 *
 * @example
 * ```ts
 * for await (const c of walkCommits((id) => repo.readCommit(id), [head])) console.log(c.id, c.message);
 * ```
 */
export async function* walkCommits(
  read: CommitReader,
  starts: readonly ObjectId[],
  options: WalkOptions = {},
): AsyncGenerator<Commit> {
  const seen = new Set<ObjectId>();
  const hidden = new Set<ObjectId>();
  if (options.exclude !== undefined && options.exclude.length > 0) {
    // Hide everything reachable from the excluded commits (plain walk; fine for the sizes we see).
    const stack = [...options.exclude];
    while (stack.length > 0) {
      const id = stack.pop()!;
      if (hidden.has(id)) continue;
      hidden.add(id);
      stack.push(...(await read(id)).parents);
    }
  }
  const queue = new CommitQueue();
  for (const id of starts) {
    if (seen.has(id) || hidden.has(id)) continue;
    seen.add(id);
    queue.push(await read(id));
  }
  for (;;) {
    const commit = queue.pop();
    if (commit === undefined) return;
    yield commit;
    const parents = options.firstParent === true ? commit.parents.slice(0, 1) : commit.parents;
    for (const p of parents) {
      if (seen.has(p) || hidden.has(p)) continue;
      seen.add(p);
      queue.push(await read(p));
    }
  }
}
