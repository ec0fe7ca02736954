import {
  PATCH_BRANCH_PREFIX,
  readReleasesDir,
  requireClean,
  requireHoProd,
  syncWithOrigin,
  withOriginLock,
  type ReleaseSet,
  type SyncOutcome,
} from "@git-prolly/release-engine";
import type { DevContext } from "./dev-context.js";

/** What a command changing ho-prod knows once it holds the lock and ho-prod is level with origin. */
export interface HoProdState {
  /** The release files of ho-prod (the working tree, after the sync). */
  releases: ReleaseSet;
  /** Whether `origin` is configured (plans push only then). */
  origin: boolean;
  /** How the sync went (`pulled`: ho-prod was fast-forwarded). */
  sync: SyncOutcome;
  /** Every local branch. */
  localBranches: string[];
  /** Every branch of origin, as just fetched (empty without origin). */
  remoteBranches: string[];
  /** `ho-patch/*` branches, local or on origin. */
  patchBranches: string[];
  /** ho-prod's commit before the command changed anything (what a failure resets to). */
  start: string;
}

/**
 * The frame of every command that changes ho-prod: on ho-prod, clean, then under release-engine's
 * atomic lock on origin (`refs/git-prolly/lock/ho-prod`, released on every exit path) with ho-prod
 * synced with origin (pulled when behind; ahead or diverged is "Repository not synced with origin").
 */
export async function withHoProd<T>(
  ctx: DevContext,
  command: string,
  fn: (state: HoProdState) => Promise<T>,
): Promise<T> {
  const { git, project } = ctx;
  await requireHoProd(git);
  await requireClean(git);
  return withOriginLock(git, { command }, async () => {
    const sync = await syncWithOrigin(git);
    if (sync === "pulled") ctx.report("pulled ho-prod from origin (fast-forward)");
    const origin = sync !== "no-remote";
    const localBranches = await git.branches("*");
    const remoteBranches = origin ? await git.remoteBranches("origin", "*") : [];
    const patchBranches = [...new Set([...localBranches, ...remoteBranches])]
      .filter((b) => b.startsWith(PATCH_BRANCH_PREFIX))
      .sort();
    const start = (await git.revParse("HEAD")) ?? "HEAD";
    return fn({
      releases: readReleasesDir(project.root),
      origin,
      sync,
      localBranches,
      remoteBranches,
      patchBranches,
      start,
    });
  });
}
