/**
 * Branches and checkout. In a dataset at the repository root, or in a bare or in-memory
 * repository, a checkout moves `HEAD` for the whole repository, as `git checkout` does (a
 * dataset in a working tree's sub-directory checks out alone: dataset-follow.ts); in a working
 * tree it runs `git checkout` itself, so only the files that differ are written (unchanged node files are untouched) and
 * Git refuses to overwrite local changes outside the dataset. The dataset's own uncommitted
 * changes make it refuse first, unless forced.
 */
import { type ObjectId, branchNameProblem, isGitStoreError } from "@git-prolly/git-object-store";
import { type Dataset, branchName, headCommitId } from "./dataset.js";
import { assertSwitchable, describeFollowing, directoryId, switchDatasetFiles } from "./dataset-follow.js";
import { type FollowRecord, headFields } from "./follow-record.js";
import { KvStoreError } from "./errors.js";
import type { BranchInfo, CheckoutOptions, CheckoutResult } from "./types.js";
import type { Commit } from "@git-prolly/git-object-store";

/** @throws {KvStoreError} KV_INVALID_REF_NAME */
export function checkBranchName(name: string): void {
  const problem = branchNameProblem(name);
  if (problem !== undefined) {
    throw new KvStoreError("KV_INVALID_REF_NAME", `${JSON.stringify(name)} is not a valid branch name: ${problem}`, {
      hint: "Use letters, digits, '-', '_', '.' and '/' (Git's check-ref-format rules).",
      data: { name, problem },
    });
  }
}

/** Creates branch `name` at `from` (default: the commit the dataset is at). */
export async function createBranch(ds: Dataset, name: string, from?: string): Promise<ObjectId> {
  checkBranchName(name);
  const target = from === undefined ? headCommitId((await ds.head()).head) : await ds.resolve(from);
  try {
    await ds.repo.refs.update(`refs/heads/${name}`, target, {
      expected: null,
      message: `branch: Created from ${from ?? "HEAD"}`,
    });
  } catch (e) {
    if (isGitStoreError(e, "GIT_REF_MOVED")) {
      throw new KvStoreError("KV_BRANCH_EXISTS", `branch ${name} already exists`, {
        hint: `Pick another name, or check it out with \`git-prolly checkout ${name}\`.`,
        data: { branch: name },
        cause: e,
      });
    }
    throw e;
  }
  return target;
}

/** Every local branch, sorted, with the current one (the dataset's) marked. */
export async function listBranches(ds: Dataset): Promise<BranchInfo[]> {
  const current = branchName((await ds.head()).head);
  return (await ds.repo.refs.list("refs/heads/")).map((r) => {
    const name = r.name.slice("refs/heads/".length);
    return { name, commit: r.id, current: name === current };
  });
}

/** Deletes a branch (refusing the current one, and unmerged ones unless `force`). */
export async function deleteBranch(ds: Dataset, name: string, force: boolean): Promise<void> {
  checkBranchName(name);
  const at = await ds.head();
  const head = at.head;
  if (branchName(head) === name || branchName(at.repository) === name) {
    const why = branchName(at.repository) === name ? "it is checked out" : `dataset ${ds.label} follows it`;
    throw new KvStoreError("KV_CURRENT_BRANCH", `cannot delete branch ${name}: ${why}`, {
      hint: "Check out another branch first.",
      data: { branch: name },
    });
  }
  const tip = await ds.repo.refs.resolve(`refs/heads/${name}`);
  if (tip === undefined) throw branchNotFound(name);
  if (!force && head.id !== undefined && !(await ds.repo.isAncestor(tip, head.id))) {
    throw new KvStoreError("KV_BRANCH_NOT_MERGED", `branch ${name} is not merged into HEAD`, {
      hint: "Merge it first, or pass force to delete it anyway.",
      data: { branch: name },
    });
  }
  await ds.repo.refs.delete(`refs/heads/${name}`, { expected: tip });
}

function branchNotFound(name: string): KvStoreError {
  return new KvStoreError("KV_BRANCH_NOT_FOUND", `branch ${name} does not exist`, {
    hint: "List branches with `git-prolly branch`.",
    data: { branch: name },
  });
}

/**
 * Checks out a branch (HEAD follows it) or any other revision (detached HEAD); in a dataset of a
 * working tree's sub-directory, for the dataset alone (see dataset-follow.ts).
 */
export async function checkoutRevision(
  ds: Dataset,
  ref: string,
  options: CheckoutOptions = {},
): Promise<CheckoutResult> {
  if (ds.followsPerDataset) return checkoutDataset(ds, ref, options);
  const repo = ds.repo;
  if (options.create === true) await createBranch(ds, ref);
  const isBranch = branchNameProblem(ref) === undefined && (await repo.refs.resolve(`refs/heads/${ref}`)) !== undefined;
  const target = isBranch ? (await repo.refs.resolve(`refs/heads/${ref}`))! : await repo.resolveRevision(ref);
  const at = await ds.head();
  const { staged, unstaged } = await ds.uncommitted();
  if (staged || unstaged.length > 0) {
    if (options.force !== true) await ds.assertClean(`check out ${ref}`);
    await ds.staging.reset(at.state);
  }
  const wt = repo.worktree;
  if (wt !== undefined) {
    try {
      await wt.git(["checkout", "-q", ...(isBranch ? [ref, "--"] : ["--detach", target, "--"])]);
    } catch (cause) {
      throw new KvStoreError(
        "KV_UNCOMMITTED_CHANGES",
        `cannot check out ${ref}: Git refused (local changes outside the dataset would be overwritten?)`,
        {
          hint: "Commit or stash the changes Git lists in data.stderr, then retry.",
          data: { ref, stderr: isGitStoreError(cause) ? (cause.data.stderr ?? null) : null },
          cause,
        },
      );
    }
  } else {
    const message = `checkout: moving from ${branchName(at.head) ?? at.head.id ?? "HEAD"} to ${ref}`;
    if (isBranch) await repo.refs.setSymbolic("HEAD", `refs/heads/${ref}`, { message });
    else await repo.refs.update("HEAD", target, { message });
  }
  await ds.staging.headMoved(await ds.stateOf(await repo.readCommit(target)));
  return {
    branch: isBranch ? ref : undefined,
    commit: target,
    scope: "repository",
    following: await describeFollowing(ds),
  };
}

/** What a per-dataset checkout goes to: a ref to follow, or back to HEAD (`record` undefined). */
interface DatasetTarget {
  readonly record: Omit<FollowRecord, "pending"> | undefined;
  readonly branch: string | undefined;
  readonly commit: Commit;
}

async function datasetTarget(ds: Dataset, ref: string, options: CheckoutOptions): Promise<DatasetTarget> {
  const repo = ds.repo;
  const at = await ds.head();
  const fields = headFields(at.repository);
  const back = async (): Promise<DatasetTarget> => ({
    record: undefined,
    branch: branchName(at.repository),
    commit: await repo.readCommit(headCommitId(at.repository)),
  });
  if (options.create === true) {
    const id = await createBranch(ds, ref);
    return {
      record: { version: 1, kind: "branch", ref: `refs/heads/${ref}`, commit: id, ...fields },
      branch: ref,
      commit: await repo.readCommit(id),
    };
  }
  if (ref === "HEAD" || ref === "@") return back();
  if (branchNameProblem(ref) === undefined) {
    const full = `refs/heads/${ref}`;
    const tip = await repo.refs.resolve(full);
    if (tip !== undefined) {
      if (at.repository.kind === "branch" && at.repository.ref === full) return back();
      return {
        record: { version: 1, kind: "branch", ref: full, commit: tip, ...fields },
        branch: ref,
        commit: await repo.readCommit(tip),
      };
    }
    if ((await repo.refs.resolve(`refs/tags/${ref}`)) !== undefined) {
      const id = await repo.resolveRevision(`refs/tags/${ref}`);
      return {
        record: { version: 1, kind: "tag", ref: `refs/tags/${ref}`, commit: id, ...fields },
        branch: undefined,
        commit: await repo.readCommit(id),
      };
    }
  }
  const id = await ds.resolve(ref);
  return {
    record: { version: 1, kind: "commit", ref: id, commit: id, ...fields },
    branch: undefined,
    commit: await repo.readCommit(id),
  };
}

/**
 * Checks out `ref` for a dataset in a working tree's sub-directory alone: its index entries and
 * files become the target's, HEAD and everything else stay, and the follow record says what it
 * follows now (none: HEAD's own branch). The record is written first marked pending, so an
 * interrupted switch leaves a void record, never a wrong one.
 */
export async function checkoutDataset(
  ds: Dataset,
  ref: string,
  options: CheckoutOptions = {},
): Promise<CheckoutResult> {
  const at = await ds.head();
  const target = await datasetTarget(ds, ref, options);
  const state = await ds.stateOf(target.commit);
  if (state === undefined && target.record !== undefined) throw ds.notADataset(`not in ${ref}`);
  if (state !== undefined) await ds.manifest(state); // refuses unknown formats before anything changes
  // `checkout -b` keeps staged changes (the new branch is where the dataset is); anything else
  // refuses to replace them unless forced.
  const switching =
    options.force === true ||
    (await directoryId(ds, at.commit)) !== (await directoryId(ds, target.commit)) ||
    at.commit === undefined;
  if (options.force !== true && options.create !== true) await assertSwitchable(ds, at, `check out ${ref}`);
  if (target.record !== undefined) await ds.writeFollow({ ...target.record, pending: switching });
  if (switching) await switchDatasetFiles(ds, target.commit);
  await ds.writeFollow(target.record === undefined ? undefined : { ...target.record, pending: false });
  return { branch: target.branch, commit: target.commit.id, scope: "dataset", following: await describeFollowing(ds) };
}
