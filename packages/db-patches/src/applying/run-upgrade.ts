import { withAdvisoryLock, withServerLock } from "./advisory-lock.js";
import { applyPlan, type ApplyEvent, type ApplyResult } from "./apply-plan.js";
import { createBackup, restorePgliteBackupLocked, restoreServerBackup, type BackupInfo } from "../backups/backup.js";
import { DB_PATCH_ERROR_CODES, DbPatchError } from "../errors.js";
import { currentRelease, lockTimeout, recordRelease, requireMetadata } from "../metadata/metadata.js";
import { openTarget, type DatabaseHandle } from "../connection/open-database.js";
import type { PatchPlan } from "../planning/plan-patches.js";
import {
  resolveConnection,
  type ConnectionOptions,
  type PgliteTarget,
  type ServerTarget,
} from "../connection/resolve-connection.js";
import { databaseScope, maintenanceTarget } from "../connection/database-admin.js";

/** One release of an upgrade path. */
export interface UpgradeStep {
  /** `X.Y.Z` or `X.Y.Z-rcN`. */
  version: string;
  /** The release's patches (the cumulative list; already applied ones are skipped). */
  plan: PatchPlan;
  changelog?: string;
  commit?: string;
}

/** Options of {@link runUpgrade}. */
export interface UpgradeOptions {
  project: string;
  /** Where the pre-upgrade backup goes (keep it out of Git: `backups/`). */
  backupDir: string;
  /** Releases to apply, in order. */
  steps: readonly UpgradeStep[];
  /** One transaction per patch (default) or per release. */
  transaction?: "patch" | "release";
  lockTimeoutMs?: number;
  maintenanceDatabase?: string;
  onProgress?: (event: ApplyEvent & { release: string }) => void;
}

/** The outcome of a successful {@link runUpgrade}. */
export interface UpgradeResult {
  from: string | undefined;
  to: string | undefined;
  backup: BackupInfo;
  releases: { version: string; patches: ApplyResult["patches"] }[];
}

/**
 * Upgrades a (production) database along a path of releases: takes the project's locks, writes and
 * verifies a backup, applies each release's plan and records the release. If any step fails, the
 * database is restored from the backup, so it is left exactly as before (schema and data), and a
 * `DB_UPGRADE_FAILED` error says what failed; its `cause` is the original error.
 *
 * @throws {@link DbPatchError} `DB_UPGRADE_FAILED` (restored), `DB_RESTORE_FAILED` (the restore
 * itself failed: the backup path is in the data), `DB_BACKUP_FAILED`, `DB_LOCK_TIMEOUT`…
 */
export async function runUpgrade(connection: ConnectionOptions, options: UpgradeOptions): Promise<UpgradeResult> {
  const target = resolveConnection(connection);
  if (target.kind === "server") {
    const maint = maintenanceTarget(target, options.maintenanceDatabase);
    // The database-scope lock keeps restores and other upgrades of this database out for the whole run,
    // including the restore after a failure.
    return withServerLock(maint, databaseScope(options.project, target, options.lockTimeoutMs), async () => {
      const handle = await openTarget(target);
      return upgrade(handle, options, async (backup) => {
        await handle.close();
        await restoreServerBackup(target as ServerTarget, backup, {
          project: options.project,
          ...(options.maintenanceDatabase === undefined ? {} : { maintenanceDatabase: options.maintenanceDatabase }),
          ...lockTimeout(options.lockTimeoutMs),
        });
      });
    });
  }
  const handle = await openTarget(target);
  return upgrade(handle, options, async (backup) => {
    const release = await handle.closeKeepingLock();
    try {
      await restorePgliteBackupLocked(target as PgliteTarget, backup);
    } finally {
      await release();
    }
  });
}

async function upgrade(
  handle: DatabaseHandle,
  options: UpgradeOptions,
  restore: (backup: BackupInfo) => Promise<void>,
): Promise<UpgradeResult> {
  let backup: BackupInfo | undefined;
  let failure: unknown;
  let failedStep: string | undefined;
  let result: UpgradeResult | undefined;
  try {
    await withAdvisoryLock(handle, { project: options.project, ...lockTimeout(options.lockTimeoutMs) }, async () => {
      await requireMetadata(handle, options.project);
      const from = (await currentRelease(handle))?.version;
      backup = await createBackup(handle, { dir: options.backupDir, label: backupLabel(handle, from) });
      const releases: UpgradeResult["releases"] = [];
      try {
        for (const step of options.steps) {
          failedStep = step.version;
          const applied = await applyPlan(handle, step.plan, {
            project: options.project,
            release: step.version,
            ...(options.transaction === undefined ? {} : { transaction: options.transaction }),
            ...lockTimeout(options.lockTimeoutMs),
            ...(options.onProgress === undefined
              ? {}
              : { onProgress: (e: ApplyEvent) => options.onProgress?.({ ...e, release: step.version }) }),
          });
          await recordRelease(handle, {
            project: options.project,
            version: step.version,
            ...(step.changelog === undefined ? {} : { changelog: step.changelog }),
            ...(step.commit === undefined ? {} : { commit: step.commit }),
            claimUnreleasedPatches: false,
          });
          releases.push({ version: step.version, patches: applied.patches });
        }
        result = {
          from,
          to: options.steps.length === 0 ? from : options.steps[options.steps.length - 1]!.version,
          backup: backup!,
          releases,
        };
      } catch (e) {
        failure = e;
      }
    });
  } finally {
    if (failure === undefined) await handle.close();
  }
  if (failure === undefined) return result!;
  try {
    await restore(backup!);
  } catch (restoreError) {
    throw new DbPatchError(
      DB_PATCH_ERROR_CODES.RESTORE_FAILED,
      `the upgrade failed at ${failedStep} and the automatic restore failed too: ${(restoreError as Error).message}`,
      {
        hint: `Restore the backup by hand before anything else: ${backup!.path} (git-prolly can retry with restoreBackup).`,
        data: { backup: backup!.path, release: failedStep, upgradeError: errorSummary(failure) },
        cause: restoreError,
      },
    );
  }
  throw new DbPatchError(
    DB_PATCH_ERROR_CODES.UPGRADE_FAILED,
    `upgrade to ${failedStep} failed and the database was restored from its backup: ${(failure as Error).message}`,
    {
      hint: "Nothing changed. Fix the failing patch in a new release and upgrade again.",
      data: {
        release: failedStep,
        backup: backup!.path,
        restored: true,
        ...(failure instanceof DbPatchError ? { failure: failure.toJSON() } : {}),
      },
      cause: failure,
    },
  );
}

function backupLabel(handle: DatabaseHandle, from: string | undefined): string {
  const db = handle.target.kind === "server" ? handle.target.database : "pglite";
  return `${db}-before-upgrade-from-${from ?? "none"}-${new Date().toISOString().replace(/[:.]/g, "-")}`;
}

function errorSummary(e: unknown): Record<string, unknown> {
  return e instanceof DbPatchError ? e.toJSON() : { message: (e as Error)?.message ?? String(e) };
}
