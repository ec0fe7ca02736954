import { HO_PROD, patchIdOfBranch } from "./branch-names.js";
import type { GitPort } from "./git-port.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";

/** Throws "Must be on ho-prod branch" (`RELEASE_NOT_ON_HO_PROD`) unless the current branch is ho-prod. */
export async function requireHoProd(git: GitPort): Promise<void> {
  const branch = await git.currentBranch();
  if (branch !== HO_PROD) {
    throw new ReleaseError(
      RELEASE_ERROR_CODES.NOT_ON_HO_PROD,
      `Must be on ho-prod branch (current branch: ${branch ?? "detached HEAD"})`,
      {
        hint: "Switch to it: git checkout ho-prod",
        data: { branch: branch ?? null },
      },
    );
  }
}

/** Returns the patch id of the current `ho-patch/<id>` branch; otherwise throws "Must be on ho-patch/* branch" (`RELEASE_NOT_ON_PATCH_BRANCH`). */
export async function requirePatchBranch(git: GitPort): Promise<string> {
  const branch = await git.currentBranch();
  const id = branch === undefined ? undefined : patchIdOfBranch(branch);
  if (id === undefined) {
    throw new ReleaseError(
      RELEASE_ERROR_CODES.NOT_ON_PATCH_BRANCH,
      `Must be on ho-patch/* branch (current branch: ${branch ?? "detached HEAD"})`,
      {
        hint: "Create or switch to a patch branch: git-prolly dev patch new <patch_id>, or git checkout ho-patch/<patch_id>",
        data: { branch: branch ?? null },
      },
    );
  }
  return id;
}

/** Throws "Repository is not clean" (`RELEASE_NOT_CLEAN`) when the working tree or index has changes. */
export async function requireClean(git: GitPort): Promise<void> {
  if (!(await git.isClean())) {
    throw new ReleaseError(RELEASE_ERROR_CODES.NOT_CLEAN, "Repository is not clean", {
      hint: 'Commit or stash your changes: git status, then git add . && git commit -m "…" (or git stash)',
      data: {},
    });
  }
}

/** How a local branch relates to its remote counterpart after {@link syncWithOrigin}. */
export type SyncOutcome = "up-to-date" | "pulled" | "no-remote" | "remote-missing";

/**
 * Fetches the remote and brings the local branch `branch` (default ho-prod) up to date: a branch behind is
 * fast-forwarded (commands handle pull themselves); ahead or diverged is "Repository not synced
 * with origin" (`RELEASE_NOT_SYNCED`). Without the remote configured it does nothing.
 */
export async function syncWithOrigin(git: GitPort, branch: string = HO_PROD, remote = "origin"): Promise<SyncOutcome> {
  if (!(await git.hasRemote(remote))) return "no-remote";
  await git.fetch(remote);
  const theirs = await git.revParse(`refs/remotes/${remote}/${branch}`);
  if (theirs === undefined) return "remote-missing";
  const ours = await git.revParse(`refs/heads/${branch}`);
  if (ours === theirs) return "up-to-date";
  const base = ours === undefined ? undefined : await git.mergeBase(ours, theirs);
  if (base === ours) {
    if ((await git.currentBranch()) === branch) await git.pullFastForward(remote, branch);
    else await git.fetch(remote, [`refs/heads/${branch}:refs/heads/${branch}`]); // fast-forward only, never into another branch
    return "pulled";
  }
  const state = base === theirs ? "ahead of" : "diverged from";
  throw new ReleaseError(
    RELEASE_ERROR_CODES.NOT_SYNCED,
    `Repository not synced with origin: ${branch} has ${state} ${remote}/${branch}`,
    {
      hint:
        base === theirs
          ? `Push or drop your local commits: git push ${remote} ${branch} (or git reset --keep ${remote}/${branch})`
          : `git pull ${remote} ${branch}, resolve the conflicts, then run the command again`,
      data: { branch, local: ours ?? null, remote: theirs, state: base === theirs ? "ahead" : "diverged" },
    },
  );
}
