import type { Git } from "./git.js";
import { HO_PROD, PATCH_BRANCH_PREFIX } from "./repository-checks.js";

/**
 * Tells every active patch branch on origin that ho-prod moved: an empty commit on top of the
 * branch ("MERGE REQUIRED"), pushed with a lease so a developer's concurrent push is never lost.
 * Branches that already contain ho-prod, and patches already in a release, are left alone. Returns the notified branches.
 */
export async function notifyPatchBranches(
  git: Git,
  event: string,
  skipIds: ReadonlySet<string> = new Set(),
): Promise<string[]> {
  if (!(await git.hasOrigin())) return [];
  const notified: string[] = [];
  for (const name of await git.remoteBranches(`${PATCH_BRANCH_PREFIX}*`)) {
    if (skipIds.has(name.slice(PATCH_BRANCH_PREFIX.length))) continue; // already in a release: archived, deleted at its RC
    const tip = await git.revParse(`refs/remotes/origin/${name}`);
    if (tip === undefined) continue;
    const contains = await git.tryRun(["merge-base", "--is-ancestor", HO_PROD, tip]);
    if (contains.code === 0) continue;
    const tree = (await git.run(["rev-parse", `${tip}^{tree}`])).trim();
    const message = `[git-prolly] ${event} (MERGE REQUIRED)\n\nho-prod moved: run \`git merge ho-prod\` on ${name} before adding it to a release.`;
    const commit = (await git.run(["commit-tree", tree, "-p", tip, "-m", message])).trim();
    const r = await git.tryRun([
      "push",
      "--quiet",
      `--force-with-lease=refs/heads/${name}:${tip}`,
      "origin",
      `${commit}:refs/heads/${name}`,
    ]);
    if (r.code === 0) {
      notified.push(name);
      const local = await git.revParse(`refs/heads/${name}`);
      if (local === tip && (await git.currentBranch()) !== name)
        await git.tryRun(["update-ref", `refs/heads/${name}`, commit, tip]);
    }
  }
  return notified;
}
