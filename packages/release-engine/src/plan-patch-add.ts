import { archiveBranch, HO_PROD, patchBranch, validationBranch } from "./branch-names.js";
import { assertPatchId } from "./patch-id.js";
import type { PlanStep } from "./plan-step.js";
import type { PushOptions } from "./plan-release-new.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";
import { releaseFilePath, serializePatchList } from "./release-file.js";
import { releaseContext, releaseOfPatch, type ReleaseSet } from "./release-set.js";
import { selectStage } from "./select-stage.js";

/** The plan of `patch add <id> [--to-version X.Y.Z]`, in three phases. */
export interface PatchAddPlan {
  id: string;
  /** The stage's version. */
  version: string;
  /** `temp-valid-<X.Y.Z>`. */
  validationBranch: string;
  /** Branches merged on the validation branch, in order: the stage's archived patches, then `ho-patch/<id>`. */
  merges: string[];
  /** The stage file and its new content (the id appended). */
  stageFile: { path: string; content: string };
  /** `ho-release/<X.Y.Z>/<id>`: the validated patch, created at integration. */
  archiveBranch: string;
  /**
   * Phase 1: create and check out the validation branch from ho-prod, merge every patch, commit
   * the stage file there. Then the caller rebuilds the database and runs the tests on it.
   */
  validate: PlanStep[];
  /** Phase 2, only when the tests pass: back to ho-prod, delete the validation branch, commit the stage file, archive the branch, push atomically. */
  integrate: PlanStep[];
  /** On any failure: back to ho-prod, delete the validation branch. Nothing was committed on ho-prod. */
  cleanup: PlanStep[];
}

/** Options of {@link planPatchAdd}. */
export interface PatchAddOptions extends PushOptions {
  /** `--to-version X.Y.Z`: required when several stages exist. */
  toVersion?: string;
  /** Local branch names; when given, `ho-patch/<id>` must be among them (`RELEASE_BRANCH_NOT_FOUND`). */
  existingBranches?: readonly string[];
}

/**
 * Plans `patch add`: chooses the stage ({@link selectStage}), refuses an id a release already
 * lists, and plans the validation on `temp-valid-<X.Y.Z>` (all patches of the stage plus the new
 * one), the integration on ho-prod (only the stage file changes there; the code enters ho-prod at
 * RC promotion) and the cleanup.
 */
export function planPatchAdd(set: ReleaseSet, id: string, options: PatchAddOptions = {}): PatchAddPlan {
  assertPatchId(id);
  const stage = selectStage(set, options.toVersion);
  const version = stage.version;
  const listed = releaseOfPatch(set, id);
  if (listed !== undefined) {
    throw new ReleaseError(RELEASE_ERROR_CODES.PATCH_ALREADY_IN_RELEASE, `Patch ${id} already in release ${listed}`, {
      hint: "Nothing to do: a patch is added once. Create a new patch for further changes (git-prolly dev patch new <id>)",
      data: { patchId: id, release: listed },
    });
  }
  const branch = patchBranch(id);
  if (options.existingBranches !== undefined && !options.existingBranches.includes(branch)) {
    throw new ReleaseError(RELEASE_ERROR_CODES.BRANCH_NOT_FOUND, `Branch ${branch} not found`, {
      hint: `Create the patch first (git-prolly dev patch new ${id}) or fetch it (git fetch origin ${branch}:${branch})`,
      data: { patchId: id, branch },
    });
  }
  const temp = validationBranch(version);
  const { stage: pending } = releaseContext(set, version);
  const merges = [...pending.map((p) => archiveBranch(version, p)), branch];
  const stageFile = { path: releaseFilePath({ version, kind: "stage" }), content: serializePatchList([...stage.patches, id]) };
  const archive = archiveBranch(version, id);
  const message = `Add ${id} to release ${version}-stage`;
  const validate: PlanStep[] = [
    { kind: "create-branch", name: temp, from: HO_PROD },
    { kind: "checkout", branch: temp },
    ...merges.map((ref): PlanStep => ({ kind: "merge", ref, message: `Validate ${ref} for ${version}` })),
    { kind: "write-file", path: stageFile.path, content: stageFile.content },
    { kind: "commit", paths: [stageFile.path], message: `${message} (validation)` },
  ];
  const integrate: PlanStep[] = [
    // force: the tree was clean before validation, so what is left (generated types, test output) is ours
    { kind: "checkout", branch: HO_PROD, force: true },
    { kind: "delete-branch", name: temp, force: true },
    { kind: "write-file", path: stageFile.path, content: stageFile.content },
    { kind: "commit", paths: [stageFile.path], message },
    { kind: "create-branch", name: archive, from: branch },
  ];
  if (options.push !== false) {
    integrate.push({ kind: "push", remote: options.remote ?? "origin", refspecs: [`${HO_PROD}:refs/heads/${HO_PROD}`, `${archive}:refs/heads/${archive}`] });
  }
  const cleanup: PlanStep[] = [
    { kind: "checkout", branch: HO_PROD, force: true },
    { kind: "delete-branch", name: temp, force: true },
  ];
  return { id, version, validationBranch: temp, merges, stageFile, archiveBranch: archive, validate, integrate, cleanup };
}
