/**
 * Merging a revision into the dataset's head (HEAD, or the branch the dataset follows, whose
 * tree merges while only the dataset's files change locally): fast-forward when possible, else a three-way merge of the
 * dataset on its trees (prolly-core `mergeTrees`: cost follows the changes) plus a by-path merge
 * of the rest of the repository, and a commit with two parents. Key conflicts come back as data
 * with base/ours/theirs values and nothing is written unless a resolver settles all of them.
 * Criss-cross histories merge against a virtual base, as Git's recursive strategy does.
 */
import {
  type Commit,
  EMPTY_TREE_ID,
  type ObjectId,
  isGitStoreError,
  mergeTreesByPath,
} from "@git-prolly/git-object-store";
import { mergeTrees } from "@git-prolly/prolly-core";
import { branchMoved } from "./commit-dataset.js";
import { type Dataset, branchName, headRef, type HeadState } from "./dataset.js";
import { switchDatasetFiles } from "./dataset-follow.js";
import { type DatasetState, datasetEdits, rootEntry } from "./dataset-state.js";
import { KvStoreError } from "./errors.js";
import type { MergeOptions, MergeOutcome } from "./types.js";

/**
 * Moves HEAD's branch from `from` to `to`: first the index and files (Git refuses when local
 * changes would be overwritten), then the ref by compare-and-swap (rolled back if it moved).
 * A followed branch moves first, then the dataset's files follow (they are clean: nothing to
 * refuse), so an interruption leaves the dataset behind its branch, which a checkout mends.
 * @internal
 */
export async function advanceHead(ds: Dataset, at: HeadState, to: ObjectId, message: string): Promise<void> {
  const target = await ds.repo.readCommit(to);
  if (at.follow !== undefined) {
    // The followed branch: the ref first (by compare-and-swap), then the dataset's files alone.
    try {
      await ds.repo.refs.update(at.follow.record.ref, to, { expected: at.head.id ?? null, message });
    } catch (e) {
      if (isGitStoreError(e, "GIT_REF_MOVED")) throw branchMoved(at.follow.name, e);
      throw e;
    }
    await switchDatasetFiles(ds, target);
    await ds.writeFollow({ ...at.follow.record, commit: to, pending: false });
    return;
  }
  const fromTree = at.commit?.tree ?? EMPTY_TREE_ID;
  const wt = ds.repo.worktree;
  if (wt !== undefined) {
    try {
      await wt.moveTree(fromTree, target.tree);
    } catch (cause) {
      throw new KvStoreError(
        "KV_UNCOMMITTED_CHANGES",
        "local changes to files outside the dataset would be overwritten",
        {
          hint: "Commit or stash them first (git stash), then retry.",
          data: { stderr: isGitStoreError(cause) ? (cause.data.stderr ?? null) : null },
          cause,
        },
      );
    }
  }
  try {
    await ds.repo.refs.update(headRef(at.head), to, { expected: at.head.id ?? null, message });
  } catch (e) {
    if (wt !== undefined) await wt.moveTree(target.tree, fromTree);
    if (isGitStoreError(e, "GIT_REF_MOVED")) throw branchMoved(branchName(at.head) ?? "HEAD", e);
    throw e;
  }
  await ds.staging.headMoved(await ds.stateOf(target));
}

/**
 * The dataset to merge against. With one best common ancestor it is that commit's dataset; with
 * several (criss-cross history) it is their merge, like Git's recursive strategy: the bases are
 * merged pairwise over their own merge bases, conflicts between bases settled by the first one
 * (a virtual base only decides what counts as a change, it is never committed).
 */
async function virtualBase(ds: Dataset, bases: readonly ObjectId[], depth: number): Promise<DatasetState | undefined> {
  const first = bases[0];
  if (first === undefined) return undefined;
  let acc = await ds.stateOf(await ds.repo.readCommit(first));
  for (const next of bases.slice(1)) {
    const nextState = await ds.stateOf(await ds.repo.readCommit(next));
    const inner = depth >= 8 ? [] : await ds.repo.mergeBases(first, next);
    const innerState = await virtualBase(ds, inner, depth + 1);
    const merged = await mergeTrees(ds.store, await ds.root(innerState), await ds.root(acc), await ds.root(nextState), {
      config: await ds.chunking(),
      resolve: "ours",
    });
    const manifest = (acc ?? nextState)?.manifest;
    if (merged.ok && manifest !== undefined) acc = { manifest, root: await rootEntry(ds.store, merged.root) };
  }
  return acc;
}

/** Merges `rev` into the dataset's head. */
export async function mergeRevision(ds: Dataset, rev: string, options: MergeOptions = {}): Promise<MergeOutcome> {
  const repo = ds.repo;
  const progress = options.onProgress ?? (() => undefined);
  const at = await ds.head();
  ds.assertCanCommit(at, "merge");
  await ds.assertClean("merge");
  const theirsId = await ds.resolve(rev);
  progress("finding base");
  const ours = at.commit;
  if (ours === undefined) {
    await advanceHead(ds, at, theirsId, `merge ${rev}: Fast-forward`);
    return { status: "fast-forward", commit: theirsId };
  }
  if (await repo.isAncestor(theirsId, ours.id)) return { status: "up-to-date", commit: ours.id };
  if (options.noFastForward !== true && (await repo.isAncestor(ours.id, theirsId))) {
    progress("updating files");
    await advanceHead(ds, at, theirsId, `merge ${rev}: Fast-forward`);
    return { status: "fast-forward", commit: theirsId };
  }
  const theirs = await repo.readCommit(theirsId);
  const bases = await repo.mergeBases(ours.id, theirsId);
  const base: Commit | undefined = bases[0] === undefined ? undefined : await repo.readCommit(bases[0]);
  const [bs, os, ts] = await Promise.all([virtualBase(ds, bases, 0), ds.stateOf(ours), ds.stateOf(theirs)]);
  if (os !== undefined && ts !== undefined && os.manifest !== ts.manifest) {
    throw new KvStoreError(
      "KV_MERGE_CONFLICT",
      `the two sides of dataset ${ds.label} have different manifests (format or chunking)`,
      {
        hint: "Both branches must use the same dataset format; re-import one side with the other's settings.",
        data: { dataset: ds.label },
      },
    );
  }
  const chunking = await ds.chunking();
  progress("merging keys");
  const merged = await mergeTrees(ds.store, await ds.root(bs), await ds.root(os), await ds.root(ts), {
    config: chunking,
    ...(options.resolve === undefined ? {} : { resolve: options.resolve }),
  });
  if (!merged.ok) return { status: "conflicts", conflicts: merged.conflicts, resolved: merged.resolved };
  progress("writing");
  const manifest = (os ?? ts)?.manifest;
  const mergedState = manifest === undefined ? undefined : { manifest, root: await rootEntry(ds.store, merged.root) };
  const rest = await mergeTreesByPath(repo.objects, base?.tree, ours.tree, theirs.tree, {
    skip: (p) => p === ds.paths.manifest || p === ds.paths.root,
  });
  if (!rest.ok) {
    throw new KvStoreError(
      "KV_MERGE_CONFLICT",
      `files outside dataset ${ds.label} changed on both sides: ${rest.conflicts.slice(0, 5).join(", ")}`,
      {
        hint: "Merge the code with `git merge` first (the dataset then merges cleanly with git-prolly), or merge only data branches.",
        data: { paths: rest.conflicts.slice(0, 100) },
      },
    );
  }
  const tree = await repo.editTree(rest.tree, datasetEdits(ds.paths, mergedState));
  const identity = options.author === undefined || options.committer === undefined ? await repo.identity() : undefined;
  const into = branchName(at.head);
  const message =
    options.message ??
    `Merge ${/^[0-9a-f]{40}$/.test(rev) ? `commit '${rev}'` : `branch '${rev}'`}${into === undefined ? "" : ` into ${into}`}`;
  const id = await repo.writeCommit({
    tree,
    parents: [ours.id, theirsId],
    author: options.author ?? identity!.author,
    committer: options.committer ?? identity!.committer,
    message,
  });
  await repo.objects.flush();
  progress("updating files");
  await advanceHead(ds, at, id, `merge ${rev}: Merge made by git-prolly`);
  return { status: "merged", commit: id, resolved: merged.resolved };
}
