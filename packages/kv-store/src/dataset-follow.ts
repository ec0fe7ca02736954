/**
 * What a dataset follows: HEAD (the default), or a branch, tag or commit checked out for the
 * dataset alone. (Work in progress: the API shape; the follow record comes next.)
 */
import { type Dataset, branchName } from "./dataset.js";
import type { Following } from "./types.js";

/** The whole picture of what `ds` follows. */
export async function describeFollowing(ds: Dataset): Promise<Following> {
  const head = await ds.repo.readHead();
  const branch = branchName(head);
  return { dataset: ds.label, kind: "head", ref: branch, commit: head.id, branchTip: undefined, repositoryBranch: branch, repositoryCommit: head.id, readOnly: false };
}
