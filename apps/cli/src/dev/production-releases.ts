import { currentRelease, openDatabase, planPatches, renderPlanSql, type PatchPlan } from "@git-prolly/db-patches";
import { join } from "node:path";
import type { DevContext } from "./dev-context.js";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";
import { PATCHES_DIR } from "./patch-sources.js";
import { productionPath, readReleasesDir, type ReleaseFile } from "./release-files.js";
import { HO_PROD, requireClean, requireHoProd, syncWithOrigin } from "./repository-checks.js";

/** One release of a production upgrade path. */
export interface PathStep {
  version: string;
  patches: string[];
}

/** Where a production database stands and what it can be upgraded to. */
export interface ProductionPlan {
  current: string;
  pulled: boolean;
  path: PathStep[];
  target: string;
}

/** The release the database records as current (`0.0.0` for metadata without releases). */
export async function databaseRelease(ctx: DevContext): Promise<string> {
  const handle = await openDatabase(ctx.connection);
  try {
    const r = await currentRelease(handle);
    if (r === undefined) {
      throw new DevError(
        DEV_ERROR_CODES.NOT_PRODUCTION,
        `Cannot read the current release from ${handle.display}: no git-prolly metadata`,
        {
          hint: "Set the database up first: git-prolly dev clone <url> --production (or dev init).",
        },
      );
    }
    return r.version;
  } finally {
    await handle.close();
  }
}

/**
 * Pulls ho-prod from origin and computes the upgrade path: every production release
 * (`releases/X.Y.Z.txt`) newer than the database's, up to `to`. Release files are cumulative, so
 * each step lists every patch of its version, the RC ones included.
 */
export async function planProduction(ctx: DevContext, to?: string): Promise<ProductionPlan> {
  const { git, project } = ctx;
  await requireHoProd(git);
  await requireClean(git);
  const { pulled } = await syncWithOrigin(git, HO_PROD);
  const state = readReleasesDir(project.root);
  const current = await databaseRelease(ctx);
  const all = productionPath(state, current);
  if (to !== undefined && !all.some((f) => f.version === to)) {
    throw new DevError(
      DEV_ERROR_CODES.UNKNOWN_RELEASE,
      `Target version ${to} not in upgrade path (current ${current}; available: ${all.map((f) => f.version).join(", ") || "none"})`,
      {
        hint: "Run git-prolly dev update to list the releases that can be applied.",
        data: { to, current, available: all.map((f) => f.version) },
      },
    );
  }
  const path = productionPath(state, current, to).map((f: ReleaseFile) => ({ version: f.version, patches: f.patches }));
  return { current, pulled, path, target: path.at(-1)?.version ?? current };
}

/** The plan of each step (reads `Patches/`). */
export function stepPlans(ctx: DevContext, path: readonly PathStep[]): { version: string; plan: PatchPlan }[] {
  const dir = join(ctx.project.root, PATCHES_DIR);
  return path.map((s) => ({ version: s.version, plan: planPatches(dir, s.patches) }));
}

/** The SQL an upgrade would run, release by release (what `--dry-run` prints). */
export function renderUpgradeSql(plans: readonly { version: string; plan: PatchPlan }[]): string {
  return plans.map((p) => `-- release ${p.version}\n${renderPlanSql(p.plan)}`).join("\n");
}
