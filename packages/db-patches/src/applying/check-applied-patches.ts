import { DbPatchError } from "../errors.js";
import { listAppliedPatches } from "../metadata/metadata.js";
import type { DatabaseHandle } from "../connection/open-database.js";
import { planPatch, readPatch } from "../planning/plan-patches.js";

/** One applied patch whose files no longer match what was applied. */
export interface PatchMismatch {
  id: string;
  /** `changed`: files differ; `missing`: the patch directory is gone or unreadable. */
  status: "changed" | "missing";
  /** Files added, removed or modified since the patch was applied. */
  files: string[];
}

/** The outcome of {@link checkAppliedPatches}. */
export interface PatchCheckReport {
  ok: boolean;
  checked: number;
  mismatches: PatchMismatch[];
}

/**
 * Compares every patch recorded in the database with the files under `patchesDir`, by sha256 of
 * each file: reports patches edited (or deleted) after they were applied. Read-only.
 */
export async function checkAppliedPatches(handle: DatabaseHandle, patchesDir: string): Promise<PatchCheckReport> {
  const applied = await listAppliedPatches(handle);
  const mismatches: PatchMismatch[] = [];
  for (const a of applied) {
    let files: Map<string, string>;
    try {
      files = new Map(planPatch(readPatch(patchesDir, a.id)).files.map((f) => [f.name, f.sha256]));
    } catch (e) {
      if (!(e instanceof DbPatchError)) throw e;
      mismatches.push({ id: a.id, status: "missing", files: a.files.map((f) => f.name) });
      continue;
    }
    const then = new Map(a.files.map((f) => [f.name, f.sha256]));
    const changed = [...new Set([...files.keys(), ...then.keys()])].filter((n) => files.get(n) !== then.get(n)).sort();
    if (changed.length > 0) mismatches.push({ id: a.id, status: "changed", files: changed });
  }
  return { ok: mismatches.length === 0, checked: applied.length, mismatches };
}
