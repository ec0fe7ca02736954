/**
 * Reverting a commit's dataset changes: a three-way merge with the commit as base, HEAD as ours
 * and the commit's parent as theirs (what `git revert` does), then a new commit. Only the
 * dataset is reverted; conflicts come back as data and nothing is written.
 */
import { mergeTrees } from "@git-prolly/prolly-core";
import { commitState } from "./commit-dataset.js";
import type { Dataset } from "./dataset.js";
import { rootEntry, sameState } from "./dataset-state.js";
import { KvStoreError } from "./errors.js";
import type { CommitOptions, RevertOutcome } from "./types.js";

/** Reverts the dataset changes of `rev` on top of the dataset's head. */
export async function revertCommit(
  ds: Dataset,
  rev: string,
  options: CommitOptions & { message?: string } = {},
): Promise<RevertOutcome> {
  ds.assertCanCommit(await ds.head(), "revert");
  await ds.assertClean("revert");
  const target = await ds.commitAt(rev);
  const parentId = target.parents[0];
  const after = await ds.stateOf(target);
  const before = parentId === undefined ? undefined : await ds.stateOf(await ds.repo.readCommit(parentId));
  if (sameState(before, after)) return { status: "nothing-to-revert" };
  const { state: ours } = await ds.head();
  if (ours === undefined) throw ds.notADataset("not at HEAD");
  const merged = await mergeTrees(ds.store, await ds.root(after), await ds.root(ours), await ds.root(before), {
    config: await ds.chunking(),
  });
  if (!merged.ok) return { status: "conflicts", conflicts: merged.conflicts };
  const next = { manifest: ours.manifest, root: await rootEntry(ds.store, merged.root) };
  if (sameState(next, ours)) return { status: "nothing-to-revert" };
  await ds.staging.mutate(async () => ({ next, result: undefined }));
  const subject = target.message.split("\n")[0] ?? "";
  const message = options.message ?? `Revert "${subject}"\n\nThis reverts commit ${target.id}.\n`;
  const info = await commitState(ds, message, { ...options, action: "revert" });
  if (info === undefined) {
    throw new KvStoreError("KV_BRANCH_MOVED", "the revert was staged but not committed", {
      hint: "Commit the staged changes.",
      data: { commit: target.id },
    });
  }
  return { status: "reverted", commit: info.id };
}
