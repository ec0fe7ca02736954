import type { EntryRef } from "@git-prolly/git-object-store";
import { KvStoreError, ROOT_NAME, type VersionedKvStore } from "@git-prolly/kv-store";

/** The dataset's `root` entry (its root node) at a commit, and the commit. */
export interface RootAtCommit {
  readonly commit: string;
  readonly root: EntryRef;
}

/** The dataset's `root` path inside the repository. */
export function rootPath(store: VersionedKvStore): string {
  return store.dataset === "" ? ROOT_NAME : `${store.dataset}/${ROOT_NAME}`;
}

/**
 * The dataset's root node at a revision, through the repository's public API.
 * @throws {KvStoreError} KV_UNKNOWN_REF, KV_NOT_A_DATASET (no dataset at that commit)
 */
export async function rootAtCommit(store: VersionedKvStore, rev: string): Promise<RootAtCommit> {
  const repo = store.repository;
  let commit: string;
  try {
    commit = await repo.resolveRevision(rev);
  } catch (cause) {
    throw new KvStoreError("KV_UNKNOWN_REF", `unknown revision ${JSON.stringify(rev)}`, {
      hint: "give a branch, tag or commit id (see `git-prolly log` and `git-prolly branch`)",
      data: { ref: rev },
      cause,
    });
  }
  const root = await repo.readEntry((await repo.readCommit(commit)).tree, rootPath(store));
  if (root === undefined) {
    throw new KvStoreError(
      "KV_NOT_A_DATASET",
      `commit ${commit.slice(0, 7)} has no dataset at ${store.dataset === "" ? "." : store.dataset}`,
      {
        hint: "pick a commit made after the dataset was created (`git-prolly log`)",
        data: { commit, dataset: store.dataset },
      },
    );
  }
  return { commit, root };
}

/**
 * The dataset's staged root node. kv-store does not export the staged root yet, so this reads
 * the store's internal state (its `ds.staged()`); replace it when kv-store exposes one.
 */
export async function stagedRoot(store: VersionedKvStore): Promise<EntryRef> {
  const internal = store as unknown as { ds: { staged(): Promise<{ root: EntryRef }> } };
  return (await internal.ds.staged()).root;
}
