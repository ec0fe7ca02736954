import { type Identity, signatureFromEnv } from "../history/identity.js";
import { MemoryObjectStore } from "../objects/memory-object-store.js";
import { MemoryRefStore } from "../refs/memory-ref-store.js";
import { Repository } from "./repository.js";
import { MemoryStateStore } from "./state-store.js";

/**
 * A repository in memory with the same contract as {@link GitRepository} (objects, refs with
 * compare-and-swap, state files, revisions, merge bases), for tests of the layers above. It has
 * no working tree. `HEAD` starts as a symbolic ref to `refs/heads/main`.
 *
 * @example
 * ```ts
 * const repo = createMemoryRepository();
 * const tree = await repo.editTree(undefined, [{ path: "a/b", entry: { mode: "100644", id: await repo.writeBlob(bytes) } }]);
 * ```
 */
export class MemoryRepository extends Repository {
  readonly objects = new MemoryObjectStore();
  readonly refs = new MemoryRefStore();
  readonly state = new MemoryStateStore();
  readonly worktree = undefined;
  readonly bare = true;

  constructor(
    readonly fallbackIdentity: { name: string; email: string } = { name: "git-prolly", email: "git-prolly@localhost" },
  ) {
    super();
  }

  /** From `GIT_AUTHOR_*` / `GIT_COMMITTER_*` when set, else the fallback identity, now. */
  async identity(): Promise<Identity> {
    return {
      author: signatureFromEnv("AUTHOR", this.fallbackIdentity),
      committer: signatureFromEnv("COMMITTER", this.fallbackIdentity),
    };
  }

  async maintain(): Promise<void> {
    // Nothing to pack in memory.
  }

  async close(): Promise<void> {
    await this.objects.close();
  }
}

/** Creates an empty in-memory repository. */
export function createMemoryRepository(): MemoryRepository {
  return new MemoryRepository();
}
