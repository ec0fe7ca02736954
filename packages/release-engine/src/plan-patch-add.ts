import { archiveBranch, HO_PROD, patchBranch, validationBranch } from "./branch-names.js";
import { assertPatchId } from "./patch-id.js";
import type { PlanStep } from "./plan-step.js";
import type { PushOptions } from "./plan-release-new.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";
import { releaseFilePath, serializePatchList } from "./release-file.js";
import { releaseContext, releaseOfPatch, type ReleaseSet } from "./release-set.js";
import { resolveBranch } from "./resolve-branch.js";
import { selectStage } from "./select-stage.js";

/** The plan of `patch add <id> [--to-version X.Y.Z]`, in three phases. */
export interface PatchAddPlan {
  id: string;
  /** The stage's version. */
  version: string;
  /** `temp-valid-<X.Y.Z>`. */
  validationBranch: string;
  /** Revisions merged on the validation branch, in order: the stage's archived patches, then `ho-patch/<id>` (`origin/…` when only the remote has them). */
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
  /** On any failure of `validate` or the tests: back to ho-prod, delete the validation branch. Nothing was committed on ho-prod. */
  cleanup: PlanStep[];
  /** When an `integrate` step fails (the push was refused): ho-prod back to the remote's, archive branch deleted. Empty without a push. */
  undoIntegrate: PlanStep[];
}

/** Options of {@link planPatchAdd}. */
export interface PatchAddOptions extends PushOptions {
  /** `--to-version X.Y.Z`: required when several stages exist. */
  toVersion?: string;
  /** Local branch names; when given, each branch merged must be local or in `remoteBranches` (`RELEASE_BRANCH_NOT_FOUND`). */
  existingBranches?: readonly string[];
  /** The remote's branches (as last fetched); a branch only there is merged as `origin/<name>`. */
  remoteBranches?: readonly string[];
  /** Generated files (the Kysely types) whose merge conflicts take the merged patch's version. */
  generatedPaths?: readonly string[];
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
  const known = {
    existingBranches: options.existingBranches,
    remoteBranches: options.remoteBranches,
    remote: options.remote,
  };
  const resolve = (name: string, patch: string): string => {
    const ref = resolveBranch(name, known);
    if (ref !== undefined) return ref;
    throw new ReleaseError(RELEASE_ERROR_CODES.BRANCH_NOT_FOUND, `Branch ${name} not found`, {
      hint:
        name === branch
          ? `Create the patch first (git-prolly dev patch new ${id}), or fetch it: git fetch origin`
          : `Fetch it (git fetch origin); it was archived when ${patch} was added`,
      data: { patchId: patch, branch: name },
    });
  };
  const temp = validationBranch(version);
  const { stage: pending } = releaseContext(set, version);
  const patchRef = resolve(branch, id);
  const merges = [...pending.map((p) => resolve(archiveBranch(version, p), p)), patchRef];
  const stageFile = {
    path: releaseFilePath({ version, kind: "stage" }),
    content: serializePatchList([...stage.patches, id]),
  };
  const archive = archiveBranch(version, id);
  const message = `Add ${id} to release ${version}-stage`;
  const validate: PlanStep[] = [
    { kind: "create-branch", name: temp, from: HO_PROD },
    { kind: "checkout", branch: temp },
    ...merges.map((ref): PlanStep => ({
      kind: "merge",
      ref,
      message: `Validate ${ref} for ${version}`,
      ...(options.generatedPaths === undefined ? {} : { resolveTheirs: [...options.generatedPaths] }),
    })),
    { kind: "write-file", path: stageFile.path, content: stageFile.content },
    { kind: "commit", paths: [stageFile.path], message: `${message} (validation)` },
  ];
  const integrate: PlanStep[] = [
    // force: the tree was clean before validation, so what is left (generated types, test output) is ours
    { kind: "checkout", branch: HO_PROD, force: true },
    { kind: "delete-branch", name: temp, force: true },
    { kind: "write-file", path: stageFile.path, content: stageFile.content },
    { kind: "commit", paths: [stageFile.path], message },
    { kind: "create-branch", name: archive, from: patchRef },
  ];
  if (options.push !== false) {
    integrate.push({
      kind: "push",
      remote: options.remote ?? "origin",
      refspecs: [`${HO_PROD}:refs/heads/${HO_PROD}`, `${archive}:refs/heads/${archive}`],
    });
  }
  const cleanup: PlanStep[] = [
    { kind: "checkout", branch: HO_PROD, force: true },
    { kind: "delete-branch", name: temp, force: true },
  ];
  const undoIntegrate: PlanStep[] =
    options.push === false
      ? []
      : [
          { kind: "checkout", branch: HO_PROD, force: true },
          { kind: "reset-hard", to: `${options.remote ?? "origin"}/${HO_PROD}` },
          { kind: "delete-branch", name: archive, force: true },
        ];
  return {
    id,
    version,
    validationBranch: temp,
    merges,
    stageFile,
    archiveBranch: archive,
    validate,
    integrate,
    cleanup,
    undoIntegrate,
  };
}
