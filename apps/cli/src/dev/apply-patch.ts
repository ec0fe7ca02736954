import { existsSync } from "node:fs";
import { join } from "node:path";
import type { DevContext } from "./dev-context.js";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";
import { patchesFor, PATCHES_DIR } from "./patch-sources.js";
import { rebuildDatabase } from "./rebuild-database.js";
import {
  activeRcs,
  readReleasesAt,
  readReleasesDir,
  releaseContext,
  stages,
  type ReleaseState,
} from "./release-files.js";
import { HO_PROD, requirePatchBranch } from "./repository-checks.js";

/** The outcome of {@link applyPatch}. */
export interface ApplyPatchResult {
  patch: string;
  /** The release whose RC and stage patches were applied before the patch (undefined: none prepared). */
  release: string | undefined;
  productionVersion: string;
  applied: { id: string; status: string; statements: number }[];
  typesFile: string;
  durationMs: number;
}

/** The version a patch is developed for: the one listing it, else the active RC's, else the smallest stage. */
export function targetVersion(state: ReleaseState, id: string): string | undefined {
  const listing = state.files.find((f) => f.kind !== "prod" && f.patches.includes(id));
  if (listing !== undefined) return listing.version;
  return activeRcs(state)[0]?.version ?? stages(state)[0]?.version;
}

/**
 * `patch apply` on `ho-patch/<id>`: restores the database to production state, applies the RC
 * patches of the release being prepared, then its stage patches, then this patch, and regenerates
 * the Kysely types. A failing statement rolls everything back; the error names file and line.
 */
export async function applyPatch(ctx: DevContext): Promise<ApplyPatchResult> {
  const t0 = performance.now();
  const { git, project } = ctx;
  const id = await requirePatchBranch(git);
  if (!existsSync(join(project.root, PATCHES_DIR, id))) {
    throw new DevError(DEV_ERROR_CODES.PATCH_NOT_FOUND, `Patch directory not found: ${PATCHES_DIR}/${id}/`, {
      hint: `Create it (mkdir ${PATCHES_DIR}/${id}) and add .sql files or .ts modules to it.`,
      data: { id },
    });
  }
  const state =
    (await git.revParse(`refs/heads/${HO_PROD}`)) !== undefined
      ? await readReleasesAt(git, HO_PROD)
      : readReleasesDir(project.root);
  const version = targetVersion(state, id);
  const context = version === undefined ? { rc: [], stage: [] } : releaseContext(state, version);
  const ids = [...context.rc, ...context.stage.filter((s) => s !== id), id];
  const view = await patchesFor(git, project.root, ids, (p) => (p === id ? undefined : version));
  try {
    const r = await rebuildDatabase({
      project,
      connection: ctx.connection,
      patchesDir: view.dir,
      ids,
      report: ctx.report,
    });
    return {
      patch: id,
      release: version,
      productionVersion: r.restored.version,
      applied: r.applied.map((p) => ({ id: p.id, status: p.status, statements: p.statements })),
      typesFile: r.typesFile,
      durationMs: performance.now() - t0,
    };
  } finally {
    view.dispose();
  }
}
