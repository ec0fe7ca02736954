import { mkdirSync, writeFileSync } from "node:fs";
import { dirname, join } from "node:path";
import {
  applyPlan,
  generateKyselyTypes,
  isDbPatchError,
  openDatabase,
  planPatches,
  restoreFromModel,
  type ApplyResult,
  type ConnectionOptions,
  type RestoreResult,
} from "@git-prolly/db-patches";
import type { DatabaseHandle } from "@git-prolly/db-patches";
import type { Project } from "./project-config.js";

/** The outcome of {@link rebuildDatabase}. */
export interface RebuildResult {
  restored: RestoreResult;
  applied: ApplyResult["patches"];
  typesFile: string;
}

/** Options of {@link rebuildDatabase}. */
export interface RebuildOptions {
  project: Project;
  connection: ConnectionOptions;
  /** The directory holding `Patches/<id>/` for every id. */
  patchesDir: string;
  /** Patch ids in application order. */
  ids: readonly string[];
  /** Record the applied patches as part of this release. */
  release?: string;
  /** Called after each step, for progress output. */
  report?: (line: string) => void;
  /** Work to do on the open database after the patches (record a release, write the model). */
  after?: (handle: DatabaseHandle) => Promise<void>;
}

/**
 * Resets the development database to production state (the model the pointer names), applies
 * `ids` in order — each patch in its own transaction, under the project's advisory lock — and
 * regenerates the Kysely types. On any failure the database is restored to production state
 * again, so a failed run leaves nothing half-applied, and the error (file and line for SQL) is
 * rethrown with `data.databaseRestored`.
 */
export async function rebuildDatabase(options: RebuildOptions): Promise<RebuildResult> {
  const { project, connection } = options;
  const modelDir = join(project.root, "model");
  const restore = () => restoreFromModel(connection, { project: project.config.project, modelDir });
  const plan = planPatches(options.patchesDir, options.ids);
  const restored = await restore();
  options.report?.(
    `restored production state ${restored.version} (${restored.method}, ${Math.round(restored.durationMs)} ms)`,
  );
  let applied: ApplyResult["patches"] = [];
  const handle = await openDatabase(connection);
  let typesFile = join(project.root, project.config.typesFile);
  try {
    const r = await applyPlan(handle, plan, {
      project: project.config.project,
      ...(options.release === undefined ? {} : { release: options.release }),
    });
    applied = r.patches;
    for (const p of applied)
      options.report?.(
        `applied ${p.id} (${p.statements} statement${p.statements === 1 ? "" : "s"}, ${Math.round(p.durationMs)} ms)`,
      );
    if (options.after !== undefined) await options.after(handle);
    const types = await generateKyselyTypes(handle);
    mkdirSync(dirname(typesFile), { recursive: true });
    writeFileSync(typesFile, types);
    options.report?.(`generated Kysely types in ${project.config.typesFile}`);
  } catch (e) {
    await handle.close();
    try {
      await restore();
      if (isDbPatchError(e)) (e.data as Record<string, unknown>)["databaseRestored"] = true;
      options.report?.("the database was rolled back to production state");
    } catch {
      // The original error is what the user must see; the restore failure leaves the database as the failed run left it.
    }
    throw e;
  }
  await handle.close();
  typesFile = project.config.typesFile;
  return { restored, applied, typesFile };
}
