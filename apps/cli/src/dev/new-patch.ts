import { existsSync, mkdirSync, writeFileSync } from "node:fs";
import { join } from "node:path";
import { assertPatchId } from "@git-prolly/db-patches";
import type { DevContext } from "./dev-context.js";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";
import { withOriginLock } from "./origin-lock.js";
import { PATCHES_DIR } from "./patch-sources.js";
import { reservePatchNumber } from "./reserve-patch-id.js";
import {
  HO_PROD,
  PATCH_BRANCH_PREFIX,
  pushAtomic,
  requireClean,
  requireHoProd,
  syncWithOrigin,
} from "./repository-checks.js";

/** The outcome of {@link newPatch}. */
export interface NewPatchResult {
  id: string;
  branch: string;
  directory: string;
  pushed: boolean;
}

/**
 * Creates a patch: reserves its number on origin (a ref created with a lease, before anything is
 * pushed), commits `Patches/<id>/README.md` on ho-prod, creates `ho-patch/<id>` and checks it out.
 */
export async function newPatch(ctx: DevContext, id: string, description?: string): Promise<NewPatchResult> {
  const { git, project } = ctx;
  assertPatchId(id);
  await requireHoProd(git);
  await requireClean(git);
  const branch = `${PATCH_BRANCH_PREFIX}${id}`;
  const dir = join(project.root, PATCHES_DIR, id);
  return withOriginLock(git, HO_PROD, `patch new ${id}`, async () => {
    await syncWithOrigin(git);
    if (
      existsSync(dir) ||
      (await git.revParse(`refs/heads/${branch}`)) !== undefined ||
      (await git.revParse(`refs/remotes/origin/${branch}`)) !== undefined
    ) {
      throw new DevError(DEV_ERROR_CODES.PATCH_EXISTS, `patch ${id} already exists`, {
        hint: `Switch to it (git checkout ${branch}) or choose another id.`,
        data: { id },
      });
    }
    await reservePatchNumber(git, id);
    const before = (await git.run(["rev-parse", "HEAD"])).trim();
    try {
      mkdirSync(dir, { recursive: true });
      writeFileSync(join(dir, "README.md"), `# ${id}\n\n${description ?? ""}\n`.replace(/\n\n\n$/, "\n"));
      await git.run(["add", "--", `${PATCHES_DIR}/${id}`]);
      await git.run([
        "commit",
        "--quiet",
        "-m",
        `Add ${PATCHES_DIR}/${id} directory${description === undefined ? "" : ` - ${description}`}`,
      ]);
      await git.run(["branch", branch]);
      await pushAtomic(git, [HO_PROD, branch]);
    } catch (e) {
      await git.tryRun(["reset", "--quiet", "--hard", before]);
      await git.tryRun(["branch", "-D", branch]);
      throw e;
    }
    if (await git.hasOrigin()) await git.run(["branch", "--quiet", "--set-upstream-to", `origin/${branch}`, branch]);
    await git.run(["checkout", "--quiet", branch]);
    ctx.report(`created ${branch} with ${PATCHES_DIR}/${id}/`);
    return { id, branch, directory: `${PATCHES_DIR}/${id}`, pushed: await git.hasOrigin() };
  });
}
