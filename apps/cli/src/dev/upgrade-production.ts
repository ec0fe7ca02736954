import { join } from "node:path";
import { isDbPatchError, runUpgrade } from "@git-prolly/db-patches";
import type { DevContext } from "./dev-context.js";
import { DEV_ERROR_CODES, DevError } from "./dev-error.js";
import { planProduction, renderUpgradeSql, stepPlans } from "./production-releases.js";
import type { UpgradeRelease } from "@git-prolly/release-engine";

/** The outcome of {@link upgradeProduction}. */
export interface UpgradeReport {
  dryRun: boolean;
  from: string;
  to: string;
  pulled: boolean;
  releases: UpgradeRelease[];
  /** The backup written before anything changed (null for a dry run or nothing to do). */
  backup: string | null;
  /** `--dry-run`: the SQL that would run. */
  sql: string | null;
}

/**
 * `upgrade [--to-release] [--dry-run]` on a production clone: pulls ho-prod, backs the database
 * up, applies each release after the current one in order and records it. Any failure restores
 * the backup automatically (`DB_UPGRADE_FAILED`, with `data.restored`). `--dry-run` prints the plan
 * and its SQL and changes nothing.
 */
export async function upgradeProduction(
  ctx: DevContext,
  options: { to?: string | undefined; dryRun?: boolean },
): Promise<UpgradeReport> {
  if (ctx.project.local.production !== true) {
    throw new DevError(DEV_ERROR_CODES.NOT_PRODUCTION, "upgrade runs on a production clone only", {
      hint: "Clone the project for production (git-prolly dev clone <url> --production); on a development clone use git-prolly dev patch apply.",
    });
  }
  const plan = await planProduction(ctx, options.to);
  const plans = stepPlans(ctx, plan.path);
  const base = { from: plan.current, to: plan.target, pulled: plan.pulled, releases: plan.path };
  if (options.dryRun === true) return { dryRun: true, ...base, backup: null, sql: renderUpgradeSql(plans) };
  if (plan.path.length === 0) return { dryRun: false, ...base, backup: null, sql: null };
  try {
    const r = await runUpgrade(ctx.connection, {
      project: ctx.project.config.project,
      backupDir: join(ctx.project.root, "backups"),
      steps: plans.map((p) => ({ version: p.version, plan: p.plan, changelog: `Release ${p.version}` })),
      onProgress: (e) => {
        if (e.type === "done") ctx.report(`${e.release}: applied ${e.patch} (${Math.round(e.durationMs)} ms)`);
      },
    });
    ctx.report(`backup ${r.backup.path}`);
    return { dryRun: false, ...base, backup: r.backup.path, sql: null };
  } catch (e) {
    if (isDbPatchError(e, "DB_UPGRADE_FAILED"))
      ctx.report(`upgrade failed; the database was restored from its backup ${String(e.data["backup"])}`);
    throw e;
  }
}
