/**
 * Branches and checkout. A checkout moves `HEAD` for the whole repository, as `git checkout`
 * does (in a monorepo the code moves with the data); in a working tree it runs `git checkout`
 * itself, so only the files that differ are written (unchanged node files are untouched) and
 * Git refuses to overwrite local changes outside the dataset. The dataset's own uncommitted
 * changes make it refuse first, unless forced.
 */
import { type ObjectId, branchNameProblem, isGitStoreError } from "@git-prolly/git-object-store";
import { type Dataset, branchName, headCommitId } from "./dataset.js";
import { describeFollowing } from "./dataset-follow.js";
import { KvStoreError } from "./errors.js";
import type { BranchInfo, CheckoutOptions, CheckoutResult } from "./types.js";

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

/** Creates branch `name` at `from` (default HEAD). */
export async function createBranch(ds: Dataset, name: string, from?: string): Promise<ObjectId> {
  checkBranchName(name);
  const target = from === undefined ? headCommitId(await ds.repo.readHead()) : await ds.repo.resolveRevision(from);
  try {
    await ds.repo.refs.update(`refs/heads/${name}`, target, { expected: null, message: `branch: Created from ${from ?? "HEAD"}` });
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

/** Every local branch, sorted, with the current one marked. */
export async function listBranches(ds: Dataset): Promise<BranchInfo[]> {
  const current = branchName(await ds.repo.readHead());
  return (await ds.repo.refs.list("refs/heads/")).map((r) => {
    const name = r.name.slice("refs/heads/".length);
    return { name, commit: r.id, current: name === current };
  });
}

/** Deletes a branch (refusing the current one, and unmerged ones unless `force`). */
export async function deleteBranch(ds: Dataset, name: string, force: boolean): Promise<void> {
  checkBranchName(name);
  const head = await ds.repo.readHead();
  if (branchName(head) === name) {
    throw new KvStoreError("KV_CURRENT_BRANCH", `cannot delete branch ${name}: it is checked out`, { hint: "Check out another branch first.", data: { branch: name } });
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
  return new KvStoreError("KV_BRANCH_NOT_FOUND", `branch ${name} does not exist`, { hint: "List branches with `git-prolly branch`.", data: { branch: name } });
}

/** Checks out a branch (HEAD follows it) or any other revision (detached HEAD). */
export async function checkoutRevision(ds: Dataset, ref: string, options: CheckoutOptions = {}): Promise<CheckoutResult> {
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
      throw new KvStoreError("KV_UNCOMMITTED_CHANGES", `cannot check out ${ref}: Git refused (local changes outside the dataset would be overwritten?)`, {
        hint: "Commit or stash the changes Git lists in data.stderr, then retry.",
        data: { ref, stderr: isGitStoreError(cause) ? cause.data.stderr ?? null : null },
        cause,
      });
    }
  } else {
    const message = `checkout: moving from ${branchName(at.head) ?? at.head.id ?? "HEAD"} to ${ref}`;
    if (isBranch) await repo.refs.setSymbolic("HEAD", `refs/heads/${ref}`, { message });
    else await repo.refs.update("HEAD", target, { message });
  }
  await ds.staging.headMoved(await ds.stateOf(await repo.readCommit(target)));
  return { branch: isBranch ? ref : undefined, commit: target, scope: "repository", following: await describeFollowing(ds) };
}
