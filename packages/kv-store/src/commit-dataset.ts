/**
 * Committing a dataset: the commit's tree is the dataset head's tree (HEAD's, or the followed
 * branch's) with only the dataset's two entries (`prolly.json`, `root`) replaced by the staged
 * ones, so other staged or unstaged work in the repository is neither included nor lost (R3).
 * The branch moves by compare-and-swap (HEAD stays when the dataset follows another branch);
 * because the index and files already hold the committed state, a crash at any point leaves the
 * store at the old or the new commit.
 */
import { type ObjectId, isGitStoreError } from "@git-prolly/git-object-store";
import { type Dataset, branchName, commitInfo, headRef } from "./dataset.js";
import { type DatasetState, datasetEdits, sameState } from "./dataset-state.js";
import { KvStoreError } from "./errors.js";
import type { CommitInfo, CommitOptions } from "./types.js";

/** Options of {@link commitState}. */
export interface CommitStateOptions extends CommitOptions {
  /** Further parents after HEAD (a merge's other side). */
  readonly extraParents?: readonly ObjectId[];
  /** The tree to put the dataset into (default: HEAD's tree). */
  readonly baseTree?: ObjectId;
  /** Reflog action (default `commit`). */
  readonly action?: string;
}

/**
 * Commits `state` (default: the staged state) on the dataset's head. Returns `undefined` when it
 * equals the head's dataset and nothing else would change.
 * @throws {KvStoreError} KV_BRANCH_MOVED when the branch moved meanwhile, KV_READ_ONLY when the
 *   dataset follows a tag or commit.
 */
export async function commitState(
  ds: Dataset,
  message: string,
  options: CommitStateOptions = {},
  state?: DatasetState,
): Promise<CommitInfo | undefined> {
  const staged = state ?? (await ds.staged());
  const at = await ds.head();
  const { head, commit, state: headState } = at;
  ds.assertCanCommit(at, "commit");
  const extra = options.extraParents ?? [];
  if (
    sameState(headState, staged) &&
    options.allowEmpty !== true &&
    extra.length === 0 &&
    options.baseTree === undefined
  )
    return undefined;
  const needIdentity = options.author === undefined || options.committer === undefined;
  const identity = needIdentity ? await ds.repo.identity() : undefined;
  const author = options.author ?? identity!.author;
  const committer = options.committer ?? identity!.committer;
  const tree = await ds.repo.editTree(options.baseTree ?? commit?.tree, datasetEdits(ds.paths, staged));
  const parents = [...(commit === undefined ? [] : [commit.id]), ...extra];
  const id = await ds.repo.writeCommit({ tree, parents, author, committer, message });
  await ds.repo.objects.flush();
  const subject = message.split("\n")[0] ?? "";
  try {
    await ds.repo.refs.update(headRef(head), id, {
      expected: head.id ?? null,
      message: `${options.action ?? "commit"}${commit === undefined ? " (initial)" : ""}: ${subject}`,
      committer,
    });
  } catch (e) {
    if (isGitStoreError(e, "GIT_REF_MOVED")) throw branchMoved(branchName(head) ?? "HEAD", e);
    throw e;
  }
  await ds.staging.settle(staged);
  if (at.follow !== undefined) await ds.writeFollow({ ...at.follow.record, commit: id, pending: false });
  await ds.repo.maintain();
  return commitInfo(await ds.repo.readCommit(id));
}

/** @internal */
export function branchMoved(branch: string, cause: unknown): KvStoreError {
  return new KvStoreError(
    "KV_BRANCH_MOVED",
    `branch ${branch} moved while committing: another writer committed first`,
    {
      hint: "Nothing was lost: your changes are still staged. Check `git-prolly log`, then commit again.",
      data: { branch },
      cause,
    },
  );
}
