import { HO_PROD } from "./branch-names.js";
import type { GitPort } from "./git-port.js";

/** Options of {@link notifyPatchBranches}. */
export interface NotifyOptions {
  /** The remote (default `origin`). */
  remote?: string;
  /** The branch the patch branches must merge (default ho-prod). */
  base?: string;
}

/**
 * Tells the owners of active patch branches that ho-prod moved: on each branch of the remote
 * that does not contain ho-prod yet, an empty commit "[git-prolly] <event> (MERGE REQUIRED)" is
 * pushed with a lease on the branch's tip (as last fetched), so a developer's concurrent push is
 * never overwritten (that branch is then skipped). Returns the branches notified. Pass
 * `PromoteRcPlan.notify` as `branches`, after the promotion was pushed and fetched.
 */
export async function notifyPatchBranches(
  git: GitPort,
  branches: readonly string[],
  event: string,
  options: NotifyOptions = {},
): Promise<string[]> {
  const remote = options.remote ?? "origin";
  const base = options.base ?? HO_PROD;
  const notified: string[] = [];
  for (const name of branches) {
    const tip = await git.revParse(`refs/remotes/${remote}/${name}`);
    if (tip === undefined || (await git.isAncestor(base, tip))) continue;
    const message = `[git-prolly] ${event} (MERGE REQUIRED)\n\n${base} moved: run \`git merge ${remote}/${base}\` on ${name} before adding it to a release.\n`;
    const commit = await git.createEmptyCommitOn(tip, message);
    const r = await git.pushWithLease(remote, { ref: `refs/heads/${name}`, newValue: commit, expected: tip });
    if (r.ok) notified.push(name);
  }
  return notified;
}
