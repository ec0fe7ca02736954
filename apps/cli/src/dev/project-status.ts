import type { DevContext } from "./dev-context.js";
import { isServer } from "./connection.js";
import { lockHolder, type LockOwner } from "./origin-lock.js";
import { activeRcs, productionVersion, readReleasesAt, readReleasesDir, stages } from "./release-files.js";
import { HO_PROD, PATCH_BRANCH_PREFIX } from "./repository-checks.js";

/** What `dev status` shows. */
export interface ProjectStatus {
  project: string;
  root: string;
  branch: string | null;
  production: boolean;
  backend: "server" | "pglite";
  productionVersion: string;
  stages: { version: string; patches: string[] }[];
  activeRc: { release: string; patches: string[] } | null;
  patchBranches: string[];
  /** On a patch branch: whether ho-prod has commits the branch lacks (merge ho-prod). */
  behindHoProd: boolean;
  locks: (LockOwner & { branch: string })[];
  clean: boolean;
}

/** Where the project stands: branch, releases, patch branches, locks held on origin. */
export async function projectStatus(ctx: DevContext): Promise<ProjectStatus> {
  const { git, project } = ctx;
  const branch = (await git.currentBranch()) ?? null;
  const state =
    (await git.revParse(`refs/heads/${HO_PROD}`)) !== undefined
      ? await readReleasesAt(git, HO_PROD)
      : readReleasesDir(project.root);
  const rc = activeRcs(state).at(-1);
  const local = await git.branches(`${PATCH_BRANCH_PREFIX}*`);
  const remote = (await git.hasOrigin()) ? await git.remoteBranches(`${PATCH_BRANCH_PREFIX}*`) : [];
  let behind = false;
  if (branch !== null && branch.startsWith(PATCH_BRANCH_PREFIX)) {
    behind = (await git.tryRun(["merge-base", "--is-ancestor", HO_PROD, "HEAD"])).code !== 0;
  }
  const holder = await lockHolder(git, HO_PROD);
  return {
    project: project.config.project,
    root: project.root,
    branch,
    production: project.local.production === true,
    backend: isServer(ctx.connection) ? "server" : "pglite",
    productionVersion: productionVersion(state),
    stages: stages(state).map((s) => ({ version: s.version, patches: s.patches })),
    activeRc: rc === undefined ? null : { release: `${rc.version}-rc${rc.rc}`, patches: rc.patches },
    patchBranches: [...new Set([...local, ...remote])].sort(),
    behindHoProd: behind,
    locks: holder === undefined ? [] : [{ ...holder, branch: HO_PROD }],
    clean: await git.isClean(),
  };
}
