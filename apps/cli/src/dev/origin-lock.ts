import { GitCli, readOriginLock, withOriginLock as engineLock, type LockOwner } from "@git-prolly/release-engine";
import type { Git } from "./git.js";
import { type HO_PROD } from "./repository-checks.js";

export type { LockOwner };

/**
 * Runs `fn` holding release-engine's atomic lock on ho-prod: a fixed ref on origin
 * (`refs/git-prolly/lock/ho-prod`) created with a "must not exist" lease, so of two racing
 * clients exactly one holds it; owner, command and expiry in its commit; renewed while `fn` runs;
 * released on every exit path (signals included); a stale lock is taken over with a lease.
 *
 * @throws release-engine's `RELEASE_LOCKED` naming the holder.
 */
export async function withOriginLock<T>(
  git: Git,
  _branch: typeof HO_PROD,
  command: string,
  fn: () => Promise<T>,
): Promise<T> {
  return engineLock(new GitCli(git.cwd), { command }, () => fn());
}

/** The holder of the ho-prod lock on origin, if any. */
export async function lockHolder(
  git: Git,
  _branch: typeof HO_PROD,
): Promise<(LockOwner & { sha: string; stale: boolean }) | undefined> {
  const state = await readOriginLock(new GitCli(git.cwd));
  if (state === undefined || state.holder === undefined) return undefined;
  return { ...state.holder, sha: state.id, stale: state.stale };
}
