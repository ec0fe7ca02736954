import { HO_PROD, releaseTag } from "./branch-names.js";
import type { PlanStep } from "./plan-step.js";
import type { PushOptions } from "./plan-release-new.js";
import { RELEASE_ERROR_CODES, ReleaseError } from "./release-error.js";
import { releaseFilePath, serializePatchList } from "./release-file.js";
import { activeRc, releaseContext, releaseManifest, stageOf, stages, type ReleaseSet } from "./release-set.js";

/** The directory of schema and metadata dumps, relative to the project root. */
export const MODEL_DIR = "model";

/** The plan of `release promote prod`. */
export interface PromoteProdPlan {
  version: string;
  /** The RC promoted, e.g. `1.3.5-rc2`. */
  fromRc: string;
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
  /** Remove the stage, write the production file, commit it with the model, tag, push atomically. */
  steps: PlanStep[];
}

/** Options of {@link planPromoteProd}. */
export interface PromoteProdOptions extends PushOptions {
  /** Paths of the model the caller writes (default `["model"]`: the whole directory is staged). */
  modelPaths?: readonly string[];
}

/**
 * Plans `release promote prod`: the active RC becomes `X.Y.Z.txt`. Without an active RC, or with
 * patches in the stage that no RC holds (they were never validated as a candidate), it is
 * `RELEASE_NO_ACTIVE_RC`: promote an RC (rcN+1) first. Stages of later versions stay.
 */
export function planPromoteProd(set: ReleaseSet, options: PromoteProdOptions = {}): PromoteProdPlan {
  const rc = activeRc(set);
  if (rc === undefined) {
    const first = stages(set)[0];
    throw new ReleaseError(RELEASE_ERROR_CODES.NO_ACTIVE_RC, "No active RC to promote to production", {
      hint: first === undefined ? "Prepare a release first: git-prolly dev release new patch" : `Promote ${first.version}-stage to an RC first: git-prolly dev release promote rc`,
      data: { stages: stages(set).map((s) => s.version) },
    });
  }
  const version = rc.version;
  const pending = releaseContext(set, version).stage;
  if (pending.length > 0) {
    throw new ReleaseError(RELEASE_ERROR_CODES.NO_ACTIVE_RC, `${version}-stage has patches no RC holds: ${pending.join(", ")}`, {
      hint: `Make them an RC first (git-prolly dev release promote rc creates ${version}-rc${(rc.rc ?? 1) + 1}), validate it, then promote prod`,
      data: { version, activeRc: rc.name, pending },
    });
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
    { kind: "commit", paths: [prodPath, ...(removedStage === undefined ? [] : [removedStage]), ...modelPaths], message: `Release ${version} (from ${version}-rc${rc.rc ?? 1})` },
    { kind: "tag", name: tag, at: "HEAD", message: `Release ${version}` },
  ];
  if (options.push !== false) {
    steps.push({ kind: "push", remote: options.remote ?? "origin", refspecs: [`${HO_PROD}:refs/heads/${HO_PROD}`, `refs/tags/${tag}:refs/tags/${tag}`] });
  }
  return { version, fromRc: `${version}-rc${rc.rc ?? 1}`, prodFile: { path: prodPath, content: serializePatchList(patches) }, patches, removedStage, tag, modelPaths, steps };
}
