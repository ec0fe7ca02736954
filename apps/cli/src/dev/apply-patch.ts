import { existsSync } from "node:fs";
import { join } from "node:path";
import {
  applyContext,
  HO_PROD,
  PATCHES_DIR,
  readReleasesAt,
  readReleasesDir,
  requirePatchBranch,
} from "@git-prolly/release-engine";
import type { DevContext } from "./dev-context.js";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";
import { patchesFor } from "./patch-sources.js";
import { rebuildDatabase } from "./rebuild-database.js";

/** The outcome of {@link applyPatch}. */
export interface ApplyPatchResult {
  patch: string;
  /** The release the patch is developed for: the last of the unreleased versions replayed before it (undefined: none prepared). */
  release: string | undefined;
  productionVersion: string;
  applied: { id: string; status: string; statements: number }[];
  typesFile: string;
  durationMs: number;
}

/**
 * `patch apply` on `ho-patch/<id>`: restores the database to production state, replays
 * release-engine's {@link applyContext} (for every unreleased version up to the patch's target:
 * its RC patches, then its stage patches; patches missing from the working tree are read from
 * their archive branch), then this patch, and regenerates the Kysely types. A failing statement
 * rolls everything back; the error names file and line.
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
  const set =
    (await git.revParse(`refs/heads/${HO_PROD}`)) !== undefined
      ? await readReleasesAt(git, HO_PROD)
      : readReleasesDir(project.root);
  const context = applyContext(set, id);
  const versionOf = new Map<string, string>();
  for (const r of context.releases) for (const p of r.patches) if (p.id !== id) versionOf.set(p.id, r.version);
  const ids = [...context.releases.flatMap((r) => r.patches.map((p) => p.id)).filter((p) => p !== id), id];
  const version = context.releases.at(-1)?.version;
  const view = await patchesFor(git, project.root, ids, (p) => versionOf.get(p));
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
