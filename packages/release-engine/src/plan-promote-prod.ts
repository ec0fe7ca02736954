import { archiveBranch, HO_PROD, patchBranch, releaseTag } from "./branch-names.js";
import { patchBranchesToNotify } from "./patch-branches-to-notify.js";
import type { PlanStep } from "./plan-step.js";
import type { PushOptions } from "./plan-release-new.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";
import { releaseFilePath, serializePatchList } from "./release-file.js";
import {
  activeRc,
  productionVersion,
  releaseContext,
  releaseManifest,
  stageOf,
  stages,
  type ReleaseSet,
} from "./release-set.js";
import { compareVersions } from "./release-version.js";
import { resolveBranch } from "./resolve-branch.js";

/** The directory of schema and metadata dumps, relative to the project root. */
export const MODEL_DIR = "model";

/** The plan of `release promote prod`. */
export interface PromoteProdPlan {
  version: string;
  /** The RC promoted, e.g. `1.3.5-rc2`; undefined when a stage was promoted directly (`withoutRc`). */
  fromRc: string | undefined;
  /** Archived branches merged into ho-prod (only when a stage is promoted directly). */
  merges: string[];
  /** `ho-patch/<id>` branches deleted (only when a stage is promoted directly). */
  deletedBranches: string[];
  /** `releases/X.Y.Z.txt` and its cumulative content: every patch of every RC of the version. */
  prodFile: { path: string; content: string };
  patches: string[];
  /** `releases/X.Y.Z-stage.txt` when it exists (removed: the version is released). */
  removedStage: string | undefined;
  /** `vX.Y.Z`. */
  tag: string;
  /**
   * The paths the caller writes before running `steps` (the dumps come from db-patches:
   * `writeModel` writes `model/schema-X.Y.Z.sql`, `model/metadata-X.Y.Z.sql` and moves the
   * pointer); the commit step stages them.
   */
  modelPaths: string[];
  /** Active `ho-patch/*` branches (of `patchBranches`, other patches) whose owners must merge ho-prod. */
  notify: string[];
  /** Remove the stage, write the production file, commit it with the model, tag, push atomically. */
  steps: PlanStep[];
}

/** Options of {@link planPromoteProd}. */
export interface PromoteProdOptions extends PushOptions {
  /** Paths of the model the caller writes (default `["model"]`: the whole directory is staged). */
  modelPaths?: readonly string[];
  /**
   * Without an active RC, promote the smallest stage straight to production (half_orm_dev 0.16
   * allows it; the seed recommends an RC first). Its archived branches are merged into ho-prod
   * and its patch branches deleted, as `promote rc` does. Default false: `RELEASE_NO_ACTIVE_RC`.
   */
  withoutRc?: boolean;
  /** Local branch names (see {@link planPromoteRc}); used with `withoutRc`. */
  existingBranches?: readonly string[];
  /** The remote's branches (as last fetched); used with `withoutRc`. */
  remoteBranches?: readonly string[];
  /**
   * The `ho-patch/*` branches that exist (local or on the remote): deleted when a stage is promoted
   * directly (default: all of the stage's), and the others are the plan's `notify`.
   */
  patchBranches?: readonly string[];
  /**
   * Generated files (the Kysely types): their merge conflicts take the merged patch's version,
   * and the release commit stages them (the caller regenerates them before the steps' commit).
   */
  generatedPaths?: readonly string[];
}

/**
 * Plans `release promote prod`: the active RC becomes `X.Y.Z.txt`. Without an active RC, or with
 * patches in the stage that no RC holds (they were never validated as a candidate), it is
 * `RELEASE_NO_ACTIVE_RC`: promote an RC (rcN+1) first. Stages of later versions stay.
 */
export function planPromoteProd(set: ReleaseSet, options: PromoteProdOptions = {}): PromoteProdPlan {
  const rc = activeRc(set);
  if (rc === undefined && options.withoutRc === true) return planStageToProd(set, options);
  if (rc === undefined) {
    const first = stages(set)[0];
    throw new ReleaseError(RELEASE_ERROR_CODES.NO_ACTIVE_RC, "No active RC to promote to production", {
      hint:
        first === undefined
          ? "Prepare a release first: git-prolly dev release new patch"
          : `Promote ${first.version}-stage to an RC first: git-prolly dev release promote rc`,
      data: { stages: stages(set).map((s) => s.version) },
    });
  }
  const version = rc.version;
  const pending = releaseContext(set, version).stage;
  if (pending.length > 0) {
    throw new ReleaseError(
      RELEASE_ERROR_CODES.NO_ACTIVE_RC,
      `${version}-stage has patches no RC holds: ${pending.join(", ")}`,
      {
        hint: `Make them an RC first (git-prolly dev release promote rc creates ${version}-rc${(rc.rc ?? 1) + 1}), validate it, then promote prod`,
        data: { version, activeRc: rc.name, pending },
      },
    );
  }
  const patches = releaseManifest(set, version);
  const prodPath = releaseFilePath({ version, kind: "prod" });
  const stage = stageOf(set, version);
  const removedStage = stage === undefined ? undefined : releaseFilePath({ version, kind: "stage" });
  const tag = releaseTag(version);
  const modelPaths = [...(options.modelPaths ?? [MODEL_DIR])];
  const steps: PlanStep[] = [
    ...(removedStage === undefined ? [] : [{ kind: "delete-file", path: removedStage } as PlanStep]),
    { kind: "write-file", path: prodPath, content: serializePatchList(patches) },
    {
      kind: "commit",
      paths: [
        prodPath,
        ...(removedStage === undefined ? [] : [removedStage]),
        ...modelPaths,
        ...(options.generatedPaths ?? []),
      ],
      message: `Release ${version} (from ${version}-rc${rc.rc ?? 1})`,
    },
    { kind: "tag", name: tag, at: "HEAD", message: `Release ${version}` },
  ];
  if (options.push !== false) {
    steps.push({
      kind: "push",
      remote: options.remote ?? "origin",
      refspecs: [`${HO_PROD}:refs/heads/${HO_PROD}`, `refs/tags/${tag}:refs/tags/${tag}`],
    });
  }
  return {
    version,
    fromRc: `${version}-rc${rc.rc ?? 1}`,
    merges: [],
    deletedBranches: [],
    prodFile: { path: prodPath, content: serializePatchList(patches) },
    patches,
    removedStage,
    tag,
    modelPaths,
    notify: patchBranchesToNotify(set, options.patchBranches ?? [], [], patches),
    steps,
  };
}

function planStageToProd(set: ReleaseSet, options: PromoteProdOptions): PromoteProdPlan {
  const first = stages(set)[0];
  if (first === undefined) {
    throw new ReleaseError(RELEASE_ERROR_CODES.NO_STAGE, "No stage releases found", {
      hint: "Prepare a release first: git-prolly dev release new patch",
      data: {},
    });
  }
  const version = first.version;
  const prod = productionVersion(set);
  if (compareVersions(version, prod) <= 0) {
    throw new ReleaseError(
      RELEASE_ERROR_CODES.INVALID_VERSION,
      `Release ${version}-stage is not after production ${prod}: releases are sequential`,
      {
        hint: `Move its patches to a later stage and delete releases/${version}-stage.txt on ho-prod`,
        data: { version, production: prod },
      },
    );
  }
  const patches = releaseManifest(set, version);
  const known = {
    existingBranches: options.existingBranches,
    remoteBranches: options.remoteBranches ?? options.patchBranches,
    remote: options.remote,
  };
  const merges = patches.map((id) => {
    const ref = resolveBranch(archiveBranch(version, id), known) ?? resolveBranch(patchBranch(id), known);
    if (ref !== undefined) return ref;
    throw new ReleaseError(
      RELEASE_ERROR_CODES.BRANCH_NOT_FOUND,
      `Archived branch not found: ${archiveBranch(version, id)}`,
      {
        hint: `Fetch it (git fetch origin), or restore ${patchBranch(id)}`,
        data: { patchId: id, branch: archiveBranch(version, id) },
      },
    );
  });
  const deletedBranches = patches
    .map(patchBranch)
    .filter((b) => options.patchBranches === undefined || options.patchBranches.includes(b));
  const prodPath = releaseFilePath({ version, kind: "prod" });
  const stagePath = releaseFilePath({ version, kind: "stage" });
  const tag = releaseTag(version);
  const modelPaths = [...(options.modelPaths ?? [MODEL_DIR])];
  const content = serializePatchList(patches);
  const steps: PlanStep[] = [
    ...merges.map((ref, i): PlanStep => ({
      kind: "merge",
      ref,
      message: `Integrate patch ${patches[i]} into ${version}`,
      ...(options.generatedPaths === undefined ? {} : { resolveTheirs: [...options.generatedPaths] }),
    })),
    { kind: "delete-file", path: stagePath },
    { kind: "write-file", path: prodPath, content },
    {
      kind: "commit",
      paths: [prodPath, stagePath, ...modelPaths, ...(options.generatedPaths ?? [])],
      message: `Release ${version} (from ${version}-stage)`,
    },
    { kind: "tag", name: tag, at: "HEAD", message: `Release ${version}` },
    ...deletedBranches.map((name): PlanStep => ({ kind: "delete-branch", name, force: true })),
  ];
  if (options.push !== false) {
    steps.push({
      kind: "push",
      remote: options.remote ?? "origin",
      refspecs: [
        `${HO_PROD}:refs/heads/${HO_PROD}`,
        `refs/tags/${tag}:refs/tags/${tag}`,
        ...deletedBranches
          .filter((b) => known.remoteBranches === undefined || known.remoteBranches.includes(b))
          .map((b) => `:refs/heads/${b}`),
      ],
    });
  }
  return {
    version,
    fromRc: undefined,
    merges,
    deletedBranches,
    prodFile: { path: prodPath, content },
    patches,
    removedStage: stagePath,
    tag,
    modelPaths,
    notify: patchBranchesToNotify(set, options.patchBranches ?? [], deletedBranches, patches),
    steps,
  };
}
