import { join } from "node:path";
import { currentRelease, openDatabase, planPatches, renderPlanSql, type PatchPlan } from "@git-prolly/db-patches";
import {
  PATCHES_DIR,
  planUpgrade,
  readReleasesDir,
  requireClean,
  requireHoProd,
  syncWithOrigin,
  type UpgradeRelease,
} from "@git-prolly/release-engine";
import type { DevContext } from "./dev-context.js";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";

/** Where a production database stands and what it can be upgraded to. */
export interface ProductionPlan {
  current: string;
  pulled: boolean;
  path: UpgradeRelease[];
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
 * Pulls ho-prod from origin and computes the upgrade path with release-engine's
 * {@link planUpgrade}: every production release newer than the database's, up to `to`
 * (`RELEASE_UNKNOWN_RELEASE` otherwise), each with its cumulative manifest (RC patches included).
 */
export async function planProduction(ctx: DevContext, to?: string): Promise<ProductionPlan> {
  const { git, project } = ctx;
  await requireHoProd(git);
  await requireClean(git);
  const pulled = (await syncWithOrigin(git)) === "pulled";
  const plan = planUpgrade(readReleasesDir(project.root), await databaseRelease(ctx), to);
  return { current: plan.from, pulled, path: plan.releases, target: plan.to };
}

/** The plan of each step (reads `Patches/`). */
export function stepPlans(ctx: DevContext, path: readonly UpgradeRelease[]): { version: string; plan: PatchPlan }[] {
  const dir = join(ctx.project.root, PATCHES_DIR);
  return path.map((s) => ({ version: s.version, plan: planPatches(dir, s.patches) }));
}

/** The SQL an upgrade would run, release by release (what `--dry-run` prints). */
export function renderUpgradeSql(plans: readonly { version: string; plan: PatchPlan }[]): string {
  return plans.map((p) => `-- release ${p.version}\n${renderPlanSql(p.plan)}`).join("\n");
}
