import { DEV_ERROR_CODES, DevError } from "./dev-error.js";
import type { Git } from "./git.js";

/** The production branch. */
export const HO_PROD = "ho-prod";
/** Prefix of patch branches. */
export const PATCH_BRANCH_PREFIX = "ho-patch/";

/** Fails unless HEAD is on `ho-prod`. */
export async function requireHoProd(git: Git): Promise<void> {
  const branch = await git.currentBranch();
  if (branch !== HO_PROD) {
    throw new DevError(
      DEV_ERROR_CODES.NOT_ON_HO_PROD,
      `Must be on ho-prod branch (current branch: ${branch ?? "detached HEAD"})`,
      {
        hint: "Switch to it: git checkout ho-prod",
        data: { branch: branch ?? null },
      },
    );
  }
}

/** Fails unless HEAD is on `ho-patch/<id>`; returns the id. */
export async function requirePatchBranch(git: Git): Promise<string> {
  const branch = await git.currentBranch();
  if (branch === undefined || !branch.startsWith(PATCH_BRANCH_PREFIX)) {
    throw new DevError(
      DEV_ERROR_CODES.NOT_ON_PATCH_BRANCH,
      `Must be on ho-patch/* branch (current branch: ${branch ?? "detached HEAD"})`,
      {
        hint: "Create a patch with `git-prolly dev patch new <patch_id>` or switch to one: git checkout ho-patch/<patch_id>",
        data: { branch: branch ?? null },
      },
    );
  }
  return branch.slice(PATCH_BRANCH_PREFIX.length);
}

/** Fails when the working tree has changes (untracked files included). */
export async function requireClean(git: Git): Promise<void> {
  const status = (await git.run(["status", "--porcelain"])).trim();
  if (status !== "") {
    const files = status.split("\n").slice(0, 10);
    throw new DevError(
      DEV_ERROR_CODES.REPO_NOT_CLEAN,
      `Repository is not clean (${files.length} changed path${files.length === 1 ? "" : "s"})`,
      {
        hint: "Commit or stash your changes: git add . && git commit -m '…', or git stash",
        data: { changes: files },
      },
    );
  }
}

/**
 * Brings `branch` level with `origin`: fetches (with tags), fast-forwards when behind, and fails
 * when it is ahead or has diverged. Without `origin` there is nothing to sync.
 */
export async function syncWithOrigin(git: Git, branch: string = HO_PROD): Promise<{ pulled: boolean }> {
  if (!(await git.hasOrigin())) return { pulled: false };
  await git.run(["fetch", "--quiet", "--prune", "--tags", "origin"]);
  const local = await git.revParse(`refs/heads/${branch}`);
  const remote = await git.revParse(`refs/remotes/origin/${branch}`);
  if (remote === undefined || local === remote) return { pulled: false };
  if (local === undefined) return { pulled: false };
  const base = (await git.tryRun(["merge-base", local, remote])).stdout.trim();
  if (base === local) {
    const current = await git.currentBranch();
    if (current === branch) await git.run(["merge", "--quiet", "--ff-only", `origin/${branch}`]);
    else await git.run(["update-ref", `refs/heads/${branch}`, remote, local]);
    return { pulled: true };
  }
  const state = base === remote ? "ahead of" : "diverged from";
  throw new DevError(
    DEV_ERROR_CODES.NOT_SYNCED,
    `Repository not synced with origin: ${branch} has ${state} origin/${branch}`,
    {
      hint:
        base === remote
          ? `Push it (git push origin ${branch}) or reset it to origin/${branch}.`
          : `Reconcile: git pull origin ${branch}`,
      data: { branch, local, remote, state: base === remote ? "ahead" : "diverged" },
    },
  );
}

/** Pushes refs to origin in one atomic push (no-op without origin). */
export async function pushAtomic(git: Git, refspecs: readonly string[]): Promise<void> {
  if (refspecs.length === 0 || !(await git.hasOrigin())) return;
  await git.run(["push", "--quiet", "--atomic", "origin", ...refspecs]);
}
