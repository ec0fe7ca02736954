import {
  applySteps,
  assertPatchId,
  HO_PROD,
  PATCH_BRANCH_PREFIX,
  planPatchNew,
  readReleasesDir,
  releasePatchIdReservation,
  requireClean,
  requireHoProd,
  reservePatchId,
  syncWithOrigin,
} from "@git-prolly/release-engine";
import type { DevContext } from "./dev-context.js";

/** The outcome of {@link newPatch}. */
export interface NewPatchResult {
  id: string;
  branch: string;
  directory: string;
  /** The ref reserving the patch number on origin (or locally without origin). */
  reservation: string;
  pushed: boolean;
}

/**
 * `patch new <id>` on ho-prod (clean, synced with origin): release-engine's {@link planPatchNew}
 * (refuses an id a release lists or whose branch exists), then the patch *number* is reserved on
 * origin ({@link reservePatchId} `byNumber`, as half_orm_dev's `ho-patch/<n>` tag: `3-a` and `3-b`
 * cannot both exist) before branch `ho-patch/<id>` with `Patches/<id>/README.md` is created,
 * pushed and checked out. ho-prod itself does not change. A failure gives the reservation back.
 */
export async function newPatch(ctx: DevContext, id: string, description?: string): Promise<NewPatchResult> {
  const { git, project } = ctx;
  assertPatchId(id);
  await requireHoProd(git);
  await requireClean(git);
  const origin = (await syncWithOrigin(git)) !== "no-remote";
  const existing = [
    ...(await git.branches(`${PATCH_BRANCH_PREFIX}*`)),
    ...(origin ? await git.remoteBranches("origin", `${PATCH_BRANCH_PREFIX}*`) : []),
  ];
  const plan = planPatchNew(readReleasesDir(project.root), id, {
    existingBranches: existing,
    push: origin,
    ...(description === undefined ? {} : { description }),
  });
  const reservation = await reservePatchId(git, id, { byNumber: true });
  try {
    await applySteps(git, plan.steps);
  } catch (e) {
    await git.tryRun(["checkout", "--quiet", "--force", HO_PROD]);
    await git.tryRun(["branch", "-D", plan.branch]);
    await releasePatchIdReservation(git, reservation).catch(() => undefined);
    throw e;
  }
  if (origin) await git.run(["branch", "--quiet", "--set-upstream-to", `origin/${plan.branch}`, plan.branch]);
  ctx.report(`reserved ${reservation.ref}; created ${plan.branch} with ${plan.directory}/`);
  return { id, branch: plan.branch, directory: plan.directory, reservation: reservation.ref, pushed: origin };
}
