import {
  HO_PROD,
  PATCH_BRANCH_PREFIX,
  readOriginLock,
  readReleasesAt,
  readReleasesDir,
  planUpgrade,
  releaseStatus,
  type LockOwner,
} from "@git-prolly/release-engine";
import { isServer } from "./connection.js";
import type { DevContext } from "./dev-context.js";
import { databaseRelease } from "./production-releases.js";

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
  /**
   * On a production clone, the release its database is at and the production releases it can be
   * upgraded to (`git-prolly dev upgrade`); `error` when the database cannot be read. Null on a
   * development clone, whose database holds work in progress (`patch apply`).
   */
  database: { release: string; upgrades: string[] } | { error: string } | null;
}

/** Where the project stands: branch, releases, patch branches, locks held on origin. */
export async function projectStatus(ctx: DevContext): Promise<ProjectStatus> {
  const { git, project } = ctx;
  const branch = (await git.currentBranch()) ?? null;
  const status = releaseStatus(
    (await git.revParse(`refs/heads/${HO_PROD}`)) !== undefined
      ? await readReleasesAt(git, HO_PROD)
      : readReleasesDir(project.root),
  );
  const local = await git.branches(`${PATCH_BRANCH_PREFIX}*`);
  const remote = (await git.hasRemote("origin")) ? await git.remoteBranches("origin", `${PATCH_BRANCH_PREFIX}*`) : [];
  const behind = branch !== null && branch.startsWith(PATCH_BRANCH_PREFIX) && !(await git.isAncestor(HO_PROD, "HEAD"));
  const holder = (await readOriginLock(git))?.holder;
  return {
    project: project.config.project,
    root: project.root,
    branch,
    production: project.local.production === true,
    backend: isServer(ctx.connection) ? "server" : "pglite",
    productionVersion: status.production,
    stages: status.stages,
    activeRc:
      status.activeRc === undefined ? null : { release: status.activeRc.name, patches: status.activeRc.patches },
    patchBranches: [...new Set([...local, ...remote])].sort(),
    behindHoProd: behind,
    locks: holder === undefined ? [] : [{ ...holder, branch: HO_PROD }],
    clean: await git.isClean(),
    database: project.local.production === true ? await productionDatabase(ctx) : null,
  };
}

async function productionDatabase(
  ctx: DevContext,
): Promise<{ release: string; upgrades: string[] } | { error: string }> {
  try {
    const release = await databaseRelease(ctx);
    const upgrades = planUpgrade(readReleasesDir(ctx.project.root), release).releases.map((r) => r.version);
    return { release, upgrades };
  } catch (e) {
    return { error: e instanceof Error ? e.message : String(e) };
  }
}
